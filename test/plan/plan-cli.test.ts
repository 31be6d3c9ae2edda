import { describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';
import { cli } from '../helpers/cli.js';
import { configWith } from './helpers.js';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { rawDb } from '../helpers/raw-store.js';

const ENV = { SID: 'ACx', TOKEN: 'tok' };

describe('plan and run --dry-run', () => {
  it('plan --at shows what run --dry-run at that moment then sends', async () => {
    const { root } = configWith({
      sites: 3,
      linesPerSite: 3,
      top: 'schedule: { every: 7d, at: "Mon-Fri 09:00-17:00" }\nsafety: { maxProbesPerRun: 4, quietHours: { start: "20:00", end: "08:00" } }',
    });
    const at = '2026-11-24T10:00:00'; // a Tuesday, in the config's timezone (America/Chicago)
    const plan = await cli(['plan', '--at', at, '--days', '3', '--json'], { cwd: root, env: ENV });
    expect(plan.code).toBe(0);
    const sim = JSON.parse(plan.stdout) as { probes: Array<{ at: string; entry: string }>; totals: { probes: number }; caps: Array<{ code: string }> };
    // The human view prints each probe at its site's local time, and counts in plain words.
    const human = await cli(['plan', '--at', at, '--days', '3'], { cwd: root, env: ENV });
    expect(human.stdout).toMatch(/^Plan Tue 24 Nov 2026 10:00 CST → Fri 27 Nov 2026 10:00 CST/);
    expect(human.stdout).toMatch(/^ {4}10:00 CST {3}s\d\/l\d\/webform/m);
    expect(human.stdout).not.toMatch(/\d\d:\d\dZ/);
    expect(human.stdout).toMatch(/Totals: \d+ probes \(\d+ forms, 0 emails, 0 calls, 0 texts\)/);
    const firstStep = sim.probes.filter((p) => p.at === sim.probes[0]!.at).map((p) => p.entry);
    expect(firstStep).toHaveLength(4);
    const run = await cli(['run', '--dry-run', '--json'], { cwd: root, env: { ...ENV, RESPOND_AUDIT_NOW: '2026-11-24T16:00:00Z' } });
    expect(run.code).toBe(0);
    const dry = JSON.parse(run.stdout) as { dryRun: boolean; due: Array<{ entry: string }>; skipped: Array<{ code: string }> };
    expect(dry.dryRun).toBe(true);
    expect(dry.due.map((d) => d.entry)).toEqual(firstStep);
    expect(dry.skipped.filter((s) => s.code === 'budget')).toHaveLength(5);
    expect(sim.caps.map((c) => c.code)).toContain('budget');
    // Over three days at 4 per run, all nine entry points get their probe.
    expect(new Set(sim.probes.map((p) => p.entry)).size).toBe(9);
    // A dry run writes nothing: no store was created.
    expect(existsSync(join(root, 'configs', 'respond-audit.db'))).toBe(false);
  });

  it('dry run prints what would be sent where and why the rest is skipped', async () => {
    const { root } = configWith({ sites: 2, linesPerSite: 1, top: 'safety: { doNotContact: ["s1.example.org"], quietHours: { start: "20:00", end: "08:00" } }' });
    const r = await cli(['run', '--dry-run'], { cwd: root, env: { ...ENV, RESPOND_AUDIT_NOW: '2026-11-24T16:00:00Z' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Dry run: nothing will be contacted. Would send 1 probe:');
    expect(r.stdout).toMatch(/s0\/l0\/webform\s+webform https:\/\/s0\.example\.org\/l0\s+\(never probed\)/);
    expect(r.stdout).toMatch(/s1\/l0\/webform\s+do-not-contact\s+on the do-not-contact list \(s1\.example\.org\)/);
    const night = await cli(['run', '--dry-run'], { cwd: root, env: { ...ENV, RESPOND_AUDIT_NOW: '2026-11-25T04:00:00Z' } });
    expect(night.stdout).toMatch(/s0\/l0\/webform\s+quiet-hours\s+quiet hours 20:00-08:00 at the site \(America\/Chicago\); next possible Wed 25 Nov 08:00 CST/);
  });

  it('filters are checked and applied', async () => {
    const { root } = configWith({ sites: 2, linesPerSite: 2 });
    const bad = await cli(['run', '--dry-run', '--site', 'nowhere'], { cwd: root, env: ENV });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--site nowhere: no such site (sites: s0, s1)');
    const badCh = await cli(['run', '--dry-run', '--only', 'fax'], { cwd: root, env: ENV });
    expect(badCh.code).toBe(2);
    const r = await cli(['run', '--dry-run', '--json', '--site', 's1', '--service-line', 'l0'], { cwd: root, env: { ...ENV, RESPOND_AUDIT_NOW: '2026-11-24T16:00:00Z' } });
    expect(JSON.parse(r.stdout).due.map((d: { entry: string }) => d.entry)).toEqual(['s1/l0/webform']);
  });

  it('a second run of the same config at the same time refuses politely', async () => {
    const { root, loaded } = configWith({ sites: 1, linesPerSite: 1 });
    const store = new Store(loaded.storePath);
    store.acquireLock(`run:${loaded.file}`);
    // Held by a live process that is not us.
    rawDb(store).prepare('UPDATE locks SET pid = ?').run(process.ppid);
    const r = await cli(['run', '--only', 'email'], { cwd: root, env: ENV });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/another run of configs\/audit\.yaml is in progress \(pid \d+ on .* since .*\); try again when it has finished/);
    expect(store.listRuns()).toEqual([]);
    store.close();
  });
});
