/**
 * Time on the page, as a person would spend it. Time-trap anti-spam refuses a submission
 * made too soon after the form was served: Drupal Honeypot (`honeypot_time_limit`, 5 s by
 * default, "Please wait N seconds and try again"), spatie/laravel-honeypot (`valid_from`,
 * 1 s, a blank page), WordPress anti-spam plugins ("submitted too quickly"). So the click
 * waits until a minimum time since the page loaded (filling counts toward it), and a page
 * that answers "too fast, wait and try again" BEFORE accepting anything gets exactly one
 * more submission, after the wait it asks for.
 */
import { norm } from './webform-fields.js';

/** A few seconds: above the common time limits (Drupal 5 s, spatie 1 s), below a bored person. */
export const DEFAULT_DWELL_MS = 6000;
/** The longest "please wait N seconds" we honour before the single retry. */
const MAX_RETRY_WAIT_MS = 30_000;

/**
 * "Too fast / wait and try again" in the five languages, matched on norm()ed text (lower
 * case, accents removed). Only phrases about time: a generic "please try again" is a
 * validation message like any other and never triggers a second submission.
 */
const TOO_FAST = new RegExp(
  [
    'too (?:fast|quickly|quick|soon)',
    'wait (?:\\d+|a few|a couple of|some|at least \\d+) (?:more )?(?:seconds?|secs?|moments?)',
    'wait a (?:moment|few seconds|second|bit) (?:and|before) (?:try|submit)',
    '(?:try again|resubmit|submit again) in (?:\\d+|a few) seconds?',
    'demasiado (?:rapido|pronto)',
    '(?:espere|aguarde) (?:\\d+|unos|alguns) segundos',
    'trop (?:rapidement|rapide|vite|tot)',
    '(?:patienter|attendre|attendez) (?:\\d+|quelques) secondes',
    'zu schnell',
    '(?:\\d+|einige) sekunden (?:warten|gewartet)',
    'warten sie (?:\\d+|einige|einen moment)',
    '(?:rapido|rapidamente) demais',
  ].join('|'),
);
const WAIT_SECONDS = /(\d+(?:\.\d+)?)\s*(?:seconds?|secs?|segundos?|secondes?|sekunden?|s\b)/;

/**
 * When the page's messages say "too fast, wait", how long to wait before the single retry
 * (the seconds it names, plus one; else 5 s); undefined when they do not say so.
 */
export function tooFastWait(messages: string[]): number | undefined {
  const hit = messages.map(norm).find((m) => TOO_FAST.test(m));
  if (hit === undefined) return undefined;
  const secs = WAIT_SECONDS.exec(hit)?.[1];
  const ms = secs ? (Number(secs) + 1) * 1000 : 5000;
  return Math.min(ms, MAX_RETRY_WAIT_MS);
}

/**
 * Waits until `ms` have passed since `since` (performance.now() time), but never more than
 * half of the time left before the deadline, so a dwell cannot turn into a timeout.
 * Returns the milliseconds actually waited.
 */
export async function dwellUntil(since: number, ms: number, deadline: number, signal: AbortSignal): Promise<number> {
  const now = performance.now();
  const wait = Math.max(0, Math.min(since + ms - now, (deadline - now) / 2));
  if (wait < 1 || signal.aborted) return 0;
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, wait);
    signal.addEventListener('abort', done, { once: true });
  });
  return Math.round(performance.now() - now);
}
