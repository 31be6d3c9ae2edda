/**
 * No import cycles in src/, type-only imports included (they still tie two modules' designs
 * together). An equivalent of `madge --circular` over the sources, without a dependency.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

const SRC = join(ROOT, 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Relative imports of a module (import/export ... from, dynamic import()), as absolute .ts paths. */
export function importsOf(file: string, text = readFileSync(file, 'utf8')): string[] {
  const out = new Set<string>();
  const re = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)|^import\s+['"](\.[^'"]+)['"]/gm;
  for (const m of text.matchAll(re)) {
    const spec = m[1] ?? m[2] ?? m[3]!;
    out.add(resolve(dirname(file), spec).replace(/\.js$/, '.ts'));
  }
  return [...out];
}

/** Every elementary cycle found by a depth-first search (each reported once, from its smallest member). */
export function cycles(graph: Map<string, string[]>): string[][] {
  const found = new Map<string, string[]>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string) => {
    state.set(n, 'open');
    stack.push(n);
    for (const d of graph.get(n) ?? []) {
      if (!graph.has(d)) continue;
      if (state.get(d) === 'open') {
        const cyc = stack.slice(stack.indexOf(d));
        const start = cyc.indexOf([...cyc].sort()[0]!);
        const norm = [...cyc.slice(start), ...cyc.slice(0, start)];
        found.set(norm.join(' -> '), norm);
      } else if (!state.has(d)) visit(d);
    }
    stack.pop();
    state.set(n, 'done');
  };
  for (const n of [...graph.keys()].sort()) if (!state.has(n)) visit(n);
  return [...found.values()];
}

describe('the module graph of src/', () => {
  it('finds a cycle when there is one (the checker itself)', () => {
    const g = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(cycles(g)).toEqual([['a', 'b', 'c']]);
    expect(importsOf('/x/src/a.ts', "import type { T } from './b.js';\nexport { y } from '../c/d.js';\nconst m = await import('./e.js');")).toEqual(['/x/src/b.ts', '/x/c/d.ts', '/x/src/e.ts']);
  });

  it('has no import cycles, type-only imports included', () => {
    const graph = new Map(files(SRC).map((f) => [f, importsOf(f)]));
    const found = cycles(graph).map((c) => [...c, c[0]!].map((f) => relative(ROOT, f)).join(' -> '));
    expect(found).toEqual([]);
  });
});
