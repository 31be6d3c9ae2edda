import { parseDuration } from '../config/duration.js';
import { CHANNELS } from '../config/schema.js';
import { ExitCode, UsageError } from '../errors.js';
import type { PlanFilters } from '../plan/plan.js';
import { planJson, printPlan } from '../run/print-plan.js';
import { executeRun, planFromStore } from '../run/run-probes.js';
import { Store, storeExists } from '../store/store.js';
import { EVERYTHING, loadForCommand, PLANS, type CommandContext } from './context.js';
import { escapeForTerminal } from '../review/terminal-escape.js';

export interface RunOptions {
  config?: string;
  dryRun?: boolean;
  only?: string[];
  site?: string[];
  serviceLine?: string[];
  beforeCampaign?: boolean;
  collectFor?: string;
  json?: boolean;
  /** commander's --no-notify sets this false: no alerts after --collect-for. */
  notify?: boolean;
}

export async function runCommand(ctx: CommandContext, opts: RunOptions): Promise<number> {
  const notifies = !opts.dryRun && opts.collectFor !== undefined && opts.notify !== false;
  const loaded = loadForCommand(ctx, opts.config, opts.dryRun ? PLANS : notifies ? EVERYTHING : undefined);
  const filters = checkFilters(loaded.config, opts);
  const collectFor = opts.collectFor === undefined ? undefined : parseDuration(opts.collectFor);
  if (opts.collectFor !== undefined && collectFor === undefined)
    throw new UsageError(`--collect-for ${opts.collectFor}: must be a duration such as 30m or 2h`);
  const req = { filters, beforeCampaign: !!opts.beforeCampaign };

  if (opts.dryRun || loaded.config.safety.dryRun) {
    // Contacts nothing and writes nothing: the store is only read, when it exists.
    const store = storeExists(loaded.storePath) ? new Store(loaded.storePath, ctx.clock) : undefined;
    try {
      const plan = planFromStore({ loaded, store, clock: ctx.clock }, req);
      if (opts.json) ctx.io.json({ dryRun: true, ...planJson(plan) });
      else {
        printPlan(ctx.io, plan, { header: `Dry run: nothing will be contacted. Would send ${plan.due.length} probe${plan.due.length === 1 ? '' : 's'}:` });
        if (loaded.config.safety.dryRun && !opts.dryRun) ctx.io.line('\n(safety.dryRun is true in the config: set it to false to send for real)');
      }
      return 0;
    } finally {
      store?.close();
    }
  }

  const store = new Store(loaded.storePath, ctx.clock);
  const lockName = `run:${loaded.file}`;
  try {
    const lock = store.acquireLock(lockName);
    if (!lock.ok)
      throw new UsageError(
        `another run of ${loaded.shownAs} is in progress (pid ${lock.pid} on ${lock.host} since ${new Date(lock.since).toISOString()}); try again when it has finished`,
        'ELOCKED',
      );
    let report;
    try {
      report = await executeRun({ loaded, store, clock: ctx.clock, io: ctx.io, env: ctx.env, signal: ctx.signal, adapters: ctx.adapters }, req);
    } finally {
      store.releaseLock(lockName);
    }
    const sent = report.probes.filter((p) => p.status === 'submitted').length;
    const summary = { runId: report.runId, ...planJson(report.plan), probes: report.probes, unavailable: report.unavailable };
    if (opts.json && collectFor === undefined) ctx.io.json(summary);
    else if (!opts.json) {
      ctx.io.line(`Run #${report.runId}: ${sent} submitted, ${report.probes.filter((p) => p.status === 'not-sent').length} not sent, ${report.probes.filter((p) => p.status === 'rejected').length} rejected by the site, ${report.probes.filter((p) => p.status === 'unknown').length} unknown; ${report.plan.skipped.filter((s) => s.code !== 'filtered').length} skipped`);
      for (const p of report.probes.filter((x) => x.status !== 'submitted'))
        ctx.io.line(`  ${p.entry} [${p.channel}] ${p.status}: ${p.outcome}${p.error ? ` — ${escapeForTerminal(p.error)}` : ''}`);
      const later = report.plan.skipped.filter((s) => s.code !== 'filtered');
      if (later.length) {
        ctx.io.line('  left for later:');
        for (const s of later) ctx.io.line(`    ${s.entry.key}: ${s.reason}`);
      }
    }
    if (collectFor !== undefined && !ctx.signal.aborted) {
      const { collectCommand } = await import('./collect.js');
      const code = await collectCommand(ctx, { config: opts.config, watch: opts.collectFor, json: opts.json, jsonPrefix: { run: summary } });
      if (code !== 0) return code;
      // The nightly recipe ends with collecting: the alerts (reports.notify) go out here too.
      if (notifies && loaded.config.reports.notify && !ctx.signal.aborted) {
        const { sendAlerts } = await import('../notify/after-report.js');
        await sendAlerts(ctx, loaded, { redact: true, preview: false });
      }
    }
    return report.unavailable.length ? ExitCode.unreachable : ExitCode.ok;
  } finally {
    store.close();
  }
}

function checkFilters(config: { sites: Array<{ id: string; serviceLines: Array<{ id: string }> }> }, o: RunOptions): PlanFilters {
  const channels: readonly string[] = CHANNELS;
  for (const c of o.only ?? []) if (!channels.includes(c)) throw new UsageError(`--only ${c}: use one or more of ${channels.join(', ')}`);
  const siteIds = config.sites.map((s) => s.id);
  for (const s of o.site ?? []) if (!siteIds.includes(s)) throw new UsageError(`--site ${s}: no such site (sites: ${siteIds.join(', ')})`);
  const lineIds = [...new Set(config.sites.flatMap((s) => s.serviceLines.map((l) => l.id)))];
  for (const l of o.serviceLine ?? []) if (!lineIds.includes(l)) throw new UsageError(`--service-line ${l}: no such service line (${lineIds.join(', ')})`);
  return {
    ...(o.only ? { only: o.only } : {}),
    ...(o.site ? { sites: o.site } : {}),
    ...(o.serviceLine ? { serviceLines: o.serviceLine } : {}),
  };
}
