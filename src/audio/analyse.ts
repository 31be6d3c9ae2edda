/** One entry point for a call recording: decode, segment, find the person. */
import { findHuman, type HumanFinding, type HumanHints } from './human.js';
import { analyseAudio, type Segment } from './segment.js';
import { decodeWav } from './wav.js';

export interface RecordingAnalysis extends HumanFinding {
  duration: number;
  segments: Segment[];
  seconds: { speech: number; music: number; silence: number };
}

export function analyseRecording(wav: Buffer, hints: HumanHints): RecordingAnalysis {
  const a = analyseAudio(decodeWav(wav));
  const seconds = { speech: 0, music: 0, silence: 0 };
  for (const s of a.segments) seconds[s.kind] += s.end - s.start;
  const round = (n: number) => Math.round(n * 10) / 10;
  const found = findHuman(a.segments, hints, a.duration);
  const maybe = (n: number | null) => (n === null ? null : round(n));
  return {
    ...found,
    humanAt: maybe(found.humanAt),
    holdSeconds: maybe(found.holdSeconds),
    automatedUntil: maybe(found.automatedUntil),
    duration: round(a.duration),
    segments: a.segments.map((s) => ({ kind: s.kind, start: round(s.start), end: round(s.end) })),
    seconds: { speech: round(seconds.speech), music: round(seconds.music), silence: round(seconds.silence) },
  };
}

export type { HumanHints, Segment };
