/**
 * Calls that ask and listen, through the real twilio SDK against the sandbox: the shopper
 * speaks the inquiry when a person answers (a TwiML Bin drives the <Gather>s), the person's
 * scripted answer comes back as Twilio's SpeechResult in the Call Events, and is classified.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { formatIssue } from '../../src/errors.js';
import type { CallDetails } from '../../src/twilio/call-result.js';
import { tempTree } from '../helpers/tmp.js';
import { BIN, bench, CALL_TEXT, callEvent, configYaml, NORTH_LINE, SOUTH_LINE, type Bench } from './harness.js';

const PROMPT = 'Thank you for calling North Clinic. Ask us about the Spring Knee Check. For appointments, press one.';
const SPEAKS = `  twimlBin: ${BIN}\n`;
const MINUTES_20 = 20 * 60_000;

let b: Bench | undefined;
afterEach(async () => {
  await b?.close();
  b = undefined;
});

/** The call's event once Twilio's Call Events are readable (15 minutes after the call). */
async function settledLater(bench: Bench, probeId: number): Promise<{ d: CallDetails; reasons: string[]; campaignAware: boolean; passAlong: boolean }> {
  bench.clock.advance(MINUTES_20);
  await bench.collect();
  const events = bench.store.eventsForProbe(probeId).filter((e) => e.kind === 'call');
  expect(events).toHaveLength(1);
  const e = events[0]!;
  return { d: e.details as unknown as CallDetails, reasons: e.reasons, campaignAware: e.campaignAware, passAlong: e.passAlong };
}

describe('a call that speaks', () => {
  it('holds through an announcement, asks the campaign-aware person who answers, and hears them own it', async () => {
    b = await bench({
      phone: SPEAKS,
      scenario: {
        lines: {
          [NORTH_LINE]: {
            ringSeconds: 5, ivr: { prompt: PROMPT, digits: '1' }, holdSeconds: 24, holdMusic: 'chord',
            holdAnnouncement: 'Your call is important to us. Please continue to hold.', announceEvery: 12, agent: { kind: 'campaign-aware' },
          },
        },
      },
    });
    const { result, probe } = await b.submit('north/ortho/phone');
    expect(result.outcome).toBe('answered');
    expect(b.sandbox.counts.callsPlaced).toBe(1);
    const [placed] = b.sandbox.placedCalls();
    expect(placed!.twiml).toContain('<Play digits="ww1"/><Gather input="speech"');
    expect(placed!.twiml).toContain(`action="${BIN}?Step=hello&amp;`);
    // "Hello?" to the announcement (no reply: hold on), "Hello?" to the person (a reply), then
    // the inquiry, then the closing with the probe's own pool number.
    expect(placed!.said).toHaveLength(4);
    expect(placed!.said.slice(0, 3)).toEqual(['Hello?', 'Hello?', CALL_TEXT]);
    expect(placed!.said[3]).toMatch(/call me back at 3 1 2, 5 5 5, 0 1 0 1\?/);
    expect(placed!.hungUpBy).toBe('caller');
    // Right after the call Twilio has no events yet: the answer is read on a later collect.
    const first = callEvent(b.store, probe.id)!.details as unknown as CallDetails;
    expect(first.speech).toEqual({ mode: 'speaks' });
    expect(first.answerPending).toBe(true);
    expect(first.answer).toBeNull();

    const { d, reasons, campaignAware, passAlong } = await settledLater(b, probe.id);
    expect(d.answerPending).toBe(false);
    expect(d.answer!.greeting).toMatch(/this is Sam speaking.*Yes, hello/);
    expect(d.answer!.words).toMatch(/the Spring Knee Check is running this month\. I can book you in on Tuesday/);
    expect(d.answer).toMatchObject({ asked: true, campaignAware: true, owned: true, passAlong: false, source: 'twilio-speech' });
    expect(campaignAware).toBe(true);
    expect(passAlong).toBe(false);
    expect(reasons.join(' ')).toMatch(/the person who answered knew the campaign/);
    // The recording holds both sides: menu, hold, greeting, the inquiry, the answer, the closing.
    expect(d.recorded).toBe(true);
    const speech = (d as unknown as { audio: { seconds: { speech: number } } }).audio.seconds.speech;
    expect(speech).toBeGreaterThan(20);
    expect(d.secondsToHuman as number).toBeGreaterThan(5 + 24);
  });

  it('a pass-along sends the caller to another line: not owned, the number is heard', async () => {
    b = await bench({ phone: SPEAKS, scenario: { lines: { [SOUTH_LINE]: { ringSeconds: 4, agent: { kind: 'pass-along', number: '+13125550199' } } } } });
    const { probe } = await b.submit('south/ortho/phone');
    const { d, passAlong } = await settledLater(b, probe.id);
    expect(d.answer!.words).toMatch(/call our scheduling line at 312-555-0199/);
    expect(d.answer).toMatchObject({ passAlong: true, owned: false, campaignAware: false });
    expect(passAlong).toBe(true);
  });

  it('an uninformed person does not know the campaign and does not own the request', async () => {
    b = await bench({ phone: SPEAKS, scenario: { lines: { [SOUTH_LINE]: { ringSeconds: 4, agent: { kind: 'uninformed' } } } } });
    const { probe } = await b.submit('south/ortho/phone');
    const { d, reasons, campaignAware } = await settledLater(b, probe.id);
    expect(d.answer).toMatchObject({ asked: true, campaignAware: false, owned: false, passAlong: false });
    expect(campaignAware).toBe(false);
    expect(reasons.join(' ')).toMatch(/did not mention "Spring Knee Check"/);
  });

  it('speaks a disclosure first when phone.announce is set', async () => {
    b = await bench({ phone: `${SPEAKS}  announce: "This call is part of a service-quality review."\n`, scenario: { lines: { [SOUTH_LINE]: { ringSeconds: 3 } } } });
    await b.submit('south/ortho/phone');
    expect(b.sandbox.placedCalls()[0]!.said[1]).toBe(`This call is part of a service-quality review. ${CALL_TEXT}`);
  });

  it('announcements are not a person: it holds on until the caller gives up, never asks', async () => {
    b = await bench({
      phone: SPEAKS,
      scenario: { lines: { [NORTH_LINE]: { ivr: { prompt: PROMPT, digits: '1' }, holdSeconds: 300, holdAnnouncement: 'Your call is important to us. Please continue to hold.', announceEvery: 25 } } },
    });
    const { result, probe } = await b.submit('north/ortho/phone');
    expect(result.outcome).toBe('gave-up');
    const [placed] = b.sandbox.placedCalls();
    expect(placed!.hungUpBy).toBe('caller-time-limit');
    expect(placed!.said.length).toBeGreaterThanOrEqual(2);
    expect(new Set(placed!.said)).toEqual(new Set(['Hello?']));
    const { d } = await settledLater(b, probe.id);
    expect(d.gaveUp).toBe(true);
    expect(d.answer).toMatchObject({ asked: false, campaignAware: false, owned: false });
    expect(d.answer!.reasons.join(' ')).toMatch(/only recorded announcements spoke/);
  });

  it('leaves the inquiry and the call-back number on voicemail when phone.voicemail is leave', async () => {
    b = await bench({ phone: `${SPEAKS}  voicemail: leave\n`, scenario: { lines: { [SOUTH_LINE]: { answer: 'voicemail', pollsUntilFinal: 3 } } } });
    const { result, probe } = await b.submit('south/ortho/phone');
    expect(result.outcome).toBe('voicemail');
    const [placed] = b.sandbox.placedCalls();
    expect(placed!.machineDetection).toBe('DetectMessageEnd');
    expect(placed!.hungUpBy).toBe('caller');
    expect(placed!.said[0]).toContain(CALL_TEXT);
    expect(placed!.said[0]).toMatch(/Please call me back at 3 1 2, 5 5 5, 0 1 0 1/);
    const d = callEvent(b.store, probe.id)!.details as unknown as CallDetails;
    expect(d.speech).toEqual({ mode: 'speaks', voicemailLeft: true });
    expect(b.sandbox.counts.callsPlaced).toBe(1);
  });

  it('hangs up on voicemail by default (phone.voicemail: hang-up)', async () => {
    b = await bench({ phone: SPEAKS, scenario: { lines: { [SOUTH_LINE]: { answer: 'voicemail', pollsUntilFinal: 3 } } } });
    await b.submit('south/ortho/phone');
    const [placed] = b.sandbox.placedCalls();
    expect(placed!.machineDetection).toBe('Enable');
    expect(placed!.hungUpBy).toBe('api');
    expect(placed!.said).toEqual([]);
  });
});

