/**
 * `collect --watch`: a second connection sits in IDLE on INBOX and wakes the collector when
 * mail arrives; every mailbox (Junk included, which IDLE does not watch) is swept at least
 * every sweepEveryMs, and IDLE is restarted at least every idleRestartMs (servers end IDLE
 * after 30 minutes). Timing comes from INTERNALDATE, so watching and polling agree.
 */
import { adaptersOf } from '../adapters.js';
import { openImap, type ImapConnection, type ImapSettings } from './imap-client.js';
import type { CollectDeps, CollectStats } from './types.js';

/** What watching needs of the collector (ImapCollector is one): its settings, and a sweep. */
export interface WatchedCollector {
  readonly deps: Pick<CollectDeps, 'clock' | 'signal' | 'log' | 'adapters'>;
  readonly opts: { sweepEveryMs: number; idleRestartMs: number };
  readonly settings: ImapSettings;
  collectOnce(): Promise<CollectStats>;
}

export async function watchMailbox(collector: WatchedCollector, until: number, onRound: (s: CollectStats) => void): Promise<void> {
  const { clock, signal, log } = collector.deps;
  const { sweepEveryMs, idleRestartMs } = collector.opts;
  let idle: ImapConnection | null = null;
  let wake: (() => void) | null = null;
  const closeIdle = async () => {
    const c = idle;
    idle = null;
    if (c) await c.close();
  };
  // Set by new-mail notices, which may come while a sweep runs (before anyone waits).
  let dirty = false;
  try {
    while (!signal.aborted && clock.now() < until) {
      // IDLE's mailbox is selected before the sweep, so mail arriving during it is noticed.
      if (!idle || !idle.client.usable) {
        try {
          idle = await openImap(collector.settings, { newClient: adaptersOf(collector.deps.adapters).imapClient });
          await idle.call('SELECT INBOX', (c) => c.mailboxOpen('INBOX'));
          idle.client.on('exists', () => {
            dirty = true;
            wake?.();
          });
        } catch (e) {
          // Without IDLE the periodic sweep still finds everything, just later.
          log(`IMAP IDLE unavailable (${(e as Error).message}); sweeping every ${Math.round(Math.min(sweepEveryMs, idleRestartMs) / 1000)}s instead`);
          await closeIdle();
        }
      }
      dirty = false;
      onRound(await collector.collectOnce());
      if (signal.aborted || clock.now() >= until) break;
      if (dirty) continue;
      const waitMs = Math.max(0, Math.min(sweepEveryMs, idleRestartMs, until - clock.now()));
      const woke = new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(t);
          signal.removeEventListener('abort', done);
          wake = null;
          resolve();
        };
        const t = setTimeout(done, waitMs);
        signal.addEventListener('abort', done, { once: true });
        wake = done;
      });
      // idle() resolves when IDLE ends (our NOOP below, or the server); explicit so new-mail
      // notices arrive at once instead of after imapflow's auto-IDLE delay. Starting IDLE
      // also reports anything that arrived since the sweep.
      const idling = idle ? idle.client.idle().catch(() => undefined) : Promise.resolve(undefined);
      if (dirty) (wake as (() => void) | null)?.();
      await woke;
      if (idle?.client.usable) {
        try {
          await idle.call('NOOP (ending IDLE)', (c) => c.noop());
        } catch {
          await closeIdle();
        }
      }
      await idling;
    }
  } finally {
    await closeIdle();
  }
}
