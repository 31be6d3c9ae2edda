/**
 * The classifier measured on the labelled corpus. The figures that matter are
 * leave-one-system-out (weights refitted without a system, then judged on it): they stand for
 * a mail system we have never seen. The minimums below are the measured values at the last
 * retraining, rounded down; a change that makes the classifier generalise worse fails here.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import weights from '../../src/classify/weights.json' with { type: 'json' };
import { leaveOneSystemOut, predict, prepare, score, type Prepared } from '../../src/classify/training.js';
import { CORPUS, REPLIES_DIR, WORLD_DIR } from './corpus.js';

const LAMBDA = weights.trainedOn.lambda;
let data: Prepared[] | undefined;
const corpus = async () => (data ??= await prepare(CORPUS));

describe('reply corpus', () => {
  it('every .eml has labels and every label a file, in both corpora', () => {
    const labelled = new Set(CORPUS.map((c) => c.path));
    const onDisk = [
      ...readdirSync(REPLIES_DIR).filter((f) => f.endsWith('.eml')).map((f) => REPLIES_DIR + f),
      ...readdirSync(WORLD_DIR).flatMap((s) => readdirSync(WORLD_DIR + s).filter((f) => f.endsWith('.eml')).map((f) => `${WORLD_DIR}${s}/${f}`)),
    ];
    expect(onDisk.filter((p) => !labelled.has(p))).toEqual([]);
    expect(CORPUS.filter((c) => !existsSync(c.path)).map((c) => c.file)).toEqual([]);
    for (const c of CORPUS) {
      expect(['auto-ack', 'human', 'bounce'], c.file).toContain(c.label.kind);
      expect(typeof c.label.passAlong, c.file).toBe('boolean');
      expect(typeof c.label.campaignAware, c.file).toBe('boolean');
    }
    expect(new Set(CORPUS.map((c) => c.system)).size).toBeGreaterThanOrEqual(20);
  });

  it('the shipped weights name every signal and were trained on this corpus size or near it', () => {
    expect(Object.keys(weights.auto.weights).length).toBeGreaterThan(30);
    expect(weights.trainedOn.messages).toBeGreaterThanOrEqual(Math.min(CORPUS.length, 100));
    expect(readFileSync(new URL('../../src/classify/weights.json', import.meta.url), 'utf8')).toMatch(/"auto_submitted"/);
  });

  it('leave-one-system-out, without context: the figures docs/replies.md quotes', async () => {
    const s = score(leaveOneSystemOut(await corpus(), LAMBDA, {}));
    const inSample = score(predict(await corpus(), weights, {}));
    console.log(
      `LOSO (no context): auto-vs-human ${(100 * s.autoVsHuman).toFixed(1)}%, bounce ${(100 * s.bounce).toFixed(1)}%, pass-along F1 ${s.passAlong.f1.toFixed(2)}; in-sample auto-vs-human ${(100 * inSample.autoVsHuman).toFixed(1)}%`,
    );
    // The figures docs/replies.md quotes (251 messages, 62 systems, 2026-12-04): 96.5% held out,
    // 98.7% in-sample, pass-along F1 0.94. Issue 16 asks 95% and a gap within 3 points.
    expect(s.autoVsHuman).toBeGreaterThanOrEqual(0.955);
    expect(s.bounce).toBeGreaterThanOrEqual(0.98);
    expect(s.passAlong.f1).toBeGreaterThanOrEqual(0.9);
    // Generalises: held-out systems score within 3 points of the training fit (measured 2.2).
    expect(inSample.autoVsHuman - s.autoVsHuman).toBeLessThanOrEqual(0.03);
  }, 600_000);

  it('with the corpus context, campaign awareness is found where the writer names the campaign', async () => {
    const { CORPUS_CONTEXT } = await import('./corpus.js');
    const s = score(predict(await corpus(), weights, CORPUS_CONTEXT));
    expect(s.campaignAware.f1).toBeGreaterThanOrEqual(0.9);
    expect(s.autoVsHuman).toBeGreaterThanOrEqual(0.97);
  }, 60_000);
});
