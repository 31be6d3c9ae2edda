/**
 * From segments to the moments that matter on a test call: when the IVR ended, how long
 * hold music played, and when a live person started speaking.
 */
import type { Segment } from './segment.js';

export interface HumanHints {
  /** The line has a menu (digits are pressed): the first speech is a recording, not a person. */
  ivr: boolean;
  /** Seconds after answer by which our DTMF digits have been sent. */
  digitsDoneAt?: number;
  /** We hung up at our time limit: speech cut off at the very end is an announcement, not a person. */
  cutAtLimit?: boolean;
}

export interface HumanFinding {
  /** Seconds after answer when a person started speaking, or null. */
  humanAt: number | null;
  /** Seconds of hold (from the first hold music to the person, or to the end). */
  holdSeconds: number | null;
  /** Where the automated part (IVR, hold) ended, in seconds after answer. */
  automatedUntil: number | null;
  why: string;
}

const HOLD_MIN = 2; // seconds of music that make a hold, not a beep or DTMF
const SPEECH_MIN = 0.6;
const GAP_MIN = 1.5;

export function findHuman(segments: Segment[], hints: HumanHints, duration: number): HumanFinding {
  const len = (s: Segment) => s.end - s.start;
  const holds = segments.filter((s) => s.kind === 'music' && len(s) >= HOLD_MIN);
  if (holds.length) {
    const lastHold = holds[holds.length - 1]!;
    let person = segments.find((s) => s.kind === 'speech' && s.start >= lastHold.end - 0.5 && len(s) >= SPEECH_MIN);
    const holdStart = holds[0]!.start;
    // A person greets and then waits for an answer; words running into our hang-up at the
    // time limit are the hold loop's announcement.
    if (person && hints.cutAtLimit && person.end >= duration - 0.5) person = undefined;
    return person
      ? { humanAt: person.start, holdSeconds: person.start - holdStart, automatedUntil: lastHold.end, why: 'speech after the hold music' }
      : { humanAt: null, holdSeconds: duration - holdStart, automatedUntil: lastHold.end, why: 'hold music until the end' };
  }
  const speech = segments.filter((s) => s.kind === 'speech' && len(s) >= SPEECH_MIN);
  if (!speech.length) return { humanAt: null, holdSeconds: null, automatedUntil: null, why: 'nobody spoke' };
  if (!hints.ivr) return { humanAt: speech[0]!.start, holdSeconds: null, automatedUntil: null, why: 'answered by a person' };
  // A menu without hold music: the person is the first speech after a pause that follows the
  // prompt and our digits.
  const after = hints.digitsDoneAt ?? speech[0]!.end;
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!;
    if (s.kind !== 'silence' || len(s) < GAP_MIN || s.end < after) continue;
    const next = segments.slice(i + 1).find((x) => x.kind === 'speech' && len(x) >= SPEECH_MIN);
    if (next) return { humanAt: next.start, holdSeconds: null, automatedUntil: s.start, why: 'speech after a pause that followed the menu' };
  }
  return { humanAt: null, holdSeconds: null, automatedUntil: null, why: 'only the menu spoke' };
}
