/**
 * Which probes are due now, and why the others are not. Pure: the config, a history and a
 * moment in; a decision out. `run` executes it; `plan` repeats it over simulated days.
 */
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import type { LoadedConfig, ResolvedEntryPoint } from '../config/load.js';
import type { Channel, Schedule } from '../config/schema.js';
import { doNotContactMatch } from '../config/targets.js';
import { isOpenAt, type PastProbe, type PlanHistory } from './history.js';
import { parseWindow, type Window } from '../config/window.js';
import { inQuietHours, inWindow } from './window.js';

const DAY = 86_400_000;

export interface PlanFilters {
  only?: string[];
  sites?: string[];
  serviceLines?: string[];
}

export interface PlanOptions {
  now: number;
  filters?: PlanFilters;
  /** Probe every entry point once now, regardless of cadence and windows. */
  beforeCampaign?: boolean;
}

export interface PlannedProbe {
  entry: ResolvedEntryPoint;
  channel: Channel;
  target: string;
  why: string;
  variant: number;
  shopperName: string;
  shopperEmailTemplate: string;
  shopperPhone: string | null;
  estCost: number;
}

export type SkipCode =
  | 'disabled'
  | 'filtered'
  | 'do-not-contact'
  | 'suppressed'
  | 'open-probe'
  | 'not-due'
  | 'window'
  | 'quiet-hours'
  | 'cap-entry'
  | 'cap-day'
  | 'cap-calls'
  | 'spend-cap'
  | 'budget'
  | 'no-shopper-phone';

export interface SkippedEntry {
  entry: ResolvedEntryPoint;
  code: SkipCode;
  reason: string;
  /** When it may be due next, where known. */
  nextAt?: number;
}

export interface Plan {
  at: number;
  due: PlannedProbe[];
  skipped: SkippedEntry[];
  estCost: number;
}

export function targetOf(e: ResolvedEntryPoint): string {
  const ep = e.entryPoint;
  return ep.type === 'webform' ? ep.url : ep.type === 'email' ? ep.to : ep.number;
}

export function scheduleOf(loaded: LoadedConfig, e: ResolvedEntryPoint): Schedule {
  const layers = [loaded.config.schedule, e.site.schedule, e.serviceLine.schedule, e.entryPoint.schedule];
  const out: Schedule = {};
  for (const l of layers) {
    if (l?.every !== undefined) out.every = l.every;
    if (l?.at !== undefined) out.at = l.at;
  }
  return out;
}

/** Estimated spend of one probe (USD): a call is priced at ring + IVR allowance + patience. */
export function estimateCost(loaded: LoadedConfig, channel: Channel): number {
  const t = loaded.config.channels.twilio;
  if (!t) return 0;
  if (channel === 'sms') return t.smsRate;
  if (channel !== 'phone') return 0;
  const minutes = Math.ceil((t.ringTimeout + loaded.config.sla.holdPatience + 60_000) / 60_000);
  return Math.round(minutes * t.ratePerMinute * 10_000) / 10_000;
}

