#!/usr/bin/env node
/**
 * npm run eval:phone — how well Debian's pocketsphinx (0.8, keyword spotting) finds the
 * campaign phrase in telephone audio: synthetic IVR prompts in several espeak-ng voices and
 * speeds, band-limited to 300–3400 Hz at 8 kHz (src/audio/render.js) with line noise, half of
 * them saying the phrase. Each is spotted natively at 8 kHz and upsampled to 16 kHz, at a few
 * thresholds. Prints hit rate (prompts that say it) and false alarms (prompts that do not).
 * Runs one recogniser at a time (the machine is shared).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderTimeline } from '../dist/audio/render.js';
import { encodeWav } from '../dist/audio/wav.js';

const PHRASE = 'knee check';
const WITH = [
  'Thank you for calling North Clinic. Ask us about the Spring Knee Check. For appointments, press one.',
  'Welcome to Riverside Orthopedics. Our Spring Knee Check free screening is open now. Press one to book.',
];
const WITHOUT = [
  'Thank you for calling North Clinic. For appointments, press one.',
  'Welcome to Lakeside Hospital. For billing, press one. For appointments, press two.',
];
const VOICES = ['en-us', 'en-us+f3', 'en-us+m7'];
const SPEEDS = [150, 185];
const NOISE = [-60, -35];
const THRESHOLDS = ['1e-30', '1e-20', '1e-10'];

const dir = mkdtempSync(join(tmpdir(), 'eval-phone-'));
const have = spawnSync('pocketsphinx_continuous', ['-h'], { encoding: 'utf8' });
if (have.error) {
  console.error('pocketsphinx_continuous is not installed (apt-get install pocketsphinx pocketsphinx-en-us)');
  process.exit(3);
}

function spot(file, rate, threshold) {
  const args = ['-infile', file, '-keyphrase', PHRASE, '-kws_threshold', threshold, '-logfn', '/dev/null'];
  if (rate === 8000) args.push('-samprate', '8000', '-nfft', '256');
  const r = spawnSync('pocketsphinx_continuous', args, { encoding: 'utf8' });
  return r.stdout.toLowerCase().includes(PHRASE);
}

const cases = [];
let n = 0;
for (const voice of VOICES)
  for (const wpm of SPEEDS)
    for (const noiseDb of NOISE)
      for (const [says, texts] of [[true, WITH], [false, WITHOUT]])
        for (const text of texts) {
          const a = await renderTimeline([{ kind: 'silence', seconds: 0.5 }, { kind: 'speech', text, voice, wpm }, { kind: 'silence', seconds: 0.5 }], { noiseDb, seed: ++n });
          const f8 = join(dir, `p${n}-8k.wav`);
          const f16 = join(dir, `p${n}-16k.wav`);
          writeFileSync(f8, encodeWav({ sampleRate: a.sampleRate, samples: a.samples }));
          spawnSync('sox', [f8, '-r', '16000', f16]);
          cases.push({ says, voice, wpm, noiseDb, f8, f16 });
        }

const rows = [];
for (const mode of ['8 kHz native', '16 kHz upsampled'])
  for (const threshold of THRESHOLDS) {
    let hits = 0, said = 0, alarms = 0, silent = 0;
    for (const c of cases) {
      const found = mode.startsWith('8') ? spot(c.f8, 8000, threshold) : spot(c.f16, 16000, threshold);
      if (c.says) {
        said++;
        if (found) hits++;
      } else {
        silent++;
        if (found) alarms++;
      }
    }
    rows.push({ mode, threshold, hitRate: `${hits}/${said} (${Math.round((100 * hits) / said)}%)`, falseAlarms: `${alarms}/${silent} (${Math.round((100 * alarms) / silent)}%)` });
  }
console.log(`"${PHRASE}" in ${cases.length} synthetic 8 kHz prompts (voices ${VOICES.join(', ')}; ${SPEEDS.join('/')} wpm; noise ${NOISE.join('/')} dBFS)`);
console.table(rows);
rmSync(dir, { recursive: true, force: true });
