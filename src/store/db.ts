/**
 * The SQLite store. Only src/store/ runs SQL. WAL so collectors and reports read while a
 * run writes; busy_timeout so concurrent processes wait instead of failing; every write in
 * a BEGIN IMMEDIATE transaction so a crash leaves either all of it or none.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { hostname } from 'node:os';
import { UsageError } from '../errors.js';
import { MIGRATIONS } from './migrations.js';

export type DB = Database.Database;
export type Statement = Database.Statement;

export interface OpenOptions {
  readonly?: boolean;
  /** Do not create the file when it does not exist. */
  mustExist?: boolean;
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
    migrate(db);
  }
  return db;
}

export function schemaVersion(db: DB): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function migrate(db: DB): void {
  const current = schemaVersion(db);
  if (current > MIGRATIONS.length)
    throw new UsageError(
      `the store was written by a newer respond-audit (schema ${current}, this one knows ${MIGRATIONS.length}); upgrade respond-audit`,
      'ESTOREVERSION',
    );
  for (let v = current; v < MIGRATIONS.length; v++) {
    immediate(db, () => {
      // Another process may have migrated while we waited for the write lock.
      if (schemaVersion(db) > v) return;
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    });
  }
}

/** Runs fn inside BEGIN IMMEDIATE … COMMIT (rolls back on throw). */
export function immediate<T>(db: DB, fn: () => T): T {
  return db.transaction(fn).immediate();
}

export const HOST = hostname();
