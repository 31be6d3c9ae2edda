/**
 * What `review`, `reclassify` and the reports' review section read and write (migration 5):
 * the kept mail a verdict was made from, the corrections log, and the verdict events
 * themselves. Callers wrap writes in store.tx() / store.batch().
 */
import { sql } from './connection.js';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { ProbeFilter } from './report-queries.js';
import type { Store } from './store.js';
import { needsReviewOf } from './store.js';
import type { Attribution, ClassifierVerdict, CorrectionRow, EventKind, KeptMail } from './types.js';
import { parseJson } from './json-column.js';
import { jsonList, noLimit } from './dialect.js';

/** Bounds of what is kept per reply; the collector's own fetch limits are the same or smaller. */
export const KEPT_HEADER_CHARS = 64 * 1024;
export const KEPT_PART_CHARS = 64 * 1024;
export const KEPT_PARTS = 4;

/** Event kinds that carry an email verdict (an unattributed event keeps the verdict in its details). */
export const VERDICT_KINDS: readonly EventKind[] = ['auto-ack', 'human-reply', 'bounce', 'unattributed'];

// ── kept mail ────────────────────────────────────────────────────────────────
/**
 * A 4 KB window and a small hash table: a reply of a few KB compresses about as well as with
 * zlib's defaults (47.5% of the corpus's bytes against 46.6%) at a fraction of the cost, most of
 * which was setting up the default 32 KB window and 64 K-entry hash for each message. Inflating
 * needs nothing special: the default window reads any smaller one.
 */
const DEFLATE = { memLevel: 4, windowBits: 12 } as const;

/** Keeps a reply's header block and text parts (cut to the bounds above; `truncated` says so). Once per observation. */
export function keepMail(store: Store, observationId: number, kept: KeptMail): void {
  let truncated = kept.headerBlock.length > KEPT_HEADER_CHARS || kept.parts.length > KEPT_PARTS;
  const parts = kept.parts.slice(0, KEPT_PARTS).map((p) => {
    if (p.text.length > KEPT_PART_CHARS) truncated = true;
    return { type: p.type, text: p.text.slice(0, KEPT_PART_CHARS) };
  });
  const blob = deflateRawSync(Buffer.from(JSON.stringify({ headerBlock: kept.headerBlock.slice(0, KEPT_HEADER_CHARS), parts }), 'utf8'), DEFLATE);
  sql(store)
    .statement('INSERT INTO mail_evidence (observation_id, kept, truncated) VALUES (?, ?, ?) ON CONFLICT (observation_id) DO NOTHING')
    .run(observationId, blob, truncated ? 1 : 0);
}

/** The kept mail of an observation, or null (collected before migration 5, or never fetched). */
export function keptMail(store: Store, observationId: number): (KeptMail & { truncated: boolean }) | null {
  const r = sql(store).statement('SELECT kept, truncated FROM mail_evidence WHERE observation_id = ?').get(observationId) as
    | { kept: Buffer; truncated: number }
    | undefined;
  if (!r) return null;
  const kept = JSON.parse(inflateRawSync(r.kept).toString('utf8')) as KeptMail;
  return { ...kept, truncated: r.truncated === 1 };
}

// ── corrections ──────────────────────────────────────────────────────────────
const CORRECTION_COLUMNS = 'id, observation_id, probe_id, action, kind, pass_along, campaign_aware, note, reviewer, at, classifier';

function correctionOf(r: unknown[]): CorrectionRow {
  const bool = (v: unknown) => (v === null || v === undefined ? null : v === 1);
  return {
    id: r[0] as number,
    observationId: r[1] as number,
    probeId: r[2] as number | null,
    action: r[3] as CorrectionRow['action'],
    kind: r[4] as CorrectionRow['kind'],
    passAlong: bool(r[5]),
    campaignAware: bool(r[6]),
    note: r[7] as string | null,
    reviewer: r[8] as string | null,
    at: r[9] as number,
    classifier: JSON.parse(r[10] as string) as ClassifierVerdict,
  };
}

