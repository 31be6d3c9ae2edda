/**
 * The store's queries. Small and named; with the *-queries.ts modules beside it, the only SQL.
 * The connection lives in connection.ts, out of reach of src/ outside src/store/ (lint).
 */
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import { UsageError } from '../errors.js';
import { registerConnection, type Connection } from './connection.js';
import { HOST, isPostgresUrl, openConnection, schemaVersion, storeLabel, type OpenOptions } from './db.js';
import { MIGRATIONS, REFRESH_STALE_FACTS } from './migrations.js';
import { REFRESH_STALE_FACTS_PG } from './migrations-pg.js';
import { jsonList } from './dialect.js';
import type {
  EventInput,
  EventRow,
  ObservationInput,
  ObservationRow,
  ProbeRow,
  ProbeStatus,
  RunRow,
  UnmatchedMailInput,
} from './types.js';

export { isPostgresUrl, storeExists, storeLabel } from './db.js';

const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));
const parse = <T>(s: unknown): T | null => (typeof s === 'string' ? (JSON.parse(s) as T) : null);
// Column names are few; converting each once keeps row conversion off the regex engine.
const camelNames = new Map<string, string>();
const camel = (k: string) => {
  let c = camelNames.get(k);
  if (c === undefined) camelNames.set(k, (c = k.replace(/_([a-z])/g, (_m, x: string) => x.toUpperCase())));
  return c;
};

function rowOf<T>(r: Record<string, unknown> | undefined, jsonCols: string[] = [], boolCols: string[] = []): T | undefined {
  if (!r) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) {
    const c = camel(k);
    out[c] = jsonCols.includes(k) ? parse(v) : boolCols.includes(k) ? v === 1 : v;
  }
  return out as T;
}

const PROBE_JSON = ['details', 'evidence'];

/** Why mail stored as unmatched (no event) was not attributed. */
export const UNMATCHED_REASON = "no token, no thread header naming a probe, and the sender is not one of a site's domains";

/** An unattributed item: an event, or (id null) an observation stored as unmatched. */
export type UnattributedRow = Omit<EventRow, 'id'> & { id: number | null; sender: string | null; subject: string | null };
const eventOf = (r: unknown) =>
  rowOf<EventRow>(r as Record<string, unknown>, ['reasons', 'details'], ['pass_along', 'campaign_aware', 'follow_up', 'needs_review']);

export interface NewProbe {
  token: string;
  runId: number;
  entryKey: string;
  siteId: string;
  serviceLineId: string;
  entryPointId: string;
  channel: string;
  target: string;
  closesAt?: number | null;
  shopperName?: string;
  shopperEmail?: string;
  shopperPhone?: string | null;
  inquiry?: string;
  variant?: number;
  details?: Record<string, unknown>;
}

export interface ProbeUpdate {
  status?: ProbeStatus;
  outcome?: string | null;
  submittedAt?: number | null;
  closesAt?: number | null;
  closedAt?: number | null;
  messageId?: string | null;
  externalId?: string | null;
  error?: string | null;
  details?: Record<string, unknown> | null;
  evidence?: Record<string, unknown> | null;
}

