/**
 * The verdicts `review` walks: by default those the classifier flagged and nobody reviewed
 * yet; with `all`, every emailed reply matched to an inquiry (and any a person detached).
 * Each with the message as the reviewer needs to see it: the text the classifier read (from
 * the kept mail, else the stored excerpt).
 */
import { buildMessage } from '../classify/message.js';
import { keptMail, verdictEvents, type VerdictEventRow } from '../store/review-queries.js';
import type { Store } from '../store/store.js';
import type { ClassifierVerdict, CorrectionRow } from '../store/types.js';
import { classifierVerdictOf } from './verdict.js';

export interface ReviewItem {
  eventId: number;
  kind: string;
  probe: { id: number; token: string; entryKey: string } | null;
  occurredAt: number;
  from: string | null;
  subject: string | null;
  /** What counts now. */
  passAlong: boolean;
  campaignAware: boolean;
  classifier: ClassifierVerdict;
  confidence: number | null;
  needsReview: boolean;
  correction: Pick<CorrectionRow, 'id' | 'action' | 'kind' | 'passAlong' | 'campaignAware' | 'note' | 'reviewer' | 'at'> | null;
  reasons: string[];
  /** The reply's header block and text parts are kept: `reclassify` can read it again. */
  reclassifiable: boolean;
  /** The text the classifier read (third-party content: escape it wherever it is shown). */
  text: string;
}

export interface ItemQuery {
  all: boolean;
  since?: number;
  /** At most this many characters of each message. */
  textChars?: number;
}

export function reviewItems(store: Store, q: ItemQuery): ReviewItem[] {
  const out: ReviewItem[] = [];
  for (let afterId = 0; ; ) {
    const page = verdictEvents(store, { afterId, limit: 500, flagged: !q.all, ...(q.since !== undefined ? { since: q.since } : {}) });
    if (!page.length) break;
    afterId = page[page.length - 1]!.id;
    for (const e of page) {
      const v = classifierVerdictOf(e);
      if (v.probeId === null) continue;
      if (!q.all && !(e.needsReview && !e.correction)) continue;
      out.push(itemOf(store, e, v, q.textChars ?? 4000));
    }
  }
  return out;
}

function itemOf(store: Store, e: VerdictEventRow, v: ClassifierVerdict, textChars: number): ReviewItem {
  const probe = v.probeId === null ? undefined : store.getProbe(v.probeId);
  const kept = e.kept ? keptMail(store, e.observationId) : null;
  const text = kept ? buildMessage(kept.headerBlock, kept.parts).text : (e.excerpt ?? '');
  const c = e.correction;
  return {
    eventId: e.id,
    kind: e.kind,
    probe: probe ? { id: probe.id, token: probe.token, entryKey: probe.entryKey } : null,
    occurredAt: e.occurredAt,
    from: e.sender,
    subject: e.subject,
    passAlong: e.passAlong,
    campaignAware: e.campaignAware,
    classifier: v,
    confidence: typeof e.details['confidence'] === 'number' ? (e.details['confidence'] as number) : null,
    needsReview: e.needsReview,
    correction: c ? { id: c.id, action: c.action, kind: c.kind, passAlong: c.passAlong, campaignAware: c.campaignAware, note: c.note, reviewer: c.reviewer, at: c.at } : null,
    reasons: e.reasons,
    reclassifiable: e.kept,
    text: text.length > textChars ? text.slice(0, textChars - 1) + '…' : text,
  };
}
