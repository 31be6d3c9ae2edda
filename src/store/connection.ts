/**
 * A store's connection, reachable only from src/store/: Store keeps it in an ES-private field
 * and registers it here, and the query modules beside it ask `sql(store)`. Lint forbids
 * importing this file (and db.ts, migrations*.ts, pg-*.ts, better-sqlite3, pg) from anywhere
 * else in src/, so every other module sees Store's methods and nothing else.
 *
 * Two engines behind one synchronous interface: SQLite (better-sqlite3, the default) and
 * PostgreSQL (node-postgres in a worker, pg-bridge.ts). Queries are written with `?`
 * placeholders; PostgreSQL gets them numbered ($1, $2, …), nothing else is rewritten: where
 * the dialects differ the query modules write each engine's statement (dialect.ts).
 */
import type Database from 'better-sqlite3';
import { DependencyError } from '../errors.js';
import { PgError, type PgResult, type PgSyncClient } from './pg-bridge.js';

const MAX_CACHED_STATEMENTS = 256;

export type Dialect = 'sqlite' | 'pg';

export interface Connection {
  readonly dialect: Dialect;
  readonly open: boolean;
  /** A statement that returns no rows; `changes` is the number of rows it wrote. */
  run(sql: string, ...args: unknown[]): { changes: number };
  /** The first row as an object keyed by column name. */
  get<T = Record<string, unknown>>(sql: string, ...args: unknown[]): T | undefined;
  all<T = Record<string, unknown>>(sql: string, ...args: unknown[]): T[];
  /** Rows as arrays (cheaper to convert than objects). */
  rows(sql: string, ...args: unknown[]): unknown[][];
  /** Rows as arrays and the column names. */
  table(sql: string, args: unknown[]): { columns: string[]; rows: unknown[][] };
  /** Rows as arrays, streamed where the engine can (SQLite's iterate()). */
  each(sql: string, args: unknown[]): Iterable<unknown[]>;
  /** Several statements, no parameters. */
  exec(sql: string): void;
  /**
   * A write transaction: all of fn or none of it, and writers one at a time (SQLite's BEGIN
   * IMMEDIATE; on PostgreSQL a transaction-level advisory lock taken first). Nests by savepoint.
   */
  tx<T>(fn: () => T): T;
  close(): void;
  /** The methods above bound to one SQL text (what the query modules call). */
  statement(sql: string): BoundStatement;
}

export interface BoundStatement {
  run(...args: unknown[]): { changes: number };
  get(...args: unknown[]): unknown;
  all(...args: unknown[]): unknown[];
  raw(): { get(...args: unknown[]): unknown[] | undefined; all(...args: unknown[]): unknown[][] };
}

function bind(c: Connection, sql: string): BoundStatement {
  return {
    run: (...a) => c.run(sql, ...a),
    get: (...a) => c.get(sql, ...a),
    all: (...a) => c.all(sql, ...a),
    raw: () => ({ get: (...a) => c.rows(sql, ...a)[0], all: (...a) => c.rows(sql, ...a) }),
  };
}

export class SqliteConnection implements Connection {
  readonly dialect = 'sqlite' as const;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly rawStatements = new Map<string, Database.Statement>();
  constructor(readonly db: Database.Database) {}

  get open(): boolean {
    return this.db.open;
  }

  /**
   * The prepared statement for `sql`, compiled once per connection. Preparing costs more than
   * running the small statements collectors issue per message, so every query of src/store/
   * goes through here. Safe to share because every use runs to completion before the next one
   * starts (iterate() prepares its own).
   */
  statement(sql: string): BoundStatement {
    return bind(this, sql);
  }

  prepared(sql: string, raw = false): Database.Statement {
    const cache = raw ? this.rawStatements : this.statements;
    let s = cache.get(sql);
    if (!s) {
      if (cache.size >= MAX_CACHED_STATEMENTS) cache.clear();
      s = this.db.prepare(sql);
      if (raw && s.reader) s.raw(true);
      cache.set(sql, s);
    }
    return s;
  }

  run(sql: string, ...args: unknown[]) {
    return { changes: this.prepared(sql).run(...args).changes };
  }
  get<T>(sql: string, ...args: unknown[]): T | undefined {
    return this.prepared(sql).get(...args) as T | undefined;
  }
  all<T>(sql: string, ...args: unknown[]): T[] {
    return this.prepared(sql).all(...args) as T[];
  }
  rows(sql: string, ...args: unknown[]): unknown[][] {
    return this.prepared(sql, true).all(...args) as unknown[][];
  }
  table(sql: string, args: unknown[]) {
    const st = this.prepared(sql, true);
    return { columns: st.columns().map((c) => c.name), rows: st.all(...args) as unknown[][] };
  }
  each(sql: string, args: unknown[]): Iterable<unknown[]> {
    return this.db.prepare(sql).raw().iterate(...args) as Iterable<unknown[]>;
  }
  exec(sql: string): void {
    this.db.exec(sql);
  }
  tx<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }
  close(): void {
    this.statements.clear();
    this.rawStatements.clear();
    if (this.db.open) this.db.close();
  }
}

