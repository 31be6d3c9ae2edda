/** A JSON text column read back: the value, or null for NULL, non-text or unparsable text. */
export function parseJson<T>(s: unknown): T | null {
  if (typeof s !== 'string') return null;
  try {
    return JSON.parse(s) as T;
  } catch {
    return null;
  }
}
