/**
 * Call recordings and whole transcripts as files beside the HTML report, linked from the
 * evidence appendix, through `respond-audit report`. The recording is a WAV in the format
 * Twilio serves a `.wav` recording (8 kHz mono 16-bit PCM), saved where the phone collector
 * saves it (reports/artifacts/<token>/call.wav, evidence.recording relative to reports/).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeWav } from '../../src/audio/wav.js';
import { BASE_CONFIG, BASE_ENV, BASE_INQUIRY } from '../fixtures/base-config.js';
import { cli } from '../helpers/cli.js';
import { tempTree } from '../helpers/tmp.js';
import { DAY, HOUR, scenario } from './fixture.js';

const WAV = encodeWav({ sampleRate: 8000, samples: new Float32Array(8000).map((_, i) => 0.3 * Math.sin((2 * Math.PI * 440 * i) / 8000)) });

function project() {
  const root = tempTree({ 'configs/audit.yaml': BASE_CONFIG, 'probes/new-inquiry.yaml': BASE_INQUIRY });
  const reports = join(root, 'reports');
  const t0 = Math.floor(Date.now() / 60_000) * 60_000 - 10 * DAY;
  const { b, ids } = scenario(join(root, 'configs'), { file: 'respond-audit.db', t0, hostile: true });
  const call = b.store.getProbe(ids.D)!;
  mkdirSync(join(reports, 'artifacts', call.token), { recursive: true });
  writeFileSync(join(reports, 'artifacts', call.token, 'call.wav'), WAV);
  b.store.updateProbe(ids.D, { evidence: { recording: `artifacts/${call.token}/call.wav` } });
  // A voicemail left on a callback, transcribed by Twilio, its recording saved by collect.
  const web = b.store.getProbe(ids.A)!;
  const vmPath = `artifacts/${web.token}/voicemail-CA0123456789abcdef0123456789abcdef.wav`;
  mkdirSync(join(reports, 'artifacts', web.token), { recursive: true });
  writeFileSync(join(reports, vmPath), WAV);
  b.event(ids.A, 'callback', t0 + 21 * HOUR, {
    details: { voicemail: true, recording: vmPath, transcript: 'Hi Jordan, this is Maria <script>alert(1)</script> from North Clinic, call me back at 312-555-0142.' },
  });
  // A tampered store: a recording path that leaves the reports folder, and one that is not a WAV.
  const other = b.probe('north/ortho/phone', { at: t0 + 2 * HOUR, evidence: { recording: '../../configs/audit.yaml' } });
  b.call(other, t0 + 2 * HOUR, {});
  writeFileSync(join(reports, 'notawav.wav'), 'RIFF but not audio');
  const third = b.probe('north/ortho/phone', { at: t0 + 3 * HOUR, evidence: { recording: 'notawav.wav' } });
  b.call(third, t0 + 3 * HOUR, {});
  b.store.close();
  return { root, token: call.token, webToken: web.token };
}

const hrefs = (html: string) => [...html.matchAll(/<a href="([^"#][^"]*)">/g)].map((x) => x[1]!);

describe('recordings and transcripts beside the report', () => {
  it('an unredacted report copies the recording and writes each transcript, linked from the appendix', async () => {
    const { root, token, webToken } = project();
    const r = await cli(['report', '--format', 'html', '--out', 'reports/Q1 <Lakeside>.html', '--no-redact'], { cwd: root, env: BASE_ENV });
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(join(root, 'reports/Q1 <Lakeside>.html'), 'utf8');
    const folder = join(root, 'reports/q1-lakeside-files');
    const files = readdirSync(folder).sort();
    expect(files).toEqual([`north-${token}-call.wav`, `north-${token}-ivr.txt`, `north-${webToken}-voicemail-1.txt`, `north-${webToken}-voicemail-1.wav`].sort());
    expect(readFileSync(join(folder, `north-${token}-call.wav`)).equals(WAV)).toBe(true);
    expect(readFileSync(join(folder, `north-${webToken}-voicemail-1.wav`)).equals(WAV)).toBe(true);
    const ivr = readFileSync(join(folder, `north-${token}-ivr.txt`), 'utf8');
    expect(ivr).toMatch(/^Transcript: what the phone menu said on our test call\nTest inquiry tok\d+x · North Clinic · phone line · \+13125550100\nWhen: \d{4}-\d\d-\d\d \d\d:\d\d /);
    expect(ivr).toContain('Thanks for calling <b onmouseover=alert(1)>North</b>. Press 1.');
    const vm = readFileSync(join(folder, files.find((f) => f.includes('voicemail'))!), 'utf8');
    expect(vm).toContain('call me back at 312-555-0142');
    // Every link to a file leads to one of them, relative to the report; none to the tampered paths.
    const links = hrefs(html).filter((h) => h.includes('-files/'));
    expect(links.sort()).toEqual(files.map((f) => `q1-lakeside-files/${f}`).sort());
    expect(html).toContain(`<a href="q1-lakeside-files/north-${token}-call.wav">call recording (WAV)</a>`);
    expect(html).toContain('phone menu transcript</a>');
    expect(html).toContain('voicemail transcript</a>');
    expect(html).toContain('voicemail recording (WAV)</a>');
    expect(html).not.toContain('audit.yaml');
    expect(html).not.toContain('notawav');
    expect(html).not.toContain('<script>alert(1)</script>');
  });

  it('a redacted report (the default) attaches no recording and redacts the transcripts, even over an earlier unredacted one', async () => {
    const { root, token } = project();
    expect((await cli(['report', '--format', 'html', '--out', 'reports/audit.html', '--no-redact'], { cwd: root, env: BASE_ENV })).code).toBe(0);
    expect(existsSync(join(root, `reports/audit-files/north-${token}-call.wav`))).toBe(true);
    const r = await cli(['report', '--format', 'html', '--out', 'reports/audit.html'], { cwd: root, env: BASE_ENV });
    expect(r.code, r.stderr).toBe(0);
    const files = readdirSync(join(root, 'reports/audit-files'));
    expect(files.filter((f) => f.endsWith('.wav'))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.txt'))).toHaveLength(2);
    const vm = readFileSync(join(root, 'reports/audit-files', files.find((f) => f.includes('voicemail'))!), 'utf8');
    expect(vm).not.toContain('312-555-0142');
    const html = readFileSync(join(root, 'reports/audit.html'), 'utf8');
    expect(html).not.toContain('call.wav');
    expect(html).toContain('a redacted report does not attach it');
    for (const h of hrefs(html).filter((x) => x.includes('-files/'))) expect(existsSync(join(root, 'reports', h)), h).toBe(true);
  });
});