/** Appends to the corrections log; returns the row's id. */
export function addCorrection(store: Store, c: Omit<CorrectionRow, 'id'>): number {
  const tri = (b: boolean | null) => (b === null ? null : b ? 1 : 0);
  return (
    sql(store)
      .statement(
        'INSERT INTO corrections (observation_id, probe_id, action, kind, pass_along, campaign_aware, note, reviewer, at, classifier) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id',
      )
      .get(c.observationId, c.probeId, c.action, c.kind, tri(c.passAlong), tri(c.campaignAware), c.note, c.reviewer, c.at, JSON.stringify(c.classifier)) as { id: number }
  ).id;
}

/** The correction that stands for an observation: its latest row, unless that withdrew it. */
export function standingCorrection(store: Store, observationId: number): CorrectionRow | null {
  const r = sql(store)
    .statement(`SELECT ${CORRECTION_COLUMNS} FROM corrections WHERE observation_id = ? ORDER BY id DESC LIMIT 1`)
    .raw()
    .get(observationId) as unknown[] | undefined;
  if (!r) return null;
  const c = correctionOf(r);
  return c.action === 'clear' ? null : c;
}

/** Every row of an observation's log, oldest first. */
export function correctionHistory(store: Store, observationId: number): CorrectionRow[] {
  return (sql(store).statement(`SELECT ${CORRECTION_COLUMNS} FROM corrections WHERE observation_id = ? ORDER BY id`).raw().all(observationId) as unknown[][]).map(
    correctionOf,
  );
}

// ── verdict events ───────────────────────────────────────────────────────────
/** An email verdict event with what review and reclassify need of its observation. */
export interface VerdictEventRow {
  id: number;
  observationId: number;
  probeId: number | null;
  kind: EventKind;
  attribution: Attribution;
  occurredAt: number;
  passAlong: boolean;
  campaignAware: boolean;
  followUp: boolean;
  needsReview: boolean;
  reasons: string[];
  details: Record<string, unknown>;
  sender: string | null;
  subject: string | null;
  excerpt: string | null;
  /** The reply's header block and text parts are kept (reclassify can read them). */
  kept: boolean;
  correction: CorrectionRow | null;
}

export interface VerdictQuery {
  /** Events with a larger id (paging in id order). */
  afterId?: number;
  limit?: number;
  /** occurred_at ≥ this. */
  since?: number;
  eventId?: number;
  /** Only events the classifier flagged (by the needs_review index). */
  flagged?: boolean;
}

const VERDICT_SQL = (where: string) => `
SELECT e.id, e.observation_id, e.probe_id, e.kind, e.attribution, e.occurred_at, e.pass_along, e.campaign_aware, e.follow_up,
  e.needs_review, e.reasons, e.details, o.sender, o.subject, o.excerpt,
  CASE WHEN EXISTS (SELECT 1 FROM mail_evidence m WHERE m.observation_id = e.observation_id) THEN 1 ELSE 0 END,
  c.id, c.observation_id, c.probe_id, c.action, c.kind, c.pass_along, c.campaign_aware, c.note, c.reviewer, c.at, c.classifier
FROM events e JOIN observations o ON o.id = e.observation_id
LEFT JOIN corrections c ON c.id = (SELECT MAX(x.id) FROM corrections x WHERE x.observation_id = e.observation_id)
WHERE o.source = 'imap' AND e.kind IN ('auto-ack', 'human-reply', 'bounce', 'unattributed') ${where}
ORDER BY e.id LIMIT ?`;

/** Email verdict events in id order (review, reclassify). */
export function verdictEvents(store: Store, q: VerdictQuery = {}): VerdictEventRow[] {
  const where: string[] = [];
  const args: unknown[] = [];
  if (q.afterId !== undefined) {
    where.push('AND e.id > ?');
    args.push(q.afterId);
  }
  if (q.since !== undefined) {
    where.push('AND e.occurred_at >= ?');
    args.push(q.since);
  }
  if (q.eventId !== undefined) {
    where.push('AND e.id = ?');
    args.push(q.eventId);
  }
  if (q.flagged) where.push('AND e.needs_review = 1');
  const c = sql(store);
  const rows = c.rows(VERDICT_SQL(where.join(' ')), ...args, q.limit ?? noLimit(c));
  return rows.map((r) => {
    const c = r[16] === null ? null : correctionOf(r.slice(16));
    return {
      id: r[0] as number,
      observationId: r[1] as number,
      probeId: r[2] as number | null,
      kind: r[3] as EventKind,
      attribution: r[4] as Attribution,
      occurredAt: r[5] as number,
      passAlong: r[6] === 1,
      campaignAware: r[7] === 1,
      followUp: r[8] === 1,
      needsReview: r[9] === 1,
      reasons: parseJson<string[]>(r[10]) ?? [],
      details: parseJson<Record<string, unknown>>(r[11]) ?? {},
      sender: r[12] as string | null,
      subject: r[13] as string | null,
      excerpt: r[14] as string | null,
      kept: r[15] === 1,
      correction: c && c.action !== 'clear' ? c : null,
    };
  });
}

