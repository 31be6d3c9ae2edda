/** Checks of `reports.notify` beyond the schema (src/notify/ sends what it configures). */
import type { PathSeg } from './positions.js';
import type { AuditConfig } from './schema.js';
import { EMAIL_RE, checkTargetUrl, isLocalHost } from './targets.js';

const AT = ['reports', 'notify'] as const;

// The shapes of rules.ts's Rule, spelled out here: rules.ts lists this rule (no import cycle).
interface RuleIssue {
  path: PathSeg[];
  message: string;
}

export function notifyRule(c: AuditConfig, ctx: { envRefPaths: ReadonlySet<string> }): RuleIssue[] {
  const n = c.reports.notify;
  if (!n) return [];
  const out: RuleIssue[] = [];
  // A webhook whose ${ENV} is missing was set aside before the rules ran: it has its own issue.
  const webhookGiven = ctx.envRefPaths.has([...AT, 'webhook', 'url'].join('\u0000'));
  if (!n.webhook && !n.email && !webhookGiven) out.push({ path: [...AT], message: 'give a webhook, an email, or both (or remove reports.notify)' });
  // An unset ${ENV} reference is left as written for commands that do not notify: nothing to check.
  const url = n.webhook?.url;
  if (url !== undefined && !url.startsWith('${')) {
    // The message never repeats the URL: its path is the credential.
    const bad = checkTargetUrl(url, c.safety.allowLocal);
    if (bad) out.push({ path: [...AT, 'webhook', 'url'], message: bad });
    else if (new URL(url).protocol === 'http:' && !isLocalHost(new URL(url).hostname))
      out.push({ path: [...AT, 'webhook', 'url'], message: 'must be an https URL: the URL is the webhook\'s credential' });
  }
  if (n.email) {
    if (!c.channels.smtp) out.push({ path: [...AT, 'email'], message: 'alert emails are sent through channels.smtp: configure it' });
    n.email.to.forEach((a, i) => {
      if (!EMAIL_RE.test(a)) out.push({ path: [...AT, 'email', 'to', i], message: `"${a}" is not an email address` });
    });
    if (n.email.from !== undefined && !EMAIL_RE.test(n.email.from))
      out.push({ path: [...AT, 'email', 'from'], message: `"${n.email.from}" is not an email address` });
    else if (n.email.from === undefined && c.channels.smtp && !c.channels.smtp.from && !(c.channels.smtp.user && EMAIL_RE.test(c.channels.smtp.user)))
      out.push({ path: [...AT, 'email'], message: 'needs a from address: set reports.notify.email.from (or channels.smtp.from)' });
  }
  return out;
}
