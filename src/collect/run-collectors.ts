/**
 * Runs every configured collector: IMAP when channels.imap is set, Twilio when
 * channels.twilio is. Used by `collect` and by `run --collect-for`. No lock: two collects
 * at once both succeed, because observations are unique and each commit is a transaction.
 * One collector failing does not stop the others; the first failure is rethrown at the end.
 */
import { isRespondAuditError } from '../errors.js';
import type { CollectDeps, Collector, CollectStats } from './types.js';

export interface CollectAllOptions {
  /** Keep collecting (IDLE, periodic sweeps) until this moment (epoch ms on deps.clock). */
  watchUntil?: number;
  /** Each round while watching. */
  onRound?: (s: CollectStats) => void;
}

export interface CollectAllResult {
  stats: CollectStats[];
  errors: Array<{ source: string; error: Error }>;
  closedProbes: number;
}

export async function createCollectors(deps: CollectDeps): Promise<Collector[]> {
  const out: Collector[] = [];
  const { channels } = deps.loaded.config;
  if (channels.imap) out.push(await (await import('./imap.js')).createImapCollector(deps));
  if (channels.twilio) {
    // Loaded only when Twilio is configured (the SDK is heavy).
    out.push(await (await import('./twilio.js')).createTwilioCollector(deps));
  }
  return out;
}

export async function collectAll(deps: CollectDeps, opts: CollectAllOptions = {}): Promise<CollectAllResult> {
  const collectors = await createCollectors(deps);
  const totals = new Map<string, CollectStats>();
  const errors: CollectAllResult['errors'] = [];
  const add = (s: CollectStats) => {
    const t = totals.get(s.source);
    if (!t) return void totals.set(s.source, { ...s, notes: [...s.notes] });
    for (const k of ['fetched', 'added', 'attributed', 'unattributed', 'events'] as const) t[k] += s[k];
    t.pending = s.pending;
    for (const n of s.notes) if (!t.notes.includes(n)) t.notes.push(n);
  };
  try {
    await Promise.all(
      collectors.map(async (c) => {
        try {
          if (opts.watchUntil !== undefined) {
            const round = (s: CollectStats) => (add(s), opts.onRound?.(s));
            if (c.watch) await c.watch(opts.watchUntil, round);
            else await pollUntil(c, deps, opts.watchUntil, round);
          } else add(await c.collectOnce());
        } catch (e) {
          if (!isRespondAuditError(e)) throw e;
          errors.push({ source: c.name, error: e });
        }
      }),
    );
  } finally {
    for (const c of collectors) await c.close().catch(() => undefined);
  }
  const closedProbes = deps.store.closeExpiredProbes();
  return { stats: [...totals.values()], errors, closedProbes };
}

/** Collectors without a watch mode are polled every minute while watching. */
async function pollUntil(c: Collector, deps: CollectDeps, until: number, onRound: (s: CollectStats) => void): Promise<void> {
  while (!deps.signal.aborted && deps.clock.now() < until) {
    onRound(await c.collectOnce());
    const wait = Math.min(60_000, until - deps.clock.now());
    if (wait <= 0) break;
    await new Promise<void>((r) => {
      const t = setTimeout(r, wait);
      deps.signal.addEventListener('abort', () => (clearTimeout(t), r()), { once: true });
    });
  }
}
