/**
 * The store's own SQLite connection, for the few tests that inspect or corrupt the file on
 * purpose: pragmas and tables after migrating, index use (EXPLAIN QUERY PLAN), a lock held by
 * another process, a lost cursor, random edits the probe_facts triggers must follow, the size
 * of what is kept of a hostile reply. It is the same connection (not a second one) so it sees
 * and joins a transaction in progress. Every other test goes through Store's methods and the
 * query modules of src/store/; nothing in src/ outside src/store/ can reach this (lint).
 */
import type { Database } from 'better-sqlite3';
import { sql } from '../../src/store/connection.js';
import type { Store } from '../../src/store/store.js';

export function rawDb(store: Store): Database {
  return sql(store).db;
}
