/**
 * Sends a report's alerts through each configured channel (webhook, email) and records what
 * was notified, per channel, only after that channel's send succeeded: a failed send is
 * reported and retried by the next report, and never changes the report's exit code.
 */
import type { AuditConfig } from '../config/schema.js';
import type { ReportModel } from '../score/model.js';
import type { ProbeScore } from '../score/probe.js';
import type { ScoreSettings } from '../score/settings.js';
import { notifiedStates, recordNotified } from '../store/alert-queries.js';
import type { Store } from '../store/store.js';
import { evaluateAlerts, type Alert } from './evaluate.js';
import { alertMessage, emailText, slackPayload } from './message.js';
import { postWebhook, sendMail, type MailSend, type WebhookPost } from './send.js';

export type NotifyChannel = 'webhook' | 'email';

export interface NotifyInput {
  config: AuditConfig;
  store: Store;
  model: ReportModel;
  scores: readonly ProbeScore[];
  settings: ScoreSettings;
  now: number;
  redact: boolean;
  /** Print what would be sent; send and record nothing. */
  preview?: boolean;
}

export interface NotifyDeps {
  post?: WebhookPost;
  mail?: MailSend;
  /** Where previews and failures are told (stderr). */
  info: (text: string) => void;
  warn: (text: string) => void;
}

export interface ChannelOutcome {
  channel: NotifyChannel;
  alerts: Alert[];
  /** sent, nothing (no alert due), failed, or preview. */
  result: 'sent' | 'nothing' | 'failed' | 'preview';
  error?: string;
}

export async function notify(input: NotifyInput, deps: NotifyDeps): Promise<ChannelOutcome[]> {
  const n = input.config.reports.notify;
  if (!n) return [];
  const channels: NotifyChannel[] = [...(n.webhook ? (['webhook'] as const) : []), ...(n.email ? (['email'] as const) : [])];
  const out: ChannelOutcome[] = [];
  for (const channel of channels) {
    const { alerts, states } = evaluateAlerts(input.model, input.scores, input.settings, notifiedStates(input.store, channel), n);
    const msg = alertMessage(input.model.organization, alerts, input.redact);
    if (input.preview) {
      deps.info(alerts.length ? `notify preview (${channel}): would send\n${emailText(msg).trimEnd()}` : `notify preview (${channel}): nothing new to send`);
      out.push({ channel, alerts, result: 'preview' });
      continue;
    }
    if (alerts.length) {
      try {
        if (channel === 'webhook') await (deps.post ?? postWebhook)(n.webhook!.url, slackPayload(msg), n.webhook!.timeout);
        else {
          const smtp = input.config.channels.smtp!;
          const from = n.email!.from ?? smtp.from ?? smtp.user!;
          await (deps.mail ?? sendMail)(smtp, { from, to: n.email!.to, subject: msg.subject, text: emailText(msg) });
        }
      } catch (e) {
        const error = e instanceof Error ? e.message : String(e);
        deps.warn(`alerts by ${channel} were not sent (${error}); the report is unaffected and the next report tries again`);
        out.push({ channel, alerts, result: 'failed', error });
        continue;
      }
      deps.info(`sent ${alerts.length} alert${alerts.length === 1 ? '' : 's'} by ${channel}`);
    }
    recordNotified(input.store, channel, states, input.now);
    out.push({ channel, alerts, result: alerts.length ? 'sent' : 'nothing' });
  }
  return out;
}
