/**
 * `respond-audit try <url | entry>`: for setting up an audit. Opens a web form's page the way
 * a run would (GET and the page's own scripts; nothing is typed, clicked or submitted), and
 * shows what `fields: auto` would do there: each field's role and the value a run would type,
 * the honeypots it leaves alone, the consent it ticks and the opt-ins it leaves, the button it
 * would press and the confirmation it will look for; an annotated screenshot goes to
 * reports/try/. Safety rules apply as for a run (allowLocal, do-not-contact).
 */
import { join } from 'node:path';
import type { ResolvedEntryPoint } from '../config/load.js';
import { checkTargetUrl, doNotContactMatch } from '../config/targets.js';
import { UsageError } from '../errors.js';
import type { PlannedProbe } from '../plan/plan.js';
import { messageFor, newToken, preferredDate, shopperFor } from '../run/job.js';
import { adaptersOf } from '../adapters.js';
import { browserConfigOf } from '../submit/browser.js';
import type { FillContext } from '../submit/webform-fields.js';
import type { WebformEntry } from '../submit/webform-outcome.js';
import type { TryResult } from '../submit/webform-try.js';
import { loadForCommand, type CommandContext } from './context.js';

export interface TryCommandOptions {
  target: string;
  config?: string;
  json?: boolean;
}

export async function tryCommand(ctx: CommandContext, opts: TryCommandOptions): Promise<number> {
  const loaded = loadForCommand(ctx, opts.config);
  const resolved = resolveTarget(loaded.entryPoints, opts.target);
  const entry = resolved.entryPoint as WebformEntry;
  const safety = loaded.config.safety;
  const bad = checkTargetUrl(entry.url, safety.allowLocal);
  if (bad) throw new UsageError(`${entry.url} ${bad}`, 'EUNSAFE');
  const dnc = doNotContactMatch(entry.url, safety.doNotContact) ?? resolved.site.domains.map((d) => doNotContactMatch('x@' + d, safety.doNotContact)).find(Boolean);
  if (dnc) throw new UsageError(`${entry.url} is on the do-not-contact list (${dnc}); try does not open it`, 'EDONOTCONTACT');

  const fill = fillContextFor(loaded, resolved, ctx.clock.now());
  const stamp = new Date(ctx.clock.now()).toISOString().replace(/[:.]/g, '-');
  const screenshotPath = join(loaded.reportsDir, 'try', `${resolved.id.replace(/[^A-Za-z0-9_-]/g, '_')}-${stamp}.png`);
  ctx.io.info(`opening ${entry.url} (nothing will be submitted)`);
  const browser = await adaptersOf(ctx.adapters).launchBrowser(loaded, ctx.env);
  let result: TryResult;
  try {
    const { tryWebform } = await import('../submit/webform-try.js');
    result = await tryWebform(browser, { entry, ctx: fill, timeoutMs: browserConfigOf(loaded).timeout, allowLocal: safety.allowLocal, timezone: resolved.timezone, screenshotPath });
  } finally {
    await browser.close().catch(() => undefined);
  }
  const ok = !result.error && !result.captcha && !!result.form && result.unfilledRequired.length === 0;
  if (opts.json) ctx.io.json({ entry: resolved.key, ...result, ok, submitted: false });
  else for (const line of renderTry(resolved, result, ctx.cwd)) ctx.io.line(line);
  return ok ? 0 : 1;
}

/** An entry-point id (or site/line/entry key), or a URL: a configured entry with that URL, else one in the first entry's context. */
export function resolveTarget(entries: ResolvedEntryPoint[], target: string): ResolvedEntryPoint {
  if (/^https?:\/\//i.test(target)) {
    const same = entries.find((e) => e.entryPoint.type === 'webform' && (e.entryPoint as WebformEntry).url === target);
    if (same) return same;
    const base = entries.find((e) => e.entryPoint.type === 'webform') ?? entries[0];
    if (!base) throw new UsageError('the config has no site to borrow a context from; add one, or give an entry-point id', 'ENOENTRY');
    const entryPoint = { type: 'webform', id: 'try', url: target, fields: 'auto', enabled: true } as WebformEntry;
    return { ...base, entryPoint, id: 'try', key: `${base.site.id}/${base.serviceLine.id}/try` };
  }
  const hits = entries.filter((e) => e.id === target || e.key === target);
  const webforms = entries.filter((e) => e.entryPoint.type === 'webform');
  if (!hits.length)
    throw new UsageError(`no entry point "${target}" in the config; web forms: ${webforms.map((e) => e.key).join(', ') || 'none'} (or give a URL)`, 'ENOENTRY');
  const forms = hits.filter((e) => e.entryPoint.type === 'webform');
  if (!forms.length) throw new UsageError(`${target} is a ${hits[0]!.entryPoint.type} entry point; try opens web forms only`, 'ENOTWEBFORM');
  if (forms.length > 1) throw new UsageError(`"${target}" names ${forms.length} web forms: use one of ${forms.map((e) => e.key).join(', ')}`, 'EAMBIGUOUS');
  return forms[0]!;
}

