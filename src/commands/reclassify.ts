/**
 * `respond-audit reclassify`: the classifier runs again over the replies the store kept,
 * contacting nothing, and what changed is printed (event, before → after). Corrections made
 * by hand stand. --dry-run opens the store read-only and writes nothing.
 */
import { parseDuration } from '../config/duration.js';
import { UsageError } from '../errors.js';
import { reclassify, type ReclassifyResult, type VerdictText } from '../review/reclassify.js';
import { Store, storeExists, storeLabel } from '../store/store.js';
import { loadForCommand, type CommandContext } from './context.js';

export interface ReclassifyOptions {
  config?: string;
  since?: string;
  dryRun?: boolean;
  json?: boolean;
}

export async function reclassifyCommand(ctx: CommandContext, opts: ReclassifyOptions): Promise<number> {
  const sinceMs = opts.since === undefined ? undefined : parseDuration(opts.since);
  if (opts.since !== undefined && sinceMs === undefined) throw new UsageError(`--since ${opts.since}: expected a duration such as 30d or 12h`);
  const loaded = loadForCommand(ctx, opts.config);
  if (!storeExists(loaded.storePath)) throw new UsageError(`no results yet: the store ${storeLabel(loaded.storePath)} does not exist`, 'ENOSTORE');
  const dryRun = !!opts.dryRun;
  const store = new Store(loaded.storePath, ctx.clock, dryRun ? { readonly: true, mustExist: true } : { mustExist: true });
  let result: ReclassifyResult;
  try {
    if (dryRun && store.schemaBehind()) {
      // Read-only, so not migrated: a store this old kept no replies to classify again.
      const msg = 'the store predates kept replies: none of its verdicts can be reclassified (their mail was not kept)';
      if (opts.json) ctx.io.json({ dryRun, looked: 0, reclassified: 0, changes: [], notKept: [], truncated: [], note: msg });
      else ctx.io.line(msg);
      return 0;
    }
    result = reclassify(store, loaded, { dryRun, ...(sinceMs !== undefined ? { since: ctx.clock.now() - sinceMs } : {}) });
  } finally {
    store.close();
  }
  if (opts.json) {
    ctx.io.json({ dryRun, ...result });
    return 0;
  }
  const c = ctx.io.c;
  ctx.io.line(`${dryRun ? c.bold('Dry run, nothing written. ') : ''}${result.reclassified} of ${result.looked} verdict${result.looked === 1 ? '' : 's'} classified again; ${result.changes.length} changed.`);
  if (result.changes.length) {
    const rows = result.changes.map((ch) => [
      String(ch.eventId),
      ch.entryKey ?? '(no inquiry)',
      `${verdict(ch.before)} → ${verdict(ch.after)}`,
      [ch.correctionKept ? 'correction by hand stands' : '', ch.newStopRequest ? 'stop request found: site suppressed' : ''].filter(Boolean).join('; '),
    ]);
    ctx.io.line(table(['Event', 'Inquiry', 'Before → after', ''], rows));
  }
  if (result.notKept.length)
    ctx.io.line(
      `${result.notKept.length} verdict${result.notKept.length === 1 ? '' : 's'} cannot be reclassified: collected before replies were kept (event${result.notKept.length === 1 ? '' : 's'} ${list(result.notKept)}).`,
    );
  if (result.truncated.length) ctx.io.line(`${result.truncated.length} reclassified from mail kept only in part (over the size limits): ${list(result.truncated)}.`);
  return 0;
}

function verdict(v: VerdictText): string {
  const tags = [v.passAlong && 'pass-along', v.campaignAware && 'campaign-aware'].filter(Boolean);
  return `${v.kind ?? '?'}${tags.length ? ` (${tags.join(', ')})` : ''}`;
}

function list(ids: number[]): string {
  return ids.slice(0, 20).join(', ') + (ids.length > 20 ? ', …' : '');
}

function table(head: string[], rows: string[][]): string {
  const all = [head, ...rows];
  const widths = head.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  return all.map((r) => ' ' + r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}
