import { collectAll } from '../collect/run-collectors.js';
import type { CollectStats } from '../collect/types.js';
import { parseDuration } from '../config/duration.js';
import { UsageError } from '../errors.js';
import { Store } from '../store/store.js';
import { loadForCommand, type CommandContext } from './context.js';

export interface CollectOptions {
  config?: string;
  /** true (no duration: until interrupted) or a duration such as 2h. */
  watch?: string | boolean;
  json?: boolean;
  /** With json: fields printed in the same JSON object before the collect's (run --collect-for puts the run summary there). */
  jsonPrefix?: Record<string, unknown>;
}

export async function collectCommand(ctx: CommandContext, opts: CollectOptions): Promise<number> {
  const loaded = loadForCommand(ctx, opts.config);
  const { imap, twilio } = loaded.config.channels;
  if (!imap && !twilio) throw new UsageError(`nothing to collect from: ${loaded.shownAs} configures neither channels.imap nor channels.twilio`, 'ENOCOLLECTOR');
  let watchUntil: number | undefined;
  if (opts.watch !== undefined && opts.watch !== false) {
    if (opts.watch === true) watchUntil = Number.POSITIVE_INFINITY;
    else {
      const ms = parseDuration(opts.watch);
      if (ms === undefined) throw new UsageError(`--watch ${opts.watch}: not a duration; use e.g. 30m, 2h or 1d`, 'EBADDURATION');
      watchUntil = ctx.clock.now() + ms;
    }
  }
  const store = new Store(loaded.storePath, ctx.clock);
  try {
    const started = ctx.clock.now();
    if (watchUntil !== undefined)
      ctx.io.info(`watching for replies${Number.isFinite(watchUntil) ? ` until ${new Date(watchUntil).toISOString()}` : ' until interrupted (Ctrl-C)'}`);
    const result = await collectAll(
      { loaded, store, clock: ctx.clock, env: ctx.env, log: (t) => ctx.io.info(t), ...(ctx.io.debugSink ? { debug: ctx.io.debugSink } : {}), signal: ctx.signal, adapters: ctx.adapters },
      { watchUntil, onRound: (s) => (ctx.io.debug(`collect round: ${summaryLine(s)}`), s.added && ctx.io.info(roundLine(s, ctx.clock.now()))) },
    );
    for (const s of result.stats) ctx.io.debug(`collect: ${summaryLine(s)}`);
    if (opts.json) {
      ctx.io.json({
        ...opts.jsonPrefix,
        sources: result.stats,
        closedProbes: result.closedProbes,
        errors: result.errors.map((e) => ({ source: e.source, message: e.error.message })),
        elapsedMs: ctx.clock.now() - started,
      });
    } else {
      for (const s of result.stats) {
        ctx.io.line(summaryLine(s));
        for (const n of s.notes) ctx.io.line(`  note: ${n}`);
      }
      if (result.closedProbes) ctx.io.line(`${result.closedProbes} probe(s) reached the end of their wait window and were closed`);
    }
    if (result.errors.length) {
      for (const e of result.errors.slice(1)) ctx.io.error(e.error.message);
      throw result.errors[0]!.error;
    }
    return 0;
  } finally {
    store.close();
  }
}

function summaryLine(s: CollectStats): string {
  return `${s.source}: looked at ${s.fetched}, ${s.added} new (${s.attributed} attributed, ${s.unattributed} unattributed), ${s.events} event(s)${s.pending ? `, ${s.pending} pending` : ''}`;
}

function roundLine(s: CollectStats, now: number): string {
  return `${new Date(now).toISOString()} ${summaryLine(s)}`;
}