export function planRun(loaded: LoadedConfig, history: PlanHistory, opts: PlanOptions): Plan {
  const { config } = loaded;
  const now = opts.now;
  const f = opts.filters ?? {};
  const safety = config.safety;
  const dayAgo = now - DAY;
  const recent = history.probesSince(dayAgo);
  const last = history.lastByEntry();
  const open = history.openAt(now);
  const scopes = history.suppressedScopes();
  let dayCount = recent.length;
  let callCount = recent.filter((p) => p.channel === 'phone').length;
  let spend = recent.reduce((s, p) => s + (p.estCost || 0), 0);
  const perEntry = new Map<string, number>();
  for (const p of recent) perEntry.set(p.entryKey, (perEntry.get(p.entryKey) ?? 0) + 1);

  const due: PlannedProbe[] = [];
  const skipped: SkippedEntry[] = [];
  const skip = (entry: ResolvedEntryPoint, code: SkipCode, reason: string, nextAt?: number) =>
    skipped.push({ entry, code, reason, ...(nextAt !== undefined ? { nextAt } : {}) });

  // Candidates: filters, do-not-contact, suppression, open probes, cadence, windows, quiet hours.
  const candidates: Array<{ entry: ResolvedEntryPoint; lastAt: number; why: string }> = [];
  for (const entry of loaded.entryPoints) {
    const ep = entry.entryPoint;
    if (!ep.enabled) {
      skip(entry, 'disabled', 'disabled in the config (enabled: false)');
      continue;
    }
    if ((f.only && !f.only.includes(ep.type)) || (f.sites && !f.sites.includes(entry.site.id)) || (f.serviceLines && !f.serviceLines.includes(entry.serviceLine.id))) {
      skip(entry, 'filtered', 'not selected by --only / --site / --service-line');
      continue;
    }
    const target = targetOf(entry);
    const dnc = doNotContactMatch(target, safety.doNotContact) ?? entry.site.domains.map((d) => doNotContactMatch('x@' + d, safety.doNotContact)).find(Boolean);
    if (dnc) {
      skip(entry, 'do-not-contact', `on the do-not-contact list (${dnc})`);
      continue;
    }
    if (scopes.has(`site:${entry.site.id}`) || scopes.has(`entry:${entry.key}`)) {
      skip(entry, 'suppressed', `${entry.site.name} asked not to be contacted again (see \`status\`)`);
      continue;
    }
    const prev = last.get(entry.key);
    if (prev && isOpenAt(prev, now)) {
      const when = prev.closesAt ? ` until ${iso(prev.closesAt)}` : '';
      skip(entry, 'open-probe', `probe ${prev.token} is still waiting for replies${when}; nothing is re-sent while it is open`, prev.closesAt ?? undefined);
      continue;
    }
    const sched = scheduleOf(loaded, entry);
    if (!opts.beforeCampaign && prev && sched.every !== undefined && prev.plannedAt + sched.every > now) {
      skip(entry, 'not-due', `probed ${iso(prev.plannedAt)}; cadence every ${fmtDays(sched.every)}`, prev.plannedAt + sched.every);
      continue;
    }
    if (!opts.beforeCampaign && sched.at) {
      const w = parseWindow(sched.at) as Window;
      if (!inWindow(w, new Date(now), entry.timezone)) {
        skip(entry, 'window', `outside its window "${sched.at}" (${entry.timezone})`, nextWindowStart(w, now, entry.timezone));
        continue;
      }
    }
    if (safety.quietHours && inQuietHours(safety.quietHours, new Date(now), entry.timezone)) {
      skip(entry, 'quiet-hours', `quiet hours ${safety.quietHours.start}-${safety.quietHours.end} at the site (${entry.timezone})`, quietEnd(safety.quietHours.end, now, entry.timezone));
      continue;
    }
    candidates.push({ entry, lastAt: prev?.plannedAt ?? -Infinity, why: opts.beforeCampaign ? 'before the campaign' : prev ? 'due by cadence' : 'never probed' });
  }

  // Rotation: the longest-unprobed first; ties broken by a stable hash so a large config is
  // spread evenly across runs instead of always favouring the first sites in the file.
  candidates.sort((a, b) => a.lastAt - b.lastAt || hash(a.entry.key) - hash(b.entry.key));

  const usedPhones = new Map<string, Set<string>>();
  for (const p of open) if (p.shopperPhone) setOf(usedPhones, p.siteId).add(p.shopperPhone);
  const variantBySite = lastVariantBySite(history, loaded);
  const personaBySite = new Map<string, number>();

  for (const { entry, why } of candidates) {
    const ch = entry.entryPoint.type;
    const cost = estimateCost(loaded, ch);
    if (safety.maxProbesPerRun !== undefined && due.length >= safety.maxProbesPerRun) {
      skip(entry, 'budget', `left for a later run: budget of ${safety.maxProbesPerRun} probes per run reached`);
      continue;
    }
    if ((perEntry.get(entry.key) ?? 0) >= safety.caps.perEntryPointPerDay) {
      skip(entry, 'cap-entry', `cap of ${safety.caps.perEntryPointPerDay} probe(s) per entry point per day reached`, now + DAY);
      continue;
    }
    if (dayCount >= safety.caps.perDay) {
      skip(entry, 'cap-day', `daily cap of ${safety.caps.perDay} probes reached`, now + DAY);
      continue;
    }
    if (ch === 'phone' && callCount >= safety.caps.callsPerDay) {
      skip(entry, 'cap-calls', `daily cap of ${safety.caps.callsPerDay} test calls reached`, now + DAY);
      continue;
    }
    if (cost > 0 && spend + cost > safety.callSpendCap + 1e-9) {
      skip(entry, 'spend-cap', `spend cap of $${safety.callSpendCap.toFixed(2)} per day would be exceeded ($${spend.toFixed(2)} spent, this one ≈ $${cost.toFixed(2)})`, now + DAY);
      continue;
    }
    const needsPhone = ch === 'phone' || ch === 'sms' || entry.inquiry.askCallback;
    const phone = needsPhone ? pickPhone(loaded.config.shopper.phones, setOf(usedPhones, entry.site.id), history, entry.site.id) : null;
    if ((ch === 'phone' || ch === 'sms') && !phone) {
      skip(entry, 'no-shopper-phone', 'no shopper number in shopper.phones to call or text from');
      continue;
    }
    if (phone) setOf(usedPhones, entry.site.id).add(phone);
    const variants = entry.inquiry.variants.length;
    const v = ((variantBySite.get(entry.site.id) ?? -1) + 1) % variants;
    variantBySite.set(entry.site.id, v);
    const personas = [{ name: loaded.config.shopper.name, email: loaded.config.shopper.email }, ...loaded.config.shopper.personas];
    const pi = personaBySite.has(entry.site.id)
      ? personaBySite.get(entry.site.id)!
      : (personaIndexAfter(history, entry.site.id, personas.map((p) => p.name)) ?? -1) + 1;
    const persona = personas[pi % personas.length]!;
    personaBySite.set(entry.site.id, pi % personas.length);
    due.push({
      entry,
      channel: ch,
      target: targetOf(entry),
      why,
      variant: v,
      shopperName: persona.name,
      shopperEmailTemplate: persona.email ?? loaded.config.shopper.email,
      shopperPhone: phone,
      estCost: cost,
    });
    dayCount++;
    if (ch === 'phone') callCount++;
    spend += cost;
    perEntry.set(entry.key, (perEntry.get(entry.key) ?? 0) + 1);
  }
  return { at: now, due, skipped, estCost: round4(due.reduce((s, d) => s + d.estCost, 0)) };
}

