import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { Store, UNMATCHED_REASON } from '../../src/store/store.js';
import { countUnmatchedEvents } from '../../src/store/report-queries.js';
import { tempTree } from '../helpers/tmp.js';
import { rawDb } from '../helpers/raw-store.js';

describe('the store', () => {
  it('migrates an empty file and re-opens without migrating again', () => {
    const dir = tempTree();
    const path = join(dir, 'a.db');
    const s1 = new Store(path);
    expect(rawDb(s1).pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(rawDb(s1).pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = (rawDb(s1).prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
    expect(tables).toEqual(['corrections', 'cursors', 'events', 'facts_deferred', 'facts_stale', 'locks', 'mail_evidence', 'notify_state', 'observations', 'probe_facts', 'probes', 'runs', 'suppressions']);
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

  it('keeps probes, observations (unique by source id) and events', () => {
    const clock = fixedClock(Date.UTC(2026, 10, 1, 12));
    const s = new Store(join(tempTree(), 'c.db'), clock);
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
    const s = new Store(join(tempTree(), 'u.db'), fixedClock(t));
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
    const s = new Store(join(tempTree(), 'd.db'));
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
    const s = new Store(join(tempTree(), 'e.db'));
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
    const path = join(tempTree(), 'f.db');
    const s = new Store(path);
    expect(s.acquireLock('run:x')).toEqual({ ok: true });
    // Pretend another live process (our parent) holds it.
    rawDb(s).prepare('UPDATE locks SET pid = ? WHERE name = ?').run(process.ppid, 'run:x');
    expect(s.acquireLock('run:x')).toMatchObject({ ok: false, pid: process.ppid });
    // A holder that no longer exists.
    rawDb(s).prepare('UPDATE locks SET pid = ? WHERE name = ?').run(2 ** 22 + 12345, 'run:x');
    expect(s.acquireLock('run:x')).toEqual({ ok: true });
    s.releaseLock('run:x');
    s.close();
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
