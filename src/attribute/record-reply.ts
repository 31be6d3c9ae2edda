/**
 * Stores one collected email: the observation (unique by account + Message-ID, so a message
 * seen in two folders or again after a UIDVALIDITY reset is stored once), then its events:
 * the classified reply attributed to a probe, a stop request (which also suppresses the
 * site), or an `unattributed` event that `status` lists. Call inside store.tx().
 */
import type { LoadedConfig } from '../config/load.js';
import { classifyEmail, type EmailVerdict } from '../classify/email.js';
import type { ReplyMessage } from '../classify/message.js';
import type { Store } from '../store/store.js';
import { keepMail } from '../store/review-queries.js';
import type { EventKind, KeptMail, ObservationInput, ProbeRow, UnmatchedMailInput } from '../store/types.js';
import { attributeFromBody, type AttributionResult, type MailFacts } from './email.js';
import { recomputeFollowUps } from './follow-up.js';

export interface CollectedMail {
  sourceId: string;
  occurredAt: number;
  timeSource: ObservationInput['timeSource'];
  clockSkewMs: number | null;
  mailbox: string;
  uid: number;
  uidValidity: string;
  facts: MailFacts;
  subject: string;
  messageId: string | null;
  /** Present when the body was fetched (attributable or possibly so). */
  message: ReplyMessage | null;
  /** What `message` was built from, kept so `reclassify` can classify it again (absent: not kept). */
  kept?: KeptMail | null;
  /** From the headers alone (pass 1). */
  exact: AttributionResult | null;
}

export interface RecordOutcome {
  isNew: boolean;
  attributed: boolean;
  events: number;
}

const EXCERPT = 600;

export function recordMail(store: Store, loaded: LoadedConfig, m: CollectedMail, patterns: RegExp[]): RecordOutcome {
  // Nothing matched and nothing more is known (the body was not worth fetching): the
  // observation alone, flagged unmatched, is what `status` lists (with store.UNMATCHED_REASON).
  if (!m.exact && !m.message) {
    const isNew = store.addUnmatchedMail(unmatchedMailRow(m));
    return { isNew, attributed: false, events: 0 };
  }
  const body = m.message;
  const attribution: AttributionResult =
    m.exact ?? attributeFromBody(store, loaded, m.facts, [body!.text, body!.deliveryStatus, body!.quotedHeaders].filter(Boolean).join('\n'), m.subject, patterns);
  const verdict = body ? classifyEmail(body, contextFor(loaded, attribution.probe)) : null;

  const obs = store.addObservation(observationOf(m, verdict));
  if (!obs.isNew) return { isNew: false, attributed: !!attribution.probe, events: 0 };
  if (body && m.kept) keepMail(store, obs.id, m.kept);

  const details = {
    mailbox: m.mailbox,
    from: m.facts.from,
    subject: m.subject.slice(0, 200),
    timeSource: m.timeSource,
    clockSkewMs: m.clockSkewMs,
    ...(verdict ? verdictDetails(verdict) : {}),
    attributionReasons: attribution.reasons,
  };
  if (!attribution.probe) {
    store.upsertEvent({
      observationId: obs.id,
      probeId: null,
      kind: 'unattributed',
      attribution: attribution.attribution,
      occurredAt: m.occurredAt,
      reasons: [...attribution.reasons, ...(verdict?.reasons ?? [])],
      details: { ...details, ...(attribution.candidates ? { candidates: attribution.candidates } : {}), ...(verdict ? { kind: verdict.kind } : {}) },
    });
    return { isNew: true, attributed: false, events: 1 };
  }
  const probe = attribution.probe;
  const v: EmailVerdict =
    verdict ?? { kind: 'human', passAlong: false, campaignAware: false, stopRequest: false, reasons: ['body not fetched'], autoScore: 0, confidence: 0, needsReview: true, phoneNumbers: [], body: '' };
  const kind: EventKind = v.kind === 'human' ? 'human-reply' : v.kind;
  store.upsertEvent({
    observationId: obs.id,
    probeId: probe.id,
    kind,
    attribution: attribution.attribution,
    occurredAt: m.occurredAt,
    passAlong: v.passAlong,
    campaignAware: v.campaignAware,
    reasons: [...attribution.reasons, ...v.reasons],
    details,
  });
  let events = 1;
  if (v.stopRequest) {
    store.upsertEvent({
      observationId: obs.id,
      probeId: probe.id,
      kind: 'stop-request',
      attribution: attribution.attribution,
      occurredAt: m.occurredAt,
      reasons: v.reasons.filter((r) => r.startsWith('stop request')),
      details,
    });
    store.suppress(`site:${probe.siteId}`, `asked us to stop contacting them (reply from ${m.facts.from ?? 'unknown'})`, obs.id);
    events++;
  }
  if (kind === 'human-reply') recomputeFollowUps(store, probe, loaded.config.sla);
  return { isNew: true, attributed: true, events };
}

