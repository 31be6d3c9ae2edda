/** Test calls through the real twilio SDK against the sandbox Twilio API. */
import { afterEach, describe, expect, it } from 'vitest';
import { bench, callEvent, NORTH_LINE, SOUTH_LINE, T0, type Bench } from './harness.js';

const PROMPT_WITH_CAMPAIGN = 'Thank you for calling North Clinic. Ask us about the Spring Knee Check. For appointments, press one.';
const PROMPT_WITHOUT = 'Thank you for calling North Clinic. For appointments, press one.';

let b: Bench | undefined;
afterEach(async () => {
  await b?.close();
  b = undefined;
});

describe('phone probes', () => {
  it('reaches a person after the menu and the hold: digits, timings, campaign phrase heard', async () => {
    b = await bench({ scenario: { lines: { [NORTH_LINE]: { ringSeconds: 6, ivr: { prompt: PROMPT_WITH_CAMPAIGN, digits: '1' }, holdSeconds: 25, holdMusic: 'chord' } } } });
    const { result, probe, confirmedAt } = await b.submit('north/ortho/phone');
    expect(result.status).toBe('submitted');
    expect(result.outcome).toBe('answered');
    expect(confirmedAt).toBe(T0);
    const [placed] = b.sandbox.placedCalls();
    expect(b.sandbox.counts.callsPlaced).toBe(1);
    expect(placed!.digits).toBe('ww1');
    expect(placed!.record).toBe(true);
    expect(placed!.machineDetection).toBe('Enable');
    expect(placed!.timeout).toBe(30);
    expect(placed!.timeLimit).toBe(30 + 60 + 2 + 60);
    expect(probe.externalId).toBe(placed!.sid);
    const e = callEvent(b.store, probe.id)!;
    expect(e.attribution).toBe('exact');
    expect(e.occurredAt).toBe(T0);
    const d = e.details as Record<string, unknown>;
    expect(d.reached).toBe(true);
    expect(d.secondsToAnswer).toBe(6);
    // ring 6 s + prompt (~6 s) + 1 s pause, then 25 s of hold music.
    expect(d.secondsOnHold as number).toBeGreaterThan(23);
    expect(d.secondsOnHold as number).toBeLessThan(27);
    expect(d.secondsToHuman as number).toBeGreaterThan(6 + 25);
    expect(d.secondsToHuman as number).toBeLessThan(6 + 25 + 12);
    expect(d.ivrCampaignReady).toBe(true);
    expect(d.ivrHeard).toEqual(['spring knee check']);
    expect(d.gaveUp).toBe(false);
    expect(e.campaignAware).toBe(true);
  });

  it('an IVR that never mentions the campaign is not campaign-ready', async () => {
    b = await bench({ scenario: { lines: { [NORTH_LINE]: { ivr: { prompt: PROMPT_WITHOUT, digits: '1' }, holdSeconds: 5 } } } });
    const { probe } = await b.submit('north/ortho/phone');
    const d = callEvent(b.store, probe.id)!.details as Record<string, unknown>;
    expect(d.ivrTranscript).toBe(PROMPT_WITHOUT);
    expect(d.ivrHeard).toEqual([]);
    expect(d.ivrCampaignReady).toBe(false);
    expect(callEvent(b.store, probe.id)!.reasons.join(' ')).toMatch(/IVR does not say "spring knee check"/);
  });

  it('holds until the caller\'s patience runs out: gave up, no person', async () => {
    b = await bench({ scenario: { lines: { [NORTH_LINE]: { ivr: { prompt: PROMPT_WITHOUT, digits: '1' }, holdSeconds: 400, holdMusic: 'melody', holdAnnouncement: 'Your call is important to us. Please continue to hold.', announceEvery: 40 } } } });
    const { result, probe } = await b.submit('north/ortho/phone');
    expect(result.outcome).toBe('gave-up');
    const d = callEvent(b.store, probe.id)!.details as Record<string, unknown>;
    expect(d.gaveUp).toBe(true);
    expect(d.secondsToHuman).toBeNull();
    expect(d.durationSeconds).toBe(152);
    expect(b.sandbox.placedCalls()[0]!.hungUpBy).toBe('caller-time-limit');
  });

  it('a person answering in two rings, no menu', async () => {
    b = await bench({ scenario: { lines: { [SOUTH_LINE]: { ringSeconds: 5, greeting: 'South Clinic, this is Maria, how can I help?' } } } });
    const { result, probe } = await b.submit('south/ortho/phone');
    expect(result.outcome).toBe('answered');
    const d = callEvent(b.store, probe.id)!.details as Record<string, unknown>;
    expect(d.answeredBy).toBe('human');
    expect(d.secondsToHuman as number).toBeLessThan(5 + 2.5);
    expect(d.secondsOnHold).toBeNull();
    expect(b.sandbox.placedCalls()[0]!.digits).toBeNull();
  });

  it.each([
    ['busy', { answer: 'busy' as const }],
    ['no-answer', { ringSeconds: 45 }],
    ['failed', { answer: 'failed' as const }],
  ])('%s: not reached, nothing recorded', async (outcome, line) => {
    b = await bench({ scenario: { lines: { [SOUTH_LINE]: line } } });
    const { result, probe } = await b.submit('south/ortho/phone');
    expect(result.status).toBe('submitted');
    expect(result.outcome).toBe(outcome);
    const d = callEvent(b.store, probe.id)!.details as Record<string, unknown>;
    expect(d.reached).toBe(false);
    expect(d.status).toBe(outcome);
    expect(d.recorded).toBe(false);
    expect(b.sandbox.counts.requests['GET /Recordings'] ?? 0).toBe(0);
  });

  it('a voicemail box: answered by a machine, and we hang up instead of leaving a message', async () => {
    b = await bench({ scenario: { lines: { [SOUTH_LINE]: { answer: 'voicemail', pollsUntilFinal: 3 } } } });
    const { result, probe } = await b.submit('south/ortho/phone');
    expect(result.outcome).toBe('voicemail');
    const d = callEvent(b.store, probe.id)!.details as Record<string, unknown>;
    expect(d.answeredBy).toBe('machine');
    expect(d.secondsToHuman).toBeNull();
    expect(d.gaveUp).toBe(false);
    expect(b.sandbox.placedCalls()[0]!.hungUpBy).toBe('api');
  });

  it('without recording consent nothing is recorded and the event says what was not measured', async () => {
    b = await bench({ record: false, scenario: { lines: { [NORTH_LINE]: { ivr: { prompt: PROMPT_WITH_CAMPAIGN, digits: '1' }, holdSeconds: 10 } } } });
    const { probe } = await b.submit('north/ortho/phone');
    expect(b.sandbox.placedCalls()[0]!.record).toBe(false);
    const d = callEvent(b.store, probe.id)!.details as Record<string, unknown>;
    expect(d.recorded).toBe(false);
    expect(d.secondsToHuman).toBeNull();
    expect(d.ivrCampaignReady).toBeNull();
    expect((d.unmeasured as string[]).join(' ')).toMatch(/recording is off/);
  });

  it('a recording still processing is reported pending, then measured on the next collect', async () => {
    b = await bench({ scenario: { lines: { [NORTH_LINE]: { ivr: { prompt: PROMPT_WITH_CAMPAIGN, digits: '1' }, holdSeconds: 8, recordingPendingFetches: 1000 } } } });
    const { probe } = await b.submit('north/ortho/phone');
    let d = callEvent(b.store, probe.id)!.details as Record<string, unknown>;
    expect(d.recordingPending).toBe(true);
    expect(d.secondsToHuman).toBeNull();
    const first = await b.collect();
    expect(first.pending).toBeGreaterThanOrEqual(1);
    b.sandbox.completeRecordings();
    await b.collect();
    const events = b.store.eventsForProbe(probe.id).filter((e) => e.kind === 'call');
    expect(events).toHaveLength(1);
    d = events[0]!.details as Record<string, unknown>;
    expect(d.recordingPending).toBe(false);
    expect(d.recorded).toBe(true);
    expect(d.ivrCampaignReady).toBe(true);
    expect(d.secondsToHuman).not.toBeNull();
    // The recording fetched by collect is kept as the probe's evidence (the report attaches it).
    expect(b.store.getProbe(probe.id)!.evidence).toMatchObject({ recording: `artifacts/${probe.token}/call.wav` });
  });
});

