import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { MemoryHistory } from '../../src/plan/history.js';
import { planRun } from '../../src/plan/plan.js';
import { simulate } from '../../src/plan/simulate.js';
import { configWith } from './helpers.js';

const DAY = 86_400_000;
const START = Date.UTC(2026, 0, 5, 15); // a Monday, 09:00 in Chicago

describe('cadence and rotation', () => {
  it('spreads 20 entry points over a 7-day cadence: each exactly once per period, evenly', () => {
    const { loaded } = configWith({ top: 'schedule: { every: 7d }\nsafety: { maxProbesPerRun: 3 }\nsla: { waitWindow: 5d }' });
    expect(loaded.entryPoints).toHaveLength(20);
    const sim = simulate(loaded, [], new Set(), { from: START, days: 56, step: DAY });
    const byEntry = new Map<string, number[]>();
    for (const p of sim.probes) byEntry.set(p.entry, [...(byEntry.get(p.entry) ?? []), p.at]);
    expect(byEntry.size).toBe(20);
    for (const [, times] of byEntry) {
      // Probed once in every 7-day period after its first probe, never twice.
      for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBe(7 * DAY);
      expect(times.length).toBeGreaterThanOrEqual(7);
    }
    // No run sends more than the budget; the first week covers everyone.
    const perRun = new Map<number, number>();
    for (const p of sim.probes) perRun.set(p.at, (perRun.get(p.at) ?? 0) + 1);
    expect(Math.max(...perRun.values())).toBe(3);
    expect(new Set(sim.probes.filter((p) => p.at < START + 7 * DAY).map((p) => p.entry)).size).toBe(20);
    expect(sim.caps.find((c) => c.code === 'budget')?.times).toBeGreaterThan(0);
  });

  it('never sends to an entry point that still has an open probe', () => {
    const { loaded } = configWith({ sites: 1, linesPerSite: 2, top: 'schedule: { every: 7d }\nsla: { waitWindow: 10d }' });
    const sim = simulate(loaded, [], new Set(), { from: START, days: 40, step: DAY });
    const times = sim.probes.filter((p) => p.entry === 's0/l0/webform').map((p) => p.at);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBe(10 * DAY);
    const plan = planRun(loaded, new MemoryHistory([{ entryKey: 's0/l0/webform', siteId: 's0', channel: 'webform', status: 'unknown', plannedAt: START, closesAt: START + 10 * DAY, closedAt: null, variant: 0, shopperName: null, shopperPhone: null, token: 'tk', estCost: 0 }]), { now: START + 8 * DAY });
    expect(plan.skipped.find((s) => s.entry.key === 's0/l0/webform')).toMatchObject({ code: 'open-probe' });
    expect(plan.due.map((d) => d.entry.key)).toEqual(['s0/l1/webform']);
  });

  it('rotates inquiry variants so a site never gets the same text twice in a row', () => {
    const { loaded } = configWith({ sites: 2, linesPerSite: 4, top: 'schedule: { every: 1d }\nsla: { waitWindow: 12h }' });
    const history = new MemoryHistory();
    const sent: Array<{ site: string; variant: number }> = [];
    for (let d = 0; d < 5; d++) {
      const plan = planRun(loaded, history, { now: START + d * DAY });
      for (const p of plan.due) {
        sent.push({ site: p.entry.site.id, variant: p.variant });
        history.add({ entryKey: p.entry.key, siteId: p.entry.site.id, channel: p.channel, status: 'submitted', plannedAt: START + d * DAY, closesAt: START + d * DAY + 12 * 3600_000, closedAt: null, variant: p.variant, shopperName: p.shopperName, shopperPhone: p.shopperPhone, token: 't', estCost: 0 });
      }
    }
    for (const site of ['s0', 's1']) {
      const vs = sent.filter((s) => s.site === site).map((s) => s.variant);
      expect(vs.length).toBe(20);
      for (let i = 1; i < vs.length; i++) expect(vs[i]).not.toBe(vs[i - 1]);
    }
  });

  it('rotates the shopper persona per site', () => {
    const { loaded } = configWith({ sites: 1, linesPerSite: 3, top: 'schedule: { every: 1d }' });
    loaded.config.shopper.personas.push({ name: 'Casey Moreno' });
    const plan = planRun(loaded, new MemoryHistory([{ entryKey: 'x', siteId: 's0', channel: 'webform', status: 'submitted', plannedAt: START - DAY * 3, closesAt: START - DAY, closedAt: null, variant: 0, shopperName: 'Jordan Avery', shopperPhone: null, token: 't', estCost: 0 }]), { now: START });
    expect(plan.due.every((d) => d.shopperName === 'Casey Moreno')).toBe(true);
  });
});

