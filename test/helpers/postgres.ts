/**
 * A throwaway PostgreSQL cluster per test file (Debian's postgresql: initdb + pg_ctl in a temp
 * dir, listening on a free loopback port) and a fresh database per test, as the Dovecot
 * harness does with users. initdb refuses root, so as root the cluster runs as nobody in a
 * folder it owns. Trust authentication on loopback: the cluster lives as long as the file.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { freePort } from '../../src/sandbox/dovecot.js';

// Debian puts each major's tools in /usr/lib/postgresql/<major>/bin (not on PATH): the newest.
const majors = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').filter((d) => /^\d+$/.test(d)).sort((a, b) => Number(b) - Number(a)) : [];
const BIN = process.env.PG_BIN ?? `/usr/lib/postgresql/${majors[0] ?? '15'}/bin`;
const NOBODY = 65534;

export function postgresAvailable(): boolean {
  return existsSync(join(BIN, 'initdb')) && existsSync(join(BIN, 'pg_ctl'));
}

export interface PgCluster {
  host: string;
  port: number;
  user: string;
  dir: string;
  /** A new empty database; its URL. */
  freshDatabase(): string;
  /** psql -c, as the superuser (test fault injection: terminate backends, inspect). */
  psql(database: string, sql: string): string;
  stop(): void;
}

function asOwner(cmd: string, args: string[], asRoot: boolean) {
  const r = asRoot
    ? spawnSync('su', ['nobody', '-s', '/bin/sh', '-c', [cmd, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ')], { encoding: 'utf8' })
    : spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr || r.stdout}`);
  return r.stdout;
}

export async function startPostgres(): Promise<PgCluster> {
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'respond-audit-pg-'));
  if (asRoot) chownSync(dir, NOBODY, NOBODY);
  chmodSync(dir, 0o755);
  const port = await freePort();
  const user = 'ra';
  const data = join(dir, 'db');
  asOwner(join(BIN, 'initdb'), ['-D', data, '-A', 'trust', '-U', user, '--no-sync', '-E', 'UTF8'], asRoot);
  asOwner(join(BIN, 'pg_ctl'), ['-D', data, '-o', `-k ${dir} -p ${port} -h 127.0.0.1 -c fsync=off`, '-l', join(dir, 'log'), '-w', 'start'], asRoot);
  let n = 0;
  const psql = (database: string, sql: string) =>
    asOwner(join(BIN, 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', user, '-d', database, '-XAtq', '-c', sql], false);
  return {
    host: '127.0.0.1',
    port,
    user,
    dir,
    freshDatabase() {
      const name = `t${process.pid}_${++n}`;
      psql('postgres', `CREATE DATABASE ${name}`);
      return `postgres://${user}@127.0.0.1:${port}/${name}`;
    },
    psql,
    stop() {
      try {
        asOwner(join(BIN, 'pg_ctl'), ['-D', data, '-m', 'immediate', 'stop'], asRoot);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Starts a cluster in beforeAll and stops it in afterAll; `cluster` is valid inside tests. */
export function usePostgres(): { readonly cluster: PgCluster } {
  let cluster: PgCluster | undefined;
  beforeAll(async () => {
    cluster = await startPostgres();
  });
  afterAll(() => cluster?.stop());
  return {
    get cluster() {
      if (!cluster) throw new Error('postgres not started (usePostgres must be called at the top of the file)');
      return cluster;
    },
  };
}
