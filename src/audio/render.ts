/**
 * Renders a phone-line timeline (speech, hold music of several kinds, DTMF, silence) into
 * 8 kHz mono audio with espeak-ng and sox. The sandbox uses it to produce call recordings;
 * the tests use it to make recordings with a known ground truth.
 */
import { spawn } from 'node:child_process';
import { decodeWav, resample, type Audio } from './wav.js';

export const RATE = 8000;

export type MusicStyle = 'tone' | 'chord' | 'melody' | 'pluck' | 'noise' | 'tremolo';

export type Part =
  | { kind: 'silence'; seconds: number }
  | { kind: 'speech'; text: string; voice?: string; wpm?: number; pitch?: number }
  | { kind: 'music'; style: MusicStyle; seconds: number }
  | { kind: 'dtmf'; digits: string };

export interface RenderedPart {
  part: Part;
  start: number;
  end: number;
}

export interface Rendered extends Audio {
  parts: RenderedPart[];
}

/** Runs a tool, feeding `input` on stdin, and returns its stdout. */
export function runTool(cmd: string, args: string[], input?: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(Buffer.concat(out)) : reject(new Error(`${cmd} exited with ${code}: ${err.trim().slice(0, 300)}`)),
    );
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? Buffer.alloc(0));
  });
}

const SOX_OUT = ['-r', String(RATE), '-c', '1', '-b', '16', '-e', 'signed-integer', '-t', 'wav', '-'];

async function speech(p: Extract<Part, { kind: 'speech' }>): Promise<Float32Array> {
  const args = ['--stdout', '-v', p.voice ?? 'en-us', '-s', String(p.wpm ?? 165)];
  if (p.pitch !== undefined) args.push('-p', String(p.pitch));
  const wav = await runTool('espeak-ng', [...args, p.text]);
  // sox band-limits to the telephone band and resamples properly (espeak writes 22 kHz).
  const tel = await runTool('sox', ['-t', 'wav', '-', ...SOX_OUT, 'sinc', '300-3400'], wav);
  return level(decodeWav(tel).samples, -20);
}

const MELODY = ['C4', 'E4', 'G4', 'C5', 'A4', 'F4', 'D4', 'G4'];

function musicArgs(style: MusicStyle, seconds: number): string[] {
  const s = seconds.toFixed(3);
  switch (style) {
    case 'tone':
      return ['synth', s, 'sine', '440'];
    case 'chord':
      return ['synth', s, 'sine', '261.63', 'sine', '329.63', 'sine', '392', 'remix', '-'];
    case 'tremolo':
      // Amplitude modulated at about the syllable rate: fools an energy-only detector.
      return ['synth', s, 'sine', '330', 'sine', '440', 'remix', '-', 'tremolo', '4', '70'];
    case 'noise':
      return ['synth', s, 'pinknoise', 'band', '-n', '900', '700', 'tremolo', '0.4', '40'];
    case 'melody':
    case 'pluck': {
      const note = style === 'pluck' ? 0.3 : 0.45;
      const n = Math.max(1, Math.round(seconds / note));
      const chain: string[] = [];
      for (let i = 0; i < n; i++) {
        if (i) chain.push(':');
        chain.push('synth', note.toFixed(3), style === 'pluck' ? 'pluck' : 'triangle', MELODY[i % MELODY.length]!);
        if (style === 'melody') chain.push('fade', '0.02', note.toFixed(3), '0.05');
      }
      return chain;
    }
  }
}

async function music(style: MusicStyle, seconds: number): Promise<Float32Array> {
  const out = await runTool('sox', ['-n', ...SOX_OUT, ...musicArgs(style, seconds)]);
  const samples = decodeWav(out).samples;
  return level(samples.subarray(0, Math.round(seconds * RATE)), -24);
}

const DTMF: Record<string, [number, number]> = {
  '1': [697, 1209], '2': [697, 1336], '3': [697, 1477], '4': [770, 1209], '5': [770, 1336], '6': [770, 1477],
  '7': [852, 1209], '8': [852, 1336], '9': [852, 1477], '*': [941, 1209], '0': [941, 1336], '#': [941, 1477],
};

/** DTMF as Twilio plays `<Play digits>`: `w` waits half a second, `W` a second. */
export function dtmf(digits: string): Float32Array {
  const chunks: number[] = [];
  for (const d of digits) {
    if (d === 'w' || d === 'W') {
      for (let i = 0; i < RATE * (d === 'w' ? 0.5 : 1); i++) chunks.push(0);
      continue;
    }
    const f = DTMF[d];
    if (!f) continue;
    for (let i = 0; i < RATE * 0.1; i++) chunks.push(0.2 * (Math.sin((2 * Math.PI * f[0] * i) / RATE) + Math.sin((2 * Math.PI * f[1] * i) / RATE)));
    for (let i = 0; i < RATE * 0.1; i++) chunks.push(0);
  }
  return Float32Array.from(chunks);
}

/** Scales to a target RMS in dBFS (only over the non-silent part). */
function level(x: Float32Array, dbfs: number): Float32Array {
  let sum = 0;
  let n = 0;
  for (const v of x) {
    if (Math.abs(v) <= 1e-3) continue;
    sum += v * v;
    n++;
  }
  if (!n) return x;
  const gain = 10 ** (dbfs / 20) / Math.sqrt(sum / n);
  return x.map((v) => Math.max(-1, Math.min(1, v * gain)));
}

export interface RenderOptions {
  /** Line noise under everything, in dBFS (telephone lines are never digitally silent). */
  noiseDb?: number;
  seed?: number;
}

export async function renderTimeline(parts: Part[], opts: RenderOptions = {}): Promise<Rendered> {
  const pieces = await Promise.all(
    parts.map((p) =>
      p.kind === 'silence'
        ? Promise.resolve(new Float32Array(Math.round(p.seconds * RATE)))
        : p.kind === 'speech'
          ? speech(p)
          : p.kind === 'music'
            ? music(p.style, p.seconds)
            : Promise.resolve(dtmf(p.digits)),
    ),
  );
  const total = pieces.reduce((n, x) => n + x.length, 0);
  const samples = new Float32Array(total);
  const placed: RenderedPart[] = [];
  let at = 0;
  pieces.forEach((x, i) => {
    samples.set(x, at);
    placed.push({ part: parts[i]!, start: at / RATE, end: (at + x.length) / RATE });
    at += x.length;
  });
  const noise = 10 ** ((opts.noiseDb ?? -60) / 20);
  let seed = opts.seed ?? 1;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff) * 2 - 1;
  for (let i = 0; i < samples.length; i++) samples[i] = samples[i]! + noise * rand();
  return { sampleRate: RATE, samples, parts: placed };
}

export { resample };