/** A pool number no open probe of this site uses (exact callback attribution), else the least recently used. */
function pickPhone(pool: readonly string[], usedBySite: Set<string>, history: PlanHistory, _siteId: string): string | null {
  if (!pool.length) return null;
  const free = pool.filter((n) => !usedBySite.has(n));
  if (free.length) return free[0]!;
  const lastUse = new Map<string, number>();
  for (const p of history.probesSince(0)) if (p.shopperPhone) lastUse.set(p.shopperPhone, p.plannedAt);
  return [...pool].sort((a, b) => (lastUse.get(a) ?? 0) - (lastUse.get(b) ?? 0))[0]!;
}

function lastVariantBySite(history: PlanHistory, _loaded: LoadedConfig): Map<string, number> {
  const m = new Map<string, number>();
  for (const p of history.probesSince(0)) if (p.variant !== null) m.set(p.siteId, p.variant);
  return m;
}

function personaIndexAfter(history: PlanHistory, siteId: string, names: string[]): number | undefined {
  let idx: number | undefined;
  for (const p of history.probesSince(0)) if (p.siteId === siteId && p.shopperName) idx = names.indexOf(p.shopperName);
  return idx === -1 ? undefined : idx;
}

function nextWindowStart(w: Window, now: number, zone: string): number | undefined {
  let t = DateTime.fromMillis(now, { zone }).startOf('day');
  for (let i = 0; i < 8; i++, t = t.plus({ days: 1 })) {
    if (!w.days.has(t.weekday)) continue;
    const start = t.plus({ minutes: w.start });
    if (start.toMillis() > now) return start.toMillis();
  }
  return undefined;
}

function quietEnd(end: string, now: number, zone: string): number {
  const [h, m] = end.split(':').map(Number);
  let t = DateTime.fromMillis(now, { zone }).set({ hour: h!, minute: m!, second: 0, millisecond: 0 });
  if (t.toMillis() <= now) t = t.plus({ days: 1 });
  return t.toMillis();
}

function setOf(m: Map<string, Set<string>>, k: string): Set<string> {
  let s = m.get(k);
  if (!s) m.set(k, (s = new Set()));
  return s;
}

function hash(s: string): number {
  return createHash('sha1').update(s).digest().readUInt32BE(0);
}

const iso = (t: number) => new Date(t).toISOString().replace(/:\d\d\.\d+Z$/, 'Z');
const fmtDays = (ms: number) => (ms % DAY === 0 ? `${ms / DAY}d` : `${Math.round(ms / 3_600_000)}h`);
const round4 = (n: number) => Math.round(n * 10_000) / 10_000;

export { DAY };
export type { PastProbe };
