/**
 * kill -9 of `run` at random moments: afterwards the store is intact, nothing was submitted
 * twice, every inquiry the site received is in the store (submitted, or unknown when the
 * process died between the click and the commit), and the next run completes.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { startSandboxSite, type SandboxSite } from '../../src/sandbox/site.js';
import { Store } from '../../src/store/store.js';
import { BIN, cliProcess } from '../helpers/cli.js';
import { tempTree } from '../helpers/tmp.js';
import { INQUIRY } from '../plan/helpers.js';
import { useStoreBackends } from '../helpers/store-backends.js';

const STYLES = ['plain', 'ajax', 'hang-submit', 'multistep'] as const;
let site: SandboxSite;
const backends = useStoreBackends();

beforeAll(async () => {
  site = await startSandboxSite({ clock: systemClock, forms: [] });
});
afterAll(() => site.close());

function workspace(trial: number) {
  let y = `organization: Crash Test
shopper: { name: Jordan Avery, email: "jordan+{token}@example.net", phones: ["+13125550101"] }
channels: { browser: { concurrency: 2, timeout: 4s } }
safety: { allowLocal: true }
sites:
  - id: s
    name: Site
    serviceLines:
`;
  STYLES.forEach((style, i) => {
    const url = site.mount({ path: `/t${trial}/l${i}/contact`, style });
    y += `      - { id: l${i}, name: Line ${i}, entryPoints: [{ type: webform, url: "${url}" }] }\n`;
  });
  return tempTree({ 'configs/audit.yaml': y, 'probes/new-inquiry.yaml': INQUIRY });
}

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

/** Starts `run` and kills it with SIGKILL after `ms`, or when the site receives its k-th submission. */
function runAndKill(cwd: string, env: Record<string, string>, trial: number, plan: { afterMs?: number; onSubmission?: number }): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'run'], { cwd, env: { ...process.env, ...env, CI: '1' }, stdio: 'ignore' });
    let timer: NodeJS.Timeout | undefined;
    const poll = setInterval(() => {
      if (plan.onSubmission !== undefined && site.received.filter((r) => r.path.startsWith(`/t${trial}/`)).length >= plan.onSubmission) child.kill('SIGKILL');
    }, 5);
    if (plan.afterMs !== undefined) timer = setTimeout(() => child.kill('SIGKILL'), plan.afterMs);
    child.on('exit', () => {
      clearInterval(poll);
      if (timer) clearTimeout(timer);
      resolve();
    });
  });
}

const TRIALS = Array.from({ length: 20 }, (_, i) => i);

// PostgreSQL: the first 8 trials (both kinds of kill), for time; SQLite all 20.
describe.each(backends)('kill -9 during run ($name)', ({ name, fresh }) => {
  it.each(name === 'sqlite' ? TRIALS : TRIALS.slice(0, 8))('trial %i', { timeout: 180_000 }, async (t) => {
    const trial = name === 'sqlite' ? t : 100 + t;
    const r = rng(7 + trial * 31);
    const cwd = workspace(trial);
    // Half the trials die at a random moment, half the instant the site has a submission
    // (between the click and the commit).
    const plan = trial % 2 === 0 ? { afterMs: Math.floor(200 + r() * 4000) } : { onSubmission: 1 + Math.floor(r() * 4) };
    const storePath = name === 'sqlite' ? join(cwd, 'configs', 'respond-audit.db') : fresh();
    const env: Record<string, string> = name === 'sqlite' ? {} : { RESPOND_AUDIT_STORE_URL: storePath };
    await runAndKill(cwd, env, trial, plan);

    const mine = () => site.received.filter((x) => x.path.startsWith(`/t${trial}/`));
    const tokenOf = (email: string) => /\+([a-z0-9]+)@/.exec(email)?.[1];
    const check = (store: Store) => {
      expect(store.integrityCheck()).toBe('ok');
      const probes = store.listProbes();
      for (const sub of mine()) {
        const email = Object.entries(sub.fields).find(([k]) => /mail/i.test(k))?.[1] ?? '';
        const p = probes.find((x) => x.token === tokenOf(email));
        expect(p, `the site received ${email} but the store has no such probe`).toBeDefined();
        expect(['submitting', 'submitted', 'unknown']).toContain(p!.status);
      }
    };
    // The store may not exist if the kill came before it was created.
    if (site.received.length || trial % 2 === 1) {
      const s = new Store(storePath);
      check(s);
      s.close();
    }

    // The next run completes and sends nothing twice.
    const next = await cliProcess(['run'], { cwd, env });
    expect(next.code, next.stderr).toBe(0);
    const store = new Store(storePath);
    check(store);
    expect(store.listProbes({ status: ['submitting'] })).toEqual([]);
    const perPath = new Map<string, number>();
    for (const sub of mine()) perPath.set(sub.path, (perPath.get(sub.path) ?? 0) + 1);
    for (const [path, n] of perPath) expect(n, `${path} received ${n} inquiries`).toBe(1);
    // Every entry point has exactly one probe that went out or may have (an `unknown` one is
    // never re-sent automatically); only probes that certainly never left may be retried.
    const byEntry = new Map<string, string[]>();
    for (const p of store.listProbes()) byEntry.set(p.entryKey, [...(byEntry.get(p.entryKey) ?? []), p.status]);
    expect(byEntry.size).toBe(STYLES.length);
    for (const statuses of byEntry.values()) expect(statuses.filter((st) => st !== 'not-sent').length).toBeLessThanOrEqual(1);
    store.close();
  });
});
