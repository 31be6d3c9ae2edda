/**
 * The report's reads. One aggregate query turns probes + events into one row of facts per
 * probe (first response, first human contact, callback, flags, the test call's figures), so
 * scoring never walks the events table itself: 1,000,000 events are summed inside SQLite.
 * Timelines (every event with its excerpt) are read only for the few probes a report shows.
 */
import type { Store } from './store.js';

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

// Kinds that count as "something came back". A bounce is not an answer; it is a finding.
const RESPONSE_KINDS = "('auto-ack', 'human-reply', 'sms-reply', 'callback', 'stop-request')";
// Kinds where a person of the organization reached the shopper.
const HUMAN_KINDS = "('human-reply', 'sms-reply', 'callback')";

// A callback is expected where a web form took the shopper's phone number (the seeds: "if
// the form asked for a phone number, a person calls back"); a number volunteered in an email
// or a text is welcome to be called but its silence is not a missed callback.
// Three scans merged in JS: probes, the events summed per probe, and the test calls. One
// joined query was measured slower (an automatic index on the aggregate plus wide rows).
// Lean on purpose: site, service line and entry point come from entry_key (800 distinct
// strings, split once each); tokens are read later only for the probes a report shows.
const PROBES_SQL = (where: string) => `
SELECT id, run_id, entry_key, channel, status, outcome, CASE WHEN status != 'submitted' THEN error END,
  COALESCE(submitted_at, submitting_at, planned_at), planned_at, closes_at,
  (channel = 'webform' AND shopper_phone IS NOT NULL AND shopper_phone != '')
FROM probes ${where} ORDER BY id`;

// Only 'exact' and 'likely' attributions are scored; `x AND kind IN (…)` lets SQLite skip
// the string comparisons for the common 0 flags (measured: ~20 % faster on 1M events).
const EVENTS_SQL = (probeFilter: string) => `
SELECT probe_id,
  MIN(CASE WHEN kind IN ${RESPONSE_KINDS} THEN occurred_at END),
  MIN(CASE WHEN kind IN ${HUMAN_KINDS} THEN occurred_at END),
  MIN(CASE WHEN kind = 'callback' THEN occurred_at END),
  MAX(CASE WHEN kind = 'callback' THEN COALESCE(json_extract(details, '$.voicemail'), 0) ELSE 0 END),
  MAX(pass_along AND kind IN ${HUMAN_KINDS}),
  MIN(CASE WHEN follow_up = 1 THEN occurred_at END),
  MAX(campaign_aware AND kind IN ${HUMAN_KINDS}),
  MAX(kind = 'bounce'), MAX(kind = 'stop-request')
FROM events
WHERE probe_id IS NOT NULL AND attribution IN ('exact', 'likely') ${probeFilter}
GROUP BY probe_id
ORDER BY probe_id`;

const CALLS_SQL = (probeFilter: string) => `
SELECT probe_id, occurred_at,
  json_extract(details, '$.reached'), json_extract(details, '$.status'), json_extract(details, '$.answeredBy'),
  json_extract(details, '$.secondsToAnswer'), json_extract(details, '$.secondsToHuman'), json_extract(details, '$.secondsOnHold'),
  json_extract(details, '$.gaveUp'), json_extract(details, '$.ivrCampaignReady'), json_array_length(details, '$.ivrExpected'),
  json_extract(details, '$.recorded')
FROM events
WHERE kind = 'call' AND probe_id IS NOT NULL AND attribution IN ('exact', 'likely') ${probeFilter}
ORDER BY probe_id, occurred_at, id`;

function whereOf(filter: ProbeFilter): { sql: string; args: unknown[] } {
  const where: string[] = [];
  const args: unknown[] = [];
  const add = (sql: string, arg: unknown) => {
    where.push(sql);
    args.push(arg);
  };
  if (filter.runId !== undefined) add('run_id = ?', filter.runId);
  if (filter.runIds !== undefined) add('run_id IN (SELECT value FROM json_each(?))', JSON.stringify(filter.runIds));
  if (filter.since !== undefined) add('planned_at >= ?', filter.since);
  return { sql: where.length ? 'WHERE ' + where.join(' AND ') : '', args };
}

