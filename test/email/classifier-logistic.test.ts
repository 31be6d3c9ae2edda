/** The hand-written L2 logistic regression the training script fits the weights with. */
import { describe, expect, it } from 'vitest';
import { fit, probability, type Sample } from '../../src/classify/logistic.js';

describe('logistic regression', () => {
  const samples: Sample[] = [];
  // "a" predicts 1 four times in five, "b" is noise, "c" predicts 0.
  for (let i = 0; i < 100; i++) samples.push({ x: { a: i % 5 ? 1 : 0, b: i % 2, c: 0 }, y: 1 });
  for (let i = 0; i < 100; i++) samples.push({ x: { a: i % 5 ? 0 : 1, b: i % 2, c: i % 3 ? 1 : 0 }, y: 0 });

  it('learns the sign and size of each signal, and near-zero weight for noise', () => {
    const m = fit(samples, ['a', 'b', 'c'], 0.1);
    expect(m.weights['a']!).toBeGreaterThan(1.5);
    expect(m.weights['c']!).toBeLessThan(-1);
    expect(Math.abs(m.weights['b']!)).toBeLessThan(0.5);
    expect(probability(m, { a: 1 })).toBeGreaterThan(0.7);
    expect(probability(m, { c: 1 })).toBeLessThan(0.3);
  });

  it('matches the closed form for one binary feature without penalty', () => {
    // P(y=1 | a=1) = 80/100: the fitted probability must be the empirical rate.
    const m = fit(samples, ['a'], 0);
    expect(probability(m, { a: 1 })).toBeCloseTo(0.8, 3);
    expect(probability(m, {})).toBeCloseTo(0.2, 3);
  });

  it('a stronger L2 penalty shrinks the weights; unseen features stay 0', () => {
    const loose = fit(samples, ['a', 'c', 'never'], 0.1);
    const tight = fit(samples, ['a', 'c', 'never'], 30);
    expect(Math.abs(tight.weights['a']!)).toBeLessThan(Math.abs(loose.weights['a']!));
    expect(Math.abs(tight.weights['c']!)).toBeLessThan(Math.abs(loose.weights['c']!));
    expect(loose.weights['never']).toBe(0);
  });
});
