/** Finding a browser, the message when there is none, and connecting to a remote Playwright server. */
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { DependencyError } from '../../src/errors.js';
import { startSandboxSite, type SandboxSite } from '../../src/sandbox/site.js';
import { findBrowser, launchBrowser, LAUNCH_ARGS } from '../../src/submit/browser.js';
import { createWebformSubmitter } from '../../src/submit/webform.js';
import { CHROMIUM, deps, hooks, job, project, START } from './helpers.js';

const base = { concurrency: 1, headless: true, timeout: 30_000 };

describe('findBrowser', () => {
  it('prefers the configured path, then CHROME_PATH, then system paths, then Playwright\'s own', () => {
    const all = (p: string) => ['/opt/x/chrome', '/env/chrome', '/usr/bin/google-chrome', '/pw/chrome'].includes(p);
    expect(findBrowser({ ...base, executablePath: '/opt/x/chrome' }, {}, { exists: all })).toMatchObject({ executablePath: '/opt/x/chrome', source: 'config' });
    expect(findBrowser(base, { CHROME_PATH: '/env/chrome' }, { exists: all, platform: 'linux' })).toMatchObject({ executablePath: '/env/chrome' });
    expect(findBrowser(base, {}, { exists: all, platform: 'linux', playwrightPath: () => '/pw/chrome' })).toMatchObject({ executablePath: '/usr/bin/google-chrome', source: 'system' });
    expect(findBrowser(base, {}, { exists: (p) => p === '/pw/chrome', platform: 'linux', playwrightPath: () => '/pw/chrome' })).toMatchObject({ source: 'playwright' });
    expect(findBrowser({ ...base, channel: 'chrome' }, {}, { exists: () => false })).toEqual({ channel: 'chrome', source: 'channel chrome' });
  });

  it('with nothing installed: DependencyError (exit 3) saying how to get one', () => {
    let err: unknown;
    try {
      findBrowser(base, {}, { exists: () => false, platform: 'linux' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DependencyError);
    expect((err as DependencyError).exitCode).toBe(3);
    expect((err as Error).message).toContain('No Chrome or Chromium browser found');
    expect((err as Error).message).toContain('/usr/bin/chromium');
    expect((err as Error).message).toContain('apt-get install chromium');
    expect((err as Error).message).toContain('channels.browser.executablePath');
  });
});

describe('launching', () => {
  let site: SandboxSite;
  beforeAll(async () => {
    site = await startSandboxSite({ clock: fixedClock(START) });
  });
  afterAll(async () => {
    await site?.close();
  });

  it('an executablePath pointing at a missing file fails the submitter with the helpful text', async () => {
    const proj = project({ browser: 'executablePath: /nonexistent/chrome', entries: [{ id: 'plain', url: site.urlOf('/forms/plain') }] });
    try {
      const err = await createWebformSubmitter(deps(proj.loaded)).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(DependencyError);
      expect((err as Error).message).toMatch(/executablePath \/nonexistent\/chrome does not exist/);
      expect((err as Error).message).toContain('apt-get install chromium');
    } finally {
      proj.cleanup();
    }
  });

  it('detects the installed Chromium when nothing is configured (the helper the report command uses for PDF)', async () => {
    const browser = await launchBrowser(undefined, {});
    try {
      const page = await browser.newPage();
      await page.goto(site.urlOf('/forms/plain'));
      expect(await page.title()).toBe('Contact us');
    } finally {
      await browser.close();
    }
  });

  it('wsEndpoint: connects to a remote Playwright server and submits through it', async () => {
    const server = await chromium.launchServer({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
    const proj = project({ browser: `wsEndpoint: ${server.wsEndpoint()}`, entries: [{ id: 'ajax', url: site.urlOf('/forms/ajax') }] });
    try {
      const submitter = await createWebformSubmitter(deps(proj.loaded));
      const j = job(proj.loaded, 'ajax');
      const r = await submitter.submit(j, hooks());
      await submitter.close();
      expect(r.status).toBe('submitted');
      expect(site.received.at(-1)?.fields.email).toBe(j.shopper.email);
    } finally {
      await server.close();
      proj.cleanup();
    }
  });

  it('an unreachable wsEndpoint is a DependencyError, not a crash', async () => {
    const err = await launchBrowser({ ...base, wsEndpoint: 'ws://127.0.0.1:9/nothing' }, {}).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DependencyError);
    expect((err as Error).message).toContain('cannot connect to the Playwright server');
  });
});
