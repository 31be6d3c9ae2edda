import { describe, expect, it } from 'vitest';
import { kaplanMeier, quantile, shareEver, shareWithin, survivalAt } from '../../src/score/km.js';

describe('Kaplan–Meier', () => {
  it('without censoring gives the ordinary sample median and shares', () => {
    const c = kaplanMeier([1, 2, 3, 4], [1, 1, 1, 1]);
    expect(quantile(c, 0.5)).toEqual({ ms: 2.5, atLeastMs: null });
    expect(quantile(c, 0.9)).toEqual({ ms: 4, atLeastMs: null });
    expect(shareWithin(c, 2)).toBe(0.5);
    expect(shareEver(c)).toBe(1);
  });

  it('uses a censored probe for as long as it was watched', () => {
    // Answers after 1 and 3; nothing yet after 2 and 4 of watching.
    const c = kaplanMeier([1, 2, 3, 4], [1, 0, 1, 0]);
    expect(survivalAt(c, 1)).toBe(0.75);
    expect(survivalAt(c, 3)).toBeCloseTo(0.375);
    // Dropping the unanswered would say median 2; counting them as failures would say "not reached".
    expect(quantile(c, 0.5)).toEqual({ ms: 3, atLeastMs: null });
    expect(shareEver(c)).toBeCloseTo(0.625);
  });

  it('says "more than" when the median is not reached, and "unknown" beyond what was watched', () => {
    const c = kaplanMeier([1, 5, 5, 5], [1, 0, 0, 0]);
    expect(quantile(c, 0.5)).toEqual({ ms: null, atLeastMs: 5 });
    expect(shareWithin(c, 4)).toBe(0.25);
    expect(shareWithin(c, 6)).toBeNull();
    expect(quantile(kaplanMeier([], []), 0.5)).toEqual({ ms: null, atLeastMs: null });
  });

  it('puts events before censorings at the same time', () => {
    const c = kaplanMeier([2, 2], [0, 1]);
    expect(survivalAt(c, 2)).toBe(0.5);
  });
});
