/**
 * A store's SQLite connection and its statement cache, reachable only from src/store/: Store
 * keeps it in an ES-private field and registers it here, and the query modules beside it ask
 * `sql(store)`. Lint forbids importing this file (and db.ts, migrations.ts, better-sqlite3)
 * from anywhere else in src/, so every other module sees Store's methods and nothing else.
 */
import type { DB, Statement } from './db.js';

const MAX_CACHED_STATEMENTS = 256;

export class Connection {
  private readonly statements = new Map<string, Statement>();
  constructor(readonly db: DB) {}

  /**
   * The prepared statement for `sql`, compiled once per connection. Preparing costs more than
   * running the small statements collectors issue per message, so every query of src/store/
   * goes through here. Callers must not change a cached statement's mode (raw/pluck/expand):
   * use db.prepare for those. Safe to share because every use runs to completion before the
   * next one starts (no iterate() here).
   */
  statement(sql: string): Statement {
    let s = this.statements.get(sql);
    if (!s) {
      if (this.statements.size >= MAX_CACHED_STATEMENTS) this.statements.clear();
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  close(): void {
    this.statements.clear();
    if (this.db.open) this.db.close();
  }
}

// Keyed by the Store object (typed `object` so this file needs nothing of store.ts).
const connections = new WeakMap<object, Connection>();

export function registerConnection(store: object, c: Connection): void {
  connections.set(store, c);
}

/** The connection of a store, for the query modules of src/store/. */
export function sql(store: object): Connection {
  const c = connections.get(store);
  if (!c) throw new Error('not a Store (no connection registered)');
  return c;
}
