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
  /** How long to wait for another report that is sending alerts on the same store (default 60 s). */
  lockWaitMs?: number;
}

/** The store lock held while alerts are evaluated, sent and recorded. */
export const NOTIFY_LOCK = 'notify';

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
  // Two reports at once (a nightly job and a person, two CI jobs) would both read the same
  // last-notified states and both send: the second waits for the first to record what it
  // sent, then evaluates against that, so nothing is sent twice for the same state.
  if (!input.preview) {
    const held = await waitForLock(input.store, deps.lockWaitMs ?? 60_000);
    if (held) {
      deps.warn(`alerts not sent: another report (pid ${held.pid} on ${held.host}) has been sending them since ${new Date(held.since).toISOString()}; the next report sends what is still due`);
      return channels.map((channel) => ({ channel, alerts: [], result: 'failed' as const, error: 'another report holds the alert lock' }));
    }
  }
  try {
    for (const channel of channels) out.push(await sendChannel(input, deps, n, channel));
  } finally {
    if (!input.preview) input.store.releaseLock(NOTIFY_LOCK);
  }
  return out;
}

type Notify = NonNullable<AuditConfig['reports']['notify']>;

async function sendChannel(input: NotifyInput, deps: NotifyDeps, n: Notify, channel: NotifyChannel): Promise<ChannelOutcome> {
  const { alerts, states } = evaluateAlerts(input.model, input.scores, input.settings, notifiedStates(input.store, channel), n);
  const msg = alertMessage(input.model.organization, alerts, input.redact);
  if (input.preview) {
    deps.info(alerts.length ? `notify preview (${channel}): would send\n${emailText(msg).trimEnd()}` : `notify preview (${channel}): nothing new to send`);
    return { channel, alerts, result: 'preview' };
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
      return { channel, alerts, result: 'failed', error };
    }
    deps.info(`sent ${alerts.length} alert${alerts.length === 1 ? '' : 's'} by ${channel}`);
  }
  recordNotified(input.store, channel, states, input.now);
  return { channel, alerts, result: alerts.length ? 'sent' : 'nothing' };
}

/** Takes the alert lock, waiting while a live process holds it; returns the holder when the wait ran out. */
async function waitForLock(store: Store, waitMs: number): Promise<{ pid: number; host: string; since: number } | null> {
  const until = Date.now() + waitMs;
  for (;;) {
    const r = store.acquireLock(NOTIFY_LOCK);
    if (r.ok) return null;
    if (Date.now() >= until) return r;
    await new Promise((done) => setTimeout(done, 200));
  }
}
