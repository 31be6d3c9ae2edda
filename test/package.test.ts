/**
 * The package as npm would publish it: `npm pack`, unpacked in a temp dir outside the clone,
 * then init → validate → demo through its own bin, as a user who installed it would run them.
 * Installing from the registry would contact the network, so the unpacked package gets this
 * clone's node_modules (the same dependency set) and a static check makes sure everything
 * dist/ imports at run time is a declared runtime dependency, not a dev one.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, cliProcess } from './helpers/cli.js';

let dir = '';
let pkgDir = '';
let files: string[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'respond-audit-pack-'));
  const out = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' });
  const [info] = JSON.parse(out) as Array<{ filename: string; files: Array<{ path: string }> }>;
  files = info!.files.map((f) => f.path);
  execFileSync('tar', ['xzf', join(dir, info!.filename), '-C', dir]);
  pkgDir = join(dir, 'package');
  symlinkSync(join(ROOT, 'node_modules'), join(pkgDir, 'node_modules'));
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function walk(d: string): string[] {
  return readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : [join(d, f)]));
}

describe('the packed package', () => {
  it('holds the bin, the built code, the demo config and the inquiry, and nothing of the tests', () => {
    for (const f of ['bin/respond-audit.js', 'dist/cli/main.js', 'dist/commands/demo.js', 'configs/demo.yaml', 'probes/new-inquiry.yaml', 'README.md', 'package.json'])
      expect(files).toContain(f);
    expect(files.filter((f) => /^(test|src|bench|\.ci)\//.test(f))).toEqual([]);
  });

  it('imports at run time only Node built-ins and declared runtime dependencies', () => {
    const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; peerDependencies?: Record<string, string> };
    const allowed = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.peerDependencies ?? {})]);
    const builtins = new Set(builtinModules);
    const bad: string[] = [];
    for (const f of walk(join(pkgDir, 'dist')).filter((x) => x.endsWith('.js'))) {
      const text = readFileSync(f, 'utf8');
      const re = /(?:^|\n)\s*(?:import|export)\s[^;'"]*?from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)|\brequire\(\s*['"]([^'"]+)['"]\s*\)/g;
      for (const m of text.matchAll(re)) {
        const raw = m[1] ?? m[2] ?? m[3] ?? m[4]!;
        if (raw.startsWith('.')) continue;
        const spec = raw.replace(/^node:/, '');
        const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
        if (!builtins.has(spec) && !builtins.has(name) && !allowed.has(name)) bad.push(`${f.slice(pkgDir.length + 1)}: ${raw}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('init → validate → demo from the unpacked package, in a project outside the clone', { timeout: 300_000 }, async () => {
    const project = join(dir, 'project');
    mkdirSync(project);
    const bin = join(pkgDir, 'bin/respond-audit.js');
    const run = (args: string[]) => cliProcess(args, { cwd: project, timeoutMs: 280_000, bin });
    const init = await run(['init']);
    expect(init.code, init.stderr).toBe(0);
    const validate = await run(['validate']);
    expect([validate.code, validate.stdout.trim()]).toEqual([0, 'ok: 1 site, 1 service line, 2 entry points, 3 channels configured']);
    const demo = await run(['demo', '--out', join(project, 'reports/demo.html')]);
    expect(demo.code, demo.stderr).toBe(0);
    expect(demo.stdout + demo.stderr).toMatch(/This was a simulation/);
    expect(existsSync(join(project, 'reports/demo.html'))).toBe(true);
  });
});
