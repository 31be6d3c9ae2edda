import Table from 'cli-table3';
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { narrowTable, PLAIN_CHARS } from '../../src/report/terminal.js';

// The terminal scorecards lay out one-column-wide text without cli-table3 (speed); the result
// must be exactly what cli-table3 draws with the same options, colours included.
function cliTable3(head: string[], rows: string[][]): string {
  const t = new Table({ head, chars: PLAIN_CHARS, style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 } });
  for (const r of rows) t.push(r);
  return t.toString();
}

function seeded(seed: number) {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x80000000);
}

describe('terminal scorecard table', () => {
  const words = ['Orthopedics', 'site', 'all', '—', '85 %', '3.5 h', '> 10 days', 'pending', 'Café Zoë', '12 s · 3 min', '', 'x', 'Médecine générale – ouest', '“Main” line…', '99', '0'];
  it('draws what cli-table3 draws for text one column wide, at every colour level', () => {
    const rand = seeded(7);
    for (let level = 0; level <= 3; level++) {
      const c = new Chalk({ level: level as 0 | 1 | 2 | 3 });
      const styles = [(s: string) => s, c.bold, c.dim, c.red, c.bold.red, c.green, c.yellow];
      const pick = () => styles[Math.floor(rand() * styles.length)]!(words[Math.floor(rand() * words.length)]!);
      for (let t = 0; t < 200; t++) {
        const cols = 2 + Math.floor(rand() * 10);
        const head = Array.from({ length: cols }, pick);
        const rows = Array.from({ length: Math.floor(rand() * 8) }, () => Array.from({ length: cols }, pick));
        expect(narrowTable(head, rows)).toBe(cliTable3(head, rows));
      }
    }
  });

  it('leaves wide, combining and emoji text and line breaks to cli-table3', () => {
    for (const odd of ['東京クリニック', 'Cafe\u0301', 'Clinic 🏥', 'two\nlines', '© Clinic'])
      expect(narrowTable(['Site', 'Grade'], [[odd, '80']])).toBeNull();
  });
});
