/**
 * Contact Form 7's `[quiz]` (test/fixtures/builders/pages/_cf7-quiz.ts) in real Chromium:
 * a question only a person can answer is reported blocked and never posted; the entry point's
 * `answers:` gives the answer (right: accepted; wrong: the site's refusal quoted by the box's
 * label); `try` says so; a bad `answers:` is a config error naming the line and field.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebformSubmitter } from '../../src/submit/webform.js';
import type { Submitter } from '../../src/submit/types.js';
import { configuredAnswer } from '../../src/submit/webform-arithmetic.js';
import { cli } from '../helpers/cli.js';
import { loadBuilderPages, startBuilderServer, type BuilderServer } from './builders/server.js';
import { deps, hooks, job, project } from './helpers.js';

const QUIZ = 'quiz-742';
let server: BuilderServer;
let proj: ReturnType<typeof project>;
let submitter: Submitter;

beforeAll(async () => {
  server = await startBuilderServer(await loadBuilderPages(['contact-form-7-quiz-text']));
  const url = server.urlOf('contact-form-7-quiz-text');
  proj = project({
    entries: [
      { id: 'unanswered', url },
      { id: 'answered', url, extra: 'answers:\n  "colour is the sky": Blue' },
      { id: 'wrong', url, extra: 'answers:\n  "colour is the sky": green' },
    ],
    browser: 'executablePath: /usr/bin/chromium\nconcurrency: 2\ntimeout: 60s\ndwell: 0s',
  });
  submitter = await createWebformSubmitter(deps(proj.loaded));
});

afterAll(async () => {
  await submitter?.close();
  await server?.close();
  proj?.cleanup();
});

const posts = () => server.requests.filter((r) => r.method === 'POST');

describe('a quiz the shopper cannot answer', () => {
  it('is blocked like a CAPTCHA: nothing is posted, the question is named', { timeout: 90_000 }, async () => {
    const before = posts().length;
    const r = await submitter.submit(job(proj.loaded, 'unanswered'), hooks());
    expect(r).toMatchObject({ status: 'not-sent', outcome: 'blocked', details: { captcha: 'quiz', quiz: ['What colour is the sky on a clear day?'] } });
    expect(r.error).toMatch(/only a person can answer .*answers:/);
    expect(posts().length).toBe(before);
  });

  it('answers: gives the answer; the builder accepts it', { timeout: 90_000 }, async () => {
    const j = job(proj.loaded, 'answered');
    const r = await submitter.submit(j, hooks());
    expect(r.status).toBe('submitted');
    const got = server.records.filter((x) => x.verdict === 'accepted').at(-1)!.fields;
    expect(got[QUIZ]).toBe('Blue');
    expect(got['your-email']).toBe(j.shopper.email);
  });

  it('a wrong answer reaches the site, which refuses it: rejected, its message by the box\'s label', { timeout: 90_000 }, async () => {
    const r = await submitter.submit(job(proj.loaded, 'wrong'), hooks());
    expect(r).toMatchObject({ status: 'rejected', outcome: 'rejected' });
    expect(r.details?.errors, JSON.stringify(r.details)).toContain('What colour is the sky on a clear day?: "The answer to the quiz is incorrect."');
    expect(server.records.at(-1)!.verdict).toBe('rejected');
  });
});

describe('respond-audit try and validate', { timeout: 120_000 }, () => {
  it('try says the quiz blocks a run (exit 1), and shows the configured answer', async () => {
    const t = await cli(['try', 'unanswered', '--config', proj.configPath], { cwd: proj.root });
    expect(t.code).toBe(1);
    expect(t.stdout).toMatch(/QUIZ: the form asks "What colour is the sky on a clear day\?", which only a person can answer; a run reports this entry point `blocked`/);
    const a = await cli(['try', 'answered', '--config', proj.configPath, '--json'], { cwd: proj.root });
    expect(a.code).toBe(0);
    const out = JSON.parse(a.stdout) as { fields: Array<{ name: string; role: string; value?: string }> };
    expect(out.fields.find((f) => f.name === QUIZ)).toMatchObject({ role: 'answer', value: 'Blue' });
  });

  it('an empty answer is a config error naming the file, line and field', async () => {
    const bad = proj.configPath.replace(/audit\.yaml$/, 'bad-answers.yaml');
    const text = (await import('node:fs')).readFileSync(proj.configPath, 'utf8').replace('"colour is the sky": Blue', '"colour is the sky": ""');
    writeFileSync(bad, text);
    const v = await cli(['validate', bad], { cwd: proj.root });
    expect(v.code).toBe(2);
    expect(v.stderr).toMatch(/bad-answers\.yaml:\d+:\d+ sites\[0\]\.serviceLines\[0\]\.entryPoints\[1\]\.answers\.colour is the sky: must not be empty/);
  });
});

describe('configuredAnswer', () => {
  it('matches the configured words in the question, ignoring case, accents and punctuation', () => {
    const answers = { 'colour of the sky': 'blue', 'capital of Brazil': 'Brasília' };
    expect(configuredAnswer('What colour is the sky?', answers)).toBeUndefined();
    expect(configuredAnswer('What is the COLOUR of the sky, on a clear day?', answers)).toBe('blue');
    expect(configuredAnswer('The capital of brazil?', answers)).toBe('Brasília');
    expect(configuredAnswer('Your name', answers)).toBeUndefined();
    expect(configuredAnswer('anything', undefined)).toBeUndefined();
  });
});
