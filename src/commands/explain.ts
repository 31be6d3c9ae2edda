import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { siteForSender } from '../attribute/email.js';
import { contextFor } from '../attribute/record-reply.js';
import { classifyEmail } from '../classify/email.js';
import { messageFromEml } from '../classify/message.js';
import { UsageError } from '../errors.js';
import { loadForCommand, type CommandContext } from './context.js';

export interface ExplainOptions {
  file: string;
  config?: string;
  json?: boolean;
}

/** Larger messages are cut here: the classifier reads the text parts, never attachments. */
const MAX_EML = 25 * 1024 * 1024;

export async function explain(ctx: CommandContext, opts: ExplainOptions): Promise<number> {
  const path = resolve(ctx.cwd, opts.file);
  let raw: Buffer;
  try {
    const size = statSync(path).size;
    raw = readFileSync(path).subarray(0, Math.min(size, MAX_EML));
  } catch {
    throw new UsageError(`cannot read ${opts.file}: give the path of a message saved as .eml`, 'ENOFILE');
  }
  const loaded = opts.config ? loadForCommand(ctx, opts.config) : null;
  const msg = await messageFromEml(raw);
  const context = contextFor(loaded, null);
  const v = classifyEmail(msg, context);
  const reasons = [...v.reasons];
  if (!loaded) reasons.push('no --config given: campaign awareness and site domains not checked');
  const site = loaded && msg.from ? siteForSender(loaded, msg.from.address) : undefined;
  if (site) reasons.push(`sender domain belongs to ${site.name} (site ${site.id})`);
  if (v.stopRequest) reasons.push('asks us to stop: collecting this reply suppresses future probes to that site');
  if (opts.json) {
    ctx.io.json({ kind: v.kind, passAlong: v.passAlong, campaignAware: v.campaignAware, reasons });
    return 0;
  }
  const c = ctx.io.c;
  const yes = (b: boolean) => (b ? c.bold('yes') : 'no');
  ctx.io.line(`${c.bold(opts.file)}: ${msg.from ? `from ${msg.from.address}, ` : ''}"${msg.subject}"`);
  ctx.io.line(`  kind:           ${c.bold(v.kind === 'human' ? 'human reply' : v.kind)}`);
  ctx.io.line(`  pass-along:     ${yes(v.passAlong)}`);
  ctx.io.line(`  campaign-aware: ${yes(v.campaignAware)}`);
  ctx.io.line(`  stop request:   ${yes(v.stopRequest)}`);
  ctx.io.line('  why:');
  for (const r of reasons) ctx.io.line(`    - ${r}`);
  return 0;
}
