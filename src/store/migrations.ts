/**
 * Numbered migrations. Each runs once, in order, inside a transaction; PRAGMA user_version
 * records how far a store has come. Never edit a released migration: add the next one.
 */
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
];
