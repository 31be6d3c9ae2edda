/**
 * kill -9 of `collect` at random moments, against Dovecot, with enough mail spread over
 * three mailboxes (three commits per collect) that the kill lands mid-collect: afterwards
 * the store is intact, nothing is stored twice, the next collect completes, and in the end
 * every delivered reply is stored exactly once.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';
import { BIN, cliProcess } from '../helpers/cli.js';
import { useDovecot } from '../helpers/dovecot.js';
import { emailSetup } from '../email/setup.js';
import { deliverReplies, seedProbes } from './mailbox.js';
import { rawSql } from '../helpers/raw-store.js';
import { useStoreBackends } from '../helpers/store-backends.js';

const dovecot = useDovecot();
const backends = useStoreBackends();
const MAILBOXES = ['INBOX', 'Archive', 'Replies'];
const TRIALS = 10;

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

// A read-only Store beside the collect processes: what they committed, as any reader sees it.
function storedIds(reader: Store): string[] {
  return rawSql(reader).all<{ message_id: string }>("SELECT message_id FROM observations WHERE source = 'imap'").map((r) => r.message_id);
}

function countObservations(reader: Store): number {
  return rawSql(reader).get<{ n: number }>('SELECT COUNT(*) AS n FROM observations')!.n;
}

/** Starts `collect`; kills it after `afterMs`, or as soon as a commit raised the stored count past `past`. */
function collectAndKill(cwd: string, env: Record<string, string>, reader: Store, plan: { afterMs?: number; past?: number }): Promise<{ killed: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'collect', 'configs/audit.yaml'], { cwd, env: { ...process.env, ...env, CI: '1' }, stdio: 'ignore' });
    let killed = false;
    const kill = () => {
      if (killed || child.exitCode !== null) return;
      killed = true;
      child.kill('SIGKILL');
    };
    const timer = plan.afterMs !== undefined ? setTimeout(kill, plan.afterMs) : undefined;
    const poll = plan.past !== undefined ? setInterval(() => countObservations(reader) > plan.past! && kill(), 10) : undefined;
    child.on('exit', () => {
      if (timer) clearTimeout(timer);
      if (poll) clearInterval(poll);
      resolve({ killed });
    });
  });
}

describe.each(backends)('kill -9 during collect (Dovecot, $name)', ({ name, fresh }) => {
  it(`${TRIALS} random kills: store intact, nothing doubled, next collect completes, nothing missed`, { timeout: 400_000 }, async () => {
    const u = dovecot.freshUser();
    const s = emailSetup({ imap: { port: dovecot.server.imapPort, user: u.user, pass: u.pass, mailboxes: MAILBOXES }, ...(name === 'postgres' ? { storeUrl: fresh() } : {}) });
    const storePath = s.loaded.storePath;
    const probes = seedProbes(s, 40);
    s.store.close();
    const reader = new Store(storePath, undefined, { readonly: true });
    const delivered: string[] = [];
    let midCollect = 0;
    for (let trial = 0; trial < TRIALS; trial++) {
      const r = rng(11 + trial * 97);
      // 40 probes × 6 replies: most of a second of collecting, three commits.
      delivered.push(...(await deliverReplies(dovecot.server, u.user, probes, 6, { t0: s.clock.now(), mailboxes: MAILBOXES })));
      const before = countObservations(reader);
      // Half the trials die at a random moment, half right after a commit (between mailboxes).
      const plan = trial % 2 === 0 ? { afterMs: Math.floor(300 + r() * 1200) } : { past: before };
      const { killed } = await collectAndKill(s.dir, s.env, reader, plan);

      const store = new Store(storePath);
      expect(store.integrityCheck()).toBe('ok');
      const ids = storedIds(reader);
      expect(new Set(ids).size, 'a reply stored twice').toBe(ids.length);
      expect(ids.every((id) => delivered.includes(id))).toBe(true);
      if (killed && ids.length > before && ids.length < delivered.length) midCollect++;
      store.close();

      const next = await cliProcess(['collect', 'configs/audit.yaml', '--json'], { cwd: s.dir, env: s.env });
      expect(next.code, next.stderr).toBe(0);
      const after = storedIds(reader);
      expect(after.length).toBe(delivered.length);
      expect(new Set(after)).toEqual(new Set(delivered));
    }
    // The kills did land inside collects that had stored part of their mail.
    expect(midCollect).toBeGreaterThanOrEqual(3);
    const store = new Store(storePath);
    try {
      for (const p of probes) {
        const events = store.eventsForProbe(p.id);
        expect(events).toHaveLength(6 * TRIALS);
        expect(new Set(events.map((e) => e.observationId)).size).toBe(events.length);
      }
    } finally {
      store.close();
      reader.close();
    }
  });
});
