/**
 * The report's reads. One query turns probes + their probe_facts rows (events summed per
 * probe as they are written; migration 2) into one row of facts per probe (first response,
 * first human contact, callback, flags, the test call's figures), so scoring never walks the
 * events table itself. Timelines (every event with its excerpt) are read only for the few
 * probes a report shows.
 */
import { sql } from './connection.js';
import type { Store } from './store.js';
import { parseJson } from './json-column.js';
import type { Connection } from './connection.js';
import { jsonList } from './dialect.js';

/** Everything the scorer needs to know about one probe. Times are epoch ms. */
export interface ProbeFacts {
  id: number;
  runId: number;
  siteId: string;
  serviceLineId: string;
  entryPointId: string;
  entryKey: string;
  channel: string;
  status: string;
  outcome: string | null;
  error: string | null;
  /** When the inquiry reached the organization (submitted_at, else when we started sending). */
  sentAt: number;
  plannedAt: number;
  closesAt: number | null;
  /** The inquiry gave a phone number, so a callback is expected. */
  callbackExpected: boolean;
  firstResponseAt: number | null;
  firstHumanAt: number | null;
  firstCallbackAt: number | null;
  callbackVoicemail: boolean;
  passAlong: boolean;
  followUpAt: number | null;
  campaignAware: boolean;
  bounced: boolean;
  stopRequested: boolean;
  call: CallFacts | null;
}

/** The figures of our own test call ('call' event details; see the event conventions). */
export interface CallFacts {
  at: number;
  reached: boolean;
  status: string | null;
  answeredBy: string | null;
  secondsToAnswer: number | null;
  secondsToHuman: number | null;
  secondsOnHold: number | null;
  gaveUp: boolean;
  ivrCampaignReady: boolean | null;
  ivrExpected: number;
  recorded: boolean;
}

export interface ProbeFilter {
  runId?: number;
  runIds?: number[];
  /** planned_at ≥ this. */
  since?: number;
}

// One scan of the probes, each joined with its probe_facts row (its events summed by the
// triggers of migration 2: first response, first human contact, callback, flags), and a second
// scan for the test calls' figures of the phone probes only. A callback is expected where a
// web form took the shopper's phone number (the seeds: "if the form asked for a phone number,
// a person calls back"); a number volunteered in an email or a text is welcome to be called
// but its silence is not a missed callback. Lean on purpose: site, service line and entry
// point come from entry_key (800 distinct strings, split once each); the six yes/no facts come
// as one bit set; tokens are read later only for the probes a report shows. Turning SQLite
// values into JavaScript ones is most of the cost (3.2 million values for 100,000 probes with
// every column in one row; half that now).
const FLAG = { callbackExpected: 1, voicemail: 2, passAlong: 4, campaignAware: 8, bounced: 16, stopRequested: 32, call: 64 } as const;
// PostgreSQL has no boolean arithmetic: the same bits as sums of CASEs.
const FLAGS_PG = `(CASE WHEN p.channel = 'webform' AND p.shopper_phone IS NOT NULL AND p.shopper_phone != '' THEN 1 ELSE 0 END)
    + (CASE WHEN COALESCE(f.callback_voicemail, 0) != 0 THEN 2 ELSE 0 END) + (CASE WHEN COALESCE(f.pass_along, 0) != 0 THEN 4 ELSE 0 END)
    + (CASE WHEN COALESCE(f.campaign_aware, 0) != 0 THEN 8 ELSE 0 END) + (CASE WHEN COALESCE(f.bounced, 0) != 0 THEN 16 ELSE 0 END)
    + (CASE WHEN COALESCE(f.stop_requested, 0) != 0 THEN 32 ELSE 0 END) + (CASE WHEN f.call_event_id IS NOT NULL THEN 64 ELSE 0 END)`;
const FACTS_SQL = (where: string, c: Connection) => c.dialect === 'pg' ? FACTS_SQL_SQLITE(where).replace(FLAGS_SQLITE, FLAGS_PG) : FACTS_SQL_SQLITE(where);
const FLAGS_SQLITE = `(p.channel = 'webform' AND p.shopper_phone IS NOT NULL AND p.shopper_phone != '')
    | ((COALESCE(f.callback_voicemail, 0) != 0) << 1) | ((COALESCE(f.pass_along, 0) != 0) << 2) | ((COALESCE(f.campaign_aware, 0) != 0) << 3)
    | ((COALESCE(f.bounced, 0) != 0) << 4) | ((COALESCE(f.stop_requested, 0) != 0) << 5) | ((f.call_event_id IS NOT NULL) << 6)`;
