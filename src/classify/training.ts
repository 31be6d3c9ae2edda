/**
 * Fitting and measuring the classifier on the labelled corpus (used by
 * scripts/train-classifier.mjs, scripts/eval-classifier.mjs and the corpus test). Every
 * message is read twice: with no context (as `explain` without a config sees it) and with the
 * corpus's context (the shopper's name and inquiry), so the weights work either way.
 * Leave-one-system-out refits on all systems but one and judges the one left out.
 */
import { readFileSync } from 'node:fs';
import type { CorpusCase, CorpusLabel } from './corpus.js';
import { classifyEmail, emailFeatures, type EmailContext, type EmailVerdict, type ShippedWeights } from './email.js';
import { AUTO_FEATURES, PASS_FEATURES } from './features.js';
import { fit, type Sample } from './logistic.js';
import { messageFromEml, type ReplyMessage } from './message.js';

/** What every corpus reply answers (both corpora answer the same inquiry). */
export const CORPUS_CONTEXT: EmailContext = {
  campaign: { name: 'Spring Knee Check', keywords: ['free knee screening'] },
  shopperFirstName: 'Jordan',
  shopperPhones: ['+13125550101'],
  inquiryText: 'Hello, I saw the Spring Knee Check ad and would like an appointment for Orthopedics at North Clinic. You can call me at (312) 555-0101. Jordan Avery',
};

/** Signals the corpus cannot teach (no probe send times in it): stated log-odds, documented in docs/replies.md. */
export const PRIORS = { fast_reply: 1.5 };

export interface Prepared {
  c: CorpusCase;
  msg: ReplyMessage;
}

export async function prepare(cases: CorpusCase[]): Promise<Prepared[]> {
  return Promise.all(cases.map(async (c) => ({ c, msg: await messageFromEml(readFileSync(c.path)) })));
}

const CONTEXTS: EmailContext[] = [{}, CORPUS_CONTEXT];
const EMPTY: ShippedWeights = { auto: { bias: 0, weights: {} }, passAlong: { bias: 0, weights: {} }, priors: PRIORS };

/** The L2 strength of each model (one number: both). The two are chosen apart: the auto model has many header signals that co-occur and needs a stronger penalty than the pass-along one. */
export type Lambda = number | { auto: number; pass: number };

export function lambdas(l: Lambda): { auto: number; pass: number } {
  return typeof l === 'number' ? { auto: l, pass: l } : l;
}

/** Fits both models: auto vs human on the non-bounces, then pass-along (which reads the auto model's probability). */
export function train(data: Prepared[], lambda: Lambda): ShippedWeights {
  const l = lambdas(lambda);
  const rows = data.filter((d) => d.c.label.kind !== 'bounce');
  const autoSamples: Sample[] = rows.flatMap((d) => CONTEXTS.map((ctx) => ({ x: emailFeatures(d.msg, ctx, EMPTY).auto, y: d.c.label.kind === 'auto-ack' ? 1 : 0 }) as Sample));
  const auto = fit(autoSamples, AUTO_FEATURES, l.auto);
  const withAuto: ShippedWeights = { ...EMPTY, auto };
  const passSamples: Sample[] = rows.flatMap((d) => CONTEXTS.map((ctx) => ({ x: emailFeatures(d.msg, ctx, withAuto).pass, y: d.c.label.passAlong ? 1 : 0 }) as Sample));
  const passAlong = fit(passSamples, PASS_FEATURES, l.pass);
  return { auto: round(auto), passAlong: round(passAlong), priors: PRIORS };
}

function round<T extends { bias: number; weights: Record<string, number> }>(m: T): T {
  const r = (n: number) => Math.round(n * 1000) / 1000;
  return { ...m, bias: r(m.bias), weights: Object.fromEntries(Object.entries(m.weights).map(([k, v]) => [k, r(v)])) };
}

export interface Prediction {
  c: CorpusCase;
  v: EmailVerdict;
}

export function predict(data: Prepared[], weights: ShippedWeights, ctx: EmailContext): Prediction[] {
  return data.map((d) => ({ c: d.c, v: classifyEmail(d.msg, ctx, weights) }));
}

/** Each system judged by weights fitted without it. */
export function leaveOneSystemOut(data: Prepared[], lambda: Lambda, ctx: EmailContext): Prediction[] {
  const systems = [...new Set(data.map((d) => d.c.system))];
  return systems.flatMap((s) => predict(data.filter((d) => d.c.system === s), train(data.filter((d) => d.c.system !== s), lambda), ctx));
}

export interface Scores {
  messages: number;
  /** auto-ack vs human, on messages that are one of the two. */
  autoVsHuman: number;
  /** bounce vs not, on all messages. */
  bounce: number;
  kind: number;
  confusion: Record<CorpusLabel['kind'], Record<CorpusLabel['kind'], number>>;
  passAlong: { precision: number; recall: number; f1: number };
  campaignAware: { precision: number; recall: number; f1: number; accuracy: number };
  /** Share of verdicts marked needs-review, and how often those that were not marked were right. */
  needsReview: number;
  accuracyWhenSure: number;
}

export function score(preds: Prediction[]): Scores {
  const kinds: Array<CorpusLabel['kind']> = ['auto-ack', 'human', 'bounce'];
  const confusion = Object.fromEntries(kinds.map((k) => [k, Object.fromEntries(kinds.map((j) => [j, 0]))])) as Scores['confusion'];
  for (const p of preds) confusion[p.c.label.kind][p.v.kind]++;
  const ah = preds.filter((p) => p.c.label.kind !== 'bounce');
  const prf = (got: (p: Prediction) => boolean, want: (p: Prediction) => boolean) => {
    let tp = 0, fp = 0, fn = 0, right = 0;
    for (const p of preds) {
      const g = got(p), w = want(p);
      if (g && w) tp++;
      else if (g) fp++;
      else if (w) fn++;
      if (g === w) right++;
    }
    const precision = tp + fp ? tp / (tp + fp) : 1;
    const recall = tp + fn ? tp / (tp + fn) : 1;
    return { precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0, accuracy: right / (preds.length || 1) };
  };
  const pa = prf((p) => p.v.passAlong, (p) => p.c.label.passAlong);
  const sure = preds.filter((p) => !p.v.needsReview);
  return {
    messages: preds.length,
    autoVsHuman: ah.filter((p) => (p.v.kind === 'auto-ack') === (p.c.label.kind === 'auto-ack') && p.v.kind !== 'bounce').length / (ah.length || 1),
    bounce: preds.filter((p) => (p.v.kind === 'bounce') === (p.c.label.kind === 'bounce')).length / (preds.length || 1),
    kind: preds.filter((p) => p.v.kind === p.c.label.kind).length / (preds.length || 1),
    confusion,
    passAlong: { precision: pa.precision, recall: pa.recall, f1: pa.f1 },
    campaignAware: prf((p) => p.v.campaignAware, (p) => p.c.label.campaignAware),
    needsReview: preds.filter((p) => p.v.needsReview).length / (preds.length || 1),
    accuracyWhenSure: sure.filter((p) => p.v.kind === p.c.label.kind && p.v.passAlong === p.c.label.passAlong).length / (sure.length || 1),
  };
}
