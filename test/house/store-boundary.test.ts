/**
 * The store's boundary: src/store/ is the only place with SQL and the only importer of the
 * database driver and the schema. Everything else goes through Store's methods, so a second
 * engine (PostgreSQL) can sit behind the same interface.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';
import { tempTree } from '../helpers/tmp.js';
import { ROOT } from '../helpers/cli.js';
import { files, importsOf, SRC } from './source-files.js';

const STORE = join(SRC, 'store');

const outside = files(SRC).filter((f) => !f.startsWith(STORE + '/'));

describe('the store boundary', () => {
  it('no module outside src/store imports the driver, the connection, its registry or the migrations', () => {
    const offenders: string[] = [];
    for (const f of outside) {
      const text = readFileSync(f, 'utf8');
      if (/from\s+['"]better-sqlite3['"]|import\(\s*['"]better-sqlite3['"]/.test(text)) offenders.push(`${relative(ROOT, f)}: better-sqlite3`);
      for (const dep of importsOf(f, text))
        if (['db.ts', 'migrations.ts', 'connection.ts'].some((internal) => dep === join(STORE, internal))) offenders.push(`${relative(ROOT, f)}: ${relative(ROOT, dep)}`);
    }
    expect(offenders).toEqual([]);
  });

  it('no module outside src/store reaches the connection (store.db) or writes SQL', () => {
    const offenders: string[] = [];
    for (const f of outside) {
      const text = readFileSync(f, 'utf8');
      if (/\bstore\.db\b|\.statement\(/.test(text)) offenders.push(`${relative(ROOT, f)}: reaches the connection`);
      if (/\b(SELECT\s+[\w*(]|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(TABLE|INDEX))\b/.test(text)) offenders.push(`${relative(ROOT, f)}: SQL`);
    }
    expect(offenders).toEqual([]);
  });

  it('a Store object offers its methods only: no connection, no statement, no SQL-taking helper', () => {
    const store = new Store(join(tempTree(), 'boundary.db'));
    try {
      const reachable = new Set([...Object.keys(store), ...Object.getOwnPropertyNames(Store.prototype)]);
      for (const name of ['db', 'statement', 'statements', 'probeRows', 'probeRow']) expect(reachable.has(name), name).toBe(false);
      expect(reachable.has('getProbe')).toBe(true);
    } finally {
      store.close();
    }
  });
});