describe('windows, quiet hours and DST', () => {
  for (const zone of ['America/New_York', 'Europe/Berlin', 'Australia/Sydney']) {
    it(`probes only inside "Tue-Thu 09:00-16:00" local time in ${zone}, across its DST change`, () => {
      const { loaded } = configWith({ sites: 1, linesPerSite: 6, siteExtra: () => `    timezone: ${zone}\n`, top: 'schedule: { every: 1d, at: "Tue-Thu 09:00-16:00" }\nsla: { waitWindow: 20h }' });
      // Four weeks around each zone's 2026 DST change (Sydney: Oct 4; Berlin: Oct 25; New York: Nov 1).
      const from = Date.UTC(2026, 8, 20);
      const sim = simulate(loaded, [], new Set(), { from, days: 50, step: 15 * 60_000 });
      expect(sim.probes.length).toBeGreaterThan(6 * 15);
      for (const p of sim.probes) {
        const t = DateTime.fromMillis(p.at, { zone });
        expect([2, 3, 4]).toContain(t.weekday);
        expect(t.hour * 60 + t.minute).toBeGreaterThanOrEqual(9 * 60);
        expect(t.hour * 60 + t.minute).toBeLessThan(16 * 60);
      }
      // Every window day gets its probes at 09:00 local, before and after the change.
      const firstPerDay = new Map<string, DateTime>();
      for (const p of sim.probes) {
        const t = DateTime.fromMillis(p.at, { zone });
        const k = t.toISODate()!;
        if (!firstPerDay.has(k)) firstPerDay.set(k, t);
      }
      for (const t of firstPerDay.values()) expect(t.toFormat('HH:mm')).toBe('09:00');
    });
  }

  it('quiet hours hold probes back in the site\'s own timezone, wrapping midnight', () => {
    const { loaded } = configWith({ sites: 2, linesPerSite: 1, siteExtra: (i) => `    timezone: ${i === 0 ? 'America/Los_Angeles' : 'Europe/London'}\n`, top: 'safety: { quietHours: { start: "20:00", end: "08:00" } }' });
    const at = Date.UTC(2026, 0, 6, 5); // 21:00 in Los Angeles, 05:00 in London: both quiet
    const plan = planRun(loaded, new MemoryHistory(), { now: at });
    expect(plan.due).toEqual([]);
    expect(plan.skipped.map((s) => s.code)).toEqual(['quiet-hours', 'quiet-hours']);
    const later = planRun(loaded, new MemoryHistory(), { now: Date.UTC(2026, 0, 6, 9) }); // 01:00 LA, 09:00 London
    expect(later.due.map((d) => d.entry.site.id)).toEqual(['s1']);
  });
});

describe('caps, budgets and do-not-contact', () => {
  it('daily caps count what was already sent today', () => {
    const { loaded } = configWith({ sites: 1, linesPerSite: 5, top: 'safety: { caps: { perDay: 3 } }' });
    const history = new MemoryHistory([{ entryKey: 'other', siteId: 's9', channel: 'email', status: 'submitted', plannedAt: START - 3600_000, closesAt: START + DAY, closedAt: null, variant: 0, shopperName: null, shopperPhone: null, token: 't', estCost: 0 }]);
    const plan = planRun(loaded, history, { now: START });
    expect(plan.due).toHaveLength(2);
    expect(plan.skipped.filter((s) => s.code === 'cap-day')).toHaveLength(3);
  });

  it('call caps and the spend cap refuse to dial; the plan says what it would cost', () => {
    const { loaded } = configWith({
      sites: 1,
      linesPerSite: 4,
      entry: (_s, l) => `          - type: phone\n            number: "+1312555012${l}"\n`,
      top: 'safety: { caps: { callsPerDay: 10 }, callSpendCap: 0.2 }',
    });
    const plan = planRun(loaded, new MemoryHistory(), { now: START });
    // A call is priced at ceil((30 s ring + 3 min patience + 1 min) / 1 min) = 5 min × $0.014.
    expect(plan.due.map((d) => d.estCost)).toEqual([0.07, 0.07]);
    expect(plan.estCost).toBe(0.14);
    expect(plan.skipped.map((s) => s.code)).toEqual(['spend-cap', 'spend-cap']);
    // Each open call probe of a site gets its own pool number, so callbacks attribute exactly.
    expect(new Set(plan.due.map((d) => d.shopperPhone)).size).toBe(2);
  });

  it('the do-not-contact list and learned suppressions skip entry points', () => {
    const { loaded } = configWith({ sites: 3, linesPerSite: 1, top: 'safety: { doNotContact: ["s0.example.org", "https://s1.example.org/"] }' });
    const plan = planRun(loaded, new MemoryHistory([], new Set(['site:s2'])), { now: START });
    expect(plan.due).toEqual([]);
    expect(plan.skipped.map((s) => `${s.entry.site.id}:${s.code}`)).toEqual(['s0:do-not-contact', 's1:do-not-contact', 's2:suppressed']);
  });

  it('--before-campaign probes everything once now, regardless of cadence and window', () => {
    const { loaded } = configWith({ sites: 1, linesPerSite: 3, top: 'schedule: { every: 30d, at: "Sat 10:00-11:00" }' });
    const history = new MemoryHistory([{ entryKey: 's0/l0/webform', siteId: 's0', channel: 'webform', status: 'submitted', plannedAt: START - 10 * DAY, closesAt: START - 3 * DAY, closedAt: null, variant: 0, shopperName: null, shopperPhone: null, token: 't', estCost: 0 }]);
    expect(planRun(loaded, history, { now: START }).due).toEqual([]);
    const plan = planRun(loaded, history, { now: START, beforeCampaign: true });
    expect(plan.due.map((d) => d.entry.key)).toEqual(['s0/l0/webform', 's0/l1/webform', 's0/l2/webform'].sort((a, b) => (a === 's0/l0/webform' ? 1 : b === 's0/l0/webform' ? -1 : 0)));
    expect(plan.due.every((d) => d.why === 'before the campaign')).toBe(true);
  });
});
