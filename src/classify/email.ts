/**
 * What an emailed reply is: a bounce, an automatic acknowledgement or a person's answer,
 * plus what its words say (pass-along, campaign-aware, stop request). Bounces are structural
 * (a delivery report, or a mail daemon's notice). Auto vs human and pass-along are logistic
 * models over named signals (features.ts) whose weights were learned from the labelled corpus
 * (scripts/train-classifier.mjs → weights.json), never one header: help desks stamp
 * Auto-Submitted on their agents' replies, and Outlook client rules send out-of-office notes
 * with no header at all.
 */
import { AUTO_FEATURES, extractFeatures, FEATURE_TEXT, PASS_FEATURES, type Features } from './features.js';
import { header } from './headers.js';
import { logit, probability, sigmoid, type Model } from './logistic.js';
import type { ReplyMessage } from './message.js';
import { classifyReplyText, type ReplyTextContext, type ReplyTextVerdict } from './text.js';
import weightsJson from './weights.json' with { type: 'json' };

export type EmailKind = 'auto-ack' | 'human' | 'bounce';

export interface EmailVerdict {
  kind: EmailKind;
  passAlong: boolean;
  campaignAware: boolean;
  stopRequest: boolean;
  reasons: string[];
  /** Log-odds that a machine wrote it (the learned model's sum; 0 for bounces). */
  autoScore: number;
  /** Probability (0..1) that both the kind and, when it matters, the pass-along verdict are right. */
  confidence: number;
  /** Confidence below NEEDS_REVIEW_BELOW: a person should look at it. */
  needsReview: boolean;
  phoneNumbers: string[];
  /** What the sender wrote, without quotes, signature and disclaimer. */
  body: string;
}

export interface EmailContext extends ReplyTextContext {
  /** The shopper's first name (a reply greeting them by name leans human, a little). */
  shopperFirstName?: string | undefined;
  /** When the probe was sent (epoch ms). */
  sentAt?: number | undefined;
}

/** Verdicts less sure than this are marked "needs review" (reports show them; docs/replies.md). */
export const NEEDS_REVIEW_BELOW = 0.7;

const WEIGHTS = weightsJson as unknown as ShippedWeights;

export interface ShippedWeights {
  auto: Model;
  passAlong: Model;
  /** Weights for signals the corpus cannot teach (it has no probe send times): stated, not learned. */
  priors: Record<string, number>;
}

/** The signals of one message, as the learned models read them (the training script uses this too). */
export function emailFeatures(msg: ReplyMessage, ctx: EmailContext = {}, weights: ShippedWeights = WEIGHTS): { auto: Features; pass: Features; text: ReplyTextVerdict; pAuto: number } {
  const text = classifyReplyText(msg.text, { ...ctx, recipientName: ctx.recipientName ?? msg.to[0]?.name ?? undefined });
  const all = extractFeatures(msg, text, ctx);
  const auto = pick(all, AUTO_FEATURES);
  const pAuto = sigmoid(logit(weights.auto, auto) + priorLogit(auto, weights));
  const pass = pick(all, PASS_FEATURES);
  // What a machine sends is never an offer someone will honour in person: a booking link or a
  // number in an automatic message sends the shopper elsewhere; the same from a person may not.
  if (pAuto) pass['likely_automatic'] = pAuto;
  const booking = Math.max(all['booking_link'] ?? 0, all['pick_a_time'] ?? 0);
  if (booking && pAuto) pass['self_service_booking'] = booking * pAuto;
  if (all['phone_in_body'] && pAuto) pass['number_from_a_machine'] = pAuto;
  return { auto, pass, text, pAuto };
}

const merged = new WeakMap<ShippedWeights, Record<string, number>>();
/** The auto model's weights with the stated priors, merged once per weights object. */
function autoAndPriors(w: ShippedWeights): Record<string, number> {
  let m = merged.get(w);
  if (!m) merged.set(w, (m = { ...w.auto.weights, ...w.priors }));
  return m;
}

const positions = new WeakMap<readonly string[], Map<string, number>>();
/** The features of `f` named in `names`, in the order of `names` (a message sets few of them). */
function pick(f: Features, names: readonly string[]): Features {
  let at = positions.get(names);
  if (!at) positions.set(names, (at = new Map(names.map((n, i) => [n, i]))));
  const found: number[] = [];
  for (const k in f) {
    const i = at.get(k);
    if (i !== undefined && f[k]) found.push(i);
  }
  found.sort((a, b) => a - b);
  const out: Features = {};
  for (const i of found) out[names[i]!] = f[names[i]!]!;
  return out;
}

