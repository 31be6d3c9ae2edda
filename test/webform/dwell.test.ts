/**
 * Time traps: the single retry after a "too fast, wait and try again" answer. The Drupal
 * Honeypot page of the corpus is probed here with `dwell: 0s`, so its time limit refuses the
 * first click; the probe must wait as the message asks and submit exactly once more. Two
 * small pages check the limits of the rule: a page that keeps saying "too fast" gets two
 * submissions, never three; a page that says only "please try again" gets one. The server's
 * recorded verdicts are asserted, never timings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import drupal from '../fixtures/builders/pages/drupal-webform.js';
import { esc, shell } from '../fixtures/builders/pages/_sites-lib.js';
import type { BuilderCtx, BuilderPage } from '../fixtures/builders/types.js';
import { createWebformSubmitter } from '../../src/submit/webform.js';
import type { Submitter } from '../../src/submit/types.js';
import { tooFastWait } from '../../src/submit/webform-dwell.js';
import { startBuilderServer, type BuilderServer } from './builders/server.js';
import { deps, hooks, job, project } from './helpers.js';

/** A plain contact form that always refuses with `error` (shown in role=alert above the form). */
function refusing(slug: string, error: string): BuilderPage {
  const form = (ctx: BuilderCtx, msg?: string) =>
    shell(
      'Contact',
      `${msg ? `<div role="alert" class="error">${esc(msg)}</div>` : ''}<form method="post" action="${ctx.base}/send">
<label for="n">Name</label><input id="n" name="name" required>
<label for="e">Email</label><input id="e" name="email" type="email" required>
<label for="m">Message</label><textarea id="m" name="message" required></textarea>
<button type="submit">Send</button></form>`,
    );
  return {
    slug,
    builder: 'test page',
    sources: [],
    handle(req, ctx) {
      if (req.method === 'GET' && req.path === '/') return { body: form(ctx) };
      if (req.method === 'POST' && req.path === '/send') {
        ctx.record({ verdict: 'rejected', fields: req.fields, reason: error });
        return { body: form(ctx, error) };
      }
      return undefined;
    },
    expect: { outcome: 'validation-error' },
  };
}

const pages = [
  { ...drupal, slug: 'drupal-no-dwell' },
  refusing('always-too-fast', 'You submitted this form too quickly. Please wait 2 seconds and try again.'),
  refusing('generic-retry', 'Something went wrong. Please try again.'),
];

let server: BuilderServer;
let proj: ReturnType<typeof project>;
let submitter: Submitter;

beforeAll(async () => {
  server = await startBuilderServer(pages);
  proj = project({
    entries: pages.map((p) => ({ id: p.slug, url: server.urlOf(p.slug), extra: 'dwell: 0s' })),
    browser: `executablePath: /usr/bin/chromium\nconcurrency: 3\ntimeout: 60s`,
  });
  submitter = await createWebformSubmitter(deps(proj.loaded));
});

afterAll(async () => {
  await submitter?.close();
  await server?.close();
  proj?.cleanup();
});

const recordsOf = (slug: string) => server.records.filter((r) => r.slug === slug);

describe('too fast, then once more', () => {
  it('Drupal Honeypot refuses the instant click; the retry after its wait is accepted', { timeout: 90_000 }, async () => {
    const r = await submitter.submit(job(proj.loaded, 'drupal-no-dwell'), hooks());
    const recs = recordsOf('drupal-no-dwell');
    expect(recs.map((x) => x.verdict), JSON.stringify(recs)).toEqual(['rejected', 'accepted']);
    expect(recs[0]!.reason).toMatch(/Please wait \d+ seconds and try again/);
    expect(recs[1]!.fields.name).toBe('Jordan Avery');
    expect(recs[1]!.fields.url).toBe('');
    expect(r.outcome).toBe('submitted');
    const attempts = r.details?.attempts as Array<{ outcome: string; errors?: string[] }>;
    expect(attempts.map((a) => a.outcome)).toEqual(['rejected', 'submitted']);
    expect(attempts[0]!.errors!.join(' ')).toMatch(/wait \d+ seconds/);
  });

  it('a page that keeps saying "too fast" gets two submissions, never three', { timeout: 90_000 }, async () => {
    const r = await submitter.submit(job(proj.loaded, 'always-too-fast'), hooks());
    expect(recordsOf('always-too-fast').map((x) => x.verdict)).toEqual(['rejected', 'rejected']);
    // Both reached the site, which refused them: rejected, not "not sent".
    expect(r.status).toBe('rejected');
    expect(r.outcome).toBe('rejected');
    expect(r.error).toMatch(/too quickly/);
    expect((r.details?.attempts as unknown[]).length).toBe(2);
  });

  it('a plain "please try again" is not a time trap: one submission only', { timeout: 90_000 }, async () => {
    const r = await submitter.submit(job(proj.loaded, 'generic-retry'), hooks());
    expect(recordsOf('generic-retry')).toHaveLength(1);
    expect(r.outcome).toBe('rejected');
    expect(r.details?.attempts).toBeUndefined();
  });
});

describe('tooFastWait', () => {
  it('reads the wait the page asks for, in five languages, and ignores other errors', () => {
    expect(tooFastWait(['There was a problem with your form submission. Please wait 6 seconds and try again.'])).toBe(7000);
    expect(tooFastWait(['Formulario enviado demasiado rápido. Espere 3 segundos.'])).toBe(4000);
    expect(tooFastWait(['Vous avez envoyé le formulaire trop rapidement.'])).toBe(5000);
    expect(tooFastWait(['Das Formular wurde zu schnell abgeschickt. Bitte 5 Sekunden warten.'])).toBe(6000);
    expect(tooFastWait(['Formulário enviado rápido demais.'])).toBe(5000);
    expect(tooFastWait(['Please wait 3600 seconds and try again.'])).toBe(30_000);
    expect(tooFastWait(['Something went wrong. Please try again.'])).toBeUndefined();
    expect(tooFastWait(['Your Name field is required.'])).toBeUndefined();
  });
});
