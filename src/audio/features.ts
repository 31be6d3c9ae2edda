/**
 * Frame-level features of 8 kHz audio: energy, spectral flatness, spectral peaks and their
 * persistence. Plain voice-activity detection calls hold music speech; what separates them
 * is over time: speech's energy rises and falls with syllables (~4 Hz) and its harmonics
 * glide, while music holds steady partials for whole notes and noise stays spectrally flat.
 */
export const FRAME = 512; // 64 ms at 8 kHz: 15.6 Hz bins, fine enough to follow harmonics
export const HOP = 160; // 20 ms: the energy envelope is sampled at 50 Hz

export interface Frame {
  /** Energy in dBFS. */
  db: number;
  /** Spectral flatness in the 200–3400 Hz band (0 tonal … 1 white noise). */
  flatness: number;
  /** Bins of prominent spectral peaks (≥ 12 dB above the frame's median level). */
  peaks: number[];
}

function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j]!, re[i]!];
      [im[i], im[j]] = [im[j]!, im[i]!];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = (-2 * Math.PI) / len;
    const wr = Math.cos(ang);
    const wi = Math.sin(ang);
    for (let i = 0; i < n; i += len) {
      let cr = 1;
      let ci = 0;
      for (let k = 0; k < len / 2; k++) {
        const a = i + k;
        const b = a + len / 2;
        const tr = re[b]! * cr - im[b]! * ci;
        const ti = re[b]! * ci + im[b]! * cr;
        re[b] = re[a]! - tr;
        im[b] = im[a]! - ti;
        re[a] = re[a]! + tr;
        im[a] = im[a]! + ti;
        const nr = cr * wr - ci * wi;
        ci = cr * wi + ci * wr;
        cr = nr;
      }
    }
  }
}

const HANN = Float64Array.from({ length: FRAME }, (_v, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (FRAME - 1)));

export function frames(samples: Float32Array, rate: number): Frame[] {
  const lo = Math.ceil((200 * FRAME) / rate);
  const hi = Math.floor((3400 * FRAME) / rate);
  const out: Frame[] = [];
  const re = new Float64Array(FRAME);
  const im = new Float64Array(FRAME);
  const pow = new Float64Array(FRAME / 2);
  for (let start = 0; start + FRAME <= samples.length; start += HOP) {
    let e = 0;
    for (let i = 0; i < FRAME; i++) {
      const v = samples[start + i]!;
      e += v * v;
      re[i] = v * HANN[i]!;
      im[i] = 0;
    }
    fft(re, im);
    for (let k = 0; k < FRAME / 2; k++) pow[k] = re[k]! * re[k]! + im[k]! * im[k]! + 1e-12;
    let logSum = 0;
    let sum = 0;
    for (let k = lo; k <= hi; k++) {
      logSum += Math.log(pow[k]!);
      sum += pow[k]!;
    }
    const count = hi - lo + 1;
    const flatness = Math.exp(logSum / count) / (sum / count);
    const band = Array.from(pow.subarray(lo, hi + 1)).sort((a, b) => a - b);
    const floor = band[band.length >> 1]! * 10 ** 1.2;
    const peaks: number[] = [];
    for (let k = lo + 1; k < hi; k++)
      if (pow[k]! > floor && pow[k]! >= pow[k - 1]! && pow[k]! > pow[k + 1]!) peaks.push(k);
    out.push({ db: 10 * Math.log10(e / FRAME + 1e-12), flatness, peaks });
  }
  return out;
}

/** Seconds at the centre of frame i. */
export function frameTime(i: number, rate: number): number {
  return (i * HOP + FRAME / 2) / rate;
}