const FACTS_SQL_SQLITE = (where: string) => `
SELECT p.id, p.run_id, p.entry_key, p.channel, p.status, p.outcome, CASE WHEN p.status != 'submitted' THEN p.error END,
  COALESCE(p.submitted_at, p.submitting_at, p.planned_at), p.planned_at, p.closes_at,
  f.first_response_at, f.first_human_at, f.first_callback_at, f.follow_up_at,
  -- SQLite's | and << bind alike, left to right: each shift in its own parentheses.
  ${FLAGS_SQLITE}
FROM probes p LEFT JOIN probe_facts f ON f.probe_id = p.id
${where} ORDER BY p.id`;
const CALLS_SQL = (where: string) => `
SELECT p.id, f.call_at, f.call_reached, f.call_status, f.call_answered_by, f.call_seconds_to_answer, f.call_seconds_to_human,
  f.call_seconds_on_hold, f.call_gave_up, f.call_ivr_campaign_ready, f.call_ivr_expected, f.call_recorded
FROM probes p JOIN probe_facts f ON f.probe_id = p.id
${where ? `${where} AND` : 'WHERE'} f.call_event_id IS NOT NULL ORDER BY p.id`;

function whereOf(c: Connection, filter: ProbeFilter, table = ''): { sql: string; args: unknown[] } {
  const where: string[] = [];
  const args: unknown[] = [];
  const add = (sql: string, arg: unknown) => {
    where.push(table + sql);
    args.push(arg);
  };
  if (filter.runId !== undefined) add('run_id = ?', filter.runId);
  if (filter.runIds !== undefined) add(`run_id IN ${jsonList(c)}`, JSON.stringify(filter.runIds));
  if (filter.since !== undefined) add('planned_at >= ?', filter.since);
  return { sql: where.length ? 'WHERE ' + where.join(' AND ') : '', args };
}

/** One row of facts per probe matching the filter, in id order. */
export function probeFacts(store: Store, filter: ProbeFilter = {}): ProbeFacts[] {
  const c = sql(store);
  const w = whereOf(c, filter, 'p.');
  const facts: ProbeFacts[] = [];
  const keys = new Map<string, [string, string, string]>();
  const withCall: number[] = [];
  for (const r of c.each(FACTS_SQL(w.sql, c), w.args)) {
    const entryKey = r[2] as string;
    let parts = keys.get(entryKey);
    if (!parts) {
      const p = entryKey.split('/');
      parts = p.length === 3 ? [p[0]!, p[1]!, p[2]!] : [entryKey, '', ''];
      keys.set(entryKey, parts);
    }
    const flags = r[14] as number;
    if (flags & FLAG.call) withCall.push(facts.length);
    facts.push({
      id: r[0] as number,
      runId: r[1] as number,
      entryKey,
      siteId: parts[0],
      serviceLineId: parts[1],
      entryPointId: parts[2],
      channel: r[3] as string,
      status: r[4] as string,
      outcome: r[5] as string | null,
      error: r[6] as string | null,
      sentAt: r[7] as number,
      plannedAt: r[8] as number,
      closesAt: r[9] as number | null,
      callbackExpected: (flags & FLAG.callbackExpected) !== 0,
      firstResponseAt: r[10] as number | null,
      firstHumanAt: r[11] as number | null,
      firstCallbackAt: r[12] as number | null,
      callbackVoicemail: (flags & FLAG.voicemail) !== 0,
      passAlong: (flags & FLAG.passAlong) !== 0,
      followUpAt: r[13] as number | null,
      campaignAware: (flags & FLAG.campaignAware) !== 0,
      bounced: (flags & FLAG.bounced) !== 0,
      stopRequested: (flags & FLAG.stopRequested) !== 0,
      call: null,
    });
  }
  if (!withCall.length) return facts;
  // Both scans are in id order: walk them side by side.
  let k = 0;
  for (const r of c.each(CALLS_SQL(w.sql), w.args)) {
    while (k < withCall.length && facts[withCall[k]!]!.id < (r[0] as number)) k++;
    const f = facts[withCall[k]!];
    if (!f || f.id !== r[0]) continue;
    f.call = {
      at: r[1] as number,
      reached: r[2] === 1,
      status: r[3] as string | null,
      answeredBy: r[4] as string | null,
      secondsToAnswer: r[5] as number | null,
      secondsToHuman: r[6] as number | null,
      secondsOnHold: r[7] as number | null,
      gaveUp: r[8] === 1,
      ivrCampaignReady: r[9] === null || r[9] === undefined ? null : r[9] === 1,
      ivrExpected: (r[10] as number | null) ?? 0,
      recorded: r[11] === 1,
    };
  }
  return facts;
}

/** One event of a probe's timeline, with what the observation said (for the HTML report). */
export interface TimelineEvent {
  probeId: number;
  kind: string;
  attribution: string;
  occurredAt: number;
  passAlong: boolean;
  campaignAware: boolean;
  followUp: boolean;
  reasons: string[];
  details: Record<string, unknown>;
  sender: string | null;
  subject: string | null;
  excerpt: string | null;
  /** The classifier flagged the verdict for a person's review. */
  needsReview: boolean;
  /** A person's standing word on the verdict (migration 5), if any. */
  review: 'corrected' | 'confirmed' | null;
}