describe('never twice, never wasteful', () => {
  it('a 429 storm is ridden out with Retry-After: one call placed', async () => {
    b = await bench({ scenario: { lines: { [SOUTH_LINE]: { ringSeconds: 4 } } } });
    b.sandbox.inject({ kind: 'rate-limit', times: 3, retryAfter: 1, match: 'POST /Calls' });
    b.sandbox.inject({ kind: 'rate-limit', times: 2, retryAfter: 0, match: 'GET /Calls/{sid}' });
    const { result } = await b.submit('south/ortho/phone');
    expect(result.outcome).toBe('answered');
    expect(b.sandbox.counts.requests['POST /Calls']).toBe(4);
    expect(b.sandbox.counts.callsPlaced).toBe(1);
  });

  it('a call create whose response is lost is found, not placed again', async () => {
    b = await bench({ scenario: { lines: { [SOUTH_LINE]: { ringSeconds: 4 } } } });
    b.sandbox.inject({ kind: 'drop-create', times: 1 });
    const { result, probe } = await b.submit('south/ortho/phone');
    expect(b.sandbox.counts.callsPlaced).toBe(1);
    expect(b.sandbox.counts.requests['POST /Calls']).toBe(1);
    expect(result.status).toBe('submitted');
    expect(probe.externalId).toBe(b.sandbox.placedCalls()[0]!.sid);
    expect(b.logs.join('\n')).toMatch(/looking it up before trying again/);
  });

  it('a call create that times out (placed, answer too slow) is found, not placed again', async () => {
    b = await bench({ timeoutMs: 400, scenario: { lines: { [SOUTH_LINE]: { ringSeconds: 4 } } } });
    b.sandbox.inject({ kind: 'slow-create', times: 1, delayMs: 1500 });
    const { result, probe } = await b.submit('south/ortho/phone');
    expect(b.sandbox.counts.callsPlaced).toBe(1);
    expect(b.sandbox.counts.requests['POST /Calls']).toBe(1);
    expect(result).toMatchObject({ status: 'submitted', outcome: 'answered' });
    expect(probe.externalId).toBe(b.sandbox.placedCalls()[0]!.sid);
  });

  it('a call create that reaches the call log only after the lookup is found on the second look: one call', async () => {
    b = await bench({ timeoutMs: 400, scenario: { lines: { [SOUTH_LINE]: { ringSeconds: 4 } } } });
    // Logged 1.5 s after the request: the first lookup (at the 0.4 s timeout) misses it, the
    // one after the grace period finds it. Retrying after the first miss would place two.
    b.sandbox.inject({ kind: 'late-create', times: 1, delayMs: 1500 });
    const { result, probe } = await b.submit('south/ortho/phone');
    expect(b.sandbox.counts.callsPlaced).toBe(1);
    expect(b.sandbox.counts.requests['POST /Calls']).toBe(1);
    expect(result).toMatchObject({ status: 'submitted', outcome: 'answered' });
    expect(probe.externalId).toBe(b.sandbox.placedCalls()[0]!.sid);
  });

  it('a 5xx that placed nothing is looked up, then retried once: one call', async () => {
    b = await bench({ scenario: { lines: { [SOUTH_LINE]: { ringSeconds: 4 } } } });
    b.sandbox.inject({ kind: 'server-error', times: 1, status: 503, match: 'POST /Calls' });
    const { result } = await b.submit('south/ortho/phone');
    expect(result.outcome).toBe('answered');
    expect(b.sandbox.counts.requests['POST /Calls']).toBe(2);
    expect(b.sandbox.counts.requests['GET /Calls']).toBeGreaterThanOrEqual(1);
    expect(b.sandbox.counts.callsPlaced).toBe(1);
  });

  it('quiet hours at the site refuse to dial: the sandbox hears nothing', async () => {
    b = await bench({ start: Date.parse('2027-03-11T03:30:00Z') /* 21:30 in Chicago */ });
    const { result } = await b.submit('north/ortho/phone');
    expect(result).toMatchObject({ status: 'not-sent', outcome: 'skipped' });
    expect(result.error).toMatch(/quiet hours/);
    expect(b.sandbox.counts.total).toBe(0);
  });

  it('the daily call cap refuses a call', async () => {
    b = await bench({ safety: '  caps: { callsPerDay: 1 }' });
    b.pastProbe('north/ortho/phone', '+13125550102', T0 - 3_600_000);
    const { result } = await b.submit('south/ortho/phone');
    expect(result.error).toMatch(/daily cap of 1 test calls/);
    expect(b.sandbox.counts.total).toBe(0);
  });

  it('the spend cap refuses a call', async () => {
    b = await bench({ safety: '  callSpendCap: 0.01' });
    const { result } = await b.submit('south/ortho/phone');
    expect(result.error).toMatch(/spend cap/);
    expect(b.sandbox.counts.total).toBe(0);
  });

  it('a number on the do-not-contact list is never dialled', async () => {
    b = await bench({ safety: `  doNotContact: ["${SOUTH_LINE}"]` });
    const { result } = await b.submit('south/ortho/phone');
    expect(result.error).toMatch(/do-not-contact/);
    expect(b.sandbox.counts.total).toBe(0);
  });
});
