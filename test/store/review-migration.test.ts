/** Migration 5 on a store written before it: flags carried into needs_review, nothing kept, nothing lost. */
// better-sqlite3 directly, not through Store: writes a store at an old schema for the migration to carry (fault injection).
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { keptMail, reviewSummary, verdictEvents } from '../../src/store/review-queries.js';
import { Store } from '../../src/store/store.js';
import { tempTree } from '../helpers/tmp.js';

describe('migration 5 (review)', () => {
  it('carries details.needsReview into the column and keeps no mail for old replies', () => {
    const path = join(tempTree(), 'old.db');
    const raw = new Database(path);
    for (const m of MIGRATIONS.slice(0, 4)) raw.exec(m);
    raw.pragma('user_version = 4');
    raw.exec(`INSERT INTO runs (id, kind, config_path, started_at) VALUES (1, 'run', 'c.yaml', 1);
      INSERT INTO probes (id, token, run_id, entry_key, site_id, service_line_id, entry_point_id, channel, target, status, planned_at)
        VALUES (1, 'tok1', 1, 'north/ortho/email', 'north', 'ortho', 'email', 'email', 'x@north.example.org', 'submitted', 1);
      INSERT INTO observations (id, source, source_id, occurred_at, time_source, collected_at) VALUES (1, 'imap', 'a', 5, 'internaldate', 5), (2, 'imap', 'b', 6, 'internaldate', 6);
      INSERT INTO events (observation_id, probe_id, kind, attribution, occurred_at, details) VALUES
        (1, 1, 'human-reply', 'exact', 5, '{"needsReview":true,"confidence":0.4}'), (2, 1, 'auto-ack', 'exact', 6, '{}');`);
    raw.close();
    const s = new Store(path);
    const events = verdictEvents(s);
    expect(events.map((e) => [e.kind, e.needsReview, e.kept])).toEqual([['human-reply', true, false], ['auto-ack', false, false]]);
    expect(keptMail(s, 1)).toBeNull();
    expect(reviewSummary(s)).toMatchObject({ corrected: 0, needsReview: 1, items: [{ state: 'needs-review', confidence: 0.4, classifier: { kind: 'human' } }] });
    s.close();
  });
});
