/**
 * Numbered migrations. Each runs once, in order, inside a transaction; PRAGMA user_version
 * records how far a store has come. Never edit a released migration: add the next one.
 */
/**
 * Recomputes probe_facts rows from the scored events of the probes `probeFilter` selects:
 * the backfill of migration 2, each of its triggers and Store.batch's refresh (migration 4)
 * run this same statement.
 */
function refreshFacts(probeFilter: string): string {
  return `INSERT INTO probe_facts
    SELECT a.*, c.occurred_at, json_extract(c.details, '$.reached'), json_extract(c.details, '$.status'),
      json_extract(c.details, '$.answeredBy'), json_extract(c.details, '$.secondsToAnswer'), json_extract(c.details, '$.secondsToHuman'),
      json_extract(c.details, '$.secondsOnHold'), json_extract(c.details, '$.gaveUp'), json_extract(c.details, '$.ivrCampaignReady'),
      json_array_length(c.details, '$.ivrExpected'), json_extract(c.details, '$.recorded')
    FROM (SELECT probe_id,
        MIN(CASE WHEN kind IN ('auto-ack', 'human-reply', 'sms-reply', 'callback', 'stop-request') THEN occurred_at END),
        MIN(CASE WHEN kind IN ('human-reply', 'sms-reply', 'callback') THEN occurred_at END),
        MIN(CASE WHEN kind = 'callback' THEN occurred_at END),
        MAX(CASE WHEN kind = 'callback' THEN COALESCE(json_extract(details, '$.voicemail'), 0) ELSE 0 END),
        MAX(pass_along AND kind IN ('human-reply', 'sms-reply', 'callback')),
        MIN(CASE WHEN follow_up = 1 THEN occurred_at END),
        MAX(campaign_aware AND kind IN ('human-reply', 'sms-reply', 'callback')),
        MAX(kind = 'bounce'),
        MAX(kind = 'stop-request'),
        (SELECT l.id FROM events l WHERE l.probe_id = events.probe_id AND l.kind = 'call' AND l.attribution IN ('exact', 'likely')
         ORDER BY l.occurred_at DESC, l.id DESC LIMIT 1) AS call_event_id
      FROM events WHERE ${probeFilter} AND attribution IN ('exact', 'likely') GROUP BY probe_id) a
    LEFT JOIN events c ON c.id = a.call_event_id;`;
}

