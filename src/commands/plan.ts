import { DateTime } from 'luxon';
import { parseDuration } from '../config/duration.js';
import { localText } from '../local-time.js';
import { UsageError } from '../errors.js';
import { simulate } from '../plan/simulate.js';
import { Store, storeExists } from '../store/store.js';
import { listPlanningProbes } from '../store/plan-queries.js';
import { HISTORY_LOOKBACK_MS, type PastProbe } from '../plan/history.js';
import { loadForCommand, PLANS, type CommandContext } from './context.js';

export interface PlanOptions {
  config?: string;
  at?: string;
  days?: string;
  step?: string;
  beforeCampaign?: boolean;
  json?: boolean;
}

export async function planCommand(ctx: CommandContext, opts: PlanOptions): Promise<number> {
  const loaded = loadForCommand(ctx, opts.config, PLANS);
  const from = opts.at ? parseAt(opts.at, loaded.config.timezone) : ctx.clock.now();
  const days = Number(opts.days ?? 14);
  if (!Number.isInteger(days) || days < 1 || days > 366) throw new UsageError(`--days ${opts.days}: a whole number of days from 1 to 366`);
  const step = parseDuration(opts.step ?? '1h');
  if (!step || step < 60_000) throw new UsageError(`--step ${opts.step}: a duration of at least 1m, such as 1h or 1d`);
  let seed: PastProbe[] = [];
  let scopes = new Set<string>();
  if (storeExists(loaded.storePath)) {
    const store = new Store(loaded.storePath, ctx.clock);
    try {
      seed = listPlanningProbes(store, from - HISTORY_LOOKBACK_MS);
      scopes = new Set(store.suppressions().map((s) => s.scope));
    } finally {
      store.close();
    }
  }
  const sim = simulate(loaded, seed, scopes, { from, days, step, beforeCampaign: !!opts.beforeCampaign });
  if (opts.json) {
    ctx.io.json({
      from: new Date(sim.from).toISOString(),
      to: new Date(sim.to).toISOString(),
      step: sim.step,
      totals: sim.totals,
      caps: sim.caps,
      neverDue: sim.neverDue,
      probes: sim.probes.map((p) => ({ ...p, at: new Date(p.at).toISOString() })),
    });
    return 0;
  }
  const c = ctx.io.c;
  // Times as the sites live them: each probe in its site's timezone (days headed in the config's).
  const home = loaded.config.timezone;
  const zoneOf = new Map(loaded.entryPoints.map((e) => [e.key, e.timezone]));
  const local = localText;
  ctx.io.line(c.bold(`Plan ${local(sim.from, home, 'ccc d LLL yyyy HH:mm ZZZZ')} → ${local(sim.to, home, 'ccc d LLL yyyy HH:mm ZZZZ')} (a run every ${opts.step ?? '1h'}); nothing is contacted`));
  let day = '';
  for (const p of sim.probes) {
    const d = local(p.at, home, 'ccc d LLL yyyy');
    if (d !== day) {
      ctx.io.line(`  ${c.bold(d)}`);
      day = d;
    }
    const at = local(p.at, zoneOf.get(p.entry) ?? home, 'HH:mm ZZZZ');
    ctx.io.line(`    ${at.padEnd(11)} ${p.entry.padEnd(34)} ${p.channel.padEnd(7)} ${p.target}${p.estCost ? ` ≈ $${p.estCost.toFixed(2)}` : ''}`);
  }
  const t = sim.totals;
  ctx.io.line();
  ctx.io.line(
    `Totals: ${count(t.probes, 'probe')} (${count(t.forms, 'form')}, ${count(t.emails, 'email')}, ${count(t.calls, 'call')}, ${count(t.texts, 'text')}), estimated cost $${t.estCost.toFixed(2)}`,
  );
  if (sim.caps.length) {
    ctx.io.line(c.bold('Caps that bite:'));
    for (const cap of sim.caps) ctx.io.line(`  ${cap.code}: held back ${cap.times} time(s): ${cap.entries.join(', ')}`);
  }
  if (sim.neverDue.length) {
    ctx.io.line(c.bold('Not probed in this period:'));
    for (const n of sim.neverDue) ctx.io.line(`  ${n.entry}: ${n.reason}`);
  }
  return 0;
}

function parseAt(text: string, zone: string): number {
  const d = DateTime.fromISO(text, { zone });
  if (!d.isValid) throw new UsageError(`--at ${text}: not an ISO date or date-time (e.g. 2027-03-01 or 2027-03-01T09:00)`);
  return d.toMillis();
}

/** "1 form", "2 forms". */
export function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
