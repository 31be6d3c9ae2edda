/**
 * The HTML report in real Chromium: no console errors, no network request, no CSP violation,
 * hostile reply text (script tags, event handlers, javascript: links, SVG payloads) shown as
 * text and inert; and the PDF printed from it.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { BASE_CONFIG, BASE_ENV, BASE_INQUIRY } from '../fixtures/base-config.js';
import { cli } from '../helpers/cli.js';
import { tempTree } from '../helpers/tmp.js';
import { DAY, scenario, TINY_PNG } from './fixture.js';

function hostileProject() {
  const root = tempTree({ 'configs/audit.yaml': BASE_CONFIG, 'probes/new-inquiry.yaml': BASE_INQUIRY });
  mkdirSync(join(root, 'reports/artifacts/tok1x'), { recursive: true });
  writeFileSync(join(root, 'reports/artifacts/tok1x/screenshot.png'), TINY_PNG);
  const t0 = Math.floor(Date.now() / 60_000) * 60_000 - 10 * DAY;
  const { b } = scenario(join(root, 'configs'), { file: 'respond-audit.db', t0, hostile: true, screenshot: 'artifacts/tok1x/screenshot.png' });
  b.store.close();
  return root;
}

describe('the HTML report in Chromium', () => {
  it('loads nothing, runs nothing, violates no policy, and shows hostile text as text', async () => {
    const root = hostileProject();
    for (const redact of [true, false]) {
      const out = join(root, `reports/audit-${redact}.html`);
      const r = await cli(['report', '--format', 'html', '--out', out, ...(redact ? [] : ['--no-redact'])], { cwd: root, env: BASE_ENV });
      expect(r.code, r.stderr).toBe(0);
      const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--disable-background-networking', '--no-first-run', '--disable-dev-shm-usage'] });
      try {
        const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
        const problems: string[] = [];
        const requests: string[] = [];
        page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
        page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
        page.on('request', (req) => requests.push(req.url()));
        await page.addInitScript(() => {
          const w = window as unknown as { __csp: string[] };
          w.__csp = [];
          document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
        });
        await page.goto(pathToFileURL(out).href, { waitUntil: 'load' });
        await page.hover('text=North').catch(() => undefined); // would fire an injected onmouseover
        await page.waitForTimeout(300);
        const state = await page.evaluate(() => ({
          pwned: (window as unknown as { __pwned?: number }).__pwned ?? null,
          csp: (window as unknown as { __csp: string[] }).__csp,
          active: document.querySelectorAll('script, iframe, object, embed, foreignObject, [onerror], [onload], [onmouseover], a[href^="javascript"], form').length,
          text: document.body.innerText,
          images: [...document.images].map((i) => ({ ok: i.complete && i.naturalWidth > 0, src: i.src.slice(0, 22) })),
        }));
        expect(problems).toEqual([]);
        expect(state.csp).toEqual([]);
        expect(state.pwned).toBeNull();
        expect(state.active).toBe(0);
        expect(requests.every((u) => u.startsWith('file://')), requests.join('\n')).toBe(true);
        expect(requests.filter((u) => u.startsWith('file://'))).toHaveLength(1);
        expect(state.text).toContain('<script>window.__pwned=1</script>');
        expect(state.text).toContain('<svg onload="window.__pwned=4">');
        expect(state.text).toContain('<b onmouseover=alert(1)>North</b>');
        // Two screenshots: the submitted form's and the CAPTCHA-blocked form's (not submitted).
        expect(state.images).toEqual([{ ok: true, src: 'data:image/png;base64,' }, { ok: true, src: 'data:image/png;base64,' }]);
        if (redact) {
          expect(state.text).not.toMatch(/Maria Lopez|555-0199|maria\.lopez@/);
          await page.screenshot({ path: join(tmpdir(), 'respond-audit-report.png'), fullPage: false });
        } else expect(state.text).toContain('maria.lopez@north.example.org');
      } finally {
        await browser.close();
      }
    }
  });

  it('prints the PDF with Chromium', async () => {
    const root = hostileProject();
    const r = await cli(['report', '--format', 'pdf'], { cwd: root, env: BASE_ENV });
    expect(r.code, r.stderr).toBe(0);
    const files = readdirSync(join(root, 'reports')).filter((f) => f.endsWith('.pdf'));
    expect(files).toEqual([expect.stringMatching(/^lakeside-health-\d{4}-\d{2}-\d{2}\.pdf$/)]);
    const pdf = readFileSync(join(root, 'reports', files[0]!));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(10_000);
    writeFileSync(join(tmpdir(), 'respond-audit-report.pdf'), pdf);
  });
});
