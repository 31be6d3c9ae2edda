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
    // Find it by halving: decoding is fast and files are small (size is capped first).
    let lo = 0;
    let hi = buf.length;
    while (hi - lo > 4) {
      const mid = (lo + hi) >> 1;
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(0, mid));
        lo = mid;
      } catch {
        hi = mid;
      }
    }
    return lo;
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
