/**
 * The browser dies mid-probe (its process killed with SIGKILL, as the OOM killer would) or
 * a page hangs: the probe in flight ends `unknown` when it had clicked submit, `not-sent`
 * when it had not (and the site indeed got nothing from it), a hung page ends `timeout`
 * with evidence; the run goes on with a new browser and the other entry points are
 * submitted, each exactly once.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { startSandboxSite, type FormMount, type SandboxSite } from '../../src/sandbox/site.js';
import { Store } from '../../src/store/store.js';
import type { ProbeRow } from '../../src/store/types.js';
import { BIN, cliProcess } from '../helpers/cli.js';
import { tempTree } from '../helpers/tmp.js';
import { INQUIRY } from './org.js';

let site: SandboxSite;
beforeAll(async () => {
  site = await startSandboxSite({ clock: systemClock, forms: [] });
});
afterAll(() => site.close());

function workspace(name: string, forms: Array<Omit<FormMount, 'path'> & { id: string }>, timeout = '5s'): string {
  let y = `organization: Crash Test
shopper: { name: Jordan Avery, email: "jordan+{token}@example.net", phones: ["+13125550101"] }
channels: { browser: { executablePath: /usr/bin/chromium, concurrency: 1, timeout: ${timeout} } }
safety: { allowLocal: true }
sites:
  - id: s
    name: Site
    serviceLines:
`;
  for (const f of forms) {
    const url = site.mount({ ...f, path: `/${name}/${f.id}/contact` });
    y += `      - { id: ${f.id}, name: Line ${f.id}, entryPoints: [{ type: webform, url: "${url}" }] }\n`;
  }
  return tempTree({ 'configs/audit.yaml': y, 'probes/new-inquiry.yaml': INQUIRY });
}

/** Processes under `root` (by /proc parent links). */
function descendants(root: number): Array<{ pid: number; cmd: string }> {
  const parent = new Map<number, number>();
  const cmd = new Map<number, string>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      cmd.set(Number(d), readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' '));
    } catch {
      /* gone */
    }
  }
  const out: Array<{ pid: number; cmd: string }> = [];
  const walk = (p: number) => {
    for (const [c, pp] of parent) {
      if (pp !== p) continue;
      out.push({ pid: c, cmd: cmd.get(c) ?? '' });
      walk(c);
    }
  };
  walk(root);
  return out;
}

/** Runs `run` and SIGKILLs its browser (the main Chromium process) the first time `when()` holds. */
function runAndKillBrowser(cwd: string, when: () => boolean): Promise<{ code: number; stdout: string; stderr: string; killed: number[] }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'run', 'configs/audit.yaml'], { cwd, env: { ...process.env, CI: '1', NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const killed: number[] = [];
    const poll = setInterval(() => {
      if (killed.length || !when()) return;
      const browsers = descendants(child.pid!).filter((p) => /chrom/i.test(p.cmd) && !/--type=/.test(p.cmd));
      for (const b of browsers) {
        process.kill(b.pid, 'SIGKILL');
        killed.push(b.pid);
      }
    }, 10);
    child.on('close', (code) => {
      clearInterval(poll);
      resolve({ code: code ?? -1, stdout, stderr, killed });
    });
  });
}

const byLine = (store: Store) => new Map<string, ProbeRow>(store.listProbes().map((p) => [p.entryKey.split('/')[1]!, p]));

