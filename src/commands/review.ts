/**
 * `respond-audit review`: the verdicts that need a person's eye (or all with --all), each with
 * its message, verdict and reasons. On a terminal it asks for a correction of each; otherwise
 * it lists them (`--json` for scripts), and `review set <event> …` records one correction.
 * Every correction is logged with when, why (--note) and who (--by or RESPOND_AUDIT_REVIEWER;
 * the login name is not taken: on CI it is "root" or "runner", and reports go to third parties).
 */
import { createInterface } from 'node:readline';
import { parseDuration } from '../config/duration.js';
import type { LoadedConfig } from '../config/load.js';
import { UsageError } from '../errors.js';
import { applyCorrection, CORRECTION_SYNTAX, parseCorrection, type CorrectionOutcome } from '../review/correction.js';
import { reviewItems, type ReviewItem } from '../review/items.js';
import { escapeForTerminal } from '../review/terminal-escape.js';
import { Store, storeExists, storeLabel } from '../store/store.js';
import { loadForCommand, type CommandContext } from './context.js';

export interface ReviewOptions {
  config?: string;
  all?: boolean;
  since?: string;
  by?: string;
  json?: boolean;
}

export interface ReviewSetOptions {
  config?: string;
  event: string;
  changes: string[];
  note?: string;
  by?: string;
  json?: boolean;
}

function openStore(ctx: CommandContext, config: string | undefined): { loaded: LoadedConfig; store: Store } {
  const loaded = loadForCommand(ctx, config);
  if (!storeExists(loaded.storePath))
    throw new UsageError(`no results yet: the store ${storeLabel(loaded.storePath)} does not exist. Run \`respond-audit run\` and \`collect\` first.`, 'ENOSTORE');
  return { loaded, store: new Store(loaded.storePath, ctx.clock, { mustExist: true }) };
}

function reviewerOf(ctx: CommandContext, by: string | undefined): string | null {
  const name = (by ?? ctx.env.RESPOND_AUDIT_REVIEWER ?? '').trim();
  return name ? name.slice(0, 100) : null;
}

export async function reviewCommand(ctx: CommandContext, opts: ReviewOptions): Promise<number> {
  const sinceMs = opts.since === undefined ? undefined : parseDuration(opts.since);
  if (opts.since !== undefined && sinceMs === undefined) throw new UsageError(`--since ${opts.since}: expected a duration such as 7d or 12h`);
  const { loaded, store } = openStore(ctx, opts.config);
  try {
    const items = reviewItems(store, { all: !!opts.all, ...(sinceMs !== undefined ? { since: ctx.clock.now() - sinceMs } : {}) });
    if (opts.json) {
      ctx.io.json({ items, counts: counts(items) });
      return 0;
    }
    const input = ctx.io.input();
    if (!items.length) {
      ctx.io.line(opts.all ? 'No emailed replies matched to an inquiry yet.' : 'Nothing needs review. `respond-audit review --all` walks every verdict.');
      return 0;
    }
    if (!input?.isTTY) {
      for (const it of items) ctx.io.line(summaryLine(it));
      ctx.io.line();
      ctx.io.line(`${items.length} verdict${items.length === 1 ? '' : 's'}. Correct one with \`respond-audit review set <event> kind=human --note "…"\` (${CORRECTION_SYNTAX}), or run \`review\` in a terminal to walk them.`);
      return 0;
    }
    await walk(ctx, loaded, store, items, input, reviewerOf(ctx, opts.by));
    return 0;
  } finally {
    store.close();
  }
}

export async function reviewSet(ctx: CommandContext, opts: ReviewSetOptions): Promise<number> {
  const eventId = Number(opts.event);
  if (!Number.isInteger(eventId) || eventId <= 0) throw new UsageError(`event ${opts.event}: expected an event id such as 12 (see \`respond-audit review --all\`)`);
  const input = parseCorrection(opts.changes);
  const { loaded, store } = openStore(ctx, opts.config);
  try {
    const outcome = applyCorrection(store, loaded, eventId, input, { note: opts.note?.trim() || null, reviewer: reviewerOf(ctx, opts.by), at: ctx.clock.now() });
    if (opts.json) ctx.io.json(outcome);
    else ctx.io.line(outcomeLine(outcome));
    return 0;
  } finally {
    store.close();
  }
}

function counts(items: ReviewItem[]) {
  return {
    items: items.length,
    needsReview: items.filter((i) => i.needsReview && !i.correction).length,
    corrected: items.filter((i) => i.correction?.action === 'correct').length,
    confirmed: items.filter((i) => i.correction?.action === 'confirm').length,
  };
}

const KIND_TEXT: Record<string, string> = { 'auto-ack': 'automatic acknowledgement', 'human-reply': 'human reply', bounce: 'bounce', unattributed: 'not a reply to an inquiry' };
const kindText = (k: string) => KIND_TEXT[k] ?? k;
const yesNo = (b: boolean) => (b ? 'yes' : 'no');

function verdictText(kind: string, passAlong: boolean, campaignAware: boolean): string {
  return kind === 'unattributed' ? kindText(kind) : `${kindText(kind)}, pass-along ${yesNo(passAlong)}, campaign-aware ${yesNo(campaignAware)}`;
}

