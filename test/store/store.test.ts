import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { PG_MIGRATIONS } from '../../src/store/migrations-pg.js';
import { Store, UNMATCHED_REASON } from '../../src/store/store.js';
import { countUnmatchedEvents } from '../../src/store/report-queries.js';
import { tempTree } from '../helpers/tmp.js';
import { rawDb, rawSql } from '../helpers/raw-store.js';
import { useStoreBackends } from '../helpers/store-backends.js';

const backends = useStoreBackends();
const TABLES = ['corrections', 'cursors', 'events', 'facts_deferred', 'facts_stale', 'locks', 'mail_evidence', 'notify_state', 'observations', 'probe_facts', 'probes', 'runs', 'suppressions'];

describe('the store on SQLite', () => {
  it('migrates an empty file and re-opens without migrating again', () => {
    const dir = tempTree();
    const path = join(dir, 'a.db');
    const s1 = new Store(path);
    expect(rawDb(s1).pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(rawDb(s1).pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = (rawDb(s1).prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
    expect(tables).toEqual(TABLES);
    const run = s1.startRun('run', '/x.yaml');
    s1.close();
    const s2 = new Store(path);
    expect(s2.getRun(run)?.configPath).toBe('/x.yaml');
    expect(s2.integrityCheck()).toBe('ok');
    s2.close();
  });

  it('refuses a store written by a newer version', () => {
    const dir = tempTree();
    const path = join(dir, 'b.db');
    const raw = new Database(path);
    raw.pragma(`user_version = ${MIGRATIONS.length + 5}`);
    raw.close();
    expect(() => new Store(path)).toThrow(/newer respond-audit/);
  });

  it('VACUUM INTO makes a complete copy that opens', () => {
    const dir = tempTree();
    const s = new Store(join(dir, 'g.db'));
    s.startRun('run', 'g.yaml');
    s.vacuumInto(join(dir, 'copy.db'));
    const copy = new Store(join(dir, 'copy.db'));
    expect(copy.listRuns()).toHaveLength(1);
    expect(copy.integrityCheck()).toBe('ok');
    copy.close();
    s.close();
  });
});

describe('the store on PostgreSQL', () => {
  const pg = backends[1]!;
  it('has a step for each of SQLite\'s migrations', () => {
    expect(PG_MIGRATIONS).toHaveLength(MIGRATIONS.length);
  });

  it('migrates an empty database and re-opens without migrating again', () => {
    const url = pg.fresh();
    const s1 = new Store(url);
    expect(s1.engine).toBe('postgres');
    expect(rawSql(s1).get('SELECT version FROM schema_version')).toEqual({ version: MIGRATIONS.length });
    const tables = rawSql(s1).all<{ t: string }>('SELECT tablename AS t FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename').map((r) => r.t);
    expect(tables).toEqual([...TABLES.slice(0, 11), 'schema_version', ...TABLES.slice(11)].sort());
    const run = s1.startRun('run', '/x.yaml');
    s1.close();
    const s2 = new Store(url);
    expect(s2.getRun(run)?.configPath).toBe('/x.yaml');
    expect(s2.integrityCheck()).toBe('ok');
    s2.close();
  });

  it('refuses a store written by a newer version', () => {
    const url = pg.fresh();
    pg.cluster().psql(new URL(url).pathname.slice(1), `CREATE TABLE schema_version (one INTEGER PRIMARY KEY, version INTEGER NOT NULL); INSERT INTO schema_version VALUES (1, ${MIGRATIONS.length + 5})`);
    expect(() => new Store(url)).toThrow(/newer respond-audit/);
  });

  it('an unreachable server is exit 3, naming host and port and never the password', async () => {
    const { freePort } = await import('../../src/sandbox/dovecot.js');
    const port = await freePort();
    let err: (Error & { exitCode?: number }) | undefined;
    try {
      new Store(`postgres://ra:hunter2secret@127.0.0.1:${port}/audit`);
    } catch (e) {
      err = e as Error & { exitCode?: number };
    }
    expect(err?.exitCode).toBe(3);
    expect(err?.message).toContain(`127.0.0.1:${port}/audit`);
    expect(err?.message).not.toContain('hunter2secret');
  });

  it('a connection lost mid-command is exit 3 naming the server; a new Store reconnects and the work committed is there', () => {
    const url = pg.fresh();
    const s = new Store(url);
    const run = s.startRun('run', 'lost.yaml');
    const db = new URL(url).pathname.slice(1);
    // The timeout argument (PostgreSQL 14+) waits until the backend is gone, so the next
    // statement cannot slip in before the connection is cut.
    pg.cluster().psql('postgres', `SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity WHERE datname = '${db}' AND pid <> pg_backend_pid()`);
    let err: (Error & { exitCode?: number }) | undefined;
    try {
      s.tx(() => s.startRun('run', 'lost.yaml'));
    } catch (e) {
      err = e as Error & { exitCode?: number };
    }
    expect(err?.exitCode).toBe(3);
    expect(err?.message).toMatch(new RegExp(`PostgreSQL store at 127\\.0\\.0\\.1:${pg.cluster().port}/${db}`));
    s.close();
    const again = new Store(url);
    expect(again.listRuns().map((r) => r.id)).toEqual([run]);
    again.close();
  });

  it('says where a store lives without its password', () => {
    const url = pg.fresh().replace('ra@', 'ra:hunter2secret@');
    const s = new Store(url);
    expect(s.path).not.toContain('hunter2secret');
    expect(s.path).toContain('ra@127.0.0.1');
    expect(() => s.vacuumInto('/tmp/x.db')).toThrow(/pg_dump/);
    s.close();
  });
});

describe.each(backends)('the store ($name)', ({ fresh }) => {
  it('keeps probes, observations (unique by source id) and events', () => {
    const clock = fixedClock(Date.UTC(2026, 10, 1, 12));
    const s = new Store(fresh(), clock);
    const run = s.startRun('run', 'c.yaml');
    const p = s.createProbe({ token: 'tok1', runId: run, entryKey: 'a/b/email', siteId: 'a', serviceLineId: 'b', entryPointId: 'email', channel: 'email', target: 'x@y.org' });
    expect(p.status).toBe('submitting');
    s.updateProbe(p.id, { status: 'submitted', submittedAt: clock.now(), messageId: '<m1@x>' });
    expect(s.probeByToken('TOK1')?.id).toBe(p.id);
    expect(s.probeByMessageId('<m1@x>')?.status).toBe('submitted');
    const o1 = s.addObservation({ source: 'imap', sourceId: 'mid|INBOX', occurredAt: clock.now() + 3600_000, timeSource: 'internaldate' });
    const o2 = s.addObservation({ source: 'imap', sourceId: 'mid|INBOX', occurredAt: clock.now() + 3600_000, timeSource: 'internaldate' });
    expect(o1.isNew).toBe(true);
    expect(o2).toEqual({ id: o1.id, isNew: false });
    s.upsertEvent({ observationId: o1.id, probeId: p.id, kind: 'human-reply', attribution: 'exact', occurredAt: clock.now() + 3600_000, reasons: ['r1'] });
    s.upsertEvent({ observationId: o1.id, probeId: p.id, kind: 'human-reply', attribution: 'exact', occurredAt: clock.now() + 3600_000, passAlong: true, reasons: ['r2'] });
    const events = s.eventsForProbe(p.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'human-reply', passAlong: true, followUp: false, reasons: ['r2'] });
    s.close();
  });

  it('lists unattributed events and unmatched observations together, newest first, and counts both', () => {
    const t = Date.UTC(2026, 10, 1, 12);
    const s = new Store(fresh(), fixedClock(t));
    const lean = (id: string, h: number) =>
      s.addObservation({ source: 'imap', sourceId: id, occurredAt: t + h * 3600_000, timeSource: 'internaldate', sender: `${id}@news.example.com`, subject: `S ${id}`, data: { mailbox: 'Junk' }, unmatched: true });
    lean('a', 1);
    const o = s.addObservation({ source: 'imap', sourceId: 'b', occurredAt: t + 2 * 3600_000, timeSource: 'internaldate', sender: 'b@north.example.org' });
    s.upsertEvent({ observationId: o.id, probeId: null, kind: 'unattributed', attribution: 'ambiguous', occurredAt: t + 2 * 3600_000, reasons: ['two probes'] });
    lean('c', 3);
    const un = s.unattributed();
    expect(un.map((u) => [u.sender, u.attribution, u.id === null])).toEqual([
      ['c@news.example.com', 'none', true],
      ['b@north.example.org', 'ambiguous', false],
      ['a@news.example.com', 'none', true],
    ]);
    expect(un[0]).toMatchObject({ kind: 'unattributed', probeId: null, reasons: [UNMATCHED_REASON], details: { mailbox: 'Junk', subject: 'S c' } });
    expect(s.unattributed(1)).toHaveLength(1);
    expect(countUnmatchedEvents(s)).toBe(3);
    expect(countUnmatchedEvents(s, t + 2 * 3600_000)).toBe(2);
    s.close();
  });

  it('marks probes left submitting as unknown, never re-sendable', () => {
    const s = new Store(fresh());
    const run = s.startRun('run', 'd.yaml');
    const p = s.createProbe({ token: 't2', runId: run, entryKey: 'a/b/webform', siteId: 'a', serviceLineId: 'b', entryPointId: 'webform', channel: 'webform', target: 'https://x' });
    expect(s.markInterruptedProbesUnknown()).toBe(1);
    const after = s.getProbe(p.id)!;
    expect(after.status).toBe('unknown');
    expect(after.error).toMatch(/may or may not have reached/);
    expect(s.lastProbeByEntry().get('a/b/webform')?.id).toBe(p.id);
    s.close();
  });

  it('cursors advance with the writes they cover', () => {
    const s = new Store(fresh());
    expect(() =>
      s.tx(() => {
        s.addObservation({ source: 'imap', sourceId: 'z', occurredAt: 1, timeSource: 'internaldate' });
        s.setCursor('imap:INBOX', { uid: 5 });
        throw new Error('crash before commit');
      }),
    ).toThrow('crash before commit');
    expect(s.getCursor('imap:INBOX')).toBeUndefined();
    expect(s.hasObservation('imap', 'z')).toBe(false);
    s.close();
  });

  it('a lock held by a live process refuses; a dead holder is taken over', () => {
    const s = new Store(fresh());
    expect(s.acquireLock('run:x')).toEqual({ ok: true });
    // Pretend another live process (our parent) holds it.
    rawSql(s).run('UPDATE locks SET pid = ? WHERE name = ?', process.ppid, 'run:x');
    expect(s.acquireLock('run:x')).toMatchObject({ ok: false, pid: process.ppid });
    // A holder that no longer exists.
    rawSql(s).run('UPDATE locks SET pid = ? WHERE name = ?', 2 ** 22 + 12345, 'run:x');
    expect(s.acquireLock('run:x')).toEqual({ ok: true });
    s.releaseLock('run:x');
    s.close();
  });
});
