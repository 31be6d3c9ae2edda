import { XMLValidator } from 'fast-xml-parser';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BASE_CONFIG, BASE_ENV, BASE_INQUIRY } from '../fixtures/base-config.js';
import { cli } from '../helpers/cli.js';
import { tempTree } from '../helpers/tmp.js';
import { DAY, scenario } from './fixture.js';

/** A project whose store holds the scenario, ten days old by the real clock (the CLI runs on it). */
function project(config = BASE_CONFIG) {
  const root = tempTree({ 'configs/audit.yaml': config, 'probes/new-inquiry.yaml': BASE_INQUIRY });
  const t0 = Math.floor(Date.now() / 60_000) * 60_000 - 10 * DAY;
  const { b } = scenario(join(root, 'configs'), { file: 'respond-audit.db', t0 });
  const runId = b.store.listRuns(1)[0]!.id;
  b.store.close();
  return { root, runId };
}

const run = (root: string, ...args: string[]) => cli(['report', ...args], { cwd: root, env: BASE_ENV });

describe('respond-audit report', () => {
  it('prints the terminal scorecard by default (no colour off a TTY) and exits 0 without a threshold', async () => {
    const { root } = project();
    const r = await run(root);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Lakeside Health: response audit');
    expect(r.stdout).toContain('North Clinic orthopedics email: no reply after 10 days (1 of 2 inquiries)');
    expect(r.stdout).toContain("North Clinic orthopedics phone line: kept on hold past the caller's patience of 3 min; the caller gave up");
    expect(r.stdout).not.toContain('\u001b[');
  });

  it('exits 1 when a grade is below --fail-under, or below reports.failUnder of the config', async () => {
    const { root } = project();
    const r = await run(root, '--fail-under', '60');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/3 grades below 60: North Clinic \(40\), North Clinic \/ Orthopedics \/ email \(0\)/);
    expect((await run(root, '--fail-under', '0')).code).toBe(0);
    const configured = project(BASE_CONFIG.replace('sites:\n', 'reports:\n  failUnder: 50\nsites:\n'));
    expect((await run(configured.root, '--format', 'json')).code).toBe(1);
  });

  it('writes JSON to stdout and JUnit / Markdown to --out', async () => {
    const { root } = project();
    const j = await run(root, '--format', 'json');
    expect(j.code).toBe(0);
    expect(JSON.parse(j.stdout)).toMatchObject({ schemaVersion: 1, organization: 'Lakeside Health' });
    const x = await run(root, '--format', 'junit', '--out', 'reports/junit.xml');
    expect(x.code).toBe(0);
    expect(XMLValidator.validate(readFileSync(join(root, 'reports/junit.xml'), 'utf8'))).toBe(true);
    expect(x.stderr).toMatch(/wrote junit report to .*reports\/junit\.xml/);
    const md = await run(root, '--format', 'md', '--since', '30d', '--out', 'out/');
    expect(md.code).toBe(0);
    expect(readdirSync(join(root, 'out'))).toEqual([expect.stringMatching(/^lakeside-health-\d{4}-\d{2}-\d{2}\.md$/)]);
  });

  it('writes HTML to the reports folder by default; --run selects one run', async () => {
    const { root, runId } = project();
    const h = await run(root, '--format', 'html', '--run', String(runId));
    expect(h.code).toBe(0);
    const files = readdirSync(join(root, 'reports')).sort();
    // The report, and beside it the folder of its evidence files (the phone menu's transcript).
    expect(files).toEqual([expect.stringMatching(/^lakeside-health-\d{4}-\d{2}-\d{2}-files$/), expect.stringMatching(/^lakeside-health-\d{4}-\d{2}-\d{2}\.html$/)]);
    expect(readFileSync(join(root, 'reports', files[1]!), 'utf8')).toContain(`run #${runId}`);
  });

  it('refuses bad flags with exit 2', async () => {
    const { root } = project();
    for (const args of [['--run', '999'], ['--run', 'x'], ['--since', 'soon'], ['--fail-under', '101'], ['--run', '1', '--since', '7d'], ['--out', 'a\u0000b']]) {
      const r = await run(root, ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/error: /);
    }
    const empty = tempTree({ 'configs/audit.yaml': BASE_CONFIG, 'probes/new-inquiry.yaml': BASE_INQUIRY });
    const r = await run(empty);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no results yet/);
    expect(existsSync(join(empty, 'configs/respond-audit.db'))).toBe(false);
  });
});
