/**
 * The builder corpus: every page of test/fixtures/builders/pages, each reproducing a real
 * form builder's markup, scripts and server rules, filled by `fields: auto` in real Chromium.
 * The page's own server logic decides whether the submission was accepted; this test then
 * checks, field by field, what the builder kept, that honeypots and opt-ins stayed empty,
 * that nothing was accepted twice, and that CAPTCHA pages were reported and never posted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuilderPage, BuilderRecord, ShopperView } from '../fixtures/builders/types.js';
import { createWebformSubmitter } from '../../src/submit/webform.js';
import type { ProbeJob, SubmitResult, Submitter } from '../../src/submit/types.js';
import { loadBuilderPages, startBuilderServer, type BuilderServer } from './builders/server.js';
import { deps, hooks, job, project } from './helpers.js';

const only = process.env.BUILDERS ? process.env.BUILDERS.split(',') : undefined;
const pages: BuilderPage[] = await loadBuilderPages(only);

let server: BuilderServer;
let proj: ReturnType<typeof project>;
let submitter: Submitter;
const results: Array<{ slug: string; ok: boolean }> = [];

beforeAll(async () => {
  server = await startBuilderServer(pages);
  proj = project({
    entries: pages.map((p) => ({ id: p.slug, url: server.urlOf(p.slug), extra: p.entryYaml })),
    browser: `executablePath: /usr/bin/chromium\nconcurrency: 4\ntimeout: 60s`,
    // The profile parts the corpus pages ask for; company, job title and date of birth stay
    // unset so the pages also check that optional boxes for them are left empty.
    shopper: `postalCode: "60601"\ncity: Chicago\nstate: IL`,
  });
  submitter = await createWebformSubmitter(deps(proj.loaded));
});

afterAll(async () => {
  await submitter?.close();
  await server?.close();
  proj?.cleanup();
  const right = results.filter((r) => r.ok).length;
  console.log(`builder corpus: ${right}/${results.length} pages ended with the right outcome${right < results.length ? ` (wrong: ${results.filter((r) => !r.ok).map((r) => r.slug).join(', ')})` : ''}`);
});

export function shopperView(j: ProbeJob): ShopperView {
  const phone = j.shopper.phone ?? '';
  return {
    firstName: j.shopper.firstName,
    lastName: j.shopper.lastName,
    fullName: j.shopper.name,
    email: j.shopper.email,
    phone,
    phoneDigits: phone.replace(/\D/g, '').replace(/^1(?=\d{10}$)/, ''),
    message: j.message.body,
    subject: j.message.subject,
    serviceLine: j.target.serviceLine.name,
    token: j.probe.token,
  };
}

function describeResult(r: SubmitResult, recs: BuilderRecord[]): string {
  return JSON.stringify({ status: r.status, outcome: r.outcome, error: r.error, details: r.details, records: recs }, null, 1).slice(0, 4000);
}

describe.each(pages.map((p) => [p.slug, p] as const))('builder page %s', (slug, page) => {
  it(`${page.builder}: ${page.expect.outcome}`, { timeout: 120_000 }, async () => {
    let ok = false;
    try {
      const j = job(proj.loaded, slug);
      const result = await submitter.submit(j, hooks());
      const recs = server.records.filter((r) => r.slug === slug);
      const why = describeResult(result, recs);
      expect(result.outcome, why).toBe(page.expect.outcome);
      const accepted = recs.filter((r) => r.verdict === 'accepted');
      if (page.expect.outcome === 'submitted') {
        expect(accepted, why).toHaveLength(1);
        // Never a second submission after one was accepted.
        expect(recs.filter((r) => r.at > accepted[0]!.at), why).toEqual([]);
        const got = accepted[0]!.fields;
        const want = page.expect.accepted?.(shopperView(j)) ?? {};
        for (const [name, exp] of Object.entries(want)) {
          const value = got[name];
          expect(value, `${slug}: field ${name} (got ${JSON.stringify(got)})`).toBeDefined();
          if (typeof exp === 'string') expect(value, `${slug}: field ${name}`).toBe(exp);
          else if (exp instanceof RegExp) expect(value, `${slug}: field ${name}`).toMatch(exp);
          else expect(exp(value!), `${slug}: field ${name} = ${JSON.stringify(value)}`).toBe(true);
        }
        for (const name of page.expect.empty ?? []) expect(got[name] ?? '', `${slug}: field ${name} must stay empty`).toBe('');
        // The neutral answers given to required questions, by label, as the probe's details say.
        if (page.expect.neutralChoices) expect(result.details?.neutralChoices ?? [], why).toEqual(page.expect.neutralChoices);
        if (page.expect.dropdowns) expect(result.details?.dropdowns ?? [], why).toEqual(page.expect.dropdowns);
      } else {
        expect(accepted, why).toEqual([]);
        if (page.expect.missingProfile) {
          const got = (result.details?.missingProfile ?? []) as string[];
          expect(got, why).toHaveLength(page.expect.missingProfile.length);
          page.expect.missingProfile.forEach((re, i) => expect(got[i], why).toMatch(re));
          // Nothing is sent when a required profile part is missing.
          expect(recs, why).toEqual([]);
        }
        if (page.expect.outcome === 'blocked' && page.expect.nothingPosted !== false) expect(recs, why).toEqual([]);
      }
      ok = true;
    } finally {
      results.push({ slug, ok });
    }
  });
});