/** `?` placeholders numbered `$1, $2, …` (outside quoted strings, identifiers and -- comments). */
export function numberPlaceholders(sql: string): string {
  let out = '';
  let n = 0;
  let quote: string | null = null;
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i]!;
    if (quote) {
      if (ch === quote) quote = null;
      out += ch;
    } else if (ch === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end === -1 ? sql.length : end;
      out += sql.slice(i, stop);
      i = stop - 1;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else if (ch === '?') out += `$${++n}`;
    else out += ch;
  }
  return out;
}

// Every write transaction takes this lock first, so writers queue as SQLite's BEGIN IMMEDIATE
// makes them, and a read-then-write (a lock row, "never twice while open") cannot interleave.
const WRITE_LOCK = 0x72615354; // 'raST'

export class PgConnection implements Connection {
  readonly dialect = 'pg' as const;
  private readonly texts = new Map<string, string>();
  private depth = 0;
  /** @param where host:port/database, for messages (never the password). */
  constructor(
    private readonly pg: PgSyncClient,
    readonly where: string,
  ) {}

  // A lost connection is a dependency gone (exit 3), as for IMAP or Twilio; the server rolls
  // back the transaction it was in.
  private readonly client = {
    query: (text: string, values: unknown[], array = false): PgResult => this.lostIsUnreachable(() => this.pg.query(text, values, array)),
    exec: (text: string): void => this.lostIsUnreachable(() => this.pg.exec(text)),
  };

  private lostIsUnreachable<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof PgError && e.connectionLost)
        throw new DependencyError(`lost the connection to the PostgreSQL store at ${this.where}: ${e.message}`, 'ESTORELOST');
      throw e;
    }
  }

  get open(): boolean {
    return this.pg.open;
  }

  statement(sql: string): BoundStatement {
    return bind(this, sql);
  }

  private text(sql: string): string {
    let t = this.texts.get(sql);
    if (t === undefined) {
      if (this.texts.size >= MAX_CACHED_STATEMENTS * 4) this.texts.clear();
      t = numberPlaceholders(sql);
      this.texts.set(sql, t);
    }
    return t;
  }

  run(sql: string, ...args: unknown[]) {
    return { changes: this.client.query(this.text(sql), args).rowCount };
  }
  get<T>(sql: string, ...args: unknown[]): T | undefined {
    return this.client.query(this.text(sql), args).rows[0] as T | undefined;
  }
  all<T>(sql: string, ...args: unknown[]): T[] {
    return this.client.query(this.text(sql), args).rows as T[];
  }
  rows(sql: string, ...args: unknown[]): unknown[][] {
    return this.client.query(this.text(sql), args, true).rows as unknown[][];
  }
  table(sql: string, args: unknown[]) {
    const r = this.client.query(this.text(sql), args, true);
    return { columns: r.fields, rows: r.rows as unknown[][] };
  }
  each(sql: string, args: unknown[]): Iterable<unknown[]> {
    return this.rows(sql, ...args);
  }
  exec(sql: string): void {
    this.client.exec(sql);
  }
  tx<T>(fn: () => T): T {
    const top = this.depth === 0;
    const sp = `s${this.depth}`;
    if (top) {
      this.client.exec('BEGIN');
      try {
        this.client.query('SELECT pg_advisory_xact_lock($1)', [WRITE_LOCK]);
      } catch (e) {
        this.rollback('ROLLBACK');
        throw e;
      }
    } else this.client.exec(`SAVEPOINT ${sp}`);
    this.depth++;
    let out: T;
    try {
      out = fn();
    } catch (e) {
      this.depth--;
      this.rollback(top ? 'ROLLBACK' : `ROLLBACK TO SAVEPOINT ${sp}; RELEASE SAVEPOINT ${sp}`);
      throw e;
    }
    this.depth--;
    try {
      this.client.exec(top ? 'COMMIT' : `RELEASE SAVEPOINT ${sp}`);
    } catch (e) {
      if (top) this.rollback('ROLLBACK');
      throw e;
    }
    return out;
  }
  private rollback(text: string): void {
    try {
      this.client.exec(text);
    } catch {
      // The connection is gone: the server rolls back by itself.
    }
  }
  close(): void {
    this.pg.close();
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