/** Timelines of the given probes (at most a few thousand: what a report shows). */
export function probeTimelines(store: Store, probeIds: number[]): Map<number, TimelineEvent[]> {
  const out = new Map<number, TimelineEvent[]>();
  if (!probeIds.length) return out;
  const c = sql(store);
  const rows = c.all<Record<string, unknown>>(
    `SELECT e.probe_id AS "probeId", e.kind, e.attribution, e.occurred_at AS "occurredAt", e.pass_along AS "passAlong",
            e.campaign_aware AS "campaignAware", e.follow_up AS "followUp", e.reasons, e.details,
            o.sender, o.subject, o.excerpt, e.needs_review AS "needsReview",
            (SELECT c.action FROM corrections c WHERE c.observation_id = e.observation_id ORDER BY c.id DESC LIMIT 1) AS "reviewAction"
     FROM events e JOIN observations o ON o.id = e.observation_id
     WHERE e.probe_id IN ${jsonList(c)}
     ORDER BY e.probe_id, e.occurred_at, e.id`,
    JSON.stringify(probeIds),
  );
  for (const r of rows) {
    const ev: TimelineEvent = {
      probeId: r.probeId as number,
      kind: r.kind as string,
      attribution: r.attribution as string,
      occurredAt: r.occurredAt as number,
      passAlong: r.passAlong === 1,
      campaignAware: r.campaignAware === 1,
      followUp: r.followUp === 1,
      reasons: parseJson<string[]>(r.reasons) ?? [],
      details: parseJson<Record<string, unknown>>(r.details) ?? {},
      sender: (r.sender as string | null) ?? null,
      subject: (r.subject as string | null) ?? null,
      excerpt: (r.excerpt as string | null) ?? null,
      needsReview: r.needsReview === 1,
      review: r.reviewAction === 'correct' ? 'corrected' : r.reviewAction === 'confirm' ? 'confirmed' : null,
    };
    const list = out.get(ev.probeId);
    if (list) list.push(ev);
    else out.set(ev.probeId, [ev]);
  }
  return out;
}

/**
 * What in the period no inquiry could be matched to: events with probe_id NULL (unattributed
 * or ambiguous) and observations stored as unmatched without an event (migration 3).
 */
export function countUnmatchedEvents(store: Store, since?: number): number {
  const r = sql(store).get<{ n: number }>(
    `SELECT (SELECT COUNT(*) FROM events WHERE probe_id IS NULL AND occurred_at >= ?)
          + (SELECT COUNT(*) FROM observations WHERE unmatched = 1 AND occurred_at >= ?) AS n`,
    since ?? 0,
    since ?? 0,
  );
  return r!.n;
}

/** Evidence and identity columns of the given probes (screenshots, inquiry text). */
export function probeEvidence(store: Store, probeIds: number[]): Map<number, ProbeEvidenceRow> {
  const out = new Map<number, ProbeEvidenceRow>();
  if (!probeIds.length) return out;
  const c = sql(store);
  const rows = c.all<{ id: number; token: string; evidence: string | null; details: string | null; target: string }>(
    `SELECT id, token, evidence, details, target FROM probes WHERE id IN ${jsonList(c)}`,
    JSON.stringify(probeIds),
  );
  for (const r of rows) out.set(r.id, { token: r.token, evidence: parseJson(r.evidence), details: parseJson(r.details), target: r.target });
  return out;
}

export interface ProbeEvidenceRow {
  token: string;
  evidence: Record<string, unknown> | null;
  details: Record<string, unknown> | null;
  target: string;
}

/** The runs of these facts, oldest first: runsWithProbes() without scanning the probes again. */
export function runsOfFacts(store: Store, facts: readonly { runId: number }[]): Array<{ id: number; startedAt: number; kind: string }> {
  const ids = [...new Set(facts.map((f) => f.runId))];
  const c = sql(store);
  return c.all<{ id: number; startedAt: number; kind: string }>(
    `SELECT id, started_at AS "startedAt", kind FROM runs WHERE id IN ${jsonList(c)} ORDER BY started_at, id`,
    JSON.stringify(ids),
  );
}

/** Runs that own at least one probe, oldest first (for trends). */
export function runsWithProbes(store: Store, filter: ProbeFilter = {}): Array<{ id: number; startedAt: number; kind: string }> {
  const c = sql(store);
  const w = whereOf(c, filter);
  return c.all<{ id: number; startedAt: number; kind: string }>(
    `SELECT r.id, r.started_at AS "startedAt", r.kind FROM runs r
     WHERE r.id IN (SELECT DISTINCT run_id FROM probes ${w.sql}) ORDER BY r.started_at, r.id`,
    ...w.args,
  );
}
