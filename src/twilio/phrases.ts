/**
 * Did the IVR say the campaign phrase? Transcripts are imperfect ("spring knee check" may come
 * back as "spring knee checks" or "springknee check"), so words match with a small edit
 * distance and the phrase's words must appear in order with at most one word between them.
 */
import { normalizeWords } from '../classify/text.js';

function close(a: string, b: string): boolean {
  if (a === b) return true;
  const tol = Math.max(a.length, b.length) >= 5 ? 1 : 0;
  if (Math.abs(a.length - b.length) > tol) return false;
  return editDistance(a, b) <= tol;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_v, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

export function phraseHeard(transcript: string, phrase: string): boolean {
  const words = normalizeWords(transcript).split(' ').filter(Boolean);
  const want = normalizeWords(phrase).split(' ').filter(Boolean);
  if (!want.length) return false;
  // Words run together by a transcriber ("springknee") count as the pair.
  const joined = words.join(' ');
  if (joined.includes(want.join(' ')) || joined.replace(/ /g, '').includes(want.join(''))) return true;
  for (let start = 0; start < words.length; start++) {
    if (!close(words[start]!, want[0]!)) continue;
    let at = start;
    let ok = true;
    for (let k = 1; k < want.length && ok; k++) {
      const next = [at + 1, at + 2].find((i) => i < words.length && close(words[i]!, want[k]!));
      if (next === undefined) ok = false;
      else at = next;
    }
    if (ok) return true;
  }
  return false;
}

export function phrasesHeard(transcript: string, phrases: readonly string[]): string[] {
  return phrases.filter((p) => phraseHeard(transcript, p));
}
