/**
 * `run` beside `collect` (separate processes on one store, real Dovecot, real SMTP intake
 * whose front desk answers at once): no SQLITE_BUSY, no reply stored twice, nothing missed.
 * And the store copied with VACUUM INTO while a collect writes: each copy opens, passes
 * integrity_check and holds everything committed before it was taken.
 */
// better-sqlite3 directly, not through Store: reads the file and snapshots another process is writing (inspection under fault).
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { systemClock } from '../../src/clock.js';
import { FrontDesk, type InboxScript } from '../../src/sandbox/frontdesk.js';
import { startMailIntake, type MailIntake } from '../../src/sandbox/mail.js';
import { imapAppendWriter, type MailboxWriter } from '../../src/sandbox/mailbox-writer.js';
import { Store } from '../../src/store/store.js';
import { observationCount } from '../../src/store/imap-queries.js';
import { BIN, cliProcess, type CliResult } from '../helpers/cli.js';
import { useDovecot, type TestMailUser } from '../helpers/dovecot.js';
import { emailSetup } from '../email/setup.js';
import { deliverReplies, seedProbes } from './mailbox.js';
import { rawSql } from '../helpers/raw-store.js';
import { useStoreBackends } from '../helpers/store-backends.js';

const dovecot = useDovecot();
const EAST_LINES = 12;
const BAD = /SQLITE_BUSY|database is locked|internal error|SqliteError|PgError|deadlock|could not serialize/i;
const backends = useStoreBackends();

const eastSite = `  - id: east
    name: East Clinic
    domains: [east.example.org]
    serviceLines:
${Array.from({ length: EAST_LINES }, (_, i) => `      - { id: l${i}, name: Line ${i}, entryPoints: [{ type: email, to: "l${i}@east.example.org" }] }\n`).join('')}`;

let intake: MailIntake;
let desk: FrontDesk;
let writer: MailboxWriter;
let user: TestMailUser;
/** A fresh mailbox and front desk per test (each backend's test reads only its own mail). */
function freshDesk() {
  user = dovecot.freshUser();
  void writer?.close();
  writer = imapAppendWriter({ host: dovecot.server.host, port: dovecot.server.imapPort, user: user.user, pass: user.pass });
  const scripts: Record<string, InboxScript> = {};
  const answer = (addr: string, name: string): InboxScript => ({ from: `${name} <${addr}>`, replies: [{ style: 'auto-ack', after: 0 }, { style: 'human', after: 0 }] });
  for (let i = 0; i < EAST_LINES; i++) scripts[`l${i}@east.example.org`] = answer(`l${i}@east.example.org`, 'East Clinic');
  scripts['ortho@north.example.org'] = answer('ortho@north.example.org', 'North Ortho');
  scripts['cardio@north.example.org'] = answer('cardio@north.example.org', 'North Cardio');
  desk = new FrontDesk({ clock: systemClock, writer, scripts, organization: 'Lakeside Health' });
}
beforeAll(async () => {
  freshDesk();
  intake = await startMailIntake({ clock: systemClock, onMessage: (m) => desk.onEmail(m) });
});
afterAll(async () => {
  await intake?.close();
  await writer?.close();
});

function storeObservationIds(location: string): string[] {
  const store = new Store(location, undefined, { readonly: true });
  try {
    return rawSql(store).all<{ message_id: string }>('SELECT message_id FROM observations').map((r) => r.message_id);
  } finally {
    store.close();
  }
}

function observationIds(path: string): string[] {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare('SELECT message_id FROM observations').all() as Array<{ message_id: string }>).map((r) => r.message_id);
  } finally {
    db.close();
  }
}