function fillContextFor(loaded: Parameters<typeof messageFor>[0], e: ResolvedEntryPoint, now: number): FillContext {
  const planned: PlannedProbe = {
    entry: e,
    channel: 'webform',
    target: (e.entryPoint as WebformEntry).url,
    why: 'try',
    variant: 0,
    shopperName: loaded.config.shopper.name,
    shopperEmailTemplate: loaded.config.shopper.email,
    shopperPhone: loaded.config.shopper.phones[0] ?? null,
    estCost: 0,
  } as PlannedProbe;
  const shopper = shopperFor(planned, newToken());
  const message = messageFor(loaded, planned, shopper);
  return {
    firstName: shopper.firstName,
    lastName: shopper.lastName,
    fullName: shopper.name,
    email: shopper.email,
    phone: shopper.phone,
    askCallback: e.inquiry.askCallback,
    message: message.body,
    subject: message.subject,
    preferredDate: preferredDate(e.inquiry.preferredDate, now, e.timezone),
    serviceLine: e.serviceLine.name,
    profile: e.profile,
    ...(e.entryPoint.type === 'webform' && e.entryPoint.answers ? { answers: e.entryPoint.answers } : {}),
  };
}

const ACTION: Record<string, string> = { type: 'types', select: 'selects', choose: 'opens and chooses', tick: 'ticks', leave: 'leaves', skip: 'skips' };
const short = (s: string, n: number) => (s.length > n ? s.slice(0, n - 1) + '…' : s);

/** The text report (pure: tested through the CLI). */
export function renderTry(e: ResolvedEntryPoint, r: TryResult, cwd: string): string[] {
  const out = [`${e.site.name} · ${e.serviceLine.name} · ${e.id}  ${r.url}`];
  if (r.finalUrl && r.finalUrl !== r.url) out.push(`  (now at ${r.finalUrl})`);
  if (r.captcha === 'quiz') out.push(`QUIZ: the form asks ${(r.quiz ?? []).map((q) => JSON.stringify(q)).join(', ')}, which only a person can answer; a run reports this entry point \`blocked\` and never submits it unless the entry point's answers: gives the answer`);
  else if (r.captcha) out.push(`CAPTCHA: the page shows ${r.captcha}; a run reports this entry point \`blocked\` and never submits it`);
  if (r.error) out.push(`problem: ${r.error}`);
  if (r.form) {
    out.push(`form: ${r.form.index >= 0 ? `form #${r.form.index + 1}` : 'controls outside any <form>'} of the ${r.form.frame}`);
    const w = Math.min(48, Math.max(8, ...r.fields.map((f) => f.label.length + (f.required ? 2 : 0))));
    for (const f of r.fields) {
      const what = f.value !== undefined ? `${ACTION[f.action]} ${JSON.stringify(short(f.value, 70))}` : ACTION[f.action];
      out.push(`  ${short(f.label + (f.required ? ' *' : ''), w).padEnd(w)}  ${f.role.padEnd(15)} ${what}${f.note ? `  (${f.note})` : ''}`);
    }
    if (r.next) out.push(`steps: the first step ends with "${r.next}"; later steps are filled on a real run`);
    if (r.submit) out.push(`submit: would press ${r.submit}`);
    out.push('success: will look for');
    for (const s of r.success) out.push(`  - ${s}`);
    out.push('refused: will report');
    for (const s of r.refusal) out.push(`  - ${s}`);
    if (r.unfilledRequired.length) out.push(`required fields without a value: ${r.unfilledRequired.join(', ')} (add them to the entry point's fields: map)`);
  }
  if (r.screenshot) out.push(`screenshot: ${r.screenshot.startsWith(cwd + '/') ? r.screenshot.slice(cwd.length + 1) : r.screenshot}`);
  out.push(`nothing was submitted${r.blockedRequests.length ? ` (${r.blockedRequests.length} request(s) the page's own scripts tried to send were blocked)` : ''}`);
  return out;
}
