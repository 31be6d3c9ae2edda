/**
 * L2-regularised logistic regression over named features, small enough to read: the
 * classifier's weights are fitted offline by scripts/train-classifier.mjs with `fit` and
 * shipped in weights.json; at run time only `probability` is used. No library: at this size
 * (a few hundred messages, ~50 features) Newton's method with a dense solve is exact and quick.
 */

export interface Model {
  bias: number;
  /** Feature name → learned weight (log-odds added when the feature is present). */
  weights: Record<string, number>;
}

export interface Sample {
  x: Record<string, number>;
  y: 0 | 1;
  /** Sample weight (1 by default). */
  w?: number;
}

export function logit(model: Model, x: Record<string, number>): number {
  let z = model.bias;
  for (const k in x) z += (model.weights[k] ?? 0) * x[k]!;
  return z;
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

export function probability(model: Model, x: Record<string, number>): number {
  return sigmoid(logit(model, x));
}

/**
 * Minimises Σ w·logloss + (lambda/2)·|weights|² (the bias is not penalised) by Newton steps.
 * Features never seen in the data get weight 0.
 */
export function fit(samples: Sample[], features: readonly string[], lambda: number, iterations = 50): Model {
  const d = features.length + 1; // index 0 is the bias
  const rows = samples.map((s) => [1, ...features.map((f) => s.x[f] ?? 0)]);
  const beta = new Array<number>(d).fill(0);
  for (let it = 0; it < iterations; it++) {
    const grad = new Array<number>(d).fill(0);
    const hess = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    samples.forEach((s, i) => {
      const r = rows[i]!;
      let z = 0;
      for (let j = 0; j < d; j++) z += beta[j]! * r[j]!;
      const p = sigmoid(z);
      const sw = s.w ?? 1;
      const g = sw * (p - s.y);
      const h = sw * Math.max(p * (1 - p), 1e-9);
      for (let j = 0; j < d; j++) {
        if (!r[j]) continue;
        grad[j]! += g * r[j]!;
        for (let k = 0; k < d; k++) if (r[k]) hess[j]![k]! += h * r[j]! * r[k]!;
      }
    });
    for (let j = 1; j < d; j++) {
      grad[j]! += lambda * beta[j]!;
      hess[j]![j]! += lambda;
    }
    hess[0]![0]! += 1e-6;
    const step = solve(hess, grad);
    let moved = 0;
    for (let j = 0; j < d; j++) {
      beta[j]! -= step[j]!;
      moved = Math.max(moved, Math.abs(step[j]!));
    }
    if (moved < 1e-8) break;
  }
  const weights: Record<string, number> = {};
  features.forEach((f, j) => (weights[f] = beta[j + 1]!));
  return { bias: beta[0]!, weights };
}

/** Solves A·x = b by Gaussian elimination with partial pivoting (A is small and positive definite). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    const piv = m[c]![c]!;
    if (Math.abs(piv) < 1e-12) continue;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / piv;
      if (!f) continue;
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return m.map((row, i) => (Math.abs(row[i]!) < 1e-12 ? 0 : row[n]! / row[i]!));
}
