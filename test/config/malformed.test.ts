import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BASE_CONFIG, BASE_ENV, BASE_INQUIRY } from '../fixtures/base-config.js';
import { cli } from '../helpers/cli.js';
import { tempTree } from '../helpers/tmp.js';
import { CASES, SITES_TO_END, type Case } from './malformed-cases.js';

function apply(c: Case): string {
  if (c.from === SITES_TO_END) return BASE_CONFIG.slice(0, BASE_CONFIG.indexOf('sites:')) + c.to;
  if (!c.from) return BASE_CONFIG;
  if (!BASE_CONFIG.includes(c.from)) throw new Error(`case "${c.name}" does not apply: ${c.from}`);
  return BASE_CONFIG.replace(c.from, c.to);
}

describe('the base config', () => {
  it('is valid', async () => {
    const root = tempTree({ 'configs/audit.yaml': BASE_CONFIG, 'probes/new-inquiry.yaml': BASE_INQUIRY });
    const r = await cli(['validate'], { cwd: root, env: BASE_ENV });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('ok: 2 sites, 3 service lines, 5 entry points, 4 channels configured');
    expect(r.code).toBe(0);
  });
});

describe('malformed configs', () => {
  expect(CASES.length).toBeGreaterThanOrEqual(40);
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const root = tempTree({ 'configs/audit.yaml': apply(c), 'probes/new-inquiry.yaml': BASE_INQUIRY });
    const env: Record<string, string | undefined> = { ...BASE_ENV, ...(c.env ?? {}) };
    const r = await cli(['validate'], { cwd: root, env });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toContain(c.expect);
    expect(lines.at(-1)).toMatch(/^\d+ problems? in configs\/audit\.yaml$/);
    // Secrets never appear in messages, even when the problem is next to them.
    for (const v of Object.values(BASE_ENV)) expect(r.stderr).not.toContain(v);
    // Nothing was written: no store, no reports.
    expect(() => readFileSync(join(root, 'configs', 'respond-audit.db'))).toThrow();
  });

  it('reports every problem at once', async () => {
    const text = BASE_CONFIG.replace('concurrency: 2', 'concurrency: 0').replace('timezone: America/New_York', 'timezone: Nowhere').replace('organization:', 'organisation:');
    const root = tempTree({ 'configs/audit.yaml': text, 'probes/new-inquiry.yaml': BASE_INQUIRY });
    const r = await cli(['validate', '--json'], { cwd: root, env: BASE_ENV });
    expect(r.code).toBe(2);
    const out = JSON.parse(r.stdout) as { ok: boolean; issues: Array<{ path: string; line: number }> };
    expect(out.ok).toBe(false);
    expect(out.issues.map((i) => i.path)).toEqual(['organization', 'organisation', 'channels.browser.concurrency']);
  });

  it('never prints the value of a secret written inline', async () => {
    const text = BASE_CONFIG.replace('pass: ${TEST_SMTP_PASS}', 'pass: "sup3r-s3cret-inline"');
    const root = tempTree({ 'configs/audit.yaml': text, 'probes/new-inquiry.yaml': BASE_INQUIRY });
    const r = await cli(['validate'], { cwd: root, env: BASE_ENV });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('channels.smtp.pass: secrets may not be written in the file');
    expect(r.stderr).not.toContain('sup3r-s3cret-inline');
  });

  it('checks inquiry templates with positions', async () => {
    const root = tempTree({
      'configs/audit.yaml': BASE_CONFIG,
      'probes/new-inquiry.yaml': 'subject: "Hi {site.nmae}"\nvariants: []\n',
    });
    const r = await cli(['validate'], { cwd: root, env: BASE_ENV });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('probes/new-inquiry.yaml:2:11 variants: must have at least 1 item');
  });
});

describe('warnings', () => {
  const noImap = BASE_CONFIG.replace(/ {2}imap:\n(?: {4}.*\n)+/, '');
  it('a config without channels.imap says what follows, and how to silence it', async () => {
    expect(noImap).not.toContain('imap:');
    const root = tempTree({ 'configs/audit.yaml': noImap, 'probes/new-inquiry.yaml': BASE_INQUIRY });
    const r = await cli(['validate'], { cwd: root, env: BASE_ENV });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/channels: no channels\.imap: replies to the web forms and emails will not be collected/);
    expect(r.stderr).toContain('`silence: [no-imap]`');
  });

  it('silence: [no-imap] turns that warning off; an unknown code is an error with its line', async () => {
    const silenced = noImap.replace('timezone: America/Chicago\n', 'timezone: America/Chicago\nsilence: [no-imap]\n');
    const root = tempTree({ 'configs/audit.yaml': silenced, 'probes/new-inquiry.yaml': BASE_INQUIRY });
    const r = await cli(['validate'], { cwd: root, env: BASE_ENV });
    expect([r.code, r.stderr]).toEqual([0, '']);
    const bad = tempTree({ 'configs/audit.yaml': silenced.replace('[no-imap]', '[no-imapp]'), 'probes/new-inquiry.yaml': BASE_INQUIRY });
    const b = await cli(['validate'], { cwd: bad, env: BASE_ENV });
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/^configs\/audit\.yaml:4:\d+ silence\[0\]: /m);
  });
});

describe('every problem at once', () => {
  it('an unknown key and a bad duration do not hide a bad URL or a bad phone number', async () => {
    const text = BASE_CONFIG.replace('    concurrency: 2', '    concurency: 2')
      .replace('firstResponse: 2h', 'firstResponse: two hours')
      .replace('"+13125550101", ', '"312-555-0101", ')
      .replace('url: https://north.example.org/contact', 'url: ftp://north.example.org/contact');
    const root = tempTree({ 'configs/audit.yaml': text, 'probes/new-inquiry.yaml': BASE_INQUIRY });
    const r = await cli(['validate'], { cwd: root, env: BASE_ENV });
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toEqual([
      'configs/audit.yaml:7:12 shopper.phones[0]: must be a valid phone number in E.164 form, e.g. +13125550100 (got "312-555-0101")',
      'configs/audit.yaml:9:18 sla.firstResponse: must be a duration such as 15m, 2h or 1d, or a time in opening hours such as "2 business hours" or "90 business minutes"',
      'configs/audit.yaml:19:5 channels.browser.concurency: unknown key (did you mean "concurrency"?)',
      'configs/audit.yaml:45:18 sites[0].serviceLines[0].entryPoints[0].url: must be an http(s) URL (ftp: is not allowed)',
      '4 problems in configs/audit.yaml',
    ]);
  });
});