/** Any event's kind and observation (to tell `review set` what an id it cannot correct is). */
export function eventKindOf(store: Store, eventId: number): { kind: string; source: string } | undefined {
  return sql(store)
    .statement('SELECT e.kind, o.source FROM events e JOIN observations o ON o.id = e.observation_id WHERE e.id = ?')
    .get(eventId) as { kind: string; source: string } | undefined;
}

export interface VerdictUpdate {
  kind: EventKind;
  probeId: number | null;
  attribution: Attribution;
  passAlong: boolean;
  campaignAware: boolean;
  followUp: boolean;
  reasons: string[];
  details: Record<string, unknown>;
}

/** Rewrites a verdict event in place (its id stays, so corrections and reports keep naming it). */
export function updateVerdictEvent(store: Store, eventId: number, u: VerdictUpdate): void {
  sql(store)
    .statement(
      `UPDATE events SET kind = ?, probe_id = ?, attribution = ?, pass_along = ?, campaign_aware = ?, follow_up = ?, reasons = ?, details = ?,
         needs_review = ? WHERE id = ?`,
    )
    .run(
      u.kind, u.probeId, u.attribution, u.passAlong ? 1 : 0, u.campaignAware ? 1 : 0, u.followUp ? 1 : 0, JSON.stringify(u.reasons),
      JSON.stringify(u.details), needsReviewOf(u.details), eventId,
    );
}

export function setObservationExcerpt(store: Store, observationId: number, excerpt: string | null): void {
  sql(store).statement('UPDATE observations SET excerpt = ? WHERE id = ?').run(excerpt, observationId);
}

/** Whether the observation already has an event of this kind (a stop request found on reclassifying). */
export function hasEventOfKind(store: Store, observationId: number, kind: EventKind): boolean {
  return !!sql(store).statement('SELECT 1 FROM events WHERE observation_id = ? AND kind = ?').get(observationId, kind);
}

// ── the reports' review section ──────────────────────────────────────────────
/** One verdict a report lists as corrected, confirmed or still needing review. */
export interface ReviewedVerdict {
  eventId: number;
  probeId: number | null;
  entryKey: string;
  siteId: string;
  occurredAt: number;
  state: 'corrected' | 'confirmed' | 'needs-review';
  /** What the classifier said: auto-ack, human, bounce. */
  classifier: { kind: string | null; passAlong: boolean; campaignAware: boolean };
  /** What counts now (after the correction): auto-ack, human, bounce, not-a-reply. */
  now: { kind: string | null; passAlong: boolean; campaignAware: boolean };
  confidence: number | null;
  note: string | null;
  reviewer: string | null;
  reviewedAt: number | null;
}

export interface ReviewSummary {
  /** Verdicts a person changed. */
  corrected: number;
  /** Verdicts a person checked and left as they were. */
  confirmed: number;
  /** Verdicts the classifier flagged that nobody has reviewed yet. */
  needsReview: number;
  /** Corrected and confirmed first, then the flagged ones, each oldest first; at most `limit`. */
  items: ReviewedVerdict[];
}

const EVENT_KIND_AS_VERDICT: Record<string, string> = { 'auto-ack': 'auto-ack', 'human-reply': 'human', bounce: 'bounce' };

function probeScope(store: Store, filter: ProbeFilter): { sql: string; args: unknown[] } {
  const where: string[] = [];
  const args: unknown[] = [];
  if (filter.runId !== undefined) {
    where.push('run_id = ?');
    args.push(filter.runId);
  }
  if (filter.runIds !== undefined) {
    where.push(`run_id IN ${jsonList(sql(store))}`);
    args.push(JSON.stringify(filter.runIds));
  }
  if (filter.since !== undefined) {
    where.push('planned_at >= ?');
    args.push(filter.since);
  }
  return { sql: `SELECT id FROM probes ${where.length ? 'WHERE ' + where.join(' AND ') : ''}`, args };
}

