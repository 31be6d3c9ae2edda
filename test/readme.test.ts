/**
 * The README's commands, run as a newcomer would type them. (`npm install && npm run demo`
 * and `npm test` are run by .ci/run.)
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { startDemoOrganization, type DemoOrganization } from '../src/sandbox/demo-org.js';
import { ROOT, cliProcess } from './helpers/cli.js';
import { tempTree } from './helpers/tmp.js';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The ```sh block that follows a heading. */
function shBlock(heading: string): string[] {
  const at = README.indexOf(`## ${heading}`);
  expect(at, heading).toBeGreaterThanOrEqual(0);
  const m = /```sh\n([\s\S]*?)```/.exec(README.slice(at));
  return m![1]!
    .split('\n')
    .map((l) => l.replace(/#.*$/, '').trim())
    .filter(Boolean);
}

/** `npx respond-audit a b` → ['a', 'b'] (plus env assignments in front). */
function argv(line: string): { env: Record<string, string>; args: string[] } {
  const env: Record<string, string> = {};
  const words = line.split(/\s+/);
  while (/^[A-Z_]+=/.test(words[0]!)) {
    const [k, v] = words.shift()!.split('=');
    env[k!] = v!;
  }
  if (words[0] === 'npx') words.shift();
  expect(words.shift()).toBe('respond-audit');
  return { env, args: words };
}

describe('README', () => {
  it('starts with the two commands CI runs', () => {
    const first = /```sh\n([\s\S]*?)```/.exec(README)![1]!;
    expect(first).toMatch(/^npm install && npm run demo\s/m);
    expect(first).toMatch(/^npm test\s/m);
    const ci = readFileSync(join(ROOT, '.ci/run'), 'utf8');
    expect(ci).toMatch(/^npm test$/m);
    expect(ci).toMatch(/^npm run demo/m);
  });

  it('"Your own audit": init, validate, plan, run --dry-run', async () => {
    const cwd = tempTree();
    for (const line of shBlock('Your own audit')) {
      const { env, args } = argv(line);
      const r = await cliProcess(args, { cwd, env });
      expect(r.code, `${line}\n${r.stderr}`).toBe(0);
    }
    // And the rehearsal from Planning and Troubleshooting.
    const rehearse = await cliProcess(['run', '--dry-run'], { cwd, env: { RESPOND_AUDIT_NOW: '2027-03-01T09:00:00Z' } });
    expect(rehearse.code).toBe(0);
    expect(rehearse.stdout).toContain('Dry run: nothing will be contacted.');
    const plan = await cliProcess(['plan', '--at', '2027-03-01', '--days', '14'], { cwd });
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(/Totals: \d+ probes/);
  });

  describe('against the sandbox organization', () => {
    let org: DemoOrganization;
    let cwd: string;
    beforeAll(async () => {
      org = await startDemoOrganization(systemClock);
      // Shared by the tests below (tempTree would remove it after each test).
      cwd = mkdtempSync(join(tmpdir(), 'respond-audit-readme-'));
      mkdirSync(join(cwd, 'configs'));
      mkdirSync(join(cwd, 'probes'));
      copyFileSync(join(ROOT, 'configs/demo.yaml'), join(cwd, 'configs/audit.yaml'));
      copyFileSync(join(ROOT, 'probes/new-inquiry.yaml'), join(cwd, 'probes/new-inquiry.yaml'));
    }, 60_000);
    afterAll(async () => {
      await org?.close();
      rmSync(cwd, { recursive: true, force: true });
    });

    it('"Before a campaign": run --before-campaign, collect, report --format html', { timeout: 240_000 }, async () => {
      const env = { ...org.env, RESPOND_AUDIT_STORE: join(cwd, 'audit.db') };
      for (const line of shBlock('Before a campaign')) {
        const { args } = argv(line);
        const r = await cliProcess(args, { cwd, env });
        expect(r.code, `${line}\n${r.stderr}`).toBe(0);
      }
      // Replies come from the sandbox's people; the form and mail probes were all answered or awaited.
      const status = await cliProcess(['status', '--json'], { cwd, env });
      const s = JSON.parse(status.stdout) as { runs: unknown[]; openProbes: unknown[] };
      expect(s.runs).toHaveLength(1);
      expect(s.openProbes.length).toBeGreaterThan(0);
      // html goes to reports/<organization>-<date>.html by default.
      expect(readdirSync(join(cwd, 'reports')).filter((f) => f.endsWith('.html'))).toHaveLength(1);
    });

    it('the nightly CI recipe: report as JUnit with a threshold, and as HTML', { timeout: 120_000 }, async () => {
      const env = { ...org.env, RESPOND_AUDIT_STORE: join(cwd, 'audit.db') };
      const recipe = readFileSync(join(ROOT, 'docs/nightly-ci.md'), 'utf8');
      expect(README).toContain('docs/nightly-ci.md');
      const reportLines = [...recipe.matchAll(/- run: (npx respond-audit report [^\n]+)/g)].map((m) => m[1]!);
      expect(reportLines).toHaveLength(2);
      for (const line of reportLines) {
        const r = await cliProcess(argv(line).args, { cwd, env });
        // Exit 1 is the point of --fail-under: the sandbox organization has sites below 70.
        expect([0, 1], `${line}\n${r.stderr}`).toContain(r.code);
      }
      expect(existsSync(join(cwd, 'reports/junit.xml'))).toBe(true);
      expect(existsSync(join(cwd, 'reports/audit.html'))).toBe(true);
    });
  });
});
