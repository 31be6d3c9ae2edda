/** Migration 5 on a store written before it: flags carried into needs_review, nothing kept, nothing lost. */
// better-sqlite3 and psql directly, not through Store: writes a store at an old schema for the migration to carry (fault injection).
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { PG_MIGRATIONS } from '../../src/store/migrations-pg.js';
import { keptMail, reviewSummary, verdictEvents } from '../../src/store/review-queries.js';
import { Store } from '../../src/store/store.js';
import { useStoreBackends } from '../helpers/store-backends.js';

const backends = useStoreBackends();

const ROWS = `INSERT INTO runs (id, kind, config_path, started_at) VALUES (1, 'run', 'c.yaml', 1);
  INSERT INTO probes (id, token, run_id, entry_key, site_id, service_line_id, entry_point_id, channel, target, status, planned_at)
    VALUES (1, 'tok1', 1, 'north/ortho/email', 'north', 'ortho', 'email', 'email', 'x@north.example.org', 'submitted', 1);
  INSERT INTO observations (id, source, source_id, occurred_at, time_source, collected_at) VALUES (1, 'imap', 'a', 5, 'internaldate', 5), (2, 'imap', 'b', 6, 'internaldate', 6);
  INSERT INTO events (observation_id, probe_id, kind, attribution, occurred_at, details) VALUES
    (1, 1, 'human-reply', 'exact', 5, '{"needsReview":true,"confidence":0.4}'), (2, 1, 'auto-ack', 'exact', 6, '{}');`;

describe.each(backends)('migration 5 (review) on $name', ({ name, fresh, cluster }) => {
  it('carries details.needsReview into the column and keeps no mail for old replies', () => {
    const path = fresh();
    if (name === 'sqlite') {
      const raw = new Database(path);
      for (const m of MIGRATIONS.slice(0, 4)) raw.exec(m);
      raw.pragma('user_version = 4');
      raw.exec(ROWS);
      raw.close();
    } else {
      cluster().psql(
        new URL(path).pathname.slice(1),
        `${PG_MIGRATIONS.slice(0, 4).join('\n')} CREATE TABLE schema_version (one INTEGER PRIMARY KEY, version INTEGER NOT NULL); INSERT INTO schema_version VALUES (1, 4); ${ROWS}`,
      );
    }
    const s = new Store(path);
    const events = verdictEvents(s);
    expect(events.map((e) => [e.kind, e.needsReview, e.kept])).toEqual([['human-reply', true, false], ['auto-ack', false, false]]);
    expect(keptMail(s, 1)).toBeNull();
    expect(reviewSummary(s)).toMatchObject({ corrected: 0, needsReview: 1, items: [{ state: 'needs-review', confidence: 0.4, classifier: { kind: 'human' } }] });
    s.close();
  });
});
