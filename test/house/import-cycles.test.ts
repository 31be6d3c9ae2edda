/**
 * No import cycles in src/, type-only imports included (they still tie two modules' designs
 * together). An equivalent of `madge --circular` over the sources, without a dependency.
 */
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { files, importsOf, SRC } from './source-files.js';

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
