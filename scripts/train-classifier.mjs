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

let best = null;
for (const lambda of [0.3, 1, 3, 10]) {
  const s = score(leaveOneSystemOut(data, lambda, {}));
  const merit = s.autoVsHuman + s.passAlong.f1;
  console.log(`lambda ${lambda}: LOSO auto-vs-human ${(100 * s.autoVsHuman).toFixed(1)}%, pass-along F1 ${s.passAlong.f1.toFixed(3)}`);
  // On a tie the stronger penalty wins: smaller weights generalise better.
  if (!best || merit >= best.merit - 1e-9) best = { lambda, merit };
}
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
console.log(`lambda ${best.lambda} chosen; wrote ${out}`);
