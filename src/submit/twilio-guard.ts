/**
 * The last check before a call or text leaves, inside the submitter (the planner checks the
 * same rules earlier): quiet hours at the site, do-not-contact, suppressions learned from
 * replies, the daily call cap and the spend cap. A refusal means nothing was sent.
 */
import type { LoadedConfig } from '../config/load.js';
import { doNotContactMatch } from '../config/targets.js';
import { estimateCost } from '../plan/plan.js';
import { inQuietHours } from '../plan/window.js';
import { listPlanningProbes } from '../store/plan-queries.js';
import type { Store } from '../store/store.js';
import type { ProbeJob } from './types.js';

const DAY = 86_400_000;

export function refusalBeforeContact(loaded: LoadedConfig, store: Store | undefined, job: ProbeJob, now: number): string | undefined {
  const { safety } = loaded.config;
  const entry = job.target;
  const ep = entry.entryPoint;
  const channel = ep.type;
  if (channel !== 'phone' && channel !== 'sms') return `not a phone or sms entry point (${channel})`;
  if (!ep.enabled) return 'entry point disabled';
  if (safety.dryRun) return 'dry run: nothing is contacted';
  const dnc = doNotContactMatch(ep.number, safety.doNotContact);
  if (dnc) return `${ep.number} is on the do-not-contact list (${dnc})`;
  if (safety.quietHours && inQuietHours(safety.quietHours, new Date(now), entry.timezone))
    return `quiet hours ${safety.quietHours.start}-${safety.quietHours.end} at the site (${entry.timezone})`;
  if (!store) return undefined;
  const scopes = new Set(store.suppressions().map((s) => s.scope));
  if (scopes.has(`site:${entry.site.id}`) || scopes.has(`entry:${entry.key}`))
    return `${entry.site.name} asked not to be contacted again`;
  const recent = listPlanningProbes(store, now - DAY).filter((p) => p.plannedAt > now - DAY && p.token !== job.probe.token);
  if (channel === 'phone') {
    const calls = recent.filter((p) => p.channel === 'phone').length;
    if (calls >= safety.caps.callsPerDay) return `daily cap of ${safety.caps.callsPerDay} test calls reached`;
  }
  const cost = estimateCost(loaded, channel);
  const spent = recent.reduce((s, p) => s + (p.estCost || 0), 0);
  if (cost > 0 && spent + cost > safety.callSpendCap + 1e-9)
    return `spend cap of $${safety.callSpendCap.toFixed(2)} per day would be exceeded ($${spent.toFixed(2)} spent, this one ≈ $${cost.toFixed(2)})`;
  return undefined;
}