// Dynamic SQL (updateProbe's SET list, listProbes' filters) has a bounded number of shapes;
// the cap only guards against a caller building unbounded SQL texts.
export class Store {
  readonly #c: Connection;
  private readonly probeColumns = new Map<string, { keys: string[]; json: boolean[] }>();
  /** The SQLite file, or the PostgreSQL URL without its password (safe to print). */
  readonly path: string;
  /** Which engine keeps this store. */
  readonly engine: 'sqlite' | 'postgres';
  /**
   * @param location a SQLite file path, or a postgres:// URL (PostgreSQL; the password from a
   *   ${ENV} reference in the URL or from PGPASSWORD, never written in a file).
   */
  constructor(
    location: string,
    readonly clock: Clock = systemClock,
    opts: OpenOptions = {},
  ) {
    this.path = storeLabel(location);
    this.engine = isPostgresUrl(location) ? 'postgres' : 'sqlite';
    this.#c = openConnection(location, opts);
    registerConnection(this, this.#c);
  }

  /** A store opened read-only is not migrated: true when its schema is older than this build's. */
  schemaBehind(): boolean {
    return schemaVersion(this.#c) < MIGRATIONS.length;
  }

  close(): void {
    this.probeColumns.clear();
    this.#c.close();
  }

  #statement(sql: string) {
    return this.#c.statement(sql);
  }

  /**
   * Probe rows by `sql` (a SELECT * FROM probes …): read as arrays (a cached raw statement,
   * prepared apart from statement()'s) and converted with the column names worked out once,
   * which costs about half of building and then renaming a 26-key object per row.
   */
  #probeRows(sql: string, args: unknown[]): ProbeRow[] {
    const t = this.#c.table(sql, args);
    let q = this.probeColumns.get(sql);
    if (!q) {
      if (this.probeColumns.size >= 256) this.probeColumns.clear();
      q = { keys: t.columns.map(camel), json: t.columns.map((n) => PROBE_JSON.includes(n)) };
      this.probeColumns.set(sql, q);
    }
    const { keys, json: isJson } = q;
    return t.rows.map((a) => {
      const o: Record<string, unknown> = {};
      for (let i = 0; i < keys.length; i++) o[keys[i]!] = isJson[i] ? parse(a[i]) : a[i];
      return o as unknown as ProbeRow;
    });
  }

