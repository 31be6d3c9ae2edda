/**
 * One question at a time (Typeform-style conversational forms): the corpus page moves on with
 * OK buttons and a choice that advances by itself; here a variant of it offers no OK button
 * at all, so only Enter moves it on, and a newsletter box with an OK button and a hidden trap
 * must not be taken for a conversational contact form. Verdicts come from the pages' servers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { typeformPage } from '../fixtures/builders/pages/typeform.js';
import { shell } from '../fixtures/builders/pages/_sites-lib.js';
import type { BuilderPage } from '../fixtures/builders/types.js';
import { createWebformSubmitter } from '../../src/submit/webform.js';
import type { Submitter } from '../../src/submit/types.js';
import { startBuilderServer, type BuilderServer } from './builders/server.js';
import { deps, hooks, job, project } from './helpers.js';

/** A newsletter sign-up: one email box, an OK button, a hidden trap. Not a contact form. */
const newsletter: BuilderPage = {
  slug: 'newsletter-ok',
  builder: 'test page',
  sources: [],
  handle(req, ctx) {
    if (req.method === 'GET' && req.path === '/')
      return {
        body: shell(
          'News',
          `<h1>Our news</h1><form method="post" action="${ctx.base}/join"><label for="e">Get our newsletter</label><input id="e" type="email" name="email"><div style="display:none"><label for="w">Website</label><input id="w" name="website"></div><button type="submit">OK</button></form>`,
        ),
      };
    if (req.method === 'POST') {
      ctx.record({ verdict: 'accepted', fields: req.fields });
      return { body: '<p>Thanks for subscribing</p>' };
    }
    return undefined;
  },
  expect: { outcome: 'submitted' },
};

const enterOnly = typeformPage('typeform-enter-only', { okButtons: false });
const pages = [enterOnly, newsletter];

let server: BuilderServer;
let proj: ReturnType<typeof project>;
let submitter: Submitter;

beforeAll(async () => {
  server = await startBuilderServer(pages);
  proj = project({
    entries: pages.map((p) => ({ id: p.slug, url: server.urlOf(p.slug) })),
    browser: `executablePath: /usr/bin/chromium\nconcurrency: 2\ntimeout: 60s\ndwell: 0s`,
  });
  submitter = await createWebformSubmitter(deps(proj.loaded));
});

afterAll(async () => {
  await submitter?.close();
  await server?.close();
  proj?.cleanup();
});

describe('one question at a time', () => {
  it('without OK buttons, Enter answers each typed question; the choice moves on by itself', { timeout: 120_000 }, async () => {
    const j = job(proj.loaded, enterOnly.slug);
    const r = await submitter.submit(j, hooks());
    const recs = server.records.filter((x) => x.slug === enterOnly.slug);
    expect(r.outcome, JSON.stringify({ r, recs })).toBe('submitted');
    expect(recs.map((x) => x.verdict)).toEqual(['accepted']);
    expect(recs[0]!.fields).toEqual({
      name: j.shopper.name,
      email: j.shopper.email,
      phone: j.shopper.phone,
      service: 'Orthopedics',
      message: j.message.body,
    });
    // Five questions, each its own step.
    expect(r.details?.steps).toBe(5);
  });

  it('a newsletter box with an OK button and hidden traps is not a contact form: nothing sent', { timeout: 120_000 }, async () => {
    const r = await submitter.submit(job(proj.loaded, newsletter.slug), hooks());
    expect(r).toMatchObject({ status: 'not-sent', outcome: 'failed' });
    expect(r.error).toMatch(/no contact form found/);
    expect(server.records.filter((x) => x.slug === newsletter.slug)).toEqual([]);
  });
});
