// Fits the classifier's weights on the labelled corpus and writes src/classify/weights.json
// (run `npm run train:classify`, which builds first; review the JSON diff before committing).
// The L2 strength is chosen by leave-one-system-out accuracy over a small grid, so the
// shipped weights are the ones that generalised best to systems they had not seen.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadCorpus } from '../dist/classify/corpus.js';
import { AUTO_FEATURES, PASS_FEATURES } from '../dist/classify/features.js';
import { leaveOneSystemOut, prepare, score, train } from '../dist/classify/training.js';

const fixtures = fileURLToPath(new URL('../test/fixtures/', import.meta.url));
const out = fileURLToPath(new URL('../src/classify/weights.json', import.meta.url));

const cases = loadCorpus(fixtures);
const data = await prepare(cases);
const systems = new Set(cases.map((c) => c.system)).size;
console.log(`corpus: ${cases.length} messages from ${systems} systems`);

// The auto model first (judged by held-out auto-vs-human), then the pass-along model with that
// auto model's strength (judged by held-out pass-along F1). On a tie the stronger penalty wins:
// smaller weights generalise better.
const GRID = [0.3, 1, 3, 10];
// `--lambda auto,pass` fits with those strengths and skips the search (for quick experiments).
const given = process.argv.includes('--lambda') ? String(process.argv[process.argv.indexOf('--lambda') + 1]).split(',').map(Number) : null;
if (given && (given.length !== 2 || given.some((x) => !Number.isFinite(x) || x < 0))) {
  console.error('--lambda takes two non-negative numbers, the auto and pass-along strengths: --lambda 10,0.3');
  process.exit(2);
}
let auto = given ? { lambda: given[0] } : null;
for (const a of given ? [] : GRID) {
  const s = score(leaveOneSystemOut(data, { auto: a, pass: 1 }, {}));
  console.log(`auto lambda ${a}: LOSO auto-vs-human ${(100 * s.autoVsHuman).toFixed(1)}%`);
  if (!auto || s.autoVsHuman >= auto.merit - 1e-9) auto = { lambda: a, merit: s.autoVsHuman };
}
let pass = given ? { lambda: given[1] } : null;
for (const p of given ? [] : GRID) {
  const s = score(leaveOneSystemOut(data, { auto: auto.lambda, pass: p }, {}));
  console.log(`pass lambda ${p}: LOSO pass-along F1 ${s.passAlong.f1.toFixed(3)}`);
  if (!pass || s.passAlong.f1 >= pass.merit - 1e-9) pass = { lambda: p, merit: s.passAlong.f1 };
}
const best = { lambda: { auto: auto.lambda, pass: pass.lambda } };
const weights = train(data, best.lambda);
const sorted = (m, names) => ({ bias: m.bias, weights: Object.fromEntries(names.map((n) => [n, m.weights[n] ?? 0])) });
const json = {
  about: 'Learned by scripts/train-classifier.mjs (L2 logistic regression); see docs/replies.md. Weights are log-odds added when a signal is present.',
  trainedOn: { messages: cases.length, systems, lambda: best.lambda, systemNames: [...new Set(cases.map((c) => c.system))].sort() },
  auto: sorted(weights.auto, AUTO_FEATURES),
  passAlong: sorted(weights.passAlong, PASS_FEATURES),
  priors: weights.priors,
};
writeFileSync(out, JSON.stringify(json, null, 2) + '\n');
console.log(`lambda auto ${best.lambda.auto}, pass ${best.lambda.pass} chosen; wrote ${out}`);
