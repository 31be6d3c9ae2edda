// Measures the shipped classifier on the labelled corpus: in-sample (the shipped weights) and
// leave-one-system-out (refitted without each system), with no context (as `explain` without
// a config) and with the corpus's context (campaign, shopper). `npm run eval:classify`.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadCorpus } from '../dist/classify/corpus.js';
import { CORPUS_CONTEXT, leaveOneSystemOut, predict, prepare, score } from '../dist/classify/training.js';

const fixtures = fileURLToPath(new URL('../test/fixtures/', import.meta.url));
const weights = JSON.parse(readFileSync(new URL('../src/classify/weights.json', import.meta.url), 'utf8'));
const cases = loadCorpus(fixtures);
const data = await prepare(cases);
const pct = (x) => `${(100 * x).toFixed(1)}%`;
const verbose = process.argv.includes('--wrong');

function show(title, preds) {
  const s = score(preds);
  console.log(`\n${title} (${s.messages} messages)`);
  console.log(`  kind ${pct(s.kind)} | auto-vs-human ${pct(s.autoVsHuman)} | bounce ${pct(s.bounce)}`);
  const kinds = ['auto-ack', 'human', 'bounce'];
  for (const k of kinds) {
    const row = s.confusion[k];
    const n = kinds.reduce((a, j) => a + row[j], 0);
    console.log(`  ${k.padEnd(9)} -> ${kinds.map((j) => `${j} ${String(row[j]).padStart(3)}`).join('  ')}   (${pct(n ? row[k] / n : 1)} right of ${n})`);
  }
  const pr = (x) => `precision ${x.precision.toFixed(2)} recall ${x.recall.toFixed(2)} F1 ${x.f1.toFixed(2)}`;
  console.log(`  pass-along: ${pr(s.passAlong)}`);
  console.log(`  campaign-aware: ${pr(s.campaignAware)} (accuracy ${pct(s.campaignAware.accuracy)})`);
  console.log(`  needs review: ${pct(s.needsReview)} of verdicts; the others right on kind and pass-along ${pct(s.accuracyWhenSure)}`);
  if (verbose)
    for (const p of preds)
      if (p.v.kind !== p.c.label.kind || p.v.passAlong !== p.c.label.passAlong)
        console.log(`    ${p.c.file}: ${p.v.kind}${p.v.passAlong ? ' pass' : ''} (want ${p.c.label.kind}${p.c.label.passAlong ? ' pass' : ''}) conf ${p.v.confidence}`);
  return s;
}

console.log(`corpus: ${cases.length} messages, ${new Set(cases.map((c) => c.system)).size} systems; weights trained on ${weights.trainedOn.messages} (lambda ${JSON.stringify(weights.trainedOn.lambda)})`);
show('in-sample, no context', predict(data, weights, {}));
// Systems added to the corpus after the shipped weights were fitted: the one figure measured on
// mail the weights have truly never seen (neither fitted on nor used to choose lambda).
const trained = new Set(weights.trainedOn.systemNames ?? []);
const unseen = data.filter((d) => trained.size && !trained.has(d.c.system));
if (unseen.length) show(`shipped weights on ${new Set(unseen.map((d) => d.c.system)).size} systems added since they were fitted, no context`, predict(unseen, weights, {}));
const loso = show('leave-one-system-out, no context', leaveOneSystemOut(data, weights.trainedOn.lambda, {}));
show('in-sample, with the corpus context', predict(data, weights, CORPUS_CONTEXT));
show('leave-one-system-out, with the corpus context', leaveOneSystemOut(data, weights.trainedOn.lambda, CORPUS_CONTEXT));
const bySystem = {};
for (const p of leaveOneSystemOut(data, weights.trainedOn.lambda, {})) {
  const b = (bySystem[p.c.system] ??= { n: 0, ok: 0 });
  b.n++;
  if (p.v.kind === p.c.label.kind && p.v.passAlong === p.c.label.passAlong) b.ok++;
}
console.log('\nleave-one-system-out per system (kind and pass-along both right, no context):');
console.log('  ' + Object.entries(bySystem).map(([s, b]) => `${s} ${b.ok}/${b.n}`).join(', '));
void loso;
