/**
 * IMAP faults (issue 8): Dovecot stopped mid-fetch, a dropped connection, a UIDVALIDITY
 * change, a server without CONDSTORE/QRESYNC, and a server that never answers. Nothing is
 * missed, nothing is counted twice, and an unreachable server is exit 3 with a clear message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImapFlow } from 'imapflow';
import { ImapCollector } from '../../src/collect/imap.js';
import type { CollectDeps } from '../../src/collect/types.js';
import { DependencyError } from '../../src/errors.js';
import { startDovecot, type DovecotInstance } from '../../src/sandbox/dovecot.js';
import { startSilentServer } from '../../src/sandbox/mail.js';
import { imapAppendWriter, maildirWriter } from '../../src/sandbox/mailbox-writer.js';
import { observationCount } from '../../src/store/imap-queries.js';
import { cli } from '../helpers/cli.js';
import { commandLog } from './imap-proxy.js';
import { emailSetup, replyEml, sentProbe, type EmailSetup } from './setup.js';

const H = 3_600_000;
let dv: DovecotInstance;
beforeAll(async () => {
  dv = await startDovecot();
});
afterAll(async () => {
  await dv?.destroy();
});

function deps(s: EmailSetup): CollectDeps {
  return { loaded: s.loaded, store: s.store, clock: s.clock, env: s.env, log: () => undefined, signal: new AbortController().signal };
}

/** A user with `n` replies to `n` probes in INBOX (written into the Maildir). */
function mailboxWithReplies(server: DovecotInstance, n: number, mailboxes?: string[]) {
  const u = server.newUser();
  const s = emailSetup({ imap: { port: server.imapPort, user: u.user, pass: u.pass, mailboxes } });
  const t0 = s.clock.now();
  const w = maildirWriter(server.maildir(u.user), process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined);
  const probes = Array.from({ length: n }, () => sentProbe(s, { submittedAt: t0 }));
  const raws = probes.map((p, i) =>
    replyEml({ from: 'desk@north.example.org', to: `jordan+${p.token}@example.net`, date: new Date(t0 + (i + 1) * 60_000), body: `Hi Jordan, reply number ${i}. Friday at 3pm works.` }),
  );
  return { u, s, probes, raws, t0, w };
}

function countsPerProbe(s: EmailSetup, ids: number[]): number[] {
  return ids.map((id) => s.store.eventsForProbe(id).length);
}