describe.each(backends)('concurrent processes on one store ($name)', ({ name, fresh }) => {
  it('run beside collects: all succeed, every reply stored once, nothing missed', { timeout: 240_000 }, async () => {
    // The intake, desk and mailbox serve both backends' tests: count from here.
    freshDesk();
    const intakeBefore = intake.received.length;
    const deskBefore = desk.delivered.length;
    const s = emailSetup({
      smtp: { port: intake.port },
      imap: { port: dovecot.server.imapPort, user: user.user, pass: user.pass, mailboxes: ['INBOX'] },
      extra: eastSite,
      ...(name === 'postgres' ? { storeUrl: fresh() } : {}),
    });
    // Mail already waiting (replies to an earlier run) keeps the collects busy while run writes.
    const older = seedProbes(s, 60);
    const seeded = await deliverReplies(dovecot.server, user.user, older, 10, { t0: s.clock.now() });
    s.store.close();
    const results: Array<[string, CliResult]> = [];
    const spans = new Map<string, [number, number]>();
    const go = async (label: string, args: string[]) => {
      const start = Date.now();
      const r = await cliProcess(args, { cwd: s.dir, env: s.env });
      spans.set(label, [start, Date.now()]);
      results.push([label, r]);
    };
    const collectLoop = async (n: number) => {
      for (let i = 0; i < 3; i++) await go(`collect ${n}.${i}`, ['collect', 'configs/audit.yaml']);
    };
    await Promise.all([go('run', ['run', 'configs/audit.yaml', '--only', 'email']), collectLoop(1), collectLoop(2)]);
    await go('final collect', ['collect', 'configs/audit.yaml']);
    // The run's process lived while collect processes did (both writing to the store).
    const [rs, re] = spans.get('run')!;
    expect([...spans].filter(([l, [a, b]]) => l.startsWith('collect') && a < re && b > rs).length).toBeGreaterThanOrEqual(2);
    for (const [label, r] of results) {
      expect(r.code, `${label}: ${r.stderr}`).toBe(0);
      expect(r.stderr + r.stdout, label).not.toMatch(BAD);
    }
    // Every email entry point was sent exactly once; each answered twice at once.
    expect(intake.received.slice(intakeBefore).filter((m) => m.to[0]!.endsWith('@east.example.org'))).toHaveLength(EAST_LINES);
    const ids = storeObservationIds(s.loaded.storePath);
    expect(new Set(ids).size, 'a reply stored twice').toBe(ids.length);
    const deskIds = desk.delivered.slice(deskBefore).map((d) => /^Message-ID: (.*)$/im.exec(d.raw)![1]!.trim().toLowerCase());
    expect(new Set(ids)).toEqual(new Set([...seeded, ...deskIds]));
    const store = new Store(s.loaded.storePath);
    try {
      expect(store.integrityCheck()).toBe('ok');
      for (const p of older) expect(store.eventsForProbe(p.id)).toHaveLength(10);
      const sent = store.listProbes({ status: ['submitted'] }).filter((p) => p.entryKey.startsWith('east/'));
      expect(sent).toHaveLength(EAST_LINES);
      for (const p of sent) expect(store.eventsForProbe(p.id).map((e) => e.kind).sort()).toEqual(['auto-ack', 'human-reply']);
      expect(store.getRun(sent[0]!.runId)?.status).toBe('finished');
    } finally {
      store.close();
    }
  });

});

// VACUUM INTO is SQLite's consistent copy (PostgreSQL's is pg_dump).
describe('concurrent processes on one SQLite store', () => {
  it('VACUUM INTO while a collect writes: every copy opens, is intact, and holds what was committed before it', { timeout: 120_000 }, async () => {
    const u = dovecot.freshUser();
    const s = emailSetup({ imap: { port: dovecot.server.imapPort, user: u.user, pass: u.pass, mailboxes: ['INBOX', 'Archive', 'Replies'] } });
    const probes = seedProbes(s, 100);
    const delivered = await deliverReplies(dovecot.server, u.user, probes, 20, { t0: s.clock.now(), mailboxes: ['INBOX', 'Archive', 'Replies'] });
    s.store.close();
    const child = spawn(process.execPath, [BIN, 'collect', 'configs/audit.yaml'], { cwd: s.dir, env: { ...process.env, ...s.env, CI: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number>((r) => child.on('exit', (code) => r(code ?? -1)));
    let running = true;
    void exited.then(() => (running = false));

    const copies: Array<{ path: string; committedBefore: number; midCollect: boolean }> = [];
    const reader = new Store(s.loaded.storePath);
    try {
      while (running) {
        const committedBefore = observationCount(reader);
        const path = join(s.dir, `copy-${copies.length}.db`);
        reader.vacuumInto(path);
        copies.push({ path, committedBefore, midCollect: running && committedBefore > 0 && committedBefore < delivered.length });
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      reader.close();
    }
    expect(await exited, stderr).toBe(0);
    expect(stderr).not.toMatch(BAD);
    expect(copies.filter((c) => c.midCollect).length, 'no copy was taken while the collect was half way').toBeGreaterThanOrEqual(1);
    for (const c of copies) {
      const db = new Database(c.path, { readonly: true, fileMustExist: true });
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        const n = (db.prepare('SELECT COUNT(*) AS n FROM observations').get() as { n: number }).n;
        expect(n).toBeGreaterThanOrEqual(c.committedBefore);
        // Consistent: each stored reply has its event, and the cursor covers what is stored.
        const orphans = (db.prepare('SELECT COUNT(*) AS n FROM observations o WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.observation_id = o.id)').get() as { n: number }).n;
        expect(orphans).toBe(0);
        expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(1);
      } finally {
        db.close();
      }
    }
    expect(new Set(observationIds(s.loaded.storePath))).toEqual(new Set(delivered));
  });
});
