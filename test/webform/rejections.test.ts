/**
 * After the click, the outcome says what the page said and who said it: the page's own script
 * stopping the submit (nothing left the browser: `not-sent`, validation-error), or the site
 * answering the form's request with errors (`rejected`), each message quoted by its field's
 * label. Real builder pages of the corpus, in real Chromium; the entry point's `fields:` map
 * gives one box a value the builder refuses, and the builder's own rules (its script, its
 * server) decide.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuilderPage } from '../fixtures/builders/types.js';
import { createWebformSubmitter } from '../../src/submit/webform.js';
import type { Submitter } from '../../src/submit/types.js';
import { jsonMessages } from '../../src/submit/webform-outcome.js';
import { loadBuilderPages, startBuilderServer, type BuilderServer } from './builders/server.js';
import { deps, hooks, job, project } from './helpers.js';

const SLUGS = ['contact-form-7', 'django-honeypot', 'bootstrap-floating', 'hubspot-v2-iframe'];
const pages: BuilderPage[] = await loadBuilderPages(SLUGS);

let server: BuilderServer;
let proj: ReturnType<typeof project>;
let submitter: Submitter;

beforeAll(async () => {
  server = await startBuilderServer(pages);
  const entry = (id: string, slug: string, fields: Record<string, string>) => ({
    id,
    url: server.urlOf(slug),
    extra: `fields:\n${Object.entries(fields).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`).join('\n')}`,
  });
  proj = project({
    entries: [
      entry('cf7-bad-phone', 'contact-form-7', { 'input[name="your-tel"]': 'call me maybe' }),
      entry('django-bad-phone', 'django-honeypot', { 'input[name="phone"]': '12' }),
      entry('bootstrap-bad-phone', 'bootstrap-floating', { 'input[name="phone"]': '3125550101x' }),
      entry('hubspot-bad-email', 'hubspot-v2-iframe', { 'input[name="email"]': 'jordan@example.c' }),
    ],
    browser: `executablePath: /usr/bin/chromium\nconcurrency: 4\ntimeout: 60s\ndwell: 0s`,
  });
  submitter = await createWebformSubmitter(deps(proj.loaded));
});

afterAll(async () => {
  await submitter?.close();
  await server?.close();
  proj?.cleanup();
});

const recordsOf = (slug: string) => server.records.filter((r) => r.slug === slug);

describe('the site refused it: rejected, its messages by field label', () => {
  it('Contact Form 7: the REST feedback refuses the phone; the tip under the box is quoted with the box\'s label', { timeout: 90_000 }, async () => {
    const r = await submitter.submit(job(proj.loaded, 'cf7-bad-phone'), hooks());
    expect(recordsOf('contact-form-7').map((x) => x.verdict)).toEqual(['rejected']);
    expect(r).toMatchObject({ status: 'rejected', outcome: 'rejected', details: { reachedServer: true, http: 200 } });
    expect(r.details?.errors).toContain('Phone number: "Please enter a telephone number."');
    expect(r.error).toMatch(/^the site refused the submission \(HTTP 200\): /);
    expect(String(r.details?.request)).toMatch(/^POST .*\/feedback$/);
  });

  it('Django: the page comes back re-rendered with the field\'s error', { timeout: 90_000 }, async () => {
    const r = await submitter.submit(job(proj.loaded, 'django-bad-phone'), hooks());
    expect(recordsOf('django-honeypot').map((x) => x.verdict)).toEqual(['rejected']);
    expect(r).toMatchObject({ status: 'rejected', outcome: 'rejected', details: { reachedServer: true } });
    expect(String((r.details?.errors as string[] | undefined)?.join('\n'))).toMatch(/^Phone[^:]*: "Enter a valid phone number/m);
  });

  it('HubSpot (v2 iframe): a 400 JSON answer the form shows by its button is quoted as the form\'s message', { timeout: 90_000 }, async () => {
    // The page's own check lets "jordan@example.c" through; the submissions API does not.
    const r = await submitter.submit(job(proj.loaded, 'hubspot-bad-email'), hooks());
    expect(recordsOf('hubspot-v2-iframe').map((x) => x.verdict)).toEqual(['rejected']);
    expect(r).toMatchObject({ status: 'rejected', outcome: 'rejected', details: { reachedServer: true, http: 400 } });
    expect(r.details?.errors).toContain('"Email address jordan@example.c is invalid"');
  });
});

describe('the page\'s own script stopped it: not sent, its messages by field label', () => {
  it('Bootstrap: the pattern refuses the phone; nothing reaches the site', { timeout: 90_000 }, async () => {
    const r = await submitter.submit(job(proj.loaded, 'bootstrap-bad-phone'), hooks());
    expect(server.requests.filter((q) => q.slug === 'bootstrap-floating' && q.method !== 'GET')).toEqual([]);
    expect(r).toMatchObject({ status: 'not-sent', outcome: 'validation-error', details: { reachedServer: false } });
    expect(r.details?.errors).toContain('Phone: "Please enter a phone number like 555-555-5555."');
  });
});

describe('jsonMessages', () => {
  it('reads the error bodies builders answer with, by label where the body names the field', () => {
    const labels = { phone: 'Phone', email: 'Email address', 'names[first_name]': 'First name' };
    expect(jsonMessages(JSON.stringify({ message: 'The given data was invalid.', errors: { phone: ['The phone format is invalid.'] } }), labels)).toEqual([
      '"The given data was invalid."',
      'Phone: "The phone format is invalid."',
    ]);
    expect(jsonMessages(JSON.stringify({ status: 'validation_failed', invalid_fields: [{ field: 'email', message: 'Please enter an email address.' }] }), labels)).toEqual([
      'Email address: "Please enter an email address."',
    ]);
    expect(jsonMessages(JSON.stringify({ errors: { 'names[first_name]': { required: 'This field is required' } } }), labels)).toEqual(['First name: "This field is required"']);
    expect(jsonMessages(JSON.stringify({ status: 'error', code: 'invalid_email' }), labels)).toEqual([]);
    expect(jsonMessages('<html>not json</html>', labels)).toEqual([]);
  });
});