describe('IMAP faults (Dovecot)', () => {
  it('Dovecot stopped mid-fetch: the collect fails with exit 3, the next one resumes; nothing missed or doubled', async () => {
    const { s, probes, raws, t0, w } = mailboxWithReplies(dv, 60);
    for (const [i, r] of raws.entries()) await w.deliver(r, new Date(t0 + (i + 1) * 60_000));
    let chunks = 0;
    const c = new ImapCollector(deps(s), {
      chunkSize: 10,
      onChunkStored: async () => {
        if (++chunks === 2) await dv.stop();
      },
    });
    const err = await c.collectOnce().catch((e: unknown) => e);
    await c.close();
    expect(err).toBeInstanceOf(DependencyError);
    expect((err as DependencyError).exitCode).toBe(3);
    expect((err as Error).message).toMatch(/127\.0\.0\.1:\d+/);
    const stored = s.store.listEvents({}).length;
    expect(stored).toBe(20);
    await dv.start();
    const again = new ImapCollector(deps(s), { chunkSize: 10 });
    const st = await again.collectOnce();
    await again.close();
    expect(st.added).toBe(40);
    expect(countsPerProbe(s, probes.map((p) => p.id))).toEqual(probes.map(() => 1));
  });

  it('a chunk with more replies than bodyBatch is committed in runs of consecutive UIDs; a crash between runs resumes after the last one', async () => {
    const { s, probes, raws, t0, w } = mailboxWithReplies(dv, 12);
    // Replies interleaved with newsletters (no body fetched, stored as they stream in): runs end
    // where the run after the bodyBatch-th reply begins.
    for (const [i, r] of raws.entries()) {
      await w.deliver(r, new Date(t0 + (i + 1) * 60_000));
      await w.deliver(replyEml({ from: 'news@shop.example.com', to: 'jordan@example.net', subject: `Sale ${i}`, date: new Date(t0 + (i + 1) * 60_000 + 1000), body: 'Big sale.' }), new Date(t0 + (i + 1) * 60_000 + 1000));
    }
    const commits: number[] = [];
    const c = new ImapCollector(deps(s), {
      chunkSize: 1000,
      bodyBatch: 5,
      onChunkStored: ({ lastUid }) => {
        commits.push(lastUid);
        if (commits.length === 2) throw new Error('crash after the second commit');
      },
    });
    await expect(c.collectOnce()).rejects.toThrow(/crash after the second commit/);
    await c.close();
    // UIDs 1..24 alternate reply, newsletter: a run of 5 replies (and the newsletter after the fifth) ends at UIDs 10 and 20.
    expect(commits).toEqual([10, 20]);
    expect(countsPerProbe(s, probes.map((p) => p.id))).toEqual(probes.map((_p, i) => (i < 10 ? 1 : 0)));
    const again = new ImapCollector(deps(s), { chunkSize: 1000, bodyBatch: 5, onChunkStored: ({ lastUid }) => void commits.push(lastUid) });
    const st = await again.collectOnce();
    await again.close();
    expect(commits.slice(2)).toEqual([24]);
    // The newsletters were stored as the header pass streamed in, before the crash: fetched
    // again, they are not new; only the two replies after the second commit are.
    expect(st).toMatchObject({ fetched: 4, added: 2, attributed: 2, unattributed: 0 });
    expect(countsPerProbe(s, probes.map((p) => p.id))).toEqual(probes.map(() => 1));
    expect(s.store.unattributed(100)).toHaveLength(12);
  });

  it('a connection dropped mid-collect is retried with a fresh client in the same collect', async () => {
    const { s, probes, raws, t0, w } = mailboxWithReplies(dv, 30);
    for (const [i, r] of raws.entries()) await w.deliver(r, new Date(t0 + (i + 1) * 60_000));
    let chunks = 0;
    const c = new ImapCollector(deps(s), {
      chunkSize: 10,
      onChunkStored: async () => {
        if (++chunks === 1) {
          await dv.stop();
          await dv.start();
        }
      },
    });
    const st = await c.collectOnce();
    await c.close();
    expect(st.notes.join(' ')).toMatch(/dropped; retried with a fresh connection/);
    expect(countsPerProbe(s, probes.map((p) => p.id))).toEqual(probes.map(() => 1));
  });

  it('a connection cut during the header pass, after mail nothing matched was committed, loses and doubles nothing', async () => {
    const { s, probes, raws, t0, w } = mailboxWithReplies(dv, 10);
    for (const [i, r] of raws.entries()) {
      await w.deliver(r, new Date(t0 + (i + 1) * 60_000));
      for (let k = 0; k < 4; k++)
        await w.deliver(
          replyEml({ from: 'news@shop.example.com', to: 'jordan@example.net', subject: `Sale ${i}.${k}`, date: new Date(t0 + (i + 1) * 60_000 + k + 1), body: 'Big sale.' }),
          new Date(t0 + (i + 1) * 60_000 + k + 1),
        );
    }
    // Cut the first connection while the header FETCH streams in, once some newsletters are
    // already committed (batches of 5).
    let committedAtCut = -1;
    const proxy = await commandLog(dv.imapPort, {
      dropWhen: (bytes, commands) => {
        if (committedAtCut >= 0 || !commands.some((c) => /UID FETCH .*BODY\.PEEK\[HEADER\]/i.test(c))) return false;
        const n = observationCount(s.store);
        if (n < 10) return false;
        committedAtCut = n;
        return true;
      },
    });
    try {
      const c = new ImapCollector({ ...deps(s), loaded: { ...s.loaded, config: { ...s.loaded.config, channels: { ...s.loaded.config.channels, imap: { ...s.loaded.config.channels.imap!, port: proxy.port } } } } }, { unmatchedBatch: 5 });
      const st = await c.collectOnce();
      await c.close();
      expect(st.notes.join(' ')).toMatch(/dropped; retried with a fresh connection/);
      expect(committedAtCut).toBeGreaterThan(0);
      expect(committedAtCut).toBeLessThan(50);
      // The chunk read again after the cut is counted once.
      expect(st).toMatchObject({ fetched: 50, added: 50, attributed: 10, unattributed: 40 });
    } finally {
      await proxy.close();
    }
    expect(countsPerProbe(s, probes.map((p) => p.id))).toEqual(probes.map(() => 1));
    expect(observationCount(s.store)).toBe(50);
    const un = s.store.unattributed(100);
    expect(un).toHaveLength(40);
    expect(new Set(un.map((u) => u.details['subject'])).size).toBe(40);
  });

  it('a recreated mailbox (new UIDVALIDITY) is rescanned without duplicates', async () => {
    const { u, s, probes, raws, t0 } = mailboxWithReplies(dv, 6, ['INBOX', 'Replies']);
    const client = new ImapFlow({ host: dv.host, port: dv.imapPort, secure: false, auth: u, logger: false });
    client.on('error', () => undefined);
    await client.connect();
    await client.mailboxCreate('Replies');
    for (const [i, r] of raws.slice(0, 5).entries()) await client.append('Replies', r, [], new Date(t0 + (i + 1) * 60_000));
    const c = new ImapCollector(deps(s));
    expect((await c.collectOnce()).added).toBe(5);
    await client.mailboxDelete('Replies');
    await client.mailboxCreate('Replies');
    for (const [i, r] of raws.entries()) await client.append('Replies', r, [], new Date(t0 + (i + 1) * 60_000));
    await client.logout();
    const st = await c.collectOnce();
    await c.close();
    expect(st.notes.join(' '), JSON.stringify(st)).toMatch(/UIDVALIDITY changed/);
    expect(st.fetched).toBe(6);
    expect(st.added).toBe(1);
    expect(countsPerProbe(s, probes.map((p) => p.id))).toEqual(probes.map(() => 1));
  });

  it('a server without CONDSTORE, QRESYNC or LIST-STATUS: the UID sweep finds everything', async () => {
    const plain = await startDovecot({ capabilities: 'IMAP4rev1 LITERAL+ SASL-IR LOGIN-REFERRALS ID ENABLE IDLE NAMESPACE UIDPLUS SPECIAL-USE' });
    try {
      const u = plain.newUser();
      const s = emailSetup({ imap: { port: plain.imapPort, user: u.user, pass: u.pass } });
      const p = sentProbe(s, { submittedAt: s.clock.now() });
      const w = imapAppendWriter({ host: plain.host, port: plain.imapPort, user: u.user, pass: u.pass });
      const mail = (h: number) => replyEml({ from: 'desk@north.example.org', to: `jordan+${p.token}@example.net`, date: new Date(s.clock.now() + h * H), body: `Hi Jordan, note ${h}: Friday at 3pm works.` });
      await w.deliver(mail(1), new Date(s.clock.now() + H));
      await w.deliver(mail(2), new Date(s.clock.now() + 2 * H), 'Junk');
      const c = new ImapCollector(deps(s));
      const c1 = new ImapFlow({ host: plain.host, port: plain.imapPort, secure: false, auth: u, logger: false });
      await c1.connect();
      expect(c1.capabilities.has('CONDSTORE')).toBe(false);
      await c1.logout();
      expect((await c.collectOnce()).added).toBe(2);
      await w.deliver(mail(30), new Date(s.clock.now() + 30 * H));
      expect((await c.collectOnce()).added).toBe(1);
      expect((await c.collectOnce()).added).toBe(0);
      await c.close();
      await w.close();
      expect(s.store.eventsForProbe(p.id)).toHaveLength(3);
    } finally {
      await plain.destroy();
    }
  });

  it('a server that never answers: `collect` times out with a clear message and exit 3', async () => {
    const silent = await startSilentServer();
    try {
      const s = emailSetup({ imap: { port: silent.port, user: 'jordan', pass: 'imap-canary-secret', timeout: '1s' } });
      s.store.close();
      const r = await cli(['collect', 'configs/audit.yaml'], { cwd: s.dir, env: s.env });
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/IMAP server 127\.0\.0\.1:\d+ did not answer .* within 1s \(channels\.imap\.timeout\)/);
      expect(r.stderr + r.stdout).not.toMatch(/imap-canary-secret/);
    } finally {
      await silent.close();
    }
  });

  it('`collect --json` reports what it stored; two collects at once store each reply once', async () => {
    const { s, probes, raws, t0, w } = mailboxWithReplies(dv, 12);
    for (const [i, r] of raws.entries()) await w.deliver(r, new Date(t0 + (i + 1) * 60_000));
    s.store.close();
    const [a, b] = await Promise.all([
      cli(['collect', 'configs/audit.yaml', '--json'], { cwd: s.dir, env: s.env }),
      cli(['collect', 'configs/audit.yaml', '--json'], { cwd: s.dir, env: s.env }),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const added = [a, b].map((r) => (JSON.parse(r.stdout).sources as Array<{ added: number }>)[0]!.added);
    expect(added[0]! + added[1]!).toBe(12);
    const { Store } = await import('../../src/store/store.js');
    const store = new Store(s.loaded.storePath);
    expect(probes.map((p) => store.eventsForProbe(p.id).length)).toEqual(probes.map(() => 1));
    store.close();
  });
});
