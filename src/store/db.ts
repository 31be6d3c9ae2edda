/**
 * Opening a store. SQLite (a file path, the default): WAL so collectors and reports read while
 * a run writes; busy_timeout so concurrent processes wait instead of failing; every write in a
 * BEGIN IMMEDIATE transaction so a crash leaves either all of it or none. PostgreSQL (a
 * postgres:// URL): one connection per Store, writers serialized by an advisory lock taken
 * at the start of each write transaction (connection.ts), the same numbered migrations.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { hostname } from 'node:os';
import { DependencyError, UsageError } from '../errors.js';
import { PgConnection, SqliteConnection, type Connection } from './connection.js';
import { MIGRATIONS } from './migrations.js';
import { PG_MIGRATIONS } from './migrations-pg.js';
import { PgError, PgSyncClient } from './pg-bridge.js';

export type DB = Database.Database;
export type Statement = Database.Statement;

export interface OpenOptions {
  readonly?: boolean;
  /** Do not create the file when it does not exist. */
  mustExist?: boolean;
}

/** A store location is a PostgreSQL URL when it has that scheme; anything else is a SQLite file. */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/** The location as messages may show it: a URL without its password. */
export function storeLabel(location: string): string {
  if (!isPostgresUrl(location)) return location;
  try {
    const u = new URL(location);
    u.password = '';
    return u.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

/** Whether a store is there to read: the SQLite file exists, or the PostgreSQL database has been migrated. */
export function storeExists(location: string): boolean {
  if (!isPostgresUrl(location)) return existsSync(location);
  const c = openConnection(location, { readonly: true });
  try {
    return schemaVersion(c) > 0;
  } finally {
    c.close();
  }
}

export function openConnection(location: string, opts: OpenOptions = {}): Connection {
  return isPostgresUrl(location) ? openPostgres(location, opts) : new SqliteConnection(openDatabase(location, opts));
}

export function openDatabase(path: string, opts: OpenOptions = {}): DB {
  if (!opts.readonly && !opts.mustExist) mkdirSync(dirname(path), { recursive: true });
  let db: DB;
  try {
    db = new Database(path, { readonly: opts.readonly ?? false, fileMustExist: opts.mustExist ?? false, timeout: 15000 });
  } catch (e) {
    throw new UsageError(`cannot open store ${path}: ${(e as Error).message}`, 'ESTORE');
  }
  db.pragma('busy_timeout = 15000');
  if (!opts.readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // Statement journals (every INSERT … SELECT the probe_facts triggers run inside a
    // transaction opens one) and sort spills in memory, not in temporary files: a stored
    // event cost ~120 µs with them on disk, ~10 µs without.
    db.pragma('temp_store = MEMORY');
    migrate(new SqliteConnection(db));
  }
  return db;
}

function openPostgres(url: string, opts: OpenOptions): PgConnection {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UsageError(`store URL ${storeLabel(url)} is not a valid URL`, 'ESTORE');
  }
  const host = decodeURIComponent(u.hostname) || 'localhost';
  const port = Number(u.port || 5432);
  const database = decodeURIComponent(u.pathname.replace(/^\//, '')) || undefined;
  const where = `${host}:${port}${database ? `/${database}` : ''}`;
  let client: PgSyncClient;
  try {
    client = new PgSyncClient({
      host,
      port,
      database,
      // The password: from a ${ENV} reference in the URL, else PGPASSWORD / ~/.pgpass (read by pg).
      ...(u.username ? { user: decodeURIComponent(u.username) } : {}),
      ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    });
  } catch (e) {
    const err = e as PgError;
    const why = err.code === '3D000' ? 'the database does not exist (create it with createdb)' : err.message;
    throw new DependencyError(`cannot reach the PostgreSQL store at ${where}: ${why}`, 'ESTOREUNREACHABLE');
  }
  const c = new PgConnection(client, where);
  if (opts.readonly) c.exec('SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY');
  else migrate(c);
  return c;
}

export function schemaVersion(c: Connection): number {
  if (c.dialect === 'sqlite') return (c as SqliteConnection).db.pragma('user_version', { simple: true }) as number;
  const exists = c.get<{ t: string | null }>("SELECT to_regclass('schema_version')::text AS t");
  if (!exists?.t) return 0;
  return c.get<{ version: number }>('SELECT version FROM schema_version')?.version ?? 0;
}

function setSchemaVersion(c: Connection, v: number): void {
  if (c.dialect === 'sqlite') (c as SqliteConnection).db.pragma(`user_version = ${v}`);
  else {
    c.exec('CREATE TABLE IF NOT EXISTS schema_version (one INTEGER PRIMARY KEY CHECK (one = 1), version INTEGER NOT NULL)');
    c.run('INSERT INTO schema_version (one, version) VALUES (1, ?) ON CONFLICT (one) DO UPDATE SET version = excluded.version', v);
  }
}

export function migrate(c: Connection): void {
  const steps = c.dialect === 'sqlite' ? MIGRATIONS : PG_MIGRATIONS;
  const current = schemaVersion(c);
  if (current > steps.length)
    throw new UsageError(
      `the store was written by a newer respond-audit (schema ${current}, this one knows ${steps.length}); upgrade respond-audit`,
      'ESTOREVERSION',
    );
  for (let v = current; v < steps.length; v++) {
    c.tx(() => {
      // Another process may have migrated while we waited for the write lock.
      if (schemaVersion(c) > v) return;
      c.exec(steps[v]!);
      setSchemaVersion(c, v + 1);
    });
  }
}

export const HOST = hostname();
