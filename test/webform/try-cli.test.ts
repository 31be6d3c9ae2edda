/**
 * `respond-audit try` through the CLI against builder pages on the harness server, in real
 * Chromium: the mapping it prints (roles, values, honeypots, consent, opt-ins, submit,
 * success signal), the annotated screenshot, CAPTCHA pages, safety refusals, and above all
 * that nothing is submitted: the server's request log holds GETs only and no page recorded
 * a submission, even from a page whose own script posts as soon as it loads.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuilderPage } from '../fixtures/builders/types.js';
import { cli } from '../helpers/cli.js';
import { loadBuilderPages, startBuilderServer, type BuilderServer } from './builders/server.js';
import { project } from './helpers.js';
import drupal from '../fixtures/builders/pages/drupal-webform.js';

/** reCAPTCHA v2 as a site embeds it (div.g-recaptcha data-sitekey, api.js), the script served locally. */
const captchaPage: BuilderPage = {
  slug: 'recaptcha-v2',
  builder: 'a contact form with reCAPTCHA v2 (checkbox widget)',
  sources: ['https://developers.google.com/recaptcha/docs/display (g-recaptcha div, api.js)'],
  handle(req, ctx) {
    if (req.path === '/recaptcha/api.js') return { type: 'text/javascript', body: '/* widget */' };
    if (req.method === 'POST') ctx.record({ verdict: 'accepted', fields: req.fields });
    return { body: `<!doctype html><form method="post" action="${ctx.base}/send"><label for="n">Name</label><input id="n" name="name"><label for="e">Email</label><input id="e" type="email" name="email"><label for="m">Message</label><textarea id="m" name="message"></textarea><div class="g-recaptcha" data-sitekey="6LeIxAcTAAAAAJcZVRqyHh71UMIEGNQ_MXjiZKhI"></div><button>Send</button></form><script src="${ctx.base}/recaptcha/api.js" async defer></script>` };
  },
  expect: { outcome: 'blocked' },
};

/** A page whose script posts (an analytics beacon, a draft autosave) as soon as it loads. */
const beaconPage: BuilderPage = {
  slug: 'beacon',
  builder: 'a plain form whose page script posts on load',
  sources: [],
  handle(req, ctx) {
    if (req.method === 'POST') {
      ctx.record({ verdict: 'accepted', fields: req.fields });
      return { json: { ok: true } };
    }
    return { body: `<!doctype html><form method="post" action="${ctx.base}/send"><label for="n">Your name</label><input id="n" name="your-name" required><label for="e">Email</label><input id="e" type="email" name="your-email" required><label for="m">Message</label><textarea id="m" name="msg"></textarea><button type="submit">Send</button></form><script>fetch(${JSON.stringify(ctx.base)} + '/collect', { method: 'POST', body: 'event=pageview' }); navigator.sendBeacon(${JSON.stringify(ctx.base)} + '/beacon', 'x');</script>` };
  },
  expect: { outcome: 'submitted' },
};

let server: BuilderServer;
let proj: ReturnType<typeof project>;

beforeAll(async () => {
  const pages = [...(await loadBuilderPages(['webflow-de', 'squarespace', 'bootstrap-floating', 'wpforms-modern', 'react-select'])), drupal, captchaPage, beaconPage];
  server = await startBuilderServer(pages);
  proj = project({ entries: pages.map((p) => ({ id: p.slug, url: server.urlOf(p.slug) })), browser: 'executablePath: /usr/bin/chromium\nconcurrency: 1\ntimeout: 30s' });
});
afterAll(async () => {
  await server?.close();
  proj?.cleanup();
});

interface TryJson {
  ok: boolean;
  submitted: boolean;
  captcha: string | null;
  fields: Array<{ label: string; name: string; control?: string; role: string; action: string; value?: string; note?: string }>;
  submit?: string;
  success: string[];
  screenshot?: string;
  blockedRequests: string[];
}
const tryJson = async (target: string, config = proj.configPath) => {
  const r = await cli(['try', target, '--config', config, '--json'], { cwd: proj.root });
  return { ...r, out: JSON.parse(r.stdout || '{}') as TryJson };
};
const field = (j: TryJson, label: RegExp) => j.fields.find((f) => label.test(f.label));

