import { describe, expect, it } from 'vitest';
import { ROOT, cli, cliProcess } from '../helpers/cli.js';
import { tempTree } from '../helpers/tmp.js';

describe('respond-audit --help', () => {
  it('lists every command with a one-line description', async () => {
    const r = await cliProcess(['--help'], { cwd: ROOT });
    expect(r.code).toBe(0);
    for (const c of ['init', 'validate', 'run', 'collect', 'status', 'report', 'explain', 'plan', 'doctor', 'demo'])
      expect(r.stdout).toMatch(new RegExp(`^  ${c} .*\\S`, 'm'));
  });

  it('shows examples per command', async () => {
    const r = await cliProcess(['run', '--help'], { cwd: ROOT });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toContain('$ respond-audit run --dry-run');
  });

  it('loads neither Playwright nor twilio', async () => {
    const probe = `
      const { runCli } = await import(${JSON.stringify(ROOT + 'dist/cli/main.js')});
      const sink = { write() { return true; } };
      await runCli(['node', 'x', '--help'], { stdout: sink, stderr: sink, env: {} });
      const { createRequire } = await import('node:module');
      const loaded = Object.keys(createRequire(import.meta.url).cache);
      console.log(JSON.stringify(loaded.filter((p) => /playwright|twilio|imapflow|nodemailer/.test(p))));
    `;
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual([]);
  });

  it('an unknown command or option is a usage error (exit 2)', async () => {
    const root = tempTree();
    const a = await cli(['frobnicate'], { cwd: root });
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/unknown command 'frobnicate'/);
    const b = await cli(['validate', '--nope'], { cwd: root });
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/unknown option '--nope'/);
  });

  it('status before anything was sent (after a dry run) says how to send, not to dry-run again', async () => {
    const root = tempTree();
    await cli(['init'], { cwd: root });
    await cli(['run', '--dry-run'], { cwd: root });
    const r = await cli(['status'], { cwd: root });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/No inquiries sent yet .*a dry run records nothing/);
    // The scaffold starts with safety.dryRun: true, so the way to send says to turn it off.
    expect(r.stdout).toContain('set `safety.dryRun: false`');
    expect(r.stdout).not.toMatch(/Start with/);
    const j = await cli(['status', '--json'], { cwd: root });
    expect(JSON.parse(j.stdout)).toEqual({ runs: [], openProbes: [], unknownProbes: [], rejectedProbes: [], unattributed: [] });
  });
});
