/**
 * One browser for many runners: `respond-audit browser-server` (the built CLI, a real
 * process, the installed Chromium behind Playwright's launchServer), a probe filled through
 * it, `doctor` proving the endpoint, and a server of another Playwright version refused with
 * a message that names both versions.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { DependencyError } from '../../src/errors.js';
import { startSandboxSite, type SandboxSite } from '../../src/sandbox/site.js';
import { launchBrowser } from '../../src/submit/browser.js';
import { createWebformSubmitter } from '../../src/submit/webform.js';
import { BIN, cli } from '../helpers/cli.js';
import { CHROMIUM, deps, hooks, job, project, START } from './helpers.js';

const PLAYWRIGHT = (createRequire(import.meta.url)('playwright-core/package.json') as { version: string }).version;

/** Starts the built CLI's browser server; resolves with the endpoint line it prints. */
function startServer(cwd: string, args: string[]): Promise<{ child: ChildProcessWithoutNullStreams; first: Record<string, string>; out: () => string }> {
  const child = spawn(process.execPath, [BIN, 'browser-server', '--port', '0', '--json', ...args], { cwd, env: { ...process.env, NO_COLOR: '1', CHROME_PATH: CHROMIUM } });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      stdout += d;
      const nl = stdout.indexOf('\n');
      if (nl >= 0) resolve({ child, first: JSON.parse(stdout.slice(0, nl)) as Record<string, string>, out: () => stdout });
    });
    child.once('exit', (code) => reject(new Error(`browser-server exited ${code} before printing its endpoint: ${stderr}`)));
  });
}

describe('respond-audit browser-server', () => {
  let site: SandboxSite;
  let dir: string;
  beforeAll(async () => {
    site = await startSandboxSite({ clock: fixedClock(START) });
    dir = mkdtempSync(join(tmpdir(), 'respond-audit-bserver-'));
  });
  afterAll(async () => {
    await site?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the installed browser; a probe fills a form through it; doctor proves it; SIGTERM stops it cleanly', async () => {
    const { child, first, out } = await startServer(dir, ['--path', '/private-key-1']);
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const proj = project({ browser: `wsEndpoint: ${first['wsEndpoint']}`, entries: [{ id: 'ajax', url: site.urlOf('/forms/ajax') }] });
    try {
      expect(first['wsEndpoint']).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/private-key-1$/);
      expect(first['playwright']).toBe(PLAYWRIGHT);
      expect(first['browser']).toBe(CHROMIUM);

      const submitter = await createWebformSubmitter(deps(proj.loaded));
      const j = job(proj.loaded, 'ajax');
      const r = await submitter.submit(j, hooks());
      await submitter.close();
      expect(r.status).toBe('submitted');
      expect(site.received.at(-1)?.fields.email).toBe(j.shopper.email);

      const doc = await cli(['doctor', proj.configPath, '--json'], { cwd: proj.root });
      const browser = (JSON.parse(doc.stdout) as { checks: Array<{ name: string; status: string; detail: string }> }).checks.find((c) => c.name === 'browser');
      expect(browser?.status).toBe('ok');
      expect(browser?.detail).toMatch(/remote Playwright server .*: \d+\.\d+.*Playwright versions match/);
    } finally {
      child.kill('SIGTERM');
      proj.cleanup();
    }
    expect(await exited).toBe(0);
    expect(out().trim().split('\n')).toHaveLength(1);
  });

  it('refuses a bad port or path before starting anything (exit 2)', async () => {
    const bad = await cli(['browser-server', '--port', '70000'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--port 70000 is not a port number');
    const path = await cli(['browser-server', '--path', 'no-slash'], { cwd: dir });
    expect(path.code).toBe(2);
    expect(path.stderr).toContain('must start with /');
  });
});

describe('a Playwright server of another version', () => {
  // What Playwright's own server answers a client of another major.minor before the WebSocket
  // opens (playwright-core src/remote/playwrightServer.ts, userAgentVersionMatchesErrorMessage):
  // HTTP 428 and a boxed message naming both versions. A stand-in for a remote server
  // installed at another version (the stage under test is our client's handling of it).
  let server: Server;
  let port = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => res.end('Running'));
    server.on('upgrade', (req, socket) => {
      const client = /^Playwright\/(\d+\.\d+)/.exec(req.headers['user-agent'] ?? '')?.[1] ?? '?';
      socket.end(
        'HTTP/1.1 428 Precondition Required\r\n\r\n' +
          `╔════════════════════════════════╗\n║ Playwright version mismatch:   ║\n║   - server version: v1.40      ║\n║   - client version: v${client}      ║\n╚════════════════════════════════╝`,
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
  });

  it('is refused with both versions named and how to match them (exit 3)', async () => {
    const err = await launchBrowser({ concurrency: 1, headless: true, timeout: 10_000, wsEndpoint: `ws://127.0.0.1:${port}/grid` }, {}).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DependencyError);
    expect((err as DependencyError).exitCode).toBe(3);
    expect((err as DependencyError).code).toBe('EBROWSERVERSION');
    const minor = PLAYWRIGHT.split('.').slice(0, 2).join('.');
    expect((err as Error).message).toContain('runs Playwright v1.40');
    expect((err as Error).message).toContain(`this respond-audit uses v${minor}`);
    expect((err as Error).message).toContain('respond-audit browser-server');
  });
});
