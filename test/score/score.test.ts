import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/score/model.js';
import { scoreProbe } from '../../src/score/probe.js';
import { probeFacts, runsWithProbes } from '../../src/store/report-queries.js';
import { tempTree } from '../helpers/tmp.js';
import { Builder, DAY, DIRECTORY, HOUR, MIN, NOW, scenario, SETTINGS, T0 } from '../report/fixture.js';

describe('scores from hand-built events', () => {
  it('scores each probe: times, SLAs, ownership, follow-up, callback, phone', () => {
    const { b, ids } = scenario(tempTree());
    const facts = new Map(probeFacts(b.store).map((f) => [f.id, f]));
    const score = (id: number) => scoreProbe(facts.get(id)!, SETTINGS);

    const a = score(ids.A);
    expect(a.state).toBe('answered');
    expect(a.firstResponse?.ms).toBe(5 * MIN);
    expect(a.firstHuman?.ms).toBe(3 * HOUR);
    // The ambiguous callback at +2 h is not scored: the exact one at +20 h is.
    expect(a.callback?.ms).toBe(20 * HOUR);
    expect(a.within).toEqual({ firstResponse: true, human: true, callback: true });
    expect(a.passedAlong).toBe(true);
    expect(a.followedUp).toBe(true);
    expect(a.campaignAware).toBe(false);
    expect(a.parts).toEqual({ responded: 1, speed: 1, human: 1, ownership: 0.5, followUp: 1, campaign: 0, phone: null });
    expect(a.grade).toBe(86); // (25+20+15+7.5+10+0)/90

    const never = score(ids.B);
    expect(never.state).toBe('never');
    expect(never.grade).toBe(0);

    const pending = score(ids.C);
    expect(pending.state).toBe('pending');
    // Two hours without anything: already past the 1 h first-response SLA, not yet past the human one.
    expect(pending.within).toEqual({ firstResponse: false, human: null, callback: null });
    expect(pending.parts.responded).toBeNull();

    const phone = score(ids.D);
    expect(phone.phone).toMatchObject({ reached: true, answerSeconds: 12, holdSeconds: 400, gaveUp: true, withinSla: false, ivrCampaignReady: false });
    // The caller gave up on hold: not got through, not answered in time → phone 0; campaign 0.
    expect(phone.grade).toBe(0);

    expect(score(ids.E)).toMatchObject({ tested: false, state: 'not-sent' });
    expect(score(ids.F)).toMatchObject({ tested: false, state: 'unknown' });
    const g = score(ids.G);
    expect(g).toMatchObject({ state: 'answered', followedUp: false, campaignAware: true, passedAlong: false });
    expect(g.grade).toBe(89);
  });

  it('aggregates a site honestly with censoring, and finds the worst in plain words', () => {
    const { b } = scenario(tempTree());
    const { model } = buildReport({
      facts: probeFacts(b.store),
      runs: runsWithProbes(b.store),
      directory: DIRECTORY,
      settings: SETTINGS,
      generatedAt: NOW,
      selection: { runId: null, since: null },
      failUnder: 60,
    });
    const north = model.sites.find((s) => s.id === 'north')!;
    const st = north.stats;
    // The call whose caller gave up on hold counts as never answered, not as answered.
    expect(st.counts).toMatchObject({ probes: 5, tested: 4, answered: 1, pending: 1, never: 2, notSent: 1, unknown: 0 });
    // First responses: A at 5 min; B watched 10 d; C watched 2 h → S = 2/3, median not reached.
    expect(st.firstResponse.rate).toBeCloseTo(1 / 3);
    expect(st.firstResponse.median).toEqual({ ms: null, atLeastMs: 10 * DAY });
    expect(st.firstResponse.withinSla).toBeCloseTo(1 / 3);
    // Human: C is censored at 2 h, before A's 3 h reply, so only A and B are at risk then: S = 1/2.
    expect(st.firstHuman.withinSla).toBeCloseTo(0.5);
    expect(st.firstHuman.median.ms).toBe(3 * HOUR);
    expect(st.callback).toMatchObject({ expected: 1, answered: 1, withinSla: 1 });
    expect(st.passAlongRate).toBe(1);
    expect(st.followUpRate).toBe(1);
    // Picked up, but nobody came before the caller gave up: 0% of test calls answered.
    expect(st.phone).toMatchObject({ calls: 1, answered: 0, pickedUp: 1, answerRate: 0, gaveUpRate: 1, ivrCampaignReadyRate: 0 });
    // Held 400 s of music, but the caller's patience is 3 min: "> 3 min", never a longer figure beside it.
    expect(st.phone.medianHold).toEqual({ ms: null, atLeastMs: 3 * 60_000 });
    expect(st.parts.responded).toBeCloseTo(1 / 3);
    expect(st.parts.ownership).toBeCloseTo(0.5);
    // The one call: the caller gave up on hold, so it neither got through nor was answered in time.
    expect(st.parts.phone).toBe(0);
    expect(st.grade).toBe(40); // was 47 with phone 2/3: 47 − 10 × 2/3 over weights summing to 100
    expect(north.distribution).toEqual({ within1h: 1, within1d: 0, within3d: 0, later: 0, never: 1, pending: 1 });

    const texts = model.findings.map((f) => f.text);
    expect(texts[0]).toBe('North Clinic orthopedics email: no reply after 10 days (1 of 2 inquiries)');
    expect(texts).toContain("North Clinic orthopedics phone line: kept on hold past the caller's patience of 3 min; the caller gave up");
    // Picked up in 12 s against a 30 s target: met, so not a finding.
    expect(model.findings.filter((f) => f.code === 'slow-answer')).toEqual([]);
    expect(texts).toContain('North Clinic cardiology web form: form behind a CAPTCHA: could not be tested');
    expect(texts).toContain('Lakeside Hospital orthopedics text line: the submission could not be confirmed: shown as unknown');
    expect(texts).toContain('Lakeside Hospital orthopedics email: nobody followed up after the first reply');
    expect(texts).toContain('North Clinic orthopedics web form: the reply did not mention Spring Knee Check');
    expect(model.threshold.breaches.map((x) => x.what)).toContain('North Clinic');
    expect(model.groups.regions.map((r) => r.id)).toEqual(['North', 'South']);
  });

  it('keeps pending probes out of the failures and reports a trend regression', () => {
    const b = new Builder(tempTree());
    b.run(1, T0 - MIN);
    const good = b.probe('north/ortho/email', { at: T0, run: 1 });
    b.event(good, 'human-reply', T0 + 10 * MIN, { campaignAware: true });
    b.event(good, 'human-reply', T0 + 2 * DAY, { followUp: true });
    b.run(2, T0 + 8 * DAY);
    b.probe('north/ortho/email', { at: T0 + 8 * DAY, run: 2 }); // 2 days of silence, still pending
    b.run(3, T0 + 9 * DAY);
    const later = b.probe('north/ortho/email', { at: T0 + 9 * DAY, run: 3 });
    b.event(later, 'human-reply', T0 + 9 * DAY + 20 * HOUR, { passAlong: true });
    const { model } = buildReport({
      facts: probeFacts(b.store),
      runs: runsWithProbes(b.store),
      directory: DIRECTORY,
      settings: SETTINGS,
      generatedAt: NOW,
      selection: { runId: null, since: null },
      failUnder: null,
    });
    expect(model.overall.counts).toMatchObject({ pending: 1, never: 0, answered: 2 });
    const trend = model.trends.find((t) => t.siteId === 'north')!;
    // Run 3: answered (25) by a person within a day (15), but late (speed 0), passed along
    // (ownership 0), not campaign-aware (0); follow-up still open: 40 of 80 points.
    expect(trend.points.map((p) => p.grade)).toEqual([100, 0, 50]);
    expect(trend.points[1]!.regressions).toEqual([
      'grade fell from 100 to 0 since run #1',
      'median first response went from 10 min to more than 2 days',
    ]);
    expect(trend.regressions).toEqual([]);
  });
});