  #probeRow(sql: string, ...args: unknown[]): ProbeRow | undefined {
    return this.#probeRows(sql, args)[0];
  }

  tx<T>(fn: () => T): T {
    return this.#c.tx(fn);
  }

  private batchDepth = 0;

  /**
   * A transaction whose event writes refresh probe_facts once, before it commits, for the
   * probes they touched (migration 4), instead of once per event. The collectors store their
   * replies this way. Nothing inside may read probe_facts (only the report does).
   */
  batch<T>(fn: () => T): T {
    if (this.batchDepth > 0) return this.tx(fn);
    return this.tx(() => {
      this.batchDepth++;
      try {
        this.#statement('INSERT INTO facts_deferred VALUES (1)').run();
        const out = fn();
        this.#c.exec(this.#c.dialect === 'sqlite' ? REFRESH_STALE_FACTS : REFRESH_STALE_FACTS_PG);
        return out;
      } finally {
        this.batchDepth--;
      }
    });
  }

  // ── runs ────────────────────────────────────────────────────────────────────
  startRun(kind: string, configPath: string, dryRun = false): number {
    return this.tx(
      () =>
        (this.#statement('INSERT INTO runs (kind, config_path, started_at, dry_run, pid) VALUES (?, ?, ?, ?, ?) RETURNING id')
          .get(kind, configPath, this.clock.now(), dryRun ? 1 : 0, process.pid) as { id: number }).id,
    );
  }

  finishRun(id: number, status: 'finished' | 'failed' | 'interrupted', summary?: Record<string, unknown>): void {
    this.tx(() =>
      this.#statement('UPDATE runs SET finished_at = ?, status = ?, summary = ? WHERE id = ?').run(this.clock.now(), status, json(summary), id),
    );
  }

  listRuns(limit = 20): RunRow[] {
    return this.#statement('SELECT * FROM runs ORDER BY id DESC LIMIT ?')
      .all(limit)
      .map((r) => rowOf<RunRow>(r as Record<string, unknown>, ['summary'], ['dry_run'])!);
  }

  getRun(id: number): RunRow | undefined {
    return rowOf<RunRow>(this.#statement('SELECT * FROM runs WHERE id = ?').get(id) as Record<string, unknown>, ['summary'], ['dry_run']);
  }

  // ── probes ──────────────────────────────────────────────────────────────────
  /** Records a probe as `submitting` (committed before anything is sent). */
  createProbe(p: NewProbe): ProbeRow {
    const now = this.clock.now();
    return this.tx(() => {
      const id = this.#statement(
          `INSERT INTO probes (token, run_id, entry_key, site_id, service_line_id, entry_point_id, channel, target, status,
             planned_at, submitting_at, closes_at, shopper_name, shopper_email, shopper_phone, inquiry, variant, details)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'submitting', ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
        )
        .get(
          p.token, p.runId, p.entryKey, p.siteId, p.serviceLineId, p.entryPointId, p.channel, p.target,
          now, now, p.closesAt ?? null, p.shopperName ?? null, p.shopperEmail ?? null, p.shopperPhone ?? null,
          p.inquiry ?? null, p.variant ?? null, json(p.details),
        ) as { id: number };
      return this.getProbe(id.id)!;
    });
  }

  updateProbe(id: number, u: ProbeUpdate): void {
    const sets: string[] = [];
    const vals: unknown[] = [];
    const map: Record<keyof ProbeUpdate, string> = {
      status: 'status', outcome: 'outcome', submittedAt: 'submitted_at', closesAt: 'closes_at', closedAt: 'closed_at',
      messageId: 'message_id', externalId: 'external_id', error: 'error', details: 'details', evidence: 'evidence',
    };
    for (const [k, col] of Object.entries(map) as [keyof ProbeUpdate, string][]) {
      if (!(k in u)) continue;
      sets.push(`${col} = ?`);
      const v = u[k];
      vals.push(k === 'details' || k === 'evidence' ? json(v) : v);
    }
    if (!sets.length) return;
    this.tx(() => this.#statement(`UPDATE probes SET ${sets.join(', ')} WHERE id = ?`).run(...vals, id));
  }

  getProbe(id: number): ProbeRow | undefined {
    return this.#probeRow('SELECT * FROM probes WHERE id = ?', id);
  }

  probeByToken(token: string): ProbeRow | undefined {
    return this.#probeRow('SELECT * FROM probes WHERE token = ?', token.toLowerCase());
  }

  /** The probes with these tokens (lowercase), in one query. */
  probesByTokens(tokens: string[]): ProbeRow[] {
    if (!tokens.length) return [];
    return this.#probeRows(`SELECT * FROM probes WHERE token IN ${jsonList(this.#c, 'text')}`, [JSON.stringify(tokens)]);
  }

  /** The probes whose Message-ID is one of these, compared case-insensitively, by id. */
  probesByMessageIds(messageIds: string[]): ProbeRow[] {
    if (!messageIds.length) return [];
    const list = this.#c.dialect === 'sqlite' ? '(SELECT lower(value) FROM json_each(?))' : '(SELECT lower(v) FROM json_array_elements_text(?::json) AS t(v))';
    return this.#probeRows(`SELECT * FROM probes WHERE lower(message_id) IN ${list} ORDER BY id`, [JSON.stringify(messageIds)]);
  }

  probeByMessageId(messageId: string): ProbeRow | undefined {
    return this.#probeRow('SELECT * FROM probes WHERE message_id = ?', messageId);
  }

  probeByExternalId(externalId: string): ProbeRow | undefined {
    return this.#probeRow('SELECT * FROM probes WHERE external_id = ?', externalId);
  }

  listProbes(filter: { runId?: number; status?: ProbeStatus[]; open?: boolean; since?: number; entryKey?: string; siteId?: string } = {}): ProbeRow[] {
    const where: string[] = [];
    const vals: unknown[] = [];
    if (filter.runId !== undefined) (where.push('run_id = ?'), vals.push(filter.runId));
    if (filter.status?.length) (where.push(`status IN (${filter.status.map(() => '?').join(',')})`), vals.push(...filter.status));
    if (filter.open) where.push("status IN ('submitted', 'unknown') AND closed_at IS NULL");
    if (filter.since !== undefined) (where.push('planned_at >= ?'), vals.push(filter.since));
    if (filter.entryKey !== undefined) (where.push('entry_key = ?'), vals.push(filter.entryKey));
    if (filter.siteId !== undefined) (where.push('site_id = ?'), vals.push(filter.siteId));
    const sql = `SELECT * FROM probes ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id`;
    return this.#probeRows(sql, vals);
  }

  /** The latest probe per entry point (for cadence and "never twice while open"). */
  lastProbeByEntry(): Map<string, ProbeRow> {
    const rows = this.#probeRows("SELECT * FROM probes WHERE id IN (SELECT MAX(id) FROM probes WHERE status != 'not-sent' GROUP BY entry_key)", []);
    return new Map(rows.map((r) => [r.entryKey, r]));
  }

  /** Probes left `submitting` by a process that died: never re-sent, marked `unknown`. */
  markInterruptedProbesUnknown(): number {
    return this.tx(
      () =>
        this.#statement("UPDATE probes SET status = 'unknown', outcome = COALESCE(outcome, 'interrupted'), error = COALESCE(error, 'the run stopped between starting and confirming this submission; it may or may not have reached the organization') WHERE status = 'submitting'")
          .run().changes,
    );
  }

  /** Closes probes whose wait window has passed. */
  closeExpiredProbes(now = this.clock.now()): number {
    return this.tx(
      () =>
        this.#statement("UPDATE probes SET closed_at = ? WHERE closed_at IS NULL AND closes_at IS NOT NULL AND closes_at <= ? AND status IN ('submitted', 'unknown')")
          .run(now, now).changes,
    );
  }

  countProbesSince(since: number, filter: { entryKey?: string; channel?: string } = {}): number {
    let sql = "SELECT COUNT(*) AS n FROM probes WHERE planned_at >= ? AND status != 'not-sent'";
    const vals: unknown[] = [since];
    if (filter.entryKey) (sql += ' AND entry_key = ?', vals.push(filter.entryKey));
    if (filter.channel) (sql += ' AND channel = ?', vals.push(filter.channel));
    return (this.#statement(sql).get(...vals) as { n: number }).n;
  }

  // ── observations & events ───────────────────────────────────────────────────
  /** Inserts an observation; returns its id and whether it was new (unique by source + sourceId). */
  addObservation(o: ObservationInput): { id: number; isNew: boolean } {
    const r = this.#statement(
        `INSERT INTO observations (source, source_id, occurred_at, time_source, clock_skew_ms, collected_at, sender, recipient, subject, message_id, in_reply_to, refs, excerpt, data, unmatched)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source, source_id) DO NOTHING RETURNING id`,
      )
      .get(
        o.source, o.sourceId, o.occurredAt, o.timeSource, o.clockSkewMs ?? null, this.clock.now(), o.sender ?? null,
        o.recipient ?? null, o.subject ?? null, o.messageId ?? null, o.inReplyTo ?? null, o.refs ?? null, o.excerpt ?? null, json(o.data),
        o.unmatched ? 1 : 0,
      ) as { id: number } | undefined;
    if (r) return { id: r.id, isNew: true };
    const existing = this.#statement('SELECT id FROM observations WHERE source = ? AND source_id = ?').get(o.source, o.sourceId) as { id: number };
    return { id: existing.id, isNew: false };
  }

  /**
   * Mail nothing matched and nothing more is known of (migration 3): its observation alone,
   * flagged. The collector stores thousands per chunk, so this is addObservation without its
   * generality: one statement, no excerpt, `data` already JSON. True when it was new.
   */
  addUnmatchedMail(o: UnmatchedMailInput): boolean {
    return (
      this.#statement(
        `INSERT INTO observations (source, source_id, occurred_at, time_source, clock_skew_ms, collected_at, sender, recipient, subject, message_id, in_reply_to, refs, data, unmatched)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) ON CONFLICT (source, source_id) DO NOTHING`,
      ).run(
        o.source, o.sourceId, o.occurredAt, o.timeSource, o.clockSkewMs, this.clock.now(), o.sender, o.recipient, o.subject, o.messageId,
        o.inReplyTo, o.refs, o.dataJson,
      ).changes === 1
    );
  }

  hasObservation(source: string, sourceId: string): boolean {
    return !!this.#statement('SELECT 1 FROM observations WHERE source = ? AND source_id = ?').get(source, sourceId);
  }

  getObservation(id: number): ObservationRow | undefined {
    return rowOf<ObservationRow>(this.#statement('SELECT * FROM observations WHERE id = ?').get(id) as Record<string, unknown>, ['data']);
  }

  /** Inserts or replaces the event of this kind for the observation. */
  upsertEvent(e: EventInput): number {
    const r = this.#statement(
        `INSERT INTO events (observation_id, probe_id, kind, attribution, occurred_at, pass_along, campaign_aware, follow_up, reasons, details, needs_review)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (observation_id, kind) DO UPDATE SET probe_id = excluded.probe_id, attribution = excluded.attribution,
           occurred_at = excluded.occurred_at, pass_along = excluded.pass_along, campaign_aware = excluded.campaign_aware,
           follow_up = excluded.follow_up, reasons = excluded.reasons, details = excluded.details, needs_review = excluded.needs_review
         RETURNING id`,
      )
      .get(
        e.observationId, e.probeId, e.kind, e.attribution, e.occurredAt, e.passAlong ? 1 : 0, e.campaignAware ? 1 : 0,
        e.followUp ? 1 : 0, json(e.reasons ?? []), json(e.details ?? {}), needsReviewOf(e.details),
      ) as { id: number };
    return r.id;
  }

  eventsForProbe(probeId: number): EventRow[] {
    return this.#statement('SELECT * FROM events WHERE probe_id = ? ORDER BY occurred_at, id').all(probeId).map((r) => eventOf(r)!);
  }

  listEvents(filter: { probeIds?: number[]; kind?: string; since?: number } = {}): EventRow[] {
    const where: string[] = [];
    const vals: unknown[] = [];
    if (filter.kind) (where.push('kind = ?'), vals.push(filter.kind));
    if (filter.since !== undefined) (where.push('occurred_at >= ?'), vals.push(filter.since));
    if (filter.probeIds) where.push(`probe_id IN ${jsonList(this.#c)}`), vals.push(JSON.stringify(filter.probeIds));
    const sql = `SELECT * FROM events ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY occurred_at, id`;
    return this.#statement(sql).all(...vals).map((r) => eventOf(r)!);
  }

  /**
   * What no probe could be matched to, newest first: `unattributed` (and ambiguous) events, and
   * observations stored as unmatched without an event (their reason is always the same).
   */
  unattributed(limit = 50): UnattributedRow[] {
    return this.#statement(
        `SELECT * FROM (
           SELECT e.id, e.observation_id, e.probe_id, e.kind, e.attribution, e.occurred_at, e.pass_along, e.campaign_aware, e.follow_up,
             e.reasons, e.details, o.sender, o.subject
           FROM events e JOIN observations o ON o.id = e.observation_id WHERE e.probe_id IS NULL
           UNION ALL
           SELECT NULL, o.id, NULL, 'unattributed', 'none', o.occurred_at, 0, 0, 0, ${this.#c.dialect === 'sqlite'
             ? `json_array(?),
             json_object('mailbox', json_extract(o.data, '$.mailbox'), 'from', o.sender, 'subject', substr(o.subject, 1, 200),
               'timeSource', o.time_source, 'clockSkewMs', o.clock_skew_ms)`
             : `json_build_array(?::text)::text,
             json_build_object('mailbox', o.data::json -> 'mailbox', 'from', o.sender, 'subject', substr(o.subject, 1, 200),
               'timeSource', o.time_source, 'clockSkewMs', o.clock_skew_ms)::text`},
             o.sender, o.subject
           FROM observations o WHERE o.unmatched = 1
         ) AS u ORDER BY occurred_at DESC, observation_id DESC LIMIT ?`,
      )
      .all(UNMATCHED_REASON, limit)
      .map((r) => eventOf(r) as UnattributedRow);
  }

  // ── cursors ─────────────────────────────────────────────────────────────────
  getCursor<T>(name: string): T | undefined {
    const r = this.#statement('SELECT value FROM cursors WHERE name = ?').get(name) as { value: string } | undefined;
    return r ? (JSON.parse(r.value) as T) : undefined;
  }

  /** Call inside the same tx() as the writes the cursor covers. */
  setCursor(name: string, value: unknown): void {
    this.#statement('INSERT INTO cursors (name, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at')
      .run(name, JSON.stringify(value), this.clock.now());
  }

  // ── suppressions (do-not-contact learned from replies) ──────────────────────
  suppress(scope: string, reason: string, observationId?: number): void {
    this.#statement('INSERT INTO suppressions (scope, reason, created_at, observation_id) VALUES (?, ?, ?, ?) ON CONFLICT (scope) DO NOTHING')
      .run(scope, reason, this.clock.now(), observationId ?? null);
  }

  suppressions(): Array<{ scope: string; reason: string; createdAt: number }> {
    return this.#statement('SELECT scope, reason, created_at AS "createdAt" FROM suppressions').all() as Array<{ scope: string; reason: string; createdAt: number }>;
  }

  // ── locks ───────────────────────────────────────────────────────────────────
  /** Takes a named lock, or returns who holds it. A lock whose process is gone is taken over. */
  acquireLock(name: string): { ok: true } | { ok: false; pid: number; host: string; since: number } {
    return this.tx(() => {
      const held = this.#statement('SELECT pid, host, acquired_at AS since FROM locks WHERE name = ?').get(name) as
        | { pid: number; host: string; since: number }
        | undefined;
      if (held && held.pid !== process.pid && (held.host !== HOST || processAlive(held.pid))) return { ok: false as const, ...held };
      this.#statement('INSERT INTO locks (name, pid, host, acquired_at) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET pid = excluded.pid, host = excluded.host, acquired_at = excluded.acquired_at')
        .run(name, process.pid, HOST, this.clock.now());
      return { ok: true as const };
    });
  }

  releaseLock(name: string): void {
    if (!this.#c.open) return;
    this.tx(() => this.#statement('DELETE FROM locks WHERE name = ? AND pid = ?').run(name, process.pid));
  }

  /**
   * 'ok', or what is wrong. SQLite: PRAGMA integrity_check. PostgreSQL keeps its own pages
   * consistent; what can drift there is ours: probe_facts against the events it sums.
   */
  integrityCheck(): string {
    const c = this.#c;
    if (c.dialect === 'sqlite') return c.get<{ integrity_check: string }>('PRAGMA integrity_check')!.integrity_check;
    const stale = c.get<{ n: number }>('SELECT COUNT(*) AS n FROM facts_stale')!.n + c.get<{ n: number }>('SELECT COUNT(*) AS n FROM facts_deferred')!.n;
    return stale ? `${stale} probe_facts refresh(es) left pending` : 'ok';
  }

  /** A consistent copy for CI caching, safe while others write (SQLite; on PostgreSQL use pg_dump). */
  vacuumInto(target: string): void {
    if (this.#c.dialect !== 'sqlite') throw new UsageError('a PostgreSQL store is copied with pg_dump, not VACUUM INTO', 'ESTOREENGINE');
    this.#c.run('VACUUM INTO ?', target);
  }
}

/** The classifier's needsReview flag in an event's details, as the needs_review column (migration 5) holds it. */
export function needsReviewOf(details: Record<string, unknown> | null | undefined): number {
  return details?.['needsReview'] === true ? 1 : 0;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
