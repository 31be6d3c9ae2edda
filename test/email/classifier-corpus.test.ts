/**
 * Every reply in the corpus gets its expected verdict. The accuracy line is what the README
 * quotes; the test asserts every case, so a regression names the file that broke.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyEmail } from '../../src/classify/email.js';
import { messageFromEml } from '../../src/classify/message.js';
import { CORPUS_CONTEXT, CORPUS_FILES, EXPECTATIONS, REPLIES_DIR } from './corpus.js';

describe('reply corpus', () => {
  it('every .eml has an expectation and vice versa', () => {
    expect(CORPUS_FILES.sort()).toEqual(Object.keys(EXPECTATIONS).sort());
    expect(CORPUS_FILES.length).toBeGreaterThanOrEqual(30);
  });

  it('classifies every reply as expected (accuracy printed for the README)', async () => {
    const wrong: string[] = [];
    let fields = 0;
    let right = 0;
    for (const f of CORPUS_FILES) {
      const exp = EXPECTATIONS[f]!;
      const v = classifyEmail(await messageFromEml(readFileSync(REPLIES_DIR + f)), CORPUS_CONTEXT);
      expect(v.reasons.length, f).toBeGreaterThan(0);
      const checks: Array<[string, unknown, unknown]> = [
        ['kind', v.kind, exp.kind],
        ['passAlong', v.passAlong, exp.passAlong],
        ['campaignAware', v.campaignAware, exp.campaignAware],
        ['stopRequest', v.stopRequest, exp.stopRequest ?? false],
      ];
      for (const [name, got, want] of checks) {
        fields++;
        if (got === want) right++;
        else wrong.push(`${f}: ${name} ${String(got)} (expected ${String(want)}; ${exp.note})\n    ${v.reasons.join('\n    ')}`);
      }
    }
    const messages = CORPUS_FILES.length;
    const perfect = messages - new Set(wrong.map((w) => w.split(':')[0])).size;
    console.log(`reply corpus: ${perfect}/${messages} messages fully right, ${right}/${fields} verdict fields (${((100 * right) / fields).toFixed(1)}%)`);
    expect(wrong).toEqual([]);
  });
});