describe('browser crash and page hang mid-form', () => {
  it('killed after the click: that probe is unknown (never re-sent); a hung page times out with evidence; the rest are submitted', { timeout: 120_000 }, async () => {
    const cwd = workspace('a', [
      { id: 'hang', style: 'hang-submit' },
      { id: 'plain', style: 'plain' },
      { id: 'ajax', style: 'ajax' },
      { id: 'slow', style: 'slow' },
    ], '20s');
    // 20 s page timeout: the hung submission is still waiting for its answer when the poll
    // sees it arrive, however loaded the machine is.
    const r = await runAndKillBrowser(cwd, () => site.received.some((x) => x.path === '/a/hang/contact'));
    expect(r.killed.length, 'no browser process was found to kill').toBeGreaterThan(0);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/the browser had stopped; started a new one/);
    const store = new Store(join(cwd, 'configs', 'respond-audit.db'));
    try {
      const p = byLine(store);
      expect(p.get('hang')).toMatchObject({ status: 'unknown' });
      expect(p.get('hang')!.error ?? '').toMatch(/the browser closed or crashed/);
      expect(p.get('slow')).toMatchObject({ outcome: 'timeout' });
      expect(['not-sent', 'unknown']).toContain(p.get('slow')!.status);
      const ev = p.get('slow')!.evidence as Record<string, unknown> | null;
      expect(ev && Object.keys(ev).length, 'the hung page left no evidence').toBeTruthy();
      expect(p.get('plain')).toMatchObject({ status: 'submitted' });
      expect(p.get('ajax')).toMatchObject({ status: 'submitted' });
    } finally {
      store.close();
    }
    for (const line of ['hang', 'plain', 'ajax']) expect(site.count(`/a/${line}/contact`), line).toBe(1);
    expect(site.count('/a/slow/contact')).toBe(0);
    // The next run re-sends neither the unknown one nor the submitted ones.
    const again = await cliProcess(['run', 'configs/audit.yaml'], { cwd });
    expect(again.code, again.stderr).toBe(0);
    for (const line of ['hang', 'plain', 'ajax']) expect(site.count(`/a/${line}/contact`), line).toBe(1);
  });

  it('killed while the form is being filled: not sent (the site got nothing), the run goes on, the next run sends it', { timeout: 120_000 }, async () => {
    const cwd = workspace('b', [
      { id: 'late', style: 'react', renderDelayMs: 1200 },
      { id: 'plain', style: 'plain' },
      { id: 'multi', style: 'multistep' },
      // No probe here waits for a hung page: a generous timeout keeps a loaded machine's slow
      // Chromium start from failing the others.
    ], '30s');
    // The page of `late` is loaded, its form not there yet: the probe is waiting to fill it.
    let seen = 0;
    const r = await runAndKillBrowser(cwd, () => {
      const got = site.requestLog.find((x) => x.method === 'GET' && x.path === '/b/late/contact');
      if (got && !seen) seen = Date.now();
      return !!seen && Date.now() - seen > 500;
    });
    expect(r.killed.length).toBeGreaterThan(0);
    expect(r.code, r.stderr).toBe(0);
    const storePath = join(cwd, 'configs', 'respond-audit.db');
    let store = new Store(storePath);
    try {
      const p = byLine(store);
      expect(['not-sent', 'unknown']).toContain(p.get('late')!.status);
      expect(p.get('late')!.error ?? '').toMatch(/the browser closed or crashed during the probe, before anything was sent/);
      expect(p.get('plain')).toMatchObject({ status: 'submitted' });
      expect(p.get('multi')).toMatchObject({ status: 'submitted' });
    } finally {
      store.close();
    }
    expect(site.count('/b/late/contact')).toBe(0);
    const again = await cliProcess(['run', 'configs/audit.yaml'], { cwd });
    expect(again.code, again.stderr).toBe(0);
    store = new Store(storePath);
    try {
      const late = store.listProbes().filter((x) => x.entryKey.endsWith('/late/webform'));
      // Not sent before, so tried again; the rest not again.
      expect(late.map((x) => x.status), JSON.stringify(late.map((x) => [x.outcome, x.error]))).toEqual(['not-sent', 'submitted']);
    } finally {
      store.close();
    }
    expect([site.count('/b/late/contact'), site.count('/b/plain/contact'), site.count('/b/multi/contact')]).toEqual([1, 1, 1]);
  });
});
