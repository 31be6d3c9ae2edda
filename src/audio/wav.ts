/**
 * WAV in and out: 16-bit PCM, 8-bit μ-law (G.711, what telephone recordings often are) and
 * 8-bit PCM, any channel count (mixed down to mono). Pure TypeScript, no dependencies.
 */
export interface Audio {
  sampleRate: number;
  /** Mono samples in [-1, 1]. */
  samples: Float32Array;
}

const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;
const FORMAT_MULAW = 7;
const FORMAT_EXTENSIBLE = 0xfffe;

export class WavError extends Error {}

export function decodeWav(buf: Buffer): Audio {
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE')
    throw new WavError('not a RIFF/WAVE file');
  let off = 12;
  let format = 0;
  let channels = 0;
  let sampleRate = 0;
  let bits = 0;
  let data: Buffer | undefined;
  while (off + 8 <= buf.length) {
    const id = buf.toString('ascii', off, off + 4);
    // Streaming writers leave the size at 0 or 0xFFFFFFFF: take the rest of the file.
    let size = buf.readUInt32LE(off + 4);
    const body = off + 8;
    if (id === 'data' && (size === 0 || size === 0xffffffff || body + size > buf.length)) size = buf.length - body;
    if (id === 'fmt ') {
      format = buf.readUInt16LE(body);
      channels = buf.readUInt16LE(body + 2);
      sampleRate = buf.readUInt32LE(body + 4);
      bits = buf.readUInt16LE(body + 14);
      if (format === FORMAT_EXTENSIBLE && size >= 40) format = buf.readUInt16LE(body + 24);
    } else if (id === 'data') {
      data = buf.subarray(body, body + size);
    }
    off = body + size + (size % 2);
  }
  if (!data || !channels || !sampleRate) throw new WavError('WAV without fmt or data chunk');
  const bytes = bits / 8;
  const frames = Math.floor(data.length / (bytes * channels));
  const out = new Float32Array(frames);
  const read = sampleReader(format, bits, data);
  for (let i = 0; i < frames; i++) {
    let s = 0;
    for (let c = 0; c < channels; c++) s += read((i * channels + c) * bytes);
    out[i] = s / channels;
  }
  return { sampleRate, samples: out };
}

function sampleReader(format: number, bits: number, data: Buffer): (at: number) => number {
  if (format === FORMAT_MULAW && bits === 8) return (at) => muLawDecode(data[at]!) / 32768;
  if (format === FORMAT_PCM && bits === 16) return (at) => data.readInt16LE(at) / 32768;
  if (format === FORMAT_PCM && bits === 8) return (at) => (data[at]! - 128) / 128;
  if (format === FORMAT_PCM && bits === 24) return (at) => data.readIntLE(at, 3) / 8388608;
  if (format === FORMAT_PCM && bits === 32) return (at) => data.readInt32LE(at) / 2147483648;
  if (format === FORMAT_FLOAT && bits === 32) return (at) => data.readFloatLE(at);
  throw new WavError(`unsupported WAV encoding (format ${format}, ${bits} bits)`);
}

export function encodeWav(a: Audio, encoding: 'pcm16' | 'mulaw' = 'pcm16'): Buffer {
  const mulaw = encoding === 'mulaw';
  const bytes = mulaw ? 1 : 2;
  const n = a.samples.length;
  // μ-law WAVs carry an 18-byte fmt chunk (cbSize) and a fact chunk, as sox writes them.
  const fmtSize = mulaw ? 18 : 16;
  const factSize = mulaw ? 12 : 0;
  const header = 12 + 8 + fmtSize + factSize + 8;
  const buf = Buffer.alloc(header + n * bytes);
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(buf.length - 8, 4);
  buf.write('WAVE', 8, 'ascii');
  buf.write('fmt ', 12, 'ascii');
  buf.writeUInt32LE(fmtSize, 16);
  buf.writeUInt16LE(mulaw ? FORMAT_MULAW : FORMAT_PCM, 20);
  buf.writeUInt16LE(1, 22);
  buf.writeUInt32LE(a.sampleRate, 24);
  buf.writeUInt32LE(a.sampleRate * bytes, 28);
  buf.writeUInt16LE(bytes, 32);
  buf.writeUInt16LE(bytes * 8, 34);
  let off = 36;
  if (mulaw) {
    buf.writeUInt16LE(0, off);
    off += 2;
    buf.write('fact', off, 'ascii');
    buf.writeUInt32LE(4, off + 4);
    buf.writeUInt32LE(n, off + 8);
    off += 12;
  }
  buf.write('data', off, 'ascii');
  buf.writeUInt32LE(n * bytes, off + 4);
  off += 8;
  for (let i = 0; i < n; i++) {
    const v = Math.max(-1, Math.min(1, a.samples[i]!));
    const s = Math.round(v * 32767);
    if (mulaw) buf[off + i] = muLawEncode(s);
    else buf.writeInt16LE(s, off + i * 2);
  }
  return buf;
}

/** G.711 μ-law byte → 16-bit linear sample. */
export function muLawDecode(byte: number): number {
  const u = ~byte & 0xff;
  const sign = u & 0x80;
  const exponent = (u >> 4) & 0x07;
  const mantissa = u & 0x0f;
  const magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84;
  return sign ? -magnitude : magnitude;
}

/** 16-bit linear sample → G.711 μ-law byte. */
export function muLawEncode(sample: number): number {
  const BIAS = 0x84;
  const CLIP = 32635;
  let s = Math.max(-32768, Math.min(32767, Math.round(sample)));
  const sign = s < 0 ? 0x80 : 0;
  if (s < 0) s = -s;
  if (s > CLIP) s = CLIP;
  s += BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

/** Resamples to `rate` (linear interpolation after a box low-pass; enough for analysis). */
export function resample(a: Audio, rate: number): Audio {
  if (a.sampleRate === rate) return a;
  const ratio = a.sampleRate / rate;
  let src = a.samples;
  if (ratio > 1) {
    const w = Math.max(1, Math.round(ratio));
    const smoothed = new Float32Array(src.length);
    let acc = 0;
    for (let i = 0; i < src.length; i++) {
      acc += src[i]!;
      if (i >= w) acc -= src[i - w]!;
      smoothed[i] = acc / Math.min(i + 1, w);
    }
    src = smoothed;
  }
  const n = Math.floor(src.length / ratio);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const x = i * ratio;
    const j = Math.floor(x);
    const f = x - j;
    out[i] = (src[j] ?? 0) * (1 - f) + (src[j + 1] ?? src[j] ?? 0) * f;
  }
  return { sampleRate: rate, samples: out };
}
