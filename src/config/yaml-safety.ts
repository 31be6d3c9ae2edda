/** Limits that keep hostile YAML from crashing or hanging the loader. */
export const MAX_CONFIG_BYTES = 2 * 1024 * 1024;
export const MAX_ALIAS_COUNT = 100;
export const MAX_DEPTH = 64;
export const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Index of the first byte that is not valid UTF-8, or -1. */
export function firstInvalidUtf8(buf: Buffer): number {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(buf);
    return -1;
  } catch {
    // Find the offending byte to point at it.
    for (let i = 0; i < buf.length; ) {
      const b = buf[i]!;
      const len = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
      if (len === 0) return i;
      for (let k = 1; k < len; k++) if (i + k >= buf.length || (buf[i + k]! & 0xc0) !== 0x80) return i;
      i += len;
    }
    return 0;
  }
}

export function lineColAt(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++)
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  return { line, col: offset - last };
}
