/**
 * The real CLI (`respond-audit run`, built, as a separate process) against the sandbox site
 * in real Chromium: what the site received, field by field, and what the store recorded.
 * Then "never twice": the process is killed between the click and the confirmation; the
 * probe is left `unknown` and the next run does not send it again.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, systemClock } from '../../src/clock.js';
import { startSandboxSite, type SandboxSite } from '../../src/sandbox/site.js';
import { Store } from '../../src/store/store.js';
import { BIN, cliProcess } from '../helpers/cli.js';
import { project } from './helpers.js';

let site: SandboxSite;

beforeAll(async () => {
  site = await startSandboxSite({ clock: fixedClock(Date.now()) });
});
afterAll(async () => {
  await site?.close();
});

interface RunJson {
  runId: number;
  probes: Array<{ token: string; entry: string; status: string; outcome: string }>;
}

describe('respond-audit run (webform) against the sandbox site', () => {
  it('submits every due form and the site receives the shopper, token address, phone, message, service line, date', async () => {
    const styles = ['plain', 'multistep', 'spanish', 'split', 'captcha-turnstile'];
    const proj = project({ entries: styles.map((s) => ({ id: s, url: site.urlOf(`/forms/${s}`) })) });
    try {
      const r = await cliProcess(['run', proj.configPath, '--json'], { cwd: proj.root, timeoutMs: 120_000 });
      expect(r.stderr).not.toMatch(/internal error/i);
      const out = JSON.parse(r.stdout) as RunJson;
      const byEntry = new Map(out.probes.map((p) => [p.entry.split('/')[2], p]));
      expect(Object.fromEntries([...byEntry].map(([k, p]) => [k, `${p.status}/${p.outcome}`]))).toEqual({
        plain: 'submitted/submitted',
        multistep: 'submitted/submitted',
        spanish: 'submitted/submitted',
        split: 'submitted/submitted',
        'captcha-turnstile': 'not-sent/blocked',
      });
      expect(r.code).toBe(0);

      const got = (style: string) => site.received.filter((s) => s.path === `/forms/${style}`).at(-1)!.fields;
      const email = (style: string) => `jordan+${byEntry.get(style)!.token}@example.net`;
      expect(got('plain')).toMatchObject({ 'your-name': 'Jordan Avery', 'your-email': email('plain'), 'your-phone': '(312) 555-0101' });
      expect(got('plain')['your-message']).toContain('Orthopedics at North Clinic');
      expect(got('multistep')).toMatchObject({ first_name: 'Jordan', last_name: 'Avery', email: email('multistep'), service: 'orthopedics' });
      expect(got('multistep').preferred_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(got('spanish')).toMatchObject({ nombre: 'Jordan', apellidos: 'Avery', correo: email('spanish'), especialidad: 'ortopedia', privacidad: 'si' });
      expect(got('split')).toMatchObject({ firstName: 'Jordan', lastName: 'Avery', emailAddress: email('split'), serviceLine: 'orthopedics' });
      expect(site.count('/forms/captcha-turnstile')).toBe(0);

      const store = new Store(proj.loaded.storePath, systemClock);
      try {
        const plain = store.probeByToken(byEntry.get('plain')!.token)!;
        expect(plain).toMatchObject({ status: 'submitted', outcome: 'submitted', channel: 'webform', shopperEmail: email('plain') });
        expect(plain.submittedAt).toBeGreaterThan(0);
        expect(existsSync(join(proj.loaded.reportsDir, String(plain.evidence?.screenshot)))).toBe(true);
        const blocked = store.probeByToken(byEntry.get('captcha-turnstile')!.token)!;
        expect(blocked).toMatchObject({ status: 'not-sent', outcome: 'blocked' });
      } finally {
        store.close();
      }
    } finally {
      proj.cleanup();
    }
  });

  it('a form the site refused is stored and shown as rejected, one the page itself stopped as not sent', async () => {
    const proj = project({ entries: [{ id: 'server-says-no', url: site.urlOf('/forms/validation-server') }, { id: 'page-says-no', url: site.urlOf('/forms/validation') }] });
    try {
      const r = await cliProcess(['run', proj.configPath, '--json'], { cwd: proj.root, timeoutMs: 120_000 });
      expect(r.stderr).not.toMatch(/internal error/i);
      const out = JSON.parse(r.stdout) as RunJson;
      const by = Object.fromEntries(out.probes.map((p) => [p.entry.split('/')[2], `${p.status}/${p.outcome}`]));
      expect(by).toEqual({ 'server-says-no': 'rejected/rejected', 'page-says-no': 'not-sent/validation-error' });
      const text = await cliProcess(['status', proj.configPath], { cwd: proj.root, timeoutMs: 30_000 });
      expect(text.stdout).toMatch(/rejected 1/);
      expect(text.stdout).toMatch(/Refused by the site in run #\d+ \(1\)\n {2}north\/ortho\/server-says-no \[webform\] \w+ rejected\n {6}the site refused the submission \(HTTP \d+\): Email: "Please enter a valid email address \(the \+ sign is not allowed\)\."/);
      const store = new Store(proj.loaded.storePath, systemClock);
      try {
        const [refused, stopped] = ['server-says-no', 'page-says-no'].map((id) => store.listProbes({}).find((p) => p.entryPointId === id)!);
        expect(refused).toMatchObject({ status: 'rejected', outcome: 'rejected', closesAt: null, details: { reachedServer: true } });
        expect(stopped).toMatchObject({ status: 'not-sent', outcome: 'validation-error', details: { reachedServer: false } });
      } finally {
        store.close();
      }
    } finally {
      proj.cleanup();
    }
  });

  it('never twice: killed between the click and the confirmation → unknown, and the next run does not send it again', async () => {
    const proj = project({ browser: 'executablePath: /usr/bin/chromium\ntimeout: 60s', entries: [{ id: 'hangs', url: site.urlOf('/forms/hang-submit') }] });
    try {
      const child = spawn(process.execPath, [BIN, 'run', proj.configPath], { cwd: proj.root, env: { ...process.env, CI: '1', NO_COLOR: '1' }, stdio: 'ignore' });
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      // The site has the submission (the click happened) but the page never confirms it.
      const until = Date.now() + 60_000;
      while (site.count('/forms/hang-submit') === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
      expect(site.count('/forms/hang-submit')).toBe(1);
      child.kill('SIGKILL');
      await exited;

      const again = await cliProcess(['run', proj.configPath, '--json'], { cwd: proj.root, timeoutMs: 60_000 });
      expect(again.code).toBe(0);
      expect(site.count('/forms/hang-submit')).toBe(1);
      const store = new Store(proj.loaded.storePath, systemClock);
      try {
        const probes = store.listProbes({});
        expect(probes).toHaveLength(1);
        expect(probes[0]).toMatchObject({ status: 'unknown', channel: 'webform' });
      } finally {
        store.close();
      }
    } finally {
      proj.cleanup();
    }
  });
});
