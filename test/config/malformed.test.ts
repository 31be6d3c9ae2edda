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
