/**
 * Alerts in words: a Slack-compatible `{ text, blocks }` body for webhooks and a plain-text
 * email. Staff details are redacted as in reports (src/report/redact.ts); everything that
 * came from the organization is escaped for Slack's mrkdwn (&, <, >), so a reply cannot
 * ping a channel or plant a link.
 */
import { redactText } from '../report/redact.js';
import type { Alert, AlertKind } from './evaluate.js';

export interface AlertMessage {
  subject: string;
  /** One line per alert, grouped under headings (plain text, redacted, not escaped). */
  lines: string[];
}

const HEADINGS: Record<AlertKind, string> = {
  failing: 'Failing',
  degraded: 'Degraded',
  'grade-drop': 'Grade drops',
  finding: 'New findings',
  recovered: 'Recovered',
};
const ORDER: AlertKind[] = ['failing', 'degraded', 'grade-drop', 'finding', 'recovered'];
/** Lines shown per message; the rest are counted (a webhook block holds 3,000 characters). */
export const MAX_LINES = 25;

export function alertMessage(organization: string, alerts: readonly Alert[], redact: boolean): AlertMessage {
  const clean = (s: string) => (redact ? redactText(s) : s).replace(/[\r\n]+/g, ' ');
  const lines: string[] = [];
  let shown = 0;
  for (const kind of ORDER) {
    const of = alerts.filter((a) => a.kind === kind);
    if (!of.length) continue;
    lines.push(`${HEADINGS[kind]} (${of.length}):`);
    for (const a of of) if (shown++ < MAX_LINES) lines.push(`- ${clean(a.text)}`);
  }
  if (shown > MAX_LINES) lines.push(`… and ${shown - MAX_LINES} more (see the report)`);
  const n = alerts.length;
  return { subject: `respond-audit: ${n} alert${n === 1 ? '' : 's'} for ${clean(organization)}`, lines };
}

/** Slack mrkdwn's three control characters. */
export function escapeMrkdwn(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export interface SlackPayload {
  text: string;
  blocks: Array<{ type: 'section'; text: { type: 'mrkdwn'; text: string } }>;
}

export function slackPayload(msg: AlertMessage): SlackPayload {
  const sections: string[] = [];
  for (const line of msg.lines) {
    const text = line.startsWith('- ') ? `• ${escapeMrkdwn(line.slice(2))}` : `*${escapeMrkdwn(line)}*`;
    if (!line.startsWith('- ') || !sections.length) sections.push(text);
    else sections[sections.length - 1] += `\n${text}`;
  }
  return {
    text: escapeMrkdwn(msg.subject),
    blocks: [msg.subject, ...sections].map((t, i) => ({ type: 'section', text: { type: 'mrkdwn', text: i === 0 ? `*${escapeMrkdwn(t)}*` : t.slice(0, 3000) } })),
  };
}

export function emailText(msg: AlertMessage): string {
  return `${msg.subject}\n\n${msg.lines.join('\n')}\n\nSent by respond-audit report.\n`;
}
