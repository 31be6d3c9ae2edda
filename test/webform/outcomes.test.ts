/**
 * Outcomes other than a clean submission, each decided from what the real page shows:
 * CAPTCHA and bot walls (never submitted), validation errors (with the messages),
 * unreachable pages, timeouts before and after the click, and evidence for all of them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { startSandboxSite, type SandboxSite } from '../../src/sandbox/site.js';
import type { Submitter } from '../../src/submit/types.js';
import { CAPTCHA_STATE, DESCRIBE_FORM } from '../../src/submit/webform-dom.js';
import { createWebformSubmitter } from '../../src/submit/webform.js';
import { CHROMIUM, deps, hooks, job, project, START } from './helpers.js';

let site: SandboxSite;
let closedPort: number;
let proj: ReturnType<typeof project>;
let submitter: Submitter;
let quick: ReturnType<typeof project>;
let quickSubmitter: Submitter;

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

beforeAll(async () => {
  site = await startSandboxSite({ clock: fixedClock(START) });
  site.mount({ path: '/nothing-here', style: 'plain' });
  closedPort = await freePort();
  const u = (p: string) => site.urlOf(p);
  proj = project({
    browser: `executablePath: ${CHROMIUM}\nconcurrency: 4\ntimeout: 30s`,
    entries: [
      { id: 'recaptcha', url: u('/forms/captcha-recaptcha') },
      { id: 'hcaptcha', url: u('/forms/captcha-hcaptcha') },
      { id: 'turnstile', url: u('/forms/captcha-turnstile') },
      { id: 'challenge', url: u('/forms/challenge') },
      { id: 'validation', url: u('/forms/validation') },
      { id: 'validation-server', url: u('/forms/validation-server') },
      { id: 'refused', url: `http://127.0.0.1:${closedPort}/contact` },
      { id: 'missing', url: u('/no/such/page') },
      { id: 'home', url: u('/') },
    ],
  });
  submitter = await createWebformSubmitter(deps(proj.loaded));
  // The timeout cases get their own shorter channels.browser.timeout (and browser): long
  // enough that a loaded machine still fills and clicks `hang-submit` before it runs out.
  quick = project({
    browser: `executablePath: ${CHROMIUM}\ntimeout: 12s`,
    entries: [
      { id: 'slow', url: u('/forms/slow') },
      { id: 'hang-submit', url: u('/forms/hang-submit') },
    ],
  });
  quickSubmitter = await createWebformSubmitter(deps(quick.loaded));
});

afterAll(async () => {
  await quickSubmitter?.close();
  quick?.cleanup();
  await submitter?.close();
  await site?.close();
  proj?.cleanup();
});

const evidenceOf = (r: { evidence?: Record<string, unknown> }) => ({
  screenshot: existsSync(join(proj.loaded.reportsDir, String(r.evidence?.screenshot))),
  html: existsSync(join(proj.loaded.reportsDir, String(r.evidence?.html))),
});

describe('CAPTCHA and bot walls: detected before submitting, never solved', () => {
  for (const kind of ['recaptcha', 'hcaptcha', 'turnstile'] as const) {
    it(`${kind}: blocked, nothing sent`, async () => {
      const h = hooks();
      const r = await submitter.submit(job(proj.loaded, kind), h);
      expect(r).toMatchObject({ status: 'not-sent', outcome: 'blocked', details: { captcha: kind } });
      expect(site.count(`/forms/captcha-${kind}`)).toBe(0);
      expect(h.progressed).not.toContain('submitting');
      expect(evidenceOf(r)).toEqual({ screenshot: true, html: true });
    });
  }

  it('a box named captcha is a CAPTCHA unless a simple sum stands next to it', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM });
    try {
      const page = await browser.newPage();
      const form = (inner: string) => `<form><input name="name"><input name="email" type="email"><textarea name="message"></textarea>${inner}<button>Send</button></form>`;
      const cases: Array<[string, string | null]> = [
        ['<label for="c">Enter the characters shown</label><input id="c" name="captcha_code">', 'captcha'],
        ['<img src="/captcha.php"><input name="code">', 'captcha'],
        ['<p><span class="q">3 + 13</span> = <input name="et_pb_contact_captcha_0" size="2"></p>', null],
        ['<label for="s">Are you human? What is seven plus two?</label><input id="s" name="mathcaptcha">', null],
        // An empty hidden token input (Weebly renders one on every form) is not a CAPTCHA; the widget's own markers are.
        ['<input type="hidden" name="recaptcha_token" value="">', null],
        ['<input type="hidden" name="g-recaptcha-response" value="">', 'recaptcha'],
      ];
      for (const [inner, want] of cases) {
        await page.setContent(form(inner));
        expect(await page.evaluate(CAPTCHA_STATE), inner).toBe(want);
      }
    } finally {
      await browser.close();
    }
  });

  it('a challenge page (HTTP 503 interstitial) is blocked, not unreachable', async () => {
    const r = await submitter.submit(job(proj.loaded, 'challenge'), hooks());
    expect(r).toMatchObject({ status: 'not-sent', outcome: 'blocked', details: { captcha: 'challenge' } });
  });
});

describe('required fields the page marks only with "*" (script-checked forms: Cognito, Zoho)', () => {
  it('a label ending in "*" makes its box required, a question ending in "*" its radio buttons; checkbox groups stay optional', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM });
    try {
      const page = await browser.newPage();
      await page.setContent(`<form>
<label for="p">Phone<span aria-hidden="true">*</span></label><input id="p" name="p">
<label for="c">Company</label><input id="c" name="c">
<fieldset><legend>Reason for contacting us*</legend><label><input type="radio" name="r" value="a">A</label><label><input type="radio" name="r" value="b">B</label></fieldset>
<fieldset><legend>Topics *</legend><label><input type="checkbox" name="t" value="x">X</label></fieldset>
<button>Send</button></form>`);
      const d = (await page.evaluate(`${DESCRIBE_FORM}(0)`)) as { fields: Array<{ name: string; required: boolean }> };
      const req = Object.fromEntries(d.fields.map((f) => [f.name, f.required]));
      expect(req).toEqual({ p: true, c: false, r: true, t: false });
    } finally {
      await browser.close();
    }
  });
});

describe('validation errors carry the messages the page showed', () => {
  it('inline (browser) validation refusing the plus-address: nothing reaches the site', async () => {
    const r = await submitter.submit(job(proj.loaded, 'validation'), hooks());
    expect(r).toMatchObject({ status: 'not-sent', outcome: 'validation-error', details: { reachedServer: false } });
    expect(r.details?.errors).toContain('Email: "Please enter a valid email address (the + sign is not allowed)."');
    expect(site.count('/forms/validation')).toBe(0);
    expect(evidenceOf(r)).toEqual({ screenshot: true, html: true });
  });

  it('server-side validation re-rendering the form with errors: the site got it and refused it (rejected)', async () => {
    const r = await submitter.submit(job(proj.loaded, 'validation-server'), hooks());
    expect(r).toMatchObject({ status: 'rejected', outcome: 'rejected', details: { reachedServer: true } });
    expect(r.error).toContain('the + sign is not allowed');
    expect(site.received.filter((s) => s.path === '/forms/validation-server').map((s) => s.accepted)).toEqual([false]);
  });
});

describe('unreachable pages and timeouts', () => {
  it('connection refused → unreachable', async () => {
    const r = await submitter.submit(job(proj.loaded, 'refused'), hooks());
    expect(r).toMatchObject({ status: 'not-sent', outcome: 'unreachable' });
    expect(r.error).toContain('ERR_CONNECTION_REFUSED');
  });

  it('HTTP 404 → unreachable', async () => {
    const r = await submitter.submit(job(proj.loaded, 'missing'), hooks());
    expect(r).toMatchObject({ status: 'not-sent', outcome: 'unreachable', error: 'HTTP 404' });
  });

  it('a page that never loads → timeout before the click: not sent', async () => {
    const h = hooks();
    const r = await quickSubmitter.submit(job(quick.loaded, 'slow'), h);
    expect(r).toMatchObject({ status: 'not-sent', outcome: 'timeout' });
    expect(h.progressed).not.toContain('submitting');
  });

  it('a submission whose answer never comes → timeout after the click: unknown (it may have gone through)', async () => {
    const j = job(quick.loaded, 'hang-submit');
    const h = hooks();
    const r = await quickSubmitter.submit(j, h);
    expect(r).toMatchObject({ status: 'unknown', outcome: 'timeout' });
    expect(h.confirmedAt).toEqual([]);
    // …and indeed the site got it.
    expect(site.received.find((s) => s.path === '/forms/hang-submit')?.fields['your-email']).toBe(j.shopper.email);
    expect(existsSync(join(quick.loaded.reportsDir, String(r.evidence?.screenshot)))).toBe(true);
  });

  it('a page without a contact form fails without sending anything', async () => {
    const r = await submitter.submit(job(proj.loaded, 'home'), hooks());
    expect(r).toMatchObject({ status: 'not-sent', outcome: 'failed' });
    expect(r.error).toMatch(/no contact form/);
  });
});

describe('evidence', () => {
  it('keeps the page HTML as it was when the outcome was decided', async () => {
    const j = job(proj.loaded, 'validation');
    const r = await submitter.submit(j, hooks());
    const html = readFileSync(join(proj.loaded.reportsDir, String(r.evidence!.html)), 'utf8');
    expect(html).toContain('the + sign is not allowed');
    expect(String(r.evidence!.html)).toBe(`artifacts/${j.probe.token}/page.html`);
  });
});