function priorLogit(x: Features, w: ShippedWeights): number {
  let z = 0;
  for (const [k, v] of Object.entries(w.priors)) z += (x[k] ?? 0) * v;
  return z;
}

export function classifyEmail(msg: ReplyMessage, ctx: EmailContext = {}, weights: ShippedWeights = WEIGHTS): EmailVerdict {
  const bounce = bounceReasons(msg);
  if (bounce.length) {
    const confidence = msg.contentType === 'multipart/report' ? 0.99 : 0.9;
    return {
      kind: 'bounce', passAlong: false, campaignAware: false, stopRequest: false,
      reasons: [`bounce (${pct(confidence)} sure): ${bounce[0]}`, ...bounce.slice(1)],
      autoScore: 0, confidence, needsReview: confidence < NEEDS_REVIEW_BELOW, phoneNumbers: [], body: msg.text.slice(0, 2000),
    };
  }
  // A read receipt (RFC 8098 message disposition notification) is the recipient's mail client
  // answering by itself: automatic by construction, whatever its text says.
  if ((msg.contentType === 'multipart/report' && msg.reportType === 'disposition-notification') || msg.partTypes.includes('message/disposition-notification')) {
    return {
      kind: 'auto-ack', passAlong: false, campaignAware: false, stopRequest: false,
      reasons: ['a machine wrote it: a read receipt (multipart/report; report-type=disposition-notification, RFC 8098), sent by the recipient\'s mail client', 'does not pass the inquiry along: a receipt says nothing about the inquiry'],
      autoScore: 0, confidence: 0.99, needsReview: false, phoneNumbers: [], body: msg.text.slice(0, 2000),
    };
  }
  const { auto, pass, text, pAuto } = emailFeatures(msg, ctx, weights);
  const kind: EmailKind = pAuto >= 0.5 ? 'auto-ack' : 'human';
  const pPass = probability(weights.passAlong, pass);
  const passAlong = pPass >= 0.5;
  const kindSure = kind === 'auto-ack' ? pAuto : 1 - pAuto;
  const passSure = passAlong ? pPass : 1 - pPass;
  const confidence = round2(kindSure * passSure);
  const reasons = [
    `${kind === 'human' ? 'a person wrote it' : 'a machine wrote it'}: ${pct(kindSure)} likely, from the signals below`,
    ...signalReasons(auto, autoAndPriors(weights), 'a machine', 'a person'),
    `${passAlong ? 'passes the inquiry along' : 'does not pass the inquiry along'}: ${pct(passSure)} likely`,
    ...signalReasons(pass, weights.passAlong.weights, 'passing it along', 'owning it'),
    ...text.reasons.filter((r) => !r.startsWith('pass-along') && !r.startsWith('mentions calling elsewhere')),
    `confidence ${pct(confidence)}${confidence < NEEDS_REVIEW_BELOW ? ` (below ${pct(NEEDS_REVIEW_BELOW)}: needs review)` : ''}`,
  ];
  if (!Object.keys(auto).length) reasons.push('no signal either way');
  return {
    kind,
    passAlong,
    campaignAware: text.campaignAware,
    stopRequest: text.stopRequest,
    reasons,
    autoScore: round2(logit(weights.auto, auto) + priorLogit(auto, weights)),
    confidence,
    needsReview: confidence < NEEDS_REVIEW_BELOW,
    phoneNumbers: text.phoneNumbers,
    body: text.body,
  };
}

/** "signed off by a person's name: points to a person (learned weight −1.2)", strongest first. */
function signalReasons(x: Features, weights: Record<string, number>, plus: string, minus: string): string[] {
  return Object.entries(x)
    .map(([k, v]) => ({ k, v, w: (weights[k] ?? 0) * v }))
    .filter((s) => Math.abs(s.w) >= 0.05)
    .sort((a, b) => Math.abs(b.w) - Math.abs(a.w))
    .map((s) => {
      const what = s.k === 'likely_automatic' ? `${FEATURE_TEXT[s.k]} (${pct(s.v)})` : FEATURE_TEXT[s.k] ?? s.k;
      return `${what}: points to ${s.w > 0 ? plus : minus} (weight ${s.w > 0 ? '+' : '−'}${Math.abs(s.w).toFixed(1)})`;
    });
}

function pct(p: number): string {
  return `${Math.round(p * 100)}%`;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
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
  // A person forwarding a delivery notice with their own words wrote a message, not a bounce.
  if (/^\s*(fwd?|wg|tr|enc|rv|i)\s*:/i.test(msg.subject)) return reasons;
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

