/**
 * The store's own connection, for the few tests that inspect or corrupt it on purpose:
 * pragmas and tables after migrating, index use (EXPLAIN QUERY PLAN), a lock held by another
 * process, a lost cursor, random edits the probe_facts triggers must follow, the size of what
 * is kept of a hostile reply. It is the same connection (not a second one) so it sees and
 * joins a transaction in progress. Every other test goes through Store's methods and the
 * query modules of src/store/; nothing in src/ outside src/store/ can reach this (lint).
 */
import type { Database } from 'better-sqlite3';
import { sql, SqliteConnection, type Connection } from '../../src/store/connection.js';
import type { Store } from '../../src/store/store.js';

/** The better-sqlite3 handle of a SQLite store. */
export function rawDb(store: Store): Database {
  const c = sql(store);
  if (!(c instanceof SqliteConnection)) throw new Error(`rawDb: ${store.path} is not a SQLite store (use rawSql)`);
  return c.db;
}

/** The connection of either engine: run/get/all/rows with `?` placeholders. */
export function rawSql(store: Store): Connection {
  return sql(store);
}
