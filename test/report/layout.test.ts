/**
 * The report's layout as a reader sees it: the HTML in real Chromium at a desktop width
 * (1280 px) and a phone's (390 px), and the PDF as pages (pdftoppm) and text (pdftotext).
 * Nothing may run past the page or out of its card, no word may break inside a table cell,
 * and the PDF's margins stay empty (the fourth summary card once ran past the right one).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_CONFIG, BASE_ENV, BASE_INQUIRY } from '../fixtures/base-config.js';
import { cli } from '../helpers/cli.js';
import { brokenWords, inkInMargin, overflows, pdfPages, pdfWords } from '../helpers/layout.js';
import { DAY, scenario, TINY_PNG } from './fixture.js';

/** The fixture's organization with opening hours (longer cells: "2 h (1 h open)") and a long site name. */
const CONFIG = BASE_CONFIG.replace('    region: North\n', '    region: North\n    hours: "Mon-Fri 08:00-17:00"\n').replace(
  'name: Lakeside Hospital',
  'name: Lakeside Hospital and Regional Orthopedic Surgery Center',
);

let root = '';
let browser: Browser;

beforeAll(async () => {
  // Kept for every test of the file (tempTree removes its trees after each test).
  root = mkdtempSync(join(tmpdir(), 'respond-audit-layout-'));
  mkdirSync(join(root, 'probes'));
  writeFileSync(join(root, 'probes/new-inquiry.yaml'), BASE_INQUIRY);
  mkdirSync(join(root, 'configs'));
  writeFileSync(join(root, 'configs/audit.yaml'), CONFIG);
  mkdirSync(join(root, 'reports/artifacts/tok1x'), { recursive: true });
  writeFileSync(join(root, 'reports/artifacts/tok1x/screenshot.png'), TINY_PNG);
  const t0 = Math.floor(Date.now() / 60_000) * 60_000 - 10 * DAY;
  const { b } = scenario(join(root, 'configs'), { file: 'respond-audit.db', t0, screenshot: 'artifacts/tok1x/screenshot.png' });
  b.store.close();
  for (const format of ['html', 'pdf']) {
    const r = await cli(['report', '--format', format, '--out', `reports/audit.${format}`], { cwd: root, env: BASE_ENV });
    expect(r.code, r.stderr).toBe(0);
  }
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--disable-background-networking', '--no-first-run', '--disable-dev-shm-usage'] });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('the HTML report as a reader sees it', () => {
  for (const [label, width] of [
    ['a desktop', 1280],
    ['a phone', 390],
  ] as const)
    it(`fits ${label} window (${width} px): nothing past the page or out of its card, no word split in a cell`, async () => {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      await page.goto(pathToFileURL(join(root, 'reports/audit.html')).href, { waitUntil: 'load' });
      expect(await overflows(page)).toEqual([]);
      expect(await brokenWords(page)).toEqual([]);
      // The checks see the parts that once overflowed: four summary cards and the phone cells.
      expect(await page.locator('.kpi').count()).toBeGreaterThanOrEqual(4);
      expect(await page.locator('td', { hasText: ' · ' }).count()).toBeGreaterThan(0);
      await page.close();
    });

  it('fits the printed page too (print styles at the width of an A4 page inside its margins)', async () => {
    // A4 is 210 mm; the PDF's margins are 12 mm each side: 186 mm ≈ 703 CSS px.
    const page = await browser.newPage({ viewport: { width: 703, height: 1000 } });
    await page.emulateMedia({ media: 'print' });
    await page.goto(pathToFileURL(join(root, 'reports/audit.html')).href, { waitUntil: 'load' });
    expect(await overflows(page)).toEqual([]);
    expect(await brokenWords(page)).toEqual([]);
    await page.close();
  });
});