/**
 * The review state of the verdicts on the selected probes' replies. A corrected verdict is
 * counted by the probe it was attributed to, also when the correction detached it (not a reply).
 * The corrections log and the needs_review index are small: no scan of the events.
 */
export function reviewSummary(store: Store, filter: ProbeFilter = {}, limit = 200): ReviewSummary {
  const scope = probeScope(store, filter);
  const db = sql(store);
  const standing = db.rows(
      `SELECT c.id, c.observation_id, c.probe_id, c.action, c.kind, c.pass_along, c.campaign_aware, c.note, c.reviewer, c.at, c.classifier,
         e.id, e.occurred_at, p.entry_key, p.site_id, e.details
       FROM corrections c JOIN probes p ON p.id = c.probe_id
       LEFT JOIN events e ON e.observation_id = c.observation_id AND e.kind IN ('auto-ack', 'human-reply', 'bounce', 'unattributed')
       WHERE c.id IN (SELECT MAX(id) FROM corrections GROUP BY observation_id) AND c.action != 'clear' AND c.probe_id IN (${scope.sql})
       ORDER BY e.occurred_at, c.id`,
    ...scope.args,
  );
  const items: ReviewedVerdict[] = [];
  let corrected = 0;
  let confirmed = 0;
  for (const r of standing) {
    const c = correctionOf(r.slice(0, 11));
    const details = parseJson<Record<string, unknown>>(r[15]) ?? {};
    const before = { kind: c.classifier.kind, passAlong: c.classifier.passAlong, campaignAware: c.classifier.campaignAware };
    const now = c.kind === 'not-a-reply'
      ? { kind: 'not-a-reply', passAlong: false, campaignAware: false }
      : { kind: c.kind ?? before.kind, passAlong: c.passAlong ?? before.passAlong, campaignAware: c.campaignAware ?? before.campaignAware };
    const state = c.action === 'confirm' ? 'confirmed' : 'corrected';
    if (state === 'corrected') corrected++;
    else confirmed++;
    items.push({
      eventId: r[11] as number,
      probeId: c.probeId,
      entryKey: r[13] as string,
      siteId: r[14] as string,
      occurredAt: r[12] as number,
      state,
      classifier: before,
      now,
      confidence: typeof details['confidence'] === 'number' ? (details['confidence'] as number) : null,
      note: c.note,
      reviewer: c.reviewer,
      reviewedAt: c.at,
    });
  }
  const unreviewed = `FROM events e JOIN probes p ON p.id = e.probe_id
       WHERE e.needs_review = 1 AND e.probe_id IN (${scope.sql})
         AND NOT EXISTS (SELECT 1 FROM corrections c WHERE c.observation_id = e.observation_id
                         AND c.id = (SELECT MAX(id) FROM corrections WHERE observation_id = e.observation_id) AND c.action != 'clear')`;
  const needsReview = (db.rows(`SELECT COUNT(*) ${unreviewed}`, ...scope.args)[0]?.[0] as number | undefined) ?? 0;
  const room = Math.max(0, limit - items.length);
  const flagged = db.rows(
    `SELECT e.id, e.probe_id, p.entry_key, p.site_id, e.occurred_at, e.kind, e.pass_along, e.campaign_aware, e.details ${unreviewed} ORDER BY e.occurred_at, e.id LIMIT ?`,
    ...scope.args,
    room,
  );
  for (const r of flagged) {
    const details = parseJson<Record<string, unknown>>(r[8]) ?? {};
    const v = { kind: EVENT_KIND_AS_VERDICT[r[5] as string] ?? null, passAlong: r[6] === 1, campaignAware: r[7] === 1 };
    items.push({
      eventId: r[0] as number,
      probeId: r[1] as number,
      entryKey: r[2] as string,
      siteId: r[3] as string,
      occurredAt: r[4] as number,
      state: 'needs-review',
      classifier: v,
      now: v,
      confidence: typeof details['confidence'] === 'number' ? (details['confidence'] as number) : null,
      note: null,
      reviewer: null,
      reviewedAt: null,
    });
  }
  return { corrected, confirmed, needsReview, items: items.slice(0, limit) };
}