describe('a call that cannot speak', () => {
  it('without phone.twimlBin it listens as before, and says so', async () => {
    b = await bench({ scenario: { lines: { [SOUTH_LINE]: { ringSeconds: 4, agent: { kind: 'campaign-aware' } } } } });
    const { result, probe } = await b.submit('south/ortho/phone');
    expect(result.outcome).toBe('answered');
    const [placed] = b.sandbox.placedCalls();
    expect(placed!.twiml).not.toContain('<Gather');
    expect(placed!.said).toEqual([]);
    expect(b.sandbox.counts.callsPlaced).toBe(1);
    const e = callEvent(b.store, probe.id)!;
    const d = e.details as unknown as CallDetails;
    expect(d.speech).toMatchObject({ mode: 'listens' });
    expect(d.unmeasured.join(' ')).toMatch(/did not speak: phone\.twimlBin is not set/);
    expect(e.reasons.join(' ')).toMatch(/did not speak/);
    expect(d.answer).toBeNull();
  });
});

describe('phone: config', () => {
  it.each([
    ['voice', '  voice: Robot\n', /audit\.yaml:\d+:\d+ phone\.voice: "Robot" is not a <Say> voice/],
    ['twimlBin', '  twimlBin: http://example.org/bin?x=1\n', /audit\.yaml:\d+:\d+ phone\.twimlBin: must be an https URL/],
    ['listen', '  listen: 5m\n', /audit\.yaml:\d+:\d+ phone\.listen: must be between 1s and 60s/],
  ])('a bad %s is an error with file, line and field', (_k, yaml, message) => {
    const dir = tempTree({ 'configs/audit.yaml': configYaml('http://127.0.0.1:9', { phone: yaml }), 'probes/new-inquiry.yaml': 'subject: "Q"\nvariants: ["Hello"]\n' });
    const r = loadConfig(join(dir, 'configs/audit.yaml'), { cwd: dir, env: { TW_SID: 'AC1', TW_TOKEN: 't' } });
    const text = (r.ok ? [] : r.issues).map((i) => formatIssue(i)).join('\n');
    expect(text).toMatch(message);
  });
});