describe('the PDF report as pages', () => {
  it('prints at full size: nothing scaled down to fit', async () => {
    // Chromium shrinks a whole page when content is wider than the paper (the old scorecards
    // did): the title is then narrower in the PDF than 0.75 pt per CSS px of the printed layout.
    const page = await browser.newPage({ viewport: { width: 703, height: 1000 } });
    await page.emulateMedia({ media: 'print' });
    await page.goto(pathToFileURL(join(root, 'reports/audit.html')).href, { waitUntil: 'load' });
    const cssPx = await page.evaluate(() => {
      const text = document.querySelector('h1')!.firstChild!;
      const r = document.createRange();
      r.setStart(text, 0);
      r.setEnd(text, 'Lakeside'.length);
      return r.getBoundingClientRect().width;
    });
    await page.close();
    const word = pdfWords(join(root, 'reports/audit.pdf')).find((w) => w.page === 1 && w.text === 'Lakeside')!;
    expect((word.xMax - word.xMin) / (cssPx * 0.75)).toBeCloseTo(1, 1);
  });

  it('keeps every page\'s margins empty and its text whole', () => {
    const { pages, text } = pdfPages(join(root, 'reports/audit.pdf'));
    expect(pages.length).toBeGreaterThan(1);
    expect(text).toHaveLength(pages.length);
    for (const [i, p] of pages.entries()) {
      // A4 at 72 dpi is 595.3 × 841.9 points; margins are 12 mm ≈ 34 pt; leave 4 pt for anti-aliasing.
      expect([Math.abs(p.width - 595.3) < 1.5, Math.abs(p.height - 841.9) < 1.5]).toEqual([true, true]);
      expect(inkInMargin(p, 30), `page ${i + 1}`).toEqual({ left: 0, right: 0 });
    }
    const all = text.join(' ');
    // The summary's labels and the phone cells come out whole, not cut off or broken mid-word.
    expect(all).toContain('overall grade (0–100)');
    expect(all).toContain('0% · > 3 min');
    // Every page but the first carries its number.
    text.forEach((t, i) => expect(t).toContain(`page ${i + 1} of ${pages.length}`));
    expect(all).toContain('Lakeside Hospital and Regional Orthopedic Surgery Center');
    // pdftotext joins a word hyphenated or broken across lines with a space or a hyphen.
    for (const word of ['Orthopedics', 'Cardiology', 'webform', 'answered', 'inquiries']) expect(all).not.toMatch(new RegExp(`${word.slice(0, 4)}[- ]+${word.slice(4)}`));
  });

  it('numbers the contents with the page each section starts on', () => {
    const pdf = join(root, 'reports/audit.pdf');
    const { text } = pdfPages(pdf);
    const toc = text.findIndex((t) => /\bContents\b/.test(t));
    expect(toc).toBeGreaterThan(0);
    const layout = execFileSync('pdftotext', ['-layout', '-f', String(toc + 1), '-l', String(toc + 1), pdf, '-'], { encoding: 'utf8' });
    const entries = [...layout.matchAll(/^\s*\d+\.\s+(.+?)\s{2,}(\d+)\s*$/gm)].map((x) => ({ title: x[1]!, page: Number(x[2]) }));
    expect(entries.map((e) => e.title)).toEqual([
      'Executive summary', 'First things to fix', 'Findings', 'Scorecards', 'Trends', 'Sites', 'North Clinic',
      'Lakeside Hospital and Regional Orthopedic Surgery Center', 'Method', 'Glossary', 'Appendix: what was tested, and the evidence',
    ].filter((t) => t !== 'Trends' || layout.includes('Trends')));
    const pages = entries.map((e) => e.page);
    expect(pages).toEqual([...pages].sort((a, b) => a - b));
    expect(pages.at(-1)).toBeLessThanOrEqual(text.length);
    for (const { title, page } of entries) {
      // The section's heading is on that page; a heading found on one page only (the contents aside) is found there.
      expect(text[page - 1], `${title} on page ${page}`).toContain(title);
      const on = text.flatMap((t, i) => (i !== toc && t.includes(title) ? [i + 1] : []));
      if (on.length === 1) expect(on[0], title).toBe(page);
    }
  });
});
