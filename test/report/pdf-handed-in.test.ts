/**
 * `report --format pdf` (model, HTML rendering, where the file goes) with a fake of the
 * browser it does not test here: the fake records the page it is asked to print and writes
 * the bytes Chromium would. test/report's PDF test keeps the real browser.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Adapters } from '../../src/adapters.js';
import { Store } from '../../src/store/store.js';
import { cli } from '../helpers/cli.js';
import { configWith } from '../plan/helpers.js';

function printingBrowser() {
  const seen = { html: '', routesBlocked: false, offline: false, closed: false, launches: 0 };
  const launchBrowser: Adapters['launchBrowser'] = async () => {
    seen.launches++;
    const page = {
      setContent: async (html: string) => void (seen.html = html),
      // As Playwright does without a path: the bytes (the report writes them, making the folder).
      pdf: async () => Buffer.from('%PDF-1.7 fake'),
    };
    const context = {
      route: async (pattern: string) => void (seen.routesBlocked = pattern === '**/*'),
      newPage: async () => page,
      close: async () => undefined,
    };
    const browser = {
      newContext: async (o: { offline?: boolean }) => ((seen.offline = o.offline === true), context),
      close: async () => void (seen.closed = true),
    };
    return browser as unknown as Browser;
  };
  return { launchBrowser, seen };
}

describe('report --format pdf with the browser handed in', () => {
  it('prints the rendered HTML report offline to the file asked for, and closes the browser', async () => {
    const { root, loaded } = configWith({ sites: 1, linesPerSite: 1 });
    new Store(loaded.storePath).close();
    const fake = printingBrowser();
    const out = join(root, 'reports', 'audit.pdf');
    const r = await cli(['report', '--format', 'pdf', '--out', out], { cwd: root, env: { SID: 'ACx', TOKEN: 'tok' }, adapters: { launchBrowser: fake.launchBrowser } });
    expect(r.stderr).not.toMatch(/error|could not/i);
    expect(r.code).toBe(0);
    expect(fake.seen.launches).toBe(1);
    expect(fake.seen.html).toMatch(/^<!doctype html>/i);
    expect(fake.seen.html).toContain('Test Org');
    expect(fake.seen).toMatchObject({ offline: true, routesBlocked: true, closed: true });
    expect(existsSync(out) && readFileSync(out, 'utf8')).toBe('%PDF-1.7 fake');
  });
});