export const MIGRATIONS: string[] = [
  // 1: the initial schema. Times are epoch milliseconds; JSON columns hold details.
  `
  CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    config_path TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    finished_at INTEGER,
    status TEXT NOT NULL DEFAULT 'running',
    dry_run INTEGER NOT NULL DEFAULT 0,
    pid INTEGER,
    summary TEXT
  );
  CREATE TABLE probes (
    id INTEGER PRIMARY KEY,
    token TEXT NOT NULL UNIQUE,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    entry_key TEXT NOT NULL,
    site_id TEXT NOT NULL,
    service_line_id TEXT NOT NULL,
    entry_point_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    target TEXT NOT NULL,
    status TEXT NOT NULL,
    outcome TEXT,
    planned_at INTEGER NOT NULL,
    submitting_at INTEGER,
    submitted_at INTEGER,
    closes_at INTEGER,
    closed_at INTEGER,
    shopper_name TEXT,
    shopper_email TEXT,
    shopper_phone TEXT,
    inquiry TEXT,
    variant INTEGER,
    message_id TEXT,
    external_id TEXT,
    error TEXT,
    details TEXT,
    evidence TEXT
  );
  CREATE INDEX probes_entry ON probes(entry_key, planned_at);
  CREATE INDEX probes_status ON probes(status);
  CREATE INDEX probes_message_id ON probes(message_id);
  CREATE INDEX probes_phone ON probes(shopper_phone);
  CREATE TABLE observations (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    source_id TEXT NOT NULL,
    occurred_at INTEGER NOT NULL,
    time_source TEXT NOT NULL,
    clock_skew_ms INTEGER,
    collected_at INTEGER NOT NULL,
    sender TEXT,
    recipient TEXT,
    subject TEXT,
    message_id TEXT,
    in_reply_to TEXT,
    refs TEXT,
    excerpt TEXT,
    data TEXT,
    UNIQUE (source, source_id)
  );
  CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    observation_id INTEGER NOT NULL REFERENCES observations(id),
    probe_id INTEGER REFERENCES probes(id),
    kind TEXT NOT NULL,
    attribution TEXT NOT NULL,
    occurred_at INTEGER NOT NULL,
    pass_along INTEGER NOT NULL DEFAULT 0,
    campaign_aware INTEGER NOT NULL DEFAULT 0,
    follow_up INTEGER NOT NULL DEFAULT 0,
    reasons TEXT,
    details TEXT,
    UNIQUE (observation_id, kind)
  );
  CREATE INDEX events_probe ON events(probe_id, occurred_at);
  CREATE TABLE cursors (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE suppressions (
    id INTEGER PRIMARY KEY,
    scope TEXT NOT NULL UNIQUE,
    reason TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    observation_id INTEGER REFERENCES observations(id)
  );
  CREATE TABLE locks (
    name TEXT PRIMARY KEY,
    pid INTEGER NOT NULL,
    host TEXT NOT NULL,
    acquired_at INTEGER NOT NULL
  );
  `,
  // 2: probe_facts, one row per probe with scored events: what the report needs of a probe's
  // events, summed when the events change instead of over 1,000,000 events per report.
  // Only 'exact' and 'likely' attributions count. The call_ columns are the figures of the
  // probe's latest test call (by time, then id: a retried call replaces the earlier one).
  // Kept by triggers, so every writer (upserts, follow-up recomputation, re-attribution,
  // tools writing SQL) keeps it right: each change recomputes the affected probes' rows from
  // their events (a few rows each, by the events_probe index). A probe without scored events
  // has no row. Columns carry no type so values are kept exactly as the events hold them.
  `
  CREATE TABLE probe_facts (
    probe_id INTEGER PRIMARY KEY,
    first_response_at, first_human_at, first_callback_at, callback_voicemail, pass_along, follow_up_at,
    campaign_aware, bounced, stop_requested, call_event_id,
    call_at, call_reached, call_status, call_answered_by, call_seconds_to_answer, call_seconds_to_human,
    call_seconds_on_hold, call_gave_up, call_ivr_campaign_ready, call_ivr_expected, call_recorded
  );
  ${refreshFacts('probe_id IS NOT NULL')}
  CREATE TRIGGER probe_facts_insert AFTER INSERT ON events WHEN NEW.probe_id IS NOT NULL BEGIN
    DELETE FROM probe_facts WHERE probe_id = NEW.probe_id;
  ${refreshFacts('probe_id = NEW.probe_id')}
  END;
  CREATE TRIGGER probe_facts_update AFTER UPDATE ON events WHEN OLD.probe_id IS NOT NULL OR NEW.probe_id IS NOT NULL BEGIN
    DELETE FROM probe_facts WHERE probe_id IN (OLD.probe_id, NEW.probe_id);
  ${refreshFacts('probe_id IN (OLD.probe_id, NEW.probe_id)')}
  END;
  CREATE TRIGGER probe_facts_delete AFTER DELETE ON events WHEN OLD.probe_id IS NOT NULL BEGIN
    DELETE FROM probe_facts WHERE probe_id = OLD.probe_id;
  ${refreshFacts('probe_id = OLD.probe_id')}
  END;
  `,
  // 3: mail nothing could be matched to and nothing more is known of (no token, no thread
  // header naming a probe, not from a site's domain, so its body was never fetched) is kept as
  // its observation alone, flagged, instead of an observation plus an `unattributed` event:
  // half the writes for what is most of a shared mailbox. `status` and the report's unmatched
  // count read both kinds. Thread headers are matched to probes' Message-IDs in any case, by
  // an index on the lowered ID instead of a scan of every probe per header.
  `
  ALTER TABLE observations ADD COLUMN unmatched INTEGER NOT NULL DEFAULT 0;
  CREATE INDEX observations_unmatched ON observations(occurred_at) WHERE unmatched = 1;
  CREATE INDEX probes_message_id_lower ON probes(lower(message_id));
  `,
  // 4: deferred probe_facts refresh. While facts_deferred holds its one row (only ever inside
  // a single transaction: Store.batch inserts it first and deletes it before committing), the
  // triggers note the probes whose events changed in facts_stale (by NOT EXISTS: a trigger's
  // OR IGNORE would give way to the upsert's own conflict handling) instead of recomputing each
  // probe's row per event; the batch then recomputes those probes with one statement. A
  // collector storing hundreds of replies in one commit pays one refresh instead of hundreds.
  // Any other writer (another process, the sqlite3 shell) never sees the row, so its writes
  // refresh at once as before.
  `
  CREATE TABLE facts_deferred (one INTEGER PRIMARY KEY CHECK (one = 1));
  CREATE TABLE facts_stale (probe_id INTEGER PRIMARY KEY);
  DROP TRIGGER probe_facts_insert;
  DROP TRIGGER probe_facts_update;
  DROP TRIGGER probe_facts_delete;
  CREATE TRIGGER probe_facts_insert AFTER INSERT ON events WHEN NEW.probe_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM facts_deferred) BEGIN
    DELETE FROM probe_facts WHERE probe_id = NEW.probe_id;
  ${refreshFacts('probe_id = NEW.probe_id')}
  END;
  CREATE TRIGGER probe_facts_update AFTER UPDATE ON events WHEN (OLD.probe_id IS NOT NULL OR NEW.probe_id IS NOT NULL) AND NOT EXISTS (SELECT 1 FROM facts_deferred) BEGIN
    DELETE FROM probe_facts WHERE probe_id IN (OLD.probe_id, NEW.probe_id);
  ${refreshFacts('probe_id IN (OLD.probe_id, NEW.probe_id)')}
  END;
  CREATE TRIGGER probe_facts_delete AFTER DELETE ON events WHEN OLD.probe_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM facts_deferred) BEGIN
    DELETE FROM probe_facts WHERE probe_id = OLD.probe_id;
  ${refreshFacts('probe_id = OLD.probe_id')}
  END;
  CREATE TRIGGER probe_facts_insert_deferred AFTER INSERT ON events WHEN NEW.probe_id IS NOT NULL AND EXISTS (SELECT 1 FROM facts_deferred) BEGIN
    INSERT INTO facts_stale SELECT NEW.probe_id WHERE NOT EXISTS (SELECT 1 FROM facts_stale WHERE probe_id = NEW.probe_id);
  END;
  CREATE TRIGGER probe_facts_update_deferred AFTER UPDATE ON events WHEN (OLD.probe_id IS NOT NULL OR NEW.probe_id IS NOT NULL) AND EXISTS (SELECT 1 FROM facts_deferred) BEGIN
    INSERT INTO facts_stale SELECT OLD.probe_id WHERE OLD.probe_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM facts_stale WHERE probe_id = OLD.probe_id);
    INSERT INTO facts_stale SELECT NEW.probe_id WHERE NEW.probe_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM facts_stale WHERE probe_id = NEW.probe_id);
  END;
  CREATE TRIGGER probe_facts_delete_deferred AFTER DELETE ON events WHEN OLD.probe_id IS NOT NULL AND EXISTS (SELECT 1 FROM facts_deferred) BEGIN
    INSERT INTO facts_stale SELECT OLD.probe_id WHERE NOT EXISTS (SELECT 1 FROM facts_stale WHERE probe_id = OLD.probe_id);
  END;
  `,
  // 5: review and reclassification. mail_evidence keeps what the classifier read of a reply
  // (its header block and text parts, as fetched within the collector's size limits; deflated
  // JSON) so `reclassify` can run a newer classifier without contacting the mail server; mail
  // stored before this migration has none and says so. needs_review mirrors the classifier's
  // flag in an event's details, as a column so a report counts the flagged verdicts by a
  // partial index instead of parsing every event's JSON. corrections is the append-only log
  // of what people said of a verdict (`review`): the latest row of an observation is its
  // complete standing correction (action 'correct' or 'confirm'; 'clear' withdraws it), and
  // `classifier` the classifier's verdict it overrode, so the log alone says what changed.
  // probe_id is the probe the verdict was attributed to, also after not-a-reply detaches it.
  `
  CREATE TABLE mail_evidence (
    observation_id INTEGER PRIMARY KEY REFERENCES observations(id),
    kept BLOB NOT NULL,
    truncated INTEGER NOT NULL DEFAULT 0
  );
  ALTER TABLE events ADD COLUMN needs_review INTEGER NOT NULL DEFAULT 0;
  UPDATE events SET needs_review = 1 WHERE json_extract(details, '$.needsReview') = 1;
  CREATE INDEX events_needs_review ON events(probe_id) WHERE needs_review = 1;
  CREATE TABLE corrections (
    id INTEGER PRIMARY KEY,
    observation_id INTEGER NOT NULL REFERENCES observations(id),
    probe_id INTEGER REFERENCES probes(id),
    action TEXT NOT NULL CHECK (action IN ('correct', 'confirm', 'clear')),
    kind TEXT CHECK (kind IN ('auto-ack', 'human', 'bounce', 'not-a-reply')),
    pass_along INTEGER,
    campaign_aware INTEGER,
    note TEXT,
    reviewer TEXT,
    at INTEGER NOT NULL,
    classifier TEXT NOT NULL
  );
  CREATE INDEX corrections_observation ON corrections(observation_id, id);
  CREATE INDEX corrections_probe ON corrections(probe_id);
  `,
  // 6: alerts (src/notify/). The last state notified per channel (webhook, email) and
  // subject (a finding, a grade, an entry point's pass/fail streak), written only after a
  // successful send, so a failed webhook is retried by the next report.
  `
  CREATE TABLE notify_state (
    channel TEXT NOT NULL,
    subject TEXT NOT NULL,
    state TEXT NOT NULL,
    value REAL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (channel, subject)
  ) WITHOUT ROWID;
  `,
];

/** What Store.batch runs before it commits: the noted probes' rows recomputed, the deferral ended. */
export const REFRESH_STALE_FACTS = `
  DELETE FROM probe_facts WHERE probe_id IN (SELECT probe_id FROM facts_stale);
  ${refreshFacts('probe_id IN (SELECT probe_id FROM facts_stale)')}
  DELETE FROM facts_stale;
  DELETE FROM facts_deferred;
`;
