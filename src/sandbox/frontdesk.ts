/**
 * The sandbox "front desk": for each inquiry the organization receives (an email probe via
 * the mail intake, or a web form submission the sandbox site reports), it schedules scripted
 * replies into the shopper's mailbox, timestamped on the injected clock: an auto-ack at once,
 * a person hours later, a pass-along, a follow-up days later, a terse uninformed reply, a stop
 * request, silence, or replies only on some weekdays. Nothing sleeps: replies are due at a
 * simulated time and delivered (APPEND with that INTERNALDATE) when the clock has passed it.
 */
import { DateTime } from 'luxon';
import type { Clock } from '../clock.js';
import type { ReceivedMail } from './mail.js';
import type { MailboxWriter } from './mailbox-writer.js';

export type ReplyStyle = 'auto-ack' | 'human' | 'pass-along' | 'terse' | 'follow-up' | 'stop' | 'custom';

export interface ScriptedReply {
  style: ReplyStyle;
  /** Delay after the inquiry arrived (ms). */
  after: number;
  /** Custom text (required for 'custom'; replaces the template otherwise). */
  text?: string;
  /** The reply mentions the campaign (human, follow-up). */
  campaignAware?: boolean;
  /** Lands in Junk instead of INBOX. */
  junk?: boolean;
}

export interface InboxScript {
  /** Who answers, e.g. "North Clinic Orthopedics <ortho@north.example.org>". */
  from: string;
  /** Staff name signing human replies. */
  staff?: string;
  replies: ScriptedReply[];
  /** Only people working these weekdays (1 = Monday … 7 = Sunday) answer; automatic replies are unaffected. */
  weekdays?: number[];
  timezone?: string;
}

export interface FrontDeskOptions {
  clock: Clock;
  writer: MailboxWriter;
  /** Scripts by the organization's address (email) or entry key `site/line/ep` (forms). */
  scripts: Record<string, InboxScript>;
  organization?: string;
  campaign?: { name: string; keywords?: string[] };
  /** The number a pass-along sends people to. */
  schedulingLine?: string;
}

export interface PendingReply {
  due: number;
  to: string;
  raw: string;
  style: ReplyStyle;
  mailbox: string;
  key: string;
}

export interface Inquiry {
  /** The shopper's address to answer (the token plus-address). */
  replyTo: string;
  shopperName: string;
  subject: string;
  text: string;
  messageId: string | null;
  receivedAt: number;
  /** Script key: the organization's address or the form's entry key. */
  key: string;
  serviceLine?: string;
}

export class FrontDesk {
  readonly pending: PendingReply[] = [];
  readonly delivered: PendingReply[] = [];
  private seq = 0;
  constructor(readonly o: FrontDeskOptions) {}

  /** The mail intake's onMessage. */
  async onEmail(m: ReceivedMail): Promise<void> {
    for (const to of m.to) {
      if (!m.replyTo) continue;
      this.schedule({ replyTo: m.replyTo, shopperName: m.fromName ?? 'there', subject: m.subject, text: m.text, messageId: m.messageId, receivedAt: m.receivedAt, key: to.toLowerCase() });
    }
    await this.deliverDue();
  }

  /** The sandbox site calls this when a web form is submitted. */
  async onFormSubmission(s: { replyTo: string; shopperName: string; key: string; serviceLine?: string; message?: string; receivedAt?: number }): Promise<void> {
    this.schedule({
      replyTo: s.replyTo,
      shopperName: s.shopperName,
      subject: `Your request${s.serviceLine ? ` about ${s.serviceLine}` : ''}`,
      text: s.message ?? '',
      messageId: null,
      receivedAt: s.receivedAt ?? this.o.clock.now(),
      key: s.key,
      serviceLine: s.serviceLine,
    });
    await this.deliverDue();
  }

  schedule(inq: Inquiry): PendingReply[] {
    const script = this.o.scripts[inq.key];
    if (!script) return [];
    const out: PendingReply[] = [];
    for (const r of script.replies) {
      let due = inq.receivedAt + r.after;
      if (r.style !== 'auto-ack' && script.weekdays?.length) due = nextWorkingMoment(due, script.weekdays, script.timezone ?? 'UTC');
      const p: PendingReply = { due, to: inq.replyTo, raw: this.compose(script, r, inq, due), style: r.style, mailbox: r.junk ? 'Junk' : 'INBOX', key: inq.key };
      this.pending.push(p);
      out.push(p);
    }
    this.pending.sort((a, b) => a.due - b.due);
    return out;
  }