/** One row of facts per probe matching the filter, in id order. */
export function probeFacts(store: Store, filter: ProbeFilter = {}): ProbeFacts[] {
  const w = whereOf(filter);
  // With a filter, sum only the events of the selected probes.
  const eventFilter = w.sql ? `AND probe_id IN (SELECT id FROM probes ${w.sql})` : '';
  const facts: ProbeFacts[] = [];
  const keys = new Map<string, [string, string, string]>();
  for (const r of store.db.prepare(PROBES_SQL(w.sql)).raw().iterate(...w.args) as Iterable<unknown[]>) {
    const entryKey = r[2] as string;
    let parts = keys.get(entryKey);
    if (!parts) {
      const p = entryKey.split('/');
      parts = p.length === 3 ? [p[0]!, p[1]!, p[2]!] : [entryKey, '', ''];
      keys.set(entryKey, parts);
    }
    const f: ProbeFacts = {
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
      callbackExpected: r[10] === 1,
      firstResponseAt: null,
      firstHumanAt: null,
      firstCallbackAt: null,
      callbackVoicemail: false,
      passAlong: false,
      followUpAt: null,
      campaignAware: false,
      bounced: false,
      stopRequested: false,
      call: null,
    };
    facts.push(f);
  }
  // Both lists come in probe id order: a merge join, no lookup table for 100,000 probes.
  let at = 0;
  const find = (id: number): ProbeFacts | undefined => {
    while (at < facts.length && facts[at]!.id < id) at++;
    return facts[at]?.id === id ? facts[at] : undefined;
  };
  for (const r of store.db.prepare(EVENTS_SQL(eventFilter)).raw().iterate(...w.args) as Iterable<unknown[]>) {
    const f = find(r[0] as number);
    if (!f) continue;
    f.firstResponseAt = r[1] as number | null;
    f.firstHumanAt = r[2] as number | null;
    f.firstCallbackAt = r[3] as number | null;
    f.callbackVoicemail = r[4] === 1;
    f.passAlong = r[5] === 1;
    f.followUpAt = r[6] as number | null;
    f.campaignAware = r[7] === 1;
    f.bounced = r[8] === 1;
    f.stopRequested = r[9] === 1;
  }
  // Ordered by probe, then time: when a probe has several test calls (a retry), the last one stands.
  at = 0;
  for (const r of store.db.prepare(CALLS_SQL(eventFilter)).raw().iterate(...w.args) as Iterable<unknown[]>) {
    const f = find(r[0] as number);
    if (!f) continue;
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
}

/** Timelines of the given probes (at most a few thousand: what a report shows). */
export function probeTimelines(store: Store, probeIds: number[]): Map<number, TimelineEvent[]> {
  const out = new Map<number, TimelineEvent[]>();
  if (!probeIds.length) return out;
  const rows = store.db
    .prepare(
      `SELECT e.probe_id AS probeId, e.kind, e.attribution, e.occurred_at AS occurredAt, e.pass_along AS passAlong,
              e.campaign_aware AS campaignAware, e.follow_up AS followUp, e.reasons, e.details,
              o.sender, o.subject, o.excerpt
       FROM events e JOIN observations o ON o.id = e.observation_id
       WHERE e.probe_id IN (SELECT value FROM json_each(?))
       ORDER BY e.probe_id, e.occurred_at, e.id`,
    )
    .all(JSON.stringify(probeIds)) as Array<Record<string, unknown>>;
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
    };
    const list = out.get(ev.probeId);
    if (list) list.push(ev);
    else out.set(ev.probeId, [ev]);
  }
  return out;
}

/** Events in the period no inquiry could be matched to (probe_id NULL: unattributed or ambiguous). */
export function countUnmatchedEvents(store: Store, since?: number): number {
  const r = store.db
    .prepare('SELECT COUNT(*) AS n FROM events WHERE probe_id IS NULL AND occurred_at >= ?')
    .get(since ?? 0) as { n: number };
  return r.n;
}

/** Evidence and identity columns of the given probes (screenshots, inquiry text). */
export function probeEvidence(store: Store, probeIds: number[]): Map<number, ProbeEvidenceRow> {
  const out = new Map<number, ProbeEvidenceRow>();
  if (!probeIds.length) return out;
  const rows = store.db
    .prepare('SELECT id, token, evidence, details, target FROM probes WHERE id IN (SELECT value FROM json_each(?))')
    .all(JSON.stringify(probeIds)) as Array<{ id: number; token: string; evidence: string | null; details: string | null; target: string }>;
  for (const r of rows) out.set(r.id, { token: r.token, evidence: parseJson(r.evidence), details: parseJson(r.details), target: r.target });
  return out;
}

export interface ProbeEvidenceRow {
  token: string;
  evidence: Record<string, unknown> | null;
  details: Record<string, unknown> | null;
  target: string;
}

/** Runs that own at least one probe, oldest first (for trends). */
export function runsWithProbes(store: Store, filter: ProbeFilter = {}): Array<{ id: number; startedAt: number; kind: string }> {
  const w = whereOf(filter);
  return store.db
    .prepare(
      `SELECT r.id, r.started_at AS startedAt, r.kind FROM runs r
       WHERE r.id IN (SELECT DISTINCT run_id FROM probes ${w.sql}) ORDER BY r.started_at, r.id`,
    )
    .all(...w.args) as Array<{ id: number; startedAt: number; kind: string }>;
}

function parseJson<T>(s: unknown): T | null {
  if (typeof s !== 'string') return null;
  try {
    return JSON.parse(s) as T;
  } catch {
    return null;
  }
}
