/** Callbacks, voicemails and texts to the shopper numbers, read by the Twilio collector. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bench, NORTH_MAIN, NORTH_TEXT, SHOPPER, T0, type Bench } from './harness.js';

const H = 3_600_000;
let b: Bench | undefined;
afterEach(async () => {
  await b?.close();
  b = undefined;
});

describe('twilio collector', () => {
  it('a callback from the site to the number its probe was given is exact, timed by Twilio', async () => {
    b = await bench();
    const p = b.pastProbe('north/ortho/phone', SHOPPER[0]!, T0);
    b.pastProbe('south/ortho/phone', SHOPPER[1]!, T0);
    const at = T0 + 2 * H;
    b.sandbox.scheduleCall({ from: NORTH_MAIN, to: SHOPPER[0]!, at, seconds: 95 });
    b.clock.set(T0 + H);
    expect((await b.collect()).added).toBe(0); // not happened yet in simulated time
    b.clock.set(T0 + 5 * H);
    const s = await b.collect();
    expect(s).toMatchObject({ added: 1, attributed: 1 });
    const [e] = b.store.eventsForProbe(p.id);
    expect(e).toMatchObject({ kind: 'callback', attribution: 'exact', occurredAt: at });
    expect(e!.details).toMatchObject({ voicemail: false, durationSeconds: 95, from: NORTH_MAIN });
    // Collecting again adds nothing.
    expect((await b.collect()).added).toBe(0);
    expect(b.store.listEvents({ kind: 'callback' })).toHaveLength(1);
  });

  it('two open probes of a site on the same number: ambiguous, candidates listed, not guessed', async () => {
    b = await bench();
    const a = b.pastProbe('north/ortho/phone', SHOPPER[0]!, T0);
    const c = b.pastProbe('north/ortho/sms', SHOPPER[0]!, T0 + 60_000);
    b.sandbox.scheduleCall({ from: NORTH_MAIN, to: SHOPPER[0]!, at: T0 + H });
    b.clock.set(T0 + 2 * H);
    const s = await b.collect();
    expect(s).toMatchObject({ added: 1, attributed: 0, unattributed: 1 });
    const [e] = b.store.listEvents({ kind: 'callback' });
    expect(e).toMatchObject({ probeId: null, attribution: 'ambiguous' });
    expect((e!.details as { candidates: number[] }).candidates.sort()).toEqual([a.id, c.id].sort());
  });

  it('a caller nobody knows on a number no open probe used is unattributed', async () => {
    b = await bench();
    b.pastProbe('north/ortho/phone', SHOPPER[0]!, T0);
    b.sandbox.scheduleCall({ from: '+14155550123', to: SHOPPER[1]!, at: T0 + H });
    b.clock.set(T0 + 2 * H);
    await b.collect();
    expect(b.store.listEvents({ kind: 'unattributed' })).toHaveLength(1);
  });

  it('a voicemail left on the shopper number is a callback with voicemail and its words classified', async () => {
    b = await bench();
    const p = b.pastProbe('north/ortho/phone', SHOPPER[0]!, T0);
    b.sandbox.scheduleCall({ from: NORTH_MAIN, to: SHOPPER[0]!, at: T0 + 3 * H, seconds: 30, voicemail: 'Hi Jordan, this is North Clinic returning your call. Please call our scheduling line at 312 555 0177 to book.' });
    b.clock.set(T0 + 4 * H);
    await b.collect();
    const [e] = b.store.eventsForProbe(p.id);
    expect(e).toMatchObject({ kind: 'callback', attribution: 'exact', passAlong: true });
    expect(e!.details).toMatchObject({ voicemail: true, transcriptPending: false });
    expect((e!.details as { transcript: string }).transcript).toMatch(/scheduling line/);
    // The recording is kept beside the others as evidence (the report attaches it).
    const rec = (e!.details as { recording?: string }).recording!;
    expect(rec).toMatch(new RegExp(`^artifacts/${p.token}/voicemail-CA[0-9a-f]{32}\\.wav$`));
    expect(readFileSync(join(b.loaded.reportsDir, rec)).subarray(0, 4).toString('latin1')).toBe('RIFF');
  });

  it('texts out and replies in: an sms probe, the reply attributed, campaign-aware, a later one a follow-up', async () => {
    b = await bench({ scenario: { lines: { [NORTH_TEXT]: { textReply: { after: 30 * 60_000, body: 'Hi Jordan! Yes, we have openings Tuesday, and ask about our Spring Knee Check.' } } } } });
    const { result, probe } = await b.submit('north/ortho/sms', SHOPPER[1]!);
    expect(result).toMatchObject({ status: 'submitted' });
    expect(b.sandbox.sentMessages()).toHaveLength(1);
    expect(b.sandbox.sentMessages()[0]).toMatchObject({ to: NORTH_TEXT, from: SHOPPER[1], body: 'Hi, do you have appointments for Orthopedics next week? Jordan' });
    b.sandbox.scheduleText({ from: NORTH_TEXT, to: SHOPPER[1]!, at: T0 + 3 * 24 * H, body: 'Just checking in: did you get an appointment?' });
    b.clock.set(T0 + H);
    await b.collect();
    let events = b.store.eventsForProbe(probe.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'sms-reply', attribution: 'exact', occurredAt: T0 + 30 * 60_000, campaignAware: true, followUp: false });
    b.clock.set(T0 + 4 * 24 * H);
    await b.collect();
    events = b.store.eventsForProbe(probe.id);
    expect(events.map((e) => [e.kind, e.followUp])).toEqual([['sms-reply', false], ['sms-reply', true]]);
  });

  it('a STOP text is a stop request and suppresses the site', async () => {
    b = await bench();
    const p = b.pastProbe('north/ortho/sms', SHOPPER[0]!, T0);
    b.sandbox.scheduleText({ from: NORTH_TEXT, to: SHOPPER[0]!, at: T0 + H, body: 'STOP' });
    b.clock.set(T0 + 2 * H);
    await b.collect();
    expect(b.store.eventsForProbe(p.id).map((e) => e.kind).sort()).toEqual(['sms-reply', 'stop-request']);
    expect(b.store.suppressions().map((s) => s.scope)).toEqual(['site:north']);
  });

  it('reads every page (next_page_uri) of a busy number', async () => {
    b = await bench();
    b.pastProbe('north/ortho/sms', SHOPPER[0]!, T0);
    for (let i = 0; i < 130; i++) b.sandbox.scheduleText({ from: '+14155550100', to: SHOPPER[0]!, at: T0 + i * 60_000, body: `spam ${i}` });
    b.clock.set(T0 + 5 * H);
    const s = await b.collect();
    expect(s.added).toBe(130);
    expect(b.sandbox.counts.requests['GET /Messages']).toBeGreaterThanOrEqual(2);
  });
});
