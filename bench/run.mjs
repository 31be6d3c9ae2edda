// Runs every bench/*.bench.mjs in turn (or those named on the command line), prints a table
// and writes bench/results/latest.json. Each bench compares against a bare baseline measured
// in the same run, so figures are ratios, not absolute times on some machine.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => !only.length || only.some((o) => f.startsWith(o)))
  .sort();
const results = [];
for (const f of files) {
  const mod = await import(new URL(f, import.meta.url));
  process.stderr.write(`bench ${f} ...\n`);
  const rows = await mod.run();
  for (const r of rows) results.push({ bench: f.replace('.bench.mjs', ''), ...r });
}
mkdirSync(new URL('results/', import.meta.url), { recursive: true });
writeFileSync(new URL('results/latest.json', import.meta.url), JSON.stringify({ at: new Date().toISOString(), results }, null, 2));
const fmt = (v) => (typeof v === 'number' ? (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(3)) : String(v ?? ''));
console.log('| bench | metric | value | baseline | ratio | goal |\n|---|---|---|---|---|---|');
for (const r of results)
  console.log(`| ${r.bench} | ${r.metric} | ${fmt(r.value)} ${r.unit ?? ''} | ${r.baseline === undefined ? '' : fmt(r.baseline) + ' ' + (r.unit ?? '')} | ${r.ratio === undefined ? '' : r.ratio.toFixed(2) + '×'} | ${r.goal ?? ''} |`);
