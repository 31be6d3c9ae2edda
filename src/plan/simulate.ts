/**
 * `plan`: repeat the planner over simulated time, as if `run` were invoked every `step`,
 * assuming each probe stays open for the wait window. Same rules as `run`, no contact.
 */
import type { LoadedConfig } from '../config/load.js';
import { MemoryHistory, type PastProbe } from './history.js';
import { planRun, type PlanFilters, type SkipCode } from './plan.js';

export interface SimulatedProbe {
  at: number;
  entry: string;
  channel: string;
  target: string;
  why: string;
  estCost: number;
}

export interface Simulation {
  from: number;
  to: number;
  step: number;
  probes: SimulatedProbe[];
  totals: { probes: number; calls: number; texts: number; emails: number; forms: number; estCost: number };
  /** For each cap or budget: how many times it held something back, and which entries. */
  caps: Array<{ code: SkipCode; times: number; entries: string[] }>;
  /** Entry points never probed in the period, with the last reason given. */
  neverDue: Array<{ entry: string; code: SkipCode; reason: string }>;
}

const CAP_CODES: SkipCode[] = ['budget', 'cap-entry', 'cap-day', 'cap-calls', 'spend-cap'];

export function simulate(
  loaded: LoadedConfig,
  seed: PastProbe[],
  scopes: Set<string>,
  opts: { from: number; days: number; step: number; filters?: PlanFilters; beforeCampaign?: boolean },
): Simulation {
  const history = new MemoryHistory([...seed], scopes);
  const to = opts.from + opts.days * 86_400_000;
  const probes: SimulatedProbe[] = [];
  const caps = new Map<SkipCode, { times: number; entries: Set<string> }>();
  const lastReason = new Map<string, { code: SkipCode; reason: string }>();
  const probed = new Set<string>();
  for (let t = opts.from, first = true; t < to; t += opts.step, first = false) {
    const plan = planRun(loaded, history, { now: t, filters: opts.filters, beforeCampaign: first && opts.beforeCampaign });
    for (const d of plan.due) {
      probes.push({ at: t, entry: d.entry.key, channel: d.channel, target: d.target, why: d.why, estCost: d.estCost });
      probed.add(d.entry.key);
      history.add({
        entryKey: d.entry.key,
        siteId: d.entry.site.id,
        channel: d.channel,
        status: 'submitted',
        plannedAt: t,
        closesAt: t + loaded.config.sla.waitWindow,
        closedAt: null,
        variant: d.variant,
        shopperName: d.shopperName,
        shopperPhone: d.shopperPhone,
        token: `sim${probes.length}`,
        estCost: d.estCost,
      });
    }
    for (const s of plan.skipped) {
      lastReason.set(s.entry.key, { code: s.code, reason: s.reason });
      if (CAP_CODES.includes(s.code)) {
        const c = caps.get(s.code) ?? { times: 0, entries: new Set<string>() };
        c.times++;
        c.entries.add(s.entry.key);
        caps.set(s.code, c);
      }
    }
  }
  const count = (ch: string) => probes.filter((p) => p.channel === ch).length;
  return {
    from: opts.from,
    to,
    step: opts.step,
    probes,
    totals: {
      probes: probes.length,
      calls: count('phone'),
      texts: count('sms'),
      emails: count('email'),
      forms: count('webform'),
      estCost: Math.round(probes.reduce((s, p) => s + p.estCost, 0) * 100) / 100,
    },
    caps: [...caps].map(([code, c]) => ({ code, times: c.times, entries: [...c.entries].sort() })),
    neverDue: loaded.entryPoints
      .filter((e) => !probed.has(e.key) && lastReason.get(e.key)?.code !== 'filtered')
      .map((e) => ({ entry: e.key, ...(lastReason.get(e.key) ?? { code: 'not-due' as SkipCode, reason: 'not due' }) })),
  };
}
