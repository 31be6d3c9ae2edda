import { formatDuration } from '../config/duration.js';
import { localTime } from '../run/print-plan.js';
import { escapeForTerminal } from '../review/terminal-escape.js';
import { Store, storeExists, storeLabel } from '../store/store.js';
import type { EventRow, ProbeRow } from '../store/types.js';
import { loadForCommand, READS_STORE, type CommandContext } from './context.js';

export interface StatusOptions {
  config?: string;
  json?: boolean;
}

export interface ProbeStatusView {
  token: string;
  entry: string;
  channel: string;
  status: string;
  outcome: string | null;
  submittedAt: number | null;
  closesAt: number | null;
  received: Array<{ kind: string; at: number; attribution: string; passAlong: boolean; campaignAware: boolean; followUp: boolean }>;
  awaiting: string[];
  error: string | null;
}

export async function status(ctx: CommandContext, opts: StatusOptions): Promise<number> {
  const loaded = loadForCommand(ctx, opts.config, READS_STORE);
  if (!storeExists(loaded.storePath)) {
    if (opts.json) ctx.io.json({ runs: [], openProbes: [], unknownProbes: [], rejectedProbes: [], unattributed: [] });
    else ctx.io.line(`No inquiries sent yet (${storeLabel(loaded.storePath)} does not exist; a dry run records nothing). ${nextStep(loaded.config.safety.dryRun)}`);
    return 0;
  }
  const store = new Store(loaded.storePath, ctx.clock);
  try {
    store.closeExpiredProbes();
    const runs = store.listRuns(10);
    const open = store.listProbes({ open: true });
    const views = open.map((p) => view(p, store.eventsForProbe(p.id)));
    const unknown = views.filter((v) => v.status === 'unknown');
    const unattributed = store.unattributed(20);
    // Submissions the site refused in the latest run: they reached it, so they are not "not sent",
    // and nothing waits for a reply to them. The site's own words are in the error.
    const rejected = runs.length ? store.listProbes({ runId: runs[0]!.id, status: ['rejected'] }).map((p) => view(p, [])) : [];
    if (opts.json) {
      ctx.io.json({ runs, openProbes: views, unknownProbes: unknown, rejectedProbes: rejected, unattributed });
      return 0;
    }
    if (!runs.length) {
      ctx.io.line(`No inquiries sent yet. ${nextStep(loaded.config.safety.dryRun)}`);
      return 0;
    }
    const c = ctx.io.c;
    // Times as the sites live them: runs and unattributed mail in the config's timezone,
    // each probe in its own site's.
    const home = loaded.config.timezone;
    const zoneOf = new Map(loaded.entryPoints.map((e) => [e.key, e.timezone]));
    ctx.io.line(c.bold('Runs'));
    for (const r of runs)
      ctx.io.line(`  #${r.id} ${r.kind}${r.dryRun ? ' (dry run)' : ''} ${localTime(r.startedAt, home)} ${r.status}${summaryText(r.summary)}`);
    ctx.io.line();
    ctx.io.line(c.bold(`Open probes (${views.length})`));
    if (!views.length) ctx.io.line('  none: every probe\'s wait window has closed');
    const now = ctx.clock.now();
    for (const v of views) {
      const age = v.submittedAt ? `${localTime(v.submittedAt, zoneOf.get(v.entry) ?? home)}, ${formatDuration(now - v.submittedAt)} ago` : 'not confirmed';
      const got = v.received.length ? v.received.map(receivedText).join(', ') : 'nothing yet';
      ctx.io.line(`  ${v.entry} [${v.channel}] ${v.token} ${v.status === 'unknown' ? c.yellow('unknown') : 'sent'} ${age}; received: ${got}; awaiting: ${v.awaiting.join(', ') || '—'}`);
      if (v.status === 'unknown' && v.error) ctx.io.line(`      ${c.yellow(escapeForTerminal(v.error))}`);
    }
    if (rejected.length) {
      ctx.io.line();
      ctx.io.line(c.bold(`Refused by the site in run #${runs[0]!.id} (${rejected.length})`));
      for (const v of rejected) {
        ctx.io.line(`  ${v.entry} [${v.channel}] ${v.token} rejected`);
        if (v.error) ctx.io.line(`      ${c.yellow(escapeForTerminal(v.error))}`);
      }
    }
    if (unattributed.length) {
      ctx.io.line();
      ctx.io.line(c.bold(`Unattributed (${unattributed.length})`));
      for (const u of unattributed)
        ctx.io.line(`  ${localTime(u.occurredAt, home)} ${u.kind} from ${u.sender ?? '?'}: ${u.subject ?? ''}`);
    }
    return 0;
  } finally {
    store.close();
  }
}

function view(p: ProbeRow, events: EventRow[]): ProbeStatusView {
  const kinds = new Set(events.map((e) => e.kind));
  const awaiting: string[] = [];
  if (p.channel === 'webform' || p.channel === 'email') {
    if (!events.some((e) => e.kind === 'auto-ack' || e.kind === 'human-reply')) awaiting.push('first response');
    if (!kinds.has('human-reply')) awaiting.push('human reply');
    else if (!events.some((e) => e.followUp)) awaiting.push('follow-up');
    if (p.shopperPhone && !kinds.has('callback')) awaiting.push('callback');
  } else if (p.channel === 'phone') {
    if (!kinds.has('call')) awaiting.push('call result');
  } else if (p.channel === 'sms') {
    if (!kinds.has('sms-reply')) awaiting.push('text reply');
  }
  return {
    token: p.token,
    entry: p.entryKey,
    channel: p.channel,
    status: p.status,
    outcome: p.outcome,
    submittedAt: p.submittedAt,
    closesAt: p.closesAt,
    received: events.map((e) => ({ kind: e.kind, at: e.occurredAt, attribution: e.attribution, passAlong: e.passAlong, campaignAware: e.campaignAware, followUp: e.followUp })),
    awaiting,
    error: p.error,
  };
}

/** "human-reply (pass-along, likely)" */
function receivedText(e: ProbeStatusView['received'][number]): string {
  const tags = [e.passAlong && 'pass-along', e.campaignAware && 'knows the campaign', e.followUp && 'follow-up', e.attribution !== 'exact' && e.attribution].filter(Boolean);
  return tags.length ? `${e.kind} (${tags.join(', ')})` : e.kind;
}

function summaryText(s: Record<string, unknown> | null): string {
  if (!s) return '';
  const parts = Object.entries(s)
    .filter(([, v]) => typeof v === 'number')
    .map(([k, v]) => `${k} ${String(v)}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/** What to do next when nothing has been sent: rehearse, then send (the config may still say dryRun). */
function nextStep(dryRun: boolean): string {
  return dryRun
    ? '`respond-audit run --dry-run` shows what would be sent; to send it, set `safety.dryRun: false` in the config and run `respond-audit run`.'
    : '`respond-audit run --dry-run` shows what would be sent; `respond-audit run` sends it.';
}
