/**
 * What an emailed reply is: a bounce, an automatic acknowledgement or a person's answer,
 * plus what its words say (pass-along, campaign-aware, stop request). Auto vs human is a
 * sum of weighted signals, never one header: help desks stamp Auto-Submitted on their
 * agents' replies, and Outlook client rules send out-of-office notes with no header at all.
 */
import { header } from './headers.js';
import type { ReplyMessage } from './message.js';
import { classifyReplyText, type ReplyTextContext } from './text.js';

export type EmailKind = 'auto-ack' | 'human' | 'bounce';

export interface EmailVerdict {
  kind: EmailKind;
  passAlong: boolean;
  campaignAware: boolean;
  stopRequest: boolean;
  reasons: string[];
  /** Sum of the auto (+) and human (−) signals. */
  autoScore: number;
  phoneNumbers: string[];
  /** What the sender wrote, without quotes, signature and disclaimer. */
  body: string;
}

export interface EmailContext extends ReplyTextContext {
  /** The shopper's first name (a reply greeting them by name leans human, a little). */
  shopperFirstName?: string;
}

/** At or above this sum of signals a reply counts as automatic. */
const AUTO_THRESHOLD = 2.5;

export function classifyEmail(msg: ReplyMessage, ctx: EmailContext = {}): EmailVerdict {
  const bounce = bounceReasons(msg);
  const text = classifyReplyText(msg.text, ctx);
  if (bounce.length) {
    return { kind: 'bounce', passAlong: false, campaignAware: false, stopRequest: false, reasons: bounce, autoScore: 0, phoneNumbers: [], body: msg.text.slice(0, 2000) };
  }
  const signals = autoSignals(msg, text.body, ctx);
  const score = Math.round(signals.reduce((s, x) => s + x.weight, 0) * 10) / 10;
  const kind: EmailKind = score >= AUTO_THRESHOLD ? 'auto-ack' : 'human';
  const reasons = [
    `${kind === 'human' ? 'human reply' : 'automatic acknowledgement'} (signals sum to ${score}; ${AUTO_THRESHOLD} or more means automatic)`,
    ...signals.map((s) => `${s.weight > 0 ? '+' : '−'}${Math.abs(s.weight)} ${s.why}`),
    ...text.reasons,
  ];
  if (!signals.length) reasons.push('no automatic-reply signals found');
  return {
    kind,
    passAlong: text.passAlong,
    campaignAware: text.campaignAware,
    stopRequest: text.stopRequest,
    reasons,
    autoScore: score,
    phoneNumbers: text.phoneNumbers,
    body: text.body,
  };
}

// ── bounces ───────────────────────────────────────────────────────────────────
const DAEMON_SENDER = /^(mailer-daemon|postmaster|mail-daemon|maildaemon|mdaemon|bounce|bounces)@/i;
const DAEMON_NAME = /\b(mail delivery (subsystem|system)|mail administrator|microsoft outlook|postmaster|mailer-daemon)\b/i;
const BOUNCE_SUBJECT =
  /\b(undeliverable|undelivered mail|delivery status notification \((failure|delay)\)|returned mail|failure notice|delivery failure|mail delivery failed|could not be delivered|delivery has failed|non-?delivery|no se (pudo|ha podido) entregar|mensaje no entregado|devuelto)\b/i;
