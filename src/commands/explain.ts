import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { siteForSender } from '../attribute/email.js';
import { contextFor } from '../attribute/record-reply.js';
import type { LoadedConfig } from '../config/load.js';
import { classifyEmail, NEEDS_REVIEW_BELOW, type EmailContext } from '../classify/email.js';
import { messageFromEml, type ReplyMessage } from '../classify/message.js';
import { UsageError } from '../errors.js';
import { DEFAULT_CONFIG, loadForCommand, type CommandContext } from './context.js';

export interface ExplainOptions {
  /** One file or several (`explain *.eml`). */
  file: string | string[];
  config?: string;
  json?: boolean;
  /** When the inquiry was sent (ISO date-time): a reply seconds later was written by a machine. */
  sentAt?: string;
}

/** Larger messages are cut here: the classifier reads the text parts, never attachments. */
const MAX_EML = 25 * 1024 * 1024;

/** Fields every message has at least one of; a file with none of them is not a message. */
const MESSAGE_FIELDS = ['from', 'to', 'subject', 'date', 'message-id', 'received', 'return-path', 'sender', 'delivered-to'];

export async function explain(ctx: CommandContext, opts: ExplainOptions): Promise<number> {
  const files = Array.isArray(opts.file) ? opts.file : [opts.file];
  const sentAt = opts.sentAt === undefined ? undefined : Date.parse(opts.sentAt);
  if (sentAt !== undefined && !Number.isFinite(sentAt)) throw new UsageError(`--sent-at ${opts.sentAt} is not a date-time (e.g. 2027-03-09T10:12:00Z)`, 'EUSAGE');
  const { loaded, note } = configFor(ctx, opts.config);
  const context: EmailContext = { ...contextFor(loaded, null), ...(sentAt !== undefined ? { sentAt } : {}) };
  // Read and check every file first, so a bad one fails the run before anything is printed.
  const messages: Array<{ file: string; msg: ReplyMessage }> = [];
  for (const file of files) messages.push({ file, msg: await readMessage(ctx, file) });
  for (const { file, msg } of messages) {
    const v = classifyEmail(msg, context);
    const reasons = [...v.reasons];
    if (note) reasons.push(note);
    if (sentAt === undefined) reasons.push('no --sent-at given: the time since the inquiry was not weighed');
    const site = loaded && msg.from ? siteForSender(loaded, msg.from.address) : undefined;
    if (site) reasons.push(`sender domain belongs to ${site.name} (site ${site.id})`);
    if (v.stopRequest) reasons.push('asks us to stop: collecting this reply suppresses future probes to that site');
    if (opts.json) {
      const out = { file, kind: v.kind, passAlong: v.passAlong, campaignAware: v.campaignAware, stopRequest: v.stopRequest, confidence: v.confidence, needsReview: v.needsReview, reasons };
      // One file: a readable object; several: one object per line (JSON Lines).
      if (messages.length === 1) ctx.io.json(out);
      else ctx.io.jsonLine(out);
      continue;
    }
    const c = ctx.io.c;
    const yes = (b: boolean) => (b ? c.bold('yes') : 'no');
    ctx.io.line(`${c.bold(file)}: ${msg.from ? `from ${msg.from.address}, ` : ''}"${msg.subject}"`);
    ctx.io.line(`  kind:           ${c.bold(v.kind === 'human' ? 'human reply' : v.kind)}`);
    ctx.io.line(`  pass-along:     ${yes(v.passAlong)}`);
    ctx.io.line(`  campaign-aware: ${yes(v.campaignAware)}`);
    ctx.io.line(`  stop request:   ${yes(v.stopRequest)}`);
    ctx.io.line(`  confidence:     ${Math.round(v.confidence * 100)}%${v.needsReview ? ` (${c.bold('needs review')}: below ${Math.round(NEEDS_REVIEW_BELOW * 100)}%)` : ''}`);
    ctx.io.line('  why:');
    for (const r of reasons) ctx.io.line(`    - ${r}`);
  }
  return 0;
}

/**
 * --config is loaded strictly. Without it the default config is used when it exists; a reply
 * can always be classified without one (no campaign, no shopper), so its absence, or a default
 * that does not load, is said in the reasons rather than an error.
 */
function configFor(ctx: CommandContext, given: string | undefined): { loaded: LoadedConfig | null; note?: string } {
  if (given) return { loaded: loadForCommand(ctx, given, { channels: [], targets: false }) };
  if (!existsSync(resolve(ctx.cwd, DEFAULT_CONFIG)))
    return { loaded: null, note: `no config (none given, none at ${DEFAULT_CONFIG}): classified without context (campaign awareness and site domains not checked)` };
  try {
    return { loaded: loadForCommand(ctx, undefined, { channels: [], targets: false }) };
  } catch (e) {
    return { loaded: null, note: `${DEFAULT_CONFIG} did not load (${(e as Error).message.split('\n')[0]}): classified without context` };
  }
}

async function readMessage(ctx: CommandContext, file: string): Promise<ReplyMessage> {
  const path = resolve(ctx.cwd, file);
  let raw: Buffer;
  try {
    const size = statSync(path).size;
    raw = readFileSync(path).subarray(0, Math.min(size, MAX_EML));
  } catch {
    throw new UsageError(`cannot read ${file}: give the path of a message saved as .eml`, 'ENOFILE');
  }
  const notMail = () => new UsageError(`${file} is not an email message (no header block with From, Subject, Date or the like): give a message saved as .eml`, 'ENOTMAIL');
  // A message starts with a header field (or an mbox "From " line); binary and prose do not.
  const head = raw.subarray(0, 1000).toString('latin1');
  if (head.includes('\0') || !/^(From |[!-9;-~]+:)/.test(head.replace(/^\uFEFF|^\xEF\xBB\xBF/, ''))) throw notMail();
  const msg = await messageFromEml(raw.subarray(head.startsWith('From ') ? raw.indexOf(10) + 1 : 0));
  if (!MESSAGE_FIELDS.some((f) => msg.headers.has(f))) throw notMail();
  return msg;
}