function outcomeLine(o: CorrectionOutcome): string {
  const c = o.correction;
  const what = c.action === 'clear' ? 'correction withdrawn' : c.action === 'confirm' ? 'confirmed as it is' : 'corrected by hand';
  return `event ${o.eventId}: ${verdictText(o.before.kind, o.before.passAlong, o.before.campaignAware)} → ${verdictText(o.after.kind, o.after.passAlong, o.after.campaignAware)} (${what}${c.note ? `; note: ${c.note}` : ''})`;
}

function stateOf(it: ReviewItem): string {
  if (it.correction?.action === 'correct') return 'corrected by hand';
  if (it.correction?.action === 'confirm') return 'confirmed by hand';
  return it.needsReview ? 'needs review' : 'classifier';
}

function summaryLine(it: ReviewItem): string {
  const conf = it.confidence === null ? '' : ` confidence ${it.confidence.toFixed(2)}`;
  return escapeForTerminal(
    `  event ${it.eventId} ${it.probe?.entryKey ?? '?'} ${new Date(it.occurredAt).toISOString().slice(0, 16)}Z ${verdictText(it.kind, it.passAlong, it.campaignAware)} [${stateOf(it)}${conf}] from ${it.from ?? '?'}: ${(it.subject ?? '').slice(0, 80)}`,
  ).replace(/\n/g, ' ');
}

/** Lines from a stream, one at a time, none lost between prompts (null at the end). */
class LineReader {
  private queue: string[] = [];
  private waiting: ((l: string | null) => void) | null = null;
  private closed = false;
  private readonly rl;
  constructor(input: NodeJS.ReadableStream) {
    this.rl = createInterface({ input, terminal: false });
    this.rl.on('line', (l) => {
      if (this.waiting) {
        const w = this.waiting;
        this.waiting = null;
        w(l);
      } else this.queue.push(l);
    });
    this.rl.on('close', () => {
      this.closed = true;
      this.waiting?.(null);
      this.waiting = null;
    });
  }
  next(): Promise<string | null> {
    if (this.queue.length) return Promise.resolve(this.queue.shift()!);
    if (this.closed) return Promise.resolve(null);
    return new Promise((r) => (this.waiting = r));
  }
  close(): void {
    this.rl.close();
  }
}

async function walk(ctx: CommandContext, loaded: LoadedConfig, store: Store, items: ReviewItem[], input: NodeJS.ReadableStream, reviewer: string | null): Promise<void> {
  const { c } = ctx.io;
  const reader = new LineReader(input);
  const prompt = (text: string) => ctx.io.stdout.write(text);
  let corrected = 0;
  let confirmed = 0;
  let skipped = 0;
  try {
    for (const [i, it] of items.entries()) {
      if (ctx.signal.aborted) break;
      ctx.io.line();
      ctx.io.line(c.bold(`── ${i + 1} of ${items.length}: event ${it.eventId}`) + `  ${it.probe?.entryKey ?? ''}  ${new Date(it.occurredAt).toISOString()}`);
      ctx.io.line(`From:    ${escapeForTerminal(it.from ?? '?')}`);
      ctx.io.line(`Subject: ${escapeForTerminal(it.subject ?? '').replace(/\n/g, ' ')}`);
      ctx.io.line(`Verdict: ${c.bold(verdictText(it.kind, it.passAlong, it.campaignAware))}  [${stateOf(it)}${it.confidence === null ? '' : `, confidence ${it.confidence.toFixed(2)}`}]`);
      if (it.correction?.note) ctx.io.line(`Note:    ${escapeForTerminal(it.correction.note)}`);
      ctx.io.line('Why:');
      for (const r of it.reasons.slice(0, 12)) ctx.io.line(`  - ${escapeForTerminal(r)}`);
      ctx.io.line('Message:');
      for (const l of escapeForTerminal(it.text || '(no text)').split('\n').slice(0, 60)) ctx.io.line(c.dim('  | ') + l);
      if (!it.reclassifiable) ctx.io.line(c.dim('  (collected before replies were kept: `reclassify` cannot read it again)'));
      for (;;) {
        prompt(`Correction (${CORRECTION_SYNTAX}; Enter skips, q quits): `);
        const answer = await reader.next();
        if (answer === null || answer.trim().toLowerCase() === 'q') {
          ctx.io.line();
          ctx.io.line(`${corrected} corrected, ${confirmed} confirmed, ${skipped + items.length - i} left as they were.`);
          return;
        }
        if (!answer.trim()) {
          skipped++;
          break;
        }
        let parsed;
        try {
          parsed = parseCorrection(answer.trim().split(/\s+/));
        } catch (e) {
          ctx.io.line(c.yellow((e as Error).message));
          continue;
        }
        prompt('Note (why; optional): ');
        const note = ((await reader.next()) ?? '').trim() || null;
        try {
          const o = applyCorrection(store, loaded, it.eventId, parsed, { note, reviewer, at: ctx.clock.now() });
          if (o.correction.action === 'confirm') confirmed++;
          else if (o.correction.action === 'correct') corrected++;
          ctx.io.line(c.green(outcomeLine(o)));
          break;
        } catch (e) {
          if (!(e instanceof UsageError)) throw e;
          ctx.io.line(c.yellow(e.message));
        }
      }
    }
    ctx.io.line();
    ctx.io.line(`${corrected} corrected, ${confirmed} confirmed, ${skipped} left as they were.`);
  } finally {
    reader.close();
  }
}
