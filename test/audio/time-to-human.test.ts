/**
 * Time-to-human on recordings made here with espeak-ng and sox, with a known ground truth:
 * an IVR prompt, our DTMF, hold music of several kinds (plain VAD calls all of them speech),
 * a "please hold" announcement, then a person. 8 kHz PCM and μ-law. Within ±2 s.
 */
import { describe, expect, it } from 'vitest';
import { analyseRecording } from '../../src/audio/analyse.js';
import { renderTimeline, type MusicStyle, type Part } from '../../src/audio/render.js';
import { decodeWav, encodeWav, muLawDecode, muLawEncode } from '../../src/audio/wav.js';

const IVR = 'Thank you for calling North Clinic. For appointments, press one. For billing, press two.';
const PERSON = 'Hi, this is Dana at North Clinic, how can I help you?';
const HOLD_ANNOUNCEMENT = 'Your call is important to us. Please continue to hold.';

function holdCall(style: MusicStyle, announce: boolean, person = true): Part[] {
  return [
    { kind: 'speech', text: IVR },
    { kind: 'dtmf', digits: 'w1' },
    { kind: 'silence', seconds: 0.8 },
    { kind: 'music', style, seconds: 10 },
    ...(announce ? ([{ kind: 'speech', text: HOLD_ANNOUNCEMENT }, { kind: 'music', style, seconds: 6 }] as Part[]) : []),
    ...(person
      ? ([
          { kind: 'silence', seconds: 0.5 },
          { kind: 'speech', text: PERSON, voice: 'en-us+f3' },
          { kind: 'silence', seconds: 3 },
          { kind: 'speech', text: 'Hello? Is anyone there?', voice: 'en-us+f3' },
        ] as Part[])
      : []),
  ];
}

const CASES: Array<{ style: MusicStyle; encoding: 'pcm16' | 'mulaw'; announce: boolean }> = [
  { style: 'tone', encoding: 'pcm16', announce: false },
  { style: 'chord', encoding: 'mulaw', announce: true },
  { style: 'melody', encoding: 'pcm16', announce: true },
  { style: 'pluck', encoding: 'mulaw', announce: false },
  { style: 'noise', encoding: 'mulaw', announce: true },
  { style: 'noise', encoding: 'pcm16', announce: false },
  { style: 'tremolo', encoding: 'pcm16', announce: true },
];

describe('time to human', () => {
  it.each(CASES)('finds the person after $style hold music ($encoding, announcement: $announce)', async ({ style, encoding, announce }) => {
    const r = await renderTimeline(holdCall(style, announce), { noiseDb: encoding === 'mulaw' ? -45 : -60 });
    const truth = r.parts.find((p) => p.part.kind === 'speech' && p.part.text === PERSON)!.start;
    const firstHold = r.parts.find((p) => p.part.kind === 'music')!.start;
    const a = analyseRecording(encodeWav(r, encoding), { ivr: true, digitsDoneAt: 6 });
    expect(a.humanAt).not.toBeNull();
    expect(Math.abs(a.humanAt! - truth)).toBeLessThanOrEqual(2);
    expect(Math.abs(a.holdSeconds! - (truth - firstHold))).toBeLessThanOrEqual(2);
    expect(a.seconds.music).toBeGreaterThan(announce ? 12 : 8);
  });

  it('finds nobody when the hold music plays until the caller hangs up', async () => {
    const r = await renderTimeline(holdCall('melody', true, false));
    const a = analyseRecording(encodeWav(r, 'mulaw'), { ivr: true, digitsDoneAt: 6 });
    expect(a.humanAt).toBeNull();
    expect(a.holdSeconds).toBeGreaterThan(14);
  });

  it('a person answering at once is a person from the first word', async () => {
    const r = await renderTimeline([{ kind: 'silence', seconds: 1 }, { kind: 'speech', text: PERSON, voice: 'en-us+f3' }, { kind: 'silence', seconds: 3 }]);
    const a = analyseRecording(encodeWav(r), { ivr: false });
    expect(Math.abs(a.humanAt! - 1)).toBeLessThanOrEqual(2);
    expect(a.holdSeconds).toBeNull();
  });

  it('a menu without hold music: the person speaks after the pause that follows the digits', async () => {
    const r = await renderTimeline([
      { kind: 'speech', text: IVR },
      { kind: 'dtmf', digits: 'w1' },
      { kind: 'silence', seconds: 4 },
      { kind: 'speech', text: PERSON, voice: 'en-us+f3' },
      { kind: 'silence', seconds: 2 },
    ]);
    const truth = r.parts[3]!.start;
    const a = analyseRecording(encodeWav(r, 'mulaw'), { ivr: true, digitsDoneAt: r.parts[1]!.end });
    expect(Math.abs(a.humanAt! - truth)).toBeLessThanOrEqual(2);
  });

  it('only the menu speaking is not a person', async () => {
    const r = await renderTimeline([{ kind: 'speech', text: IVR }, { kind: 'dtmf', digits: 'w1' }, { kind: 'silence', seconds: 5 }]);
    expect(analyseRecording(encodeWav(r), { ivr: true, digitsDoneAt: r.parts[1]!.end }).humanAt).toBeNull();
  });
});

describe('WAV', () => {
  it('round-trips μ-law within its quantisation', () => {
    for (const s of [-32000, -1000, -10, 0, 10, 1000, 32000]) expect(Math.abs(muLawDecode(muLawEncode(s)) - s)).toBeLessThanOrEqual(Math.max(8, Math.abs(s) * 0.04));
  });

  it('reads what it writes, PCM and μ-law, and what sox writes', async () => {
    const r = await renderTimeline([{ kind: 'music', style: 'tone', seconds: 1 }]);
    for (const enc of ['pcm16', 'mulaw'] as const) {
      const back = decodeWav(encodeWav(r, enc));
      expect(back.sampleRate).toBe(8000);
      expect(back.samples.length).toBe(r.samples.length);
    }
    expect(() => decodeWav(Buffer.from('not a wav at all'))).toThrow(/RIFF/);
  });
});