  /** Delivers every reply whose time has come on the clock. */
  async deliverDue(): Promise<number> {
    const now = this.o.clock.now();
    let n = 0;
    while (this.pending.length && this.pending[0]!.due <= now) {
      const p = this.pending.shift()!;
      await this.o.writer.deliver(p.raw, new Date(p.due), p.mailbox);
      this.delivered.push(p);
      n++;
    }
    return n;
  }

  private compose(script: InboxScript, r: ScriptedReply, inq: Inquiry, due: number): string {
    const first = inq.shopperName.split(/\s+/)[0] ?? 'there';
    const org = this.o.organization ?? 'our clinic';
    const staff = script.staff ?? 'Front Desk';
    const line = this.o.schedulingLine ?? '(555) 201-3344';
    const topic = inq.serviceLine ?? inq.subject.replace(/^(re|your request|question)\s*(about|:)?\s*/i, '') ?? 'your question';
    const campaign = r.campaignAware && this.o.campaign ? ` Our ${this.o.campaign.name} is running now, so the visit is covered by that offer.` : '';
    const quote = inq.text ? `\n\nOn ${new Date(inq.receivedAt).toUTCString()}, ${inq.shopperName} wrote:\n${inq.text.split('\n').map((l) => `> ${l}`).join('\n')}` : '';
    const headers: Record<string, string> = {};
    let subject = `Re: ${inq.subject}`;
    let body: string;
    switch (r.style) {
      case 'auto-ack':
        headers['Auto-Submitted'] = 'auto-replied';
        headers['X-Auto-Response-Suppress'] = 'All';
        subject = `Automatic reply: ${inq.subject}`;
        body = r.text ?? `Thank you for contacting ${org}. We have received your message and will respond within 2 business days.\n\nThis is an automated message; please do not reply.`;
        break;
      case 'human':
        body = r.text ?? `Hi ${first},\n\nThanks for your note about ${topic}. I checked with the team and I can offer Tuesday at 10:30 am.${campaign} Would that work for you?\n\n${staff}${quote}`;
        break;
      case 'pass-along':
        body = r.text ?? `Hi ${first},\n\nWe don't schedule by email. Please call our scheduling line at ${line} to book an appointment.\n\n${staff}${quote}`;
        break;
      case 'terse':
        body = r.text ?? `what service are you asking about?${quote}`;
        break;
      case 'follow-up':
        body = r.text ?? `Hi ${first},\n\nJust following up on your question about ${topic}: are you still interested? I have openings Thursday at 2 pm.${campaign} Would that time work?\n\n${staff}`;
        break;
      case 'stop':
        body = r.text ?? 'Please stop contacting us.';
        break;
      case 'custom':
        body = r.text ?? '';
        break;
    }
    const lines = [
      `From: ${script.from}`,
      `To: ${inq.shopperName} <${inq.replyTo}>`,
      `Subject: ${subject}`,
      `Date: ${new Date(due).toUTCString().replace('GMT', '+0000')}`,
      `Message-ID: <sandbox.${++this.seq}.${due}@${script.from.match(/@([^>\s]+)/)?.[1] ?? 'sandbox.invalid'}>`,
      ...(inq.messageId && r.style !== 'auto-ack' ? [`In-Reply-To: ${inq.messageId}`, `References: ${inq.messageId}`] : []),
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
    ];
    return `${lines.join('\r\n')}\r\n\r\n${body.replace(/\r?\n/g, '\r\n')}\r\n`;
  }
}

/** The first moment at or after `t` that falls on a working weekday (09:30 local if moved). */
export function nextWorkingMoment(t: number, weekdays: number[], zone: string): number {
  let d = DateTime.fromMillis(t, { zone });
  if (weekdays.includes(d.weekday)) return t;
  for (let i = 1; i <= 7; i++) {
    d = d.plus({ days: 1 }).set({ hour: 9, minute: 30, second: 0, millisecond: 0 });
    if (weekdays.includes(d.weekday)) return d.toMillis();
  }
  return t;
}
