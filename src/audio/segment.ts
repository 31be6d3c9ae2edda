/**
 * Windows of frames → speech / music / silence, then merged into segments over time.
 */
import { frames, frameTime, HOP, type Frame } from './features.js';
import { resample, type Audio } from './wav.js';

export type SegmentKind = 'speech' | 'music' | 'silence';

export interface Segment {
  kind: SegmentKind;
  start: number;
  end: number;
}

export interface WindowFeatures {
  time: number;
  /** Fraction of frames above the silence threshold. */
  active: number;
  /** Of the active frames' peaks, the fraction found again (±1 bin) 3 frames (60 ms) later. */
  persistence: number;
  /** Mean flatness of the active frames. */
  flatness: number;
  /** Standard deviation of the active frames' flatness. */
  flatnessSpread: number;
  /** Share of the energy envelope's modulation in 2–8 Hz (syllable rate). */
  syllabic: number;
  /** Frames dipping ≥ 15 dB below the window's loud level, as a fraction. */
  dips: number;
}

export const WINDOW_FRAMES = 50; // 1 s
const STEP_FRAMES = 10; // 0.2 s

export function silenceThreshold(fs: Frame[]): number {
  const dbs = fs.map((f) => f.db).sort((a, b) => a - b);
  const loud = dbs[Math.floor(dbs.length * 0.95)] ?? -100;
  const quiet = dbs[Math.floor(dbs.length * 0.1)] ?? -100;
  // Above the line's noise floor, below its loud parts (a recording may be all music), and
  // never below -55 dBFS.
  return Math.max(-55, Math.min(quiet + 12, loud - 12));
}

export function windowFeatures(fs: Frame[], from: number, to: number, threshold: number): WindowFeatures {
  const w = fs.slice(from, to);
  const active = w.filter((f) => f.db > threshold);
  let found = 0;
  let total = 0;
  for (let i = from; i + 3 < to; i++) {
    const a = fs[i]!;
    const b = fs[i + 3]!;
    if (a.db <= threshold || b.db <= threshold) continue;
    for (const p of a.peaks) {
      total++;
      if (b.peaks.some((q) => Math.abs(q - p) <= 1)) found++;
    }
  }
  const flat = active.map((f) => f.flatness);
  const mean = flat.reduce((s, v) => s + v, 0) / (flat.length || 1);
  const spread = Math.sqrt(flat.reduce((s, v) => s + (v - mean) ** 2, 0) / (flat.length || 1));
  const env = w.map((f) => Math.max(f.db, threshold));
  const loud = [...env].sort((a, b) => a - b)[Math.floor(env.length * 0.9)] ?? threshold;
  const dips = env.filter((d) => d < loud - 15).length / (env.length || 1);
  return {
    time: (frameTime(from, 8000) + frameTime(to - 1, 8000)) / 2,
    active: active.length / (w.length || 1),
    persistence: total ? found / total : 0,
    flatness: mean,
    flatnessSpread: spread,
    syllabic: modulationShare(env),
    dips,
  };
}

/** Share of the envelope's variance (DFT power) between 2 and 8 Hz; the envelope is at 50 Hz. */
function modulationShare(env: number[]): number {
  const n = env.length;
  const mean = env.reduce((s, v) => s + v, 0) / (n || 1);
  let inBand = 0;
  let all = 0;
  const rate = 8000 / HOP;
  for (let k = 1; k < n / 2; k++) {
    let re = 0;
    let im = 0;
    for (let t = 0; t < n; t++) {
      const a = (2 * Math.PI * k * t) / n;
      re += (env[t]! - mean) * Math.cos(a);
      im -= (env[t]! - mean) * Math.sin(a);
    }
    const p = re * re + im * im;
    const hz = (k * rate) / n;
    all += p;
    if (hz >= 2 && hz <= 8) inBand += p;
  }
  return all ? inBand / all : 0;
}

export function classifyWindow(f: WindowFeatures): SegmentKind {
  if (f.active < 0.3) return 'silence';
  // Music holds its partials for whole notes; speech's harmonics glide (≤ 0.5 measured).
  if (f.persistence >= 0.6) return 'music';
  // Noise-like music is spectrally steady and never pauses; speech alternates voiced and
  // unvoiced sounds and dips between syllables.
  if (f.flatnessSpread < 0.025 && f.dips < 0.05) return 'music';
  return 'speech';
}

export interface Analysis {
  segments: Segment[];
  windows: Array<WindowFeatures & { kind: SegmentKind }>;
  duration: number;
}

const STEP_SECONDS = (STEP_FRAMES * HOP) / 8000;

export function analyseAudio(input: Audio): Analysis {
  const a = resample(input, 8000);
  const duration = a.samples.length / 8000;
  const fs = frames(a.samples, 8000);
  const threshold = silenceThreshold(fs);
  const windows: Analysis['windows'] = [];
  for (let from = 0; from + WINDOW_FRAMES <= fs.length; from += STEP_FRAMES) {
    const wf = windowFeatures(fs, from, from + WINDOW_FRAMES, threshold);
    windows.push({ ...wf, kind: classifyWindow(wf) });
  }
  const kinds = medianKinds(windows.map((w) => w.kind), 2);
  const segments: Segment[] = [];
  kinds.forEach((kind, i) => {
    const start = i === 0 ? 0 : windows[i]!.time - STEP_SECONDS / 2;
    const end = i === kinds.length - 1 ? duration : windows[i]!.time + STEP_SECONDS / 2;
    const last = segments[segments.length - 1];
    if (last && last.kind === kind) last.end = end;
    else segments.push({ kind, start, end });
  });
  return { segments: absorbShort(segments), windows, duration };
}

/** A majority vote over ±r windows, so one odd window does not split a segment. */
function medianKinds(kinds: SegmentKind[], r: number): SegmentKind[] {
  return kinds.map((k, i) => {
    const votes = new Map<SegmentKind, number>();
    for (let j = Math.max(0, i - r); j <= Math.min(kinds.length - 1, i + r); j++) votes.set(kinds[j]!, (votes.get(kinds[j]!) ?? 0) + 1);
    let best = k;
    for (const [kind, n] of votes) if (n > (votes.get(best) ?? 0)) best = kind;
    return best;
  });
}

/** Segments shorter than 0.5 s join their longer neighbour. */
function absorbShort(segs: Segment[]): Segment[] {
  const out: Segment[] = [];
  for (const s of segs) {
    const last = out[out.length - 1];
    if (last && (s.end - s.start < 0.5 || last.kind === s.kind)) last.end = s.end;
    else out.push({ ...s });
  }
  return out;
}