/** The row of mail nothing matched (store.addUnmatchedMail); the collector builds these as headers stream in. */
export function unmatchedMailRow(m: Omit<CollectedMail, 'message' | 'exact'>): UnmatchedMailInput {
  return {
    source: 'imap',
    sourceId: m.sourceId,
    occurredAt: m.occurredAt,
    timeSource: m.timeSource,
    clockSkewMs: m.clockSkewMs,
    sender: m.facts.from,
    recipient: m.facts.recipients[0] ?? null,
    subject: m.subject.slice(0, 500),
    messageId: m.messageId,
    inReplyTo: m.facts.inReplyTo[0] ?? null,
    refs: m.facts.references.length ? m.facts.references.join(' ').slice(0, 2000) : null,
    dataJson: JSON.stringify(placeOf(m)),
  };
}

/** A matched message's observation: the same columns, plus the excerpt the verdict was based on. */
function observationOf(m: CollectedMail, verdict: EmailVerdict | null): ObservationInput {
  const { dataJson: _json, ...columns } = unmatchedMailRow(m);
  return { ...columns, excerpt: verdict ? excerptOf(verdict) : null, data: placeOf(m) };
}

/** Where the message sits (an observation's `data`). */
function placeOf(m: Pick<CollectedMail, 'mailbox' | 'uid' | 'uidValidity'>): { mailbox: string; uid: number; uidValidity: string } {
  return { mailbox: m.mailbox, uid: m.uid, uidValidity: m.uidValidity };
}

/**
 * What an event's details hold of the verdict (recording and `reclassify` write the same):
 * its score, the numbers it found, and the classifier's confidence and needsReview flag when
 * the classifier gives them.
 */
export function verdictDetails(v: EmailVerdict): Record<string, unknown> {
  return { autoScore: v.autoScore, phoneNumbers: v.phoneNumbers, confidence: v.confidence, needsReview: v.needsReview };
}

/** The classifier's context for a reply to this probe (or the config alone). */
export function contextFor(loaded: LoadedConfig | null, probe: ProbeRow | null) {
  const config = loaded?.config;
  const site = probe && config ? config.sites.find((s) => s.id === probe.siteId) : undefined;
  const shopperName = probe?.shopperName ?? config?.shopper.name ?? '';
  const inquiry = probe?.details && typeof probe.details['body'] === 'string' ? (probe.details['body'] as string) : undefined;
  return {
    campaign: config?.campaign,
    shopperFirstName: shopperName.split(/\s+/)[0] || undefined,
    shopperPhones: [...(config?.shopper.phones ?? []), ...(probe?.shopperPhone ? [probe.shopperPhone] : [])],
    knownNumbers: site ? [...site.phones, ...site.serviceLines.flatMap((sl) => sl.entryPoints.flatMap((e) => ('number' in e ? [e.number] : [])))] : [],
    inquiryText: inquiry,
    // A reply seconds after the probe went out was written by a machine.
    sentAt: probe?.submittedAt ?? undefined,
  };
}

/** Paragraphs kept (reports show them, and redaction finds a closing name line by them); runs of blanks folded. */
export function excerptOf(v: EmailVerdict): string {
  return v.body
    .split(/\r?\n/)
    .map((l) => l.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
    .slice(0, EXCERPT);
}