const BOUNCE_BODY =
  /\b(delivery has failed to these recipients|couldn'?t be delivered|could not be delivered|address (was )?not found|user unknown|mailbox (unavailable|not found|full)|recipient address rejected|no such user|permanent(ly)? (failure|error)|550[ -]5\.\d\.\d|5\.1\.1|this is the mail system at host)\b/i;

function bounceReasons(msg: ReplyMessage): string[] {
  const reasons: string[] = [];
  if (msg.contentType === 'multipart/report' && (msg.reportType === 'delivery-status' || msg.deliveryStatus)) {
    const action = msg.deliveryStatus?.match(/^\s*Action:\s*(\w+)/im)?.[1]?.toLowerCase();
    const status = msg.deliveryStatus?.match(/^\s*Status:\s*([\d.]+)/im)?.[1];
    reasons.push(
      `delivery status notification (multipart/report; report-type=delivery-status${action ? `; action ${action}` : ''}${status ? `; status ${status}` : ''})`,
    );
    if (action === 'delayed') reasons.push('delivery delayed: the server is still trying (not yet final)');
    return reasons;
  }
  const from = msg.from?.address ?? '';
  const daemon = DAEMON_SENDER.test(from) || DAEMON_NAME.test(msg.from?.name ?? '');
  const subj = BOUNCE_SUBJECT.test(msg.subject);
  const body = BOUNCE_BODY.test(msg.text);
  const returnPathEmpty = /^<\s*>$/.test(header(msg.headers, 'return-path') ?? '');
  if ((daemon && (subj || body)) || (subj && body) || (returnPathEmpty && subj)) {
    if (daemon) reasons.push(`sent by the mail system (${from || msg.from?.name})`);
    if (subj) reasons.push(`subject says the mail was not delivered ("${msg.subject.slice(0, 80)}")`);
    if (body) reasons.push('body carries a delivery-failure notice');
    if (returnPathEmpty) reasons.push('empty envelope sender (<>), as delivery notices have');
  }
  return reasons;
}

// ── auto vs human ─────────────────────────────────────────────────────────────
interface Signal {
  weight: number;
  why: string;
}

const NO_REPLY = /^(no[-_.]?reply|do[-_.]?not[-_.]?reply|donotreply|noreply|notifications?|auto[-_.]?(reply|confirm|responder)|mailer|system|alerts?|forms?|wufoo|wordpress|submissions?)([+-][^@]*)?@/i;

const TICKET_MARKERS: Array<[RegExp, string]> = [
  [/^x-zendesk-/i, 'Zendesk'],
  [/^x-freshdesk-/i, 'Freshdesk'],
  [/^x-servicenow-|^x-snc-/i, 'ServiceNow'],
  [/^x-sfdc-|^x-salesforce/i, 'Salesforce'],
  [/^x-helpscout-/i, 'Help Scout'],
  [/^x-kayako-|^x-jira-|^x-otrs-|^x-rt-/i, 'a ticket system'],
];
const FORM_MARKERS: Array<[RegExp, string]> = [
  [/wufoo/i, 'Wufoo'],
  [/gravity ?forms|\bx-gform/i, 'Gravity Forms'],
  [/hubspot/i, 'HubSpot'],
  [/jotform/i, 'Jotform'],
  [/formstack|typeform|cognito ?forms|formassembly|wpforms|contact form 7|ninja ?forms|google forms/i, 'a form builder'],
];

const TEMPLATE_WORDING: Array<[RegExp, string]> = [
  [/\b(this is an? )?(automated|automatic|auto-?generated) (message|response|reply|email|notification|confirmation)\b/i, 'says it is automated'],
  [/\b(please )?do not reply (to|directly to) this (e-?mail|message)\b|\bthis (mailbox|address|inbox) is not monitored\b/i, 'asks not to reply'],
  [/\b(we|i) (have )?(received|got) your (message|e-?mail|request|inquiry|enquiry|submission|form|note)\b|\bthank you for (your|contacting|reaching|getting in touch|submitting)\b.*\b(we will|we'll|someone will|a (member|representative))\b/i, 'acknowledges receipt'],
  [/\b(we|someone|a member of our team|a representative|our team) (will|'ll|shall) (get back to you|respond|contact you|be in touch|reply)\b.*\b(within|as soon as|shortly|business days?|hours?)\b/i, 'promises a reply later'],
  [/\b(i am|i'?m) (currently )?(out of (the )?office|away|on (annual |vacation |parental )?leave|traveling|on vacation)\b|\bout of (the )?office\b.*\b(return|back)\b/i, 'out-of-office wording'],
  [/\b(limited|no) access to (my )?e-?mail\b|\bwill (respond|reply) (to your (message|e-?mail) )?(when|upon) (i|my) return/i, 'out-of-office wording'],
  [/\b(your )?(ticket|case|request|incident|reference)( number| #| no\.?| id)?\s*(is\s*)?[:#]?\s*#?[A-Z]{0,6}-?\d{3,}/i, 'quotes a ticket or case number'],
  [/\bto add additional comments,? reply to this e-?mail\b|\bwhen replying,? (please )?(keep|include) (the )?(ticket|case|reference)/i, 'help-desk boilerplate'],
  [/\b(submission|entry) (details|summary|received)\b|\byour submission\b|\bcopy of your (submission|responses|entry)\b/i, 'form receipt wording'],
  [/\b(hemos recibido su (mensaje|correo|solicitud|consulta)|mensaje autom[áa]tico|respuesta autom[áa]tica|fuera de la oficina|no responda a este correo|nos pondremos en contacto)\b/i, 'plantilla automática (template wording)'],
];

const AUTO_SUBJECT =
  /^(automatic reply|auto(matische)?[ -]?(reply|response|antwort)|auto:|out of (the )?office|ooo\b|respuesta autom[áa]tica|fuera de la oficina|request received|ticket received|we('ve| have) received|thank you for (contacting|your (message|inquiry|submission|request))|new submission|form submission|confirmation|receipt)/i;
/** Replies inside a ticket thread carry the number too, so it weighs little. */
const TICKET_SUBJECT = /\[?\b(ticket|case|request|incident) ?#?[A-Z]{0,4}\d{3,}\]?/i;

/** Content that a template cannot know: someone checked, offers, asks back, signs personally. */
const HUMAN_CUES: Array<[RegExp, string]> = [
  [/\b(i|we) (checked|looked into|spoke (with|to)|asked|confirmed|talked to|have (an? )?(opening|openings|availability|slot))\b/i, 'says someone checked or looked into it'],
  [/\b(would|does|do|can|could) (you|either|any of these|that|this)\b[^.?!\n]{0,80}\?/i, 'asks the shopper a question back'],
  [/\b(mon|tues|wednes|thurs|fri|satur|sun)day\b[^.\n]{0,40}\b(\d{1,2}(:\d\d)?\s*(am|pm)|morning|afternoon)\b|\b\d{1,2}(:\d\d)?\s*(am|pm)\b/i, 'offers a specific day or time'],
  [/\b(i'?d be happy to|i can|i'?ll|i will|i'?ve|let me)\b/i, 'writes in the first person'],
  [/\b(tenemos (disponibilidad|citas?)|puedo|le puedo|me (gustar[ií]a|encantar[ií]a)|revis[ée])\b/i, 'escribe en primera persona (first person, Spanish)'],
];

function autoSignals(msg: ReplyMessage, body: string, ctx: EmailContext): Signal[] {
  const s: Signal[] = [];
  const h = msg.headers;
  const autoSubmitted = header(h, 'auto-submitted')?.toLowerCase();
  if (autoSubmitted && autoSubmitted !== 'no') s.push({ weight: 2, why: `Auto-Submitted: ${autoSubmitted} (RFC 3834)` });
  for (const name of ['x-autoreply', 'x-autorespond', 'x-autoresponse', 'x-autogenerated', 'x-auto-reply']) {
    if (header(h, name) !== undefined) {
      s.push({ weight: 2, why: `${name} header present` });
      break;
    }
  }
  const precedence = header(h, 'precedence')?.toLowerCase().trim();
  if (precedence && /^(bulk|junk|auto_reply|auto-reply)$/.test(precedence)) s.push({ weight: 1.5, why: `Precedence: ${precedence}` });
  else if (precedence === 'list' || header(h, 'list-id') || header(h, 'list-unsubscribe')) s.push({ weight: 0.5, why: 'mailing-list headers' });
  const suppress = header(h, 'x-auto-response-suppress');
  if (suppress) s.push({ weight: /\b(all|oof|autoreply)\b/i.test(suppress) ? 1 : 0.5, why: `X-Auto-Response-Suppress: ${suppress} (Exchange)` });
  const from = msg.from?.address ?? '';
  if (NO_REPLY.test(from)) s.push({ weight: 2, why: `sent from a no-reply address (${from})` });

  const names = [...h.keys()];
  const ticket = TICKET_MARKERS.find(([re]) => names.some((n) => re.test(n)));
  if (ticket) s.push({ weight: 0.5, why: `sent through ${ticket[1]} (help desks send both automatic and agents' replies)` });
  const mailer = `${header(h, 'x-mailer') ?? ''} ${header(h, 'user-agent') ?? ''} ${header(h, 'x-generator') ?? ''} ${names.filter((n) => /^x-(hs|hubspot|wufoo|gform|jotform)/i.test(n)).join(' ')}`;
  const form = FORM_MARKERS.find(([re]) => re.test(mailer));
  if (form) s.push({ weight: 2, why: `generated by ${form[1]} (form builder)` });

  if (AUTO_SUBJECT.test(msg.subject.replace(/^(re|aw|sv|fw|fwd):\s*/i, ''))) s.push({ weight: 1.5, why: `template subject ("${msg.subject.slice(0, 60)}")` });
  else if (TICKET_SUBJECT.test(msg.subject)) s.push({ weight: 0.5, why: `ticket number in the subject ("${msg.subject.slice(0, 60)}")` });
  const seen = new Set<string>();
  let templateWeight = 0;
  for (const [re, why] of TEMPLATE_WORDING) {
    if (!re.test(body) || seen.has(why) || templateWeight >= 3) continue;
    seen.add(why);
    templateWeight += 1.5;
    s.push({ weight: 1.5, why: `template wording: ${why}` });
  }

  let humanWeight = 0;
  for (const [re, why] of HUMAN_CUES) {
    if (!re.test(body) || humanWeight <= -3) continue;
    humanWeight -= 1;
    s.push({ weight: -1, why: `human cue: ${why}` });
  }
  if (msg.inReplyTo.length && /^(re|aw|sv|rv):/i.test(msg.subject) && !templateWeight) s.push({ weight: -0.5, why: 'answers in the thread (Re: with In-Reply-To) without template wording' });
  const words = body.split(/\s+/).filter(Boolean).length;
  if (words > 0 && words <= 40 && !templateWeight && !s.some((x) => x.weight > 0)) s.push({ weight: -0.5, why: `short personal note (${words} words)` });
  if (!body.trim()) s.push({ weight: 1, why: 'no text of its own' });
  if (ctx.shopperFirstName && greeting(ctx.shopperFirstName).test(body))
    s.push({ weight: -0.5, why: `greets ${ctx.shopperFirstName} by name` });
  return s;
}

const greetings = new Map<string, RegExp>();

/** "Hi Jordan" at the start of the body, compiled once per first name. */
function greeting(firstName: string): RegExp {
  let re = greetings.get(firstName);
  if (!re) {
    if (greetings.size >= 256) greetings.clear();
    re = new RegExp(`^\\s*(hi|hello|dear|hey|hola|buenos d[ií]as|estimad[oa])\\s+${escapeRe(firstName)}\\b`, 'i');
    greetings.set(firstName, re);
  }
  return re;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