describe('respond-audit try', { timeout: 120_000 }, () => {
  it('maps a Webflow form: roles and values, the opt-in left, the submit it would press, the hidden confirmation', async () => {
    const { code, out, stderr } = await tryJson('webflow-de');
    expect(stderr).not.toMatch(/internal error/);
    expect(code).toBe(0);
    expect(out.ok && !out.submitted).toBe(true);
    expect(field(out, /Vor- und Nachname/)).toMatchObject({ role: 'full-name', action: 'type', value: 'Jordan Avery' });
    expect(field(out, /E-Mail-Adresse/)?.value).toMatch(/^jordan\+[a-z0-9]{10}@example\.net$/);
    expect(field(out, /Telefonnummer/)).toMatchObject({ role: 'phone', action: 'type', value: '(312) 555-0101' });
    expect(field(out, /Newsletter/)).toMatchObject({ role: 'opt-in', action: 'leave' });
    expect(out.submit).toMatch(/Absenden/);
    expect(out.success[0]).toMatch(/Vielen Dank! Ihre Nachricht ist bei uns eingegangen/);
    expect(out.screenshot && existsSync(out.screenshot)).toBe(true);
    expect(out.screenshot).toMatch(/reports\/try\/webflow-de-.*\.png$/);
    expect(readFileSync(out.screenshot!).subarray(1, 4).toString()).toBe('PNG');
  });

  it('prints the mapping as text: consent ticked, offers left, phone in the pattern the page asks for', async () => {
    const r = await cli(['try', 'bootstrap-floating', '--config', proj.configPath], { cwd: proj.root });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Full name \*\s+full-name\s+types "Jordan Avery"/);
    expect(r.stdout).toMatch(/Phone \*\s+phone\s+types "312-555-0101"/);
    expect(r.stdout).toMatch(/I have read and agree to the privacy policy \*\s+consent\s+ticks/);
    expect(r.stdout).toMatch(/Email me health tips and special offers\s+opt-in\s+leaves\s+\(optional: left unticked\)/);
    expect(r.stdout).toMatch(/submit: would press "Send message" \(button type=submit\)/);
    expect(r.stdout).toMatch(/refused: will report\n  - validation-error \(not sent\): .*\n  - rejected: the form's request reaches the site/);
    expect(r.stdout).toMatch(/screenshot: .*reports\/try\/bootstrap-floating-.*\.png/);
    expect(r.stdout).toMatch(/nothing was submitted/);
  });

  it('shows the honeypot it leaves alone (Drupal Honeypot) and a split phone by a URL outside the config', async () => {
    const d = await tryJson('drupal-webform');
    expect(field(d.out, /Leave this field blank/)).toMatchObject({ name: 'url', action: 'skip' });
    expect(field(d.out, /Your Name/)).toMatchObject({ role: 'full-name', value: 'Jordan Avery' });
    expect(d.out.submit).toMatch(/Send message/);
    const s = await tryJson(server.urlOf('squarespace') + '?from=try');
    expect(s.code).toBe(0);
    expect(s.out.fields.filter((f) => f.role.startsWith('phone-')).map((f) => [f.role, f.value])).toEqual([
      ['phone-country', '1'], ['phone-area', '312'], ['phone-exchange', '555'], ['phone-line', '0101'],
    ]);
    expect(field(s.out, /First Name/)).toMatchObject({ role: 'first-name', value: 'Jordan' });
  });

  it('says when a page has a CAPTCHA (exit 1), and blocks what the page\'s own scripts try to post', async () => {
    const c = await tryJson('recaptcha-v2');
    expect(c.code).toBe(1);
    expect(c.out.captcha).toBe('recaptcha');
    const text = await cli(['try', 'recaptcha-v2', '--config', proj.configPath], { cwd: proj.root });
    expect(text.stdout).toMatch(/CAPTCHA: the page shows recaptcha; a run reports this entry point `blocked` and never submits it/);
    const b = await tryJson('beacon');
    expect(b.code).toBe(0);
    expect(b.out.blockedRequests.join(' ')).toMatch(/POST .*\/beacon\/collect/);
  });

  it('refuses loopback pages without allowLocal and pages on the do-not-contact list, opening nothing', async () => {
    const base = readFileSync(proj.configPath, 'utf8');
    const strict = proj.configPath.replace(/audit\.yaml$/, 'strict.yaml');
    writeFileSync(strict, base.replace('allowLocal: true', 'allowLocal: false'));
    const dnc = proj.configPath.replace(/audit\.yaml$/, 'dnc.yaml');
    writeFileSync(dnc, base.replace('allowLocal: true', `allowLocal: true\n  doNotContact: ["${server.urlOf('webflow-de')}"]`));
    const before = server.requests.length;
    const a = await cli(['try', 'bootstrap-floating', '--config', strict], { cwd: proj.root });
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/loopback or private address/);
    const n = await cli(['try', 'webflow-de', '--config', dnc], { cwd: proj.root });
    expect(n.code).toBe(2);
    expect(n.stderr).toMatch(/do-not-contact list/);
    expect(server.requests.length).toBe(before);
    const bad = await cli(['try', 'nope', '--config', proj.configPath], { cwd: proj.root });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no entry point "nope".*webflow-de/);
  });

  it('shows custom dropdowns and checkbox groups in the mapping: what it would choose, or that it reads the options once opened', async () => {
    const { code, out } = await tryJson('wpforms-modern');
    expect(code).toBe(0);
    expect(field(out, /^Which service/)).toMatchObject({ role: 'service', action: 'select', value: 'Orthopedics', note: expect.stringMatching(/custom dropdown/) });
    expect(field(out, /^How did you hear/)).toMatchObject({ role: 'required-choice', action: 'select', value: 'Other', note: expect.stringMatching(/custom dropdown.*neutral choice/) });
    expect(field(out, /^What can we help/)).toMatchObject({ control: 'checkbox group', role: 'topic', action: 'tick', value: 'Book an appointment' });
    expect(field(out, /^Stay in touch/)).toBeUndefined();
    expect(field(out, /^Email me health tips/)).toMatchObject({ role: 'opt-in', action: 'leave' });
    expect(out.fields.filter((f) => f.action === 'tick').map((f) => f.value ?? f.label)).toEqual(['Book an appointment', expect.stringMatching(/^I consent/)]);
    // The widget's own search box is not a field of the form.
    expect(out.fields.filter((f) => f.role === 'unknown')).toEqual([]);
    const rs = await tryJson('react-select');
    expect(field(rs.out, /^Topic/)).toMatchObject({ control: 'combobox', action: 'choose', note: expect.stringMatching(/options are read once it is opened/) });
    expect(rs.out.fields.some((f) => f.action === 'type' && f.label.startsWith('Topic'))).toBe(false);
    const text = await cli(['try', 'wpforms-modern', '--config', proj.configPath], { cwd: proj.root });
    expect(text.stdout).toMatch(/Which service do you need\? \*\s+service\s+selects "Orthopedics"\s+\(custom dropdown/);
  });

  afterAll(() => {
    // The proof: every request any try made was a GET, and no page recorded a submission.
    expect(server.requests.length).toBeGreaterThan(0);
    expect(server.requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD')).toEqual([]);
    expect(server.records).toEqual([]);
  });
});
