/**
 * For forms auto-fill cannot handle: the explicit `fields:` map, the configured `success`
 * check, and `script:` modules (JavaScript and TypeScript), including a script that dies
 * after its click (status unknown, never re-sent).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { startSandboxSite, type SandboxSite } from '../../src/sandbox/site.js';
import type { Submitter } from '../../src/submit/types.js';
import { createWebformSubmitter } from '../../src/submit/webform.js';
import { CHROMIUM, deps, hooks, job, project, START } from './helpers.js';

const JS_SCRIPT = `export default async function ({ page, shopper, message, serviceLine, submit }) {
  await page.locator('[name=field_1]').fill(shopper.name);
  await page.locator('[name=field_2]').fill(shopper.email);
  await page.locator('[name=field_3]').fill(serviceLine.name);
  await page.locator('[name=field_4]').fill(message.body);
  await submit('input[type=submit]');
}
`;
const TS_SCRIPT = `interface Ctx { page: import('playwright-core').Page; shopper: { email: string; name: string }; submit(t?: string): Promise<void>; preferredDate: string }
export default async function ({ page, shopper, preferredDate, submit }: Ctx): Promise<void> {
  const name: string = shopper.name;
  await page.locator('[name=field_1]').fill(name);
  await page.locator('[name=field_2]').fill(shopper.email);
  await page.locator('[name=field_3]').fill(preferredDate);
  await page.locator('[name=field_4]').fill('typed by a TypeScript probe');
  await submit();
}
`;
const DYING_SCRIPT = `export default async function ({ page, autoFill, submit }) {
  await autoFill();
  await submit();
  await page.context().close();
}
`;

let site: SandboxSite;
let proj: ReturnType<typeof project>;
let submitter: Submitter;

beforeAll(async () => {
  site = await startSandboxSite({ clock: fixedClock(START) });
  site.mount({ path: '/quiet-ajax', style: 'ajax', successText: 'All set, talk soon.' });
  const u = (p: string) => site.urlOf(p);
  proj = project({
    browser: `executablePath: ${CHROMIUM}\ntimeout: 10s\ndwell: 0s`,
    files: { 'probes/opaque.mjs': JS_SCRIPT, 'probes/opaque-ts.ts': TS_SCRIPT, 'probes/dying.mjs': DYING_SCRIPT },
    entries: [
      { id: 'auto-only', url: u('/forms/opaque') },
      {
        id: 'mapped',
        url: u('/forms/opaque'),
        extra: `fields:\n  "[name=field_1]": "{shopper.firstName} {shopper.lastName}"\n  "[name=field_2]": "{shopper.email}"\n  "input[name=field_4]": "{message} ({serviceLine.name}, {preferredDate})"`,
      },
      { id: 'mapped-wrong', url: u('/forms/opaque'), extra: `fields:\n  "[name=field_9]": "{shopper.email}"` },
      { id: 'override', url: u('/forms/plain'), extra: `fields:\n  "#subject": "Custom subject for {site.name}"` },
      { id: 'quiet', url: u('/quiet-ajax'), extra: 'success:\n  text: "All set"' },
      { id: 'wizard-empty-email', url: u('/forms/multistep'), extra: `fields:\n  "#em": ""` },
      { id: 'script-js', url: u('/forms/opaque'), extra: 'script: probes/opaque.mjs' },
      { id: 'script-ts', url: u('/forms/opaque'), extra: 'script: probes/opaque-ts.ts' },
      { id: 'script-dies', url: u('/forms/plain'), extra: 'script: probes/dying.mjs' },
    ],
  });
  submitter = await createWebformSubmitter(deps(proj.loaded));
});

afterAll(async () => {
  await submitter?.close();
  await site?.close();
  proj?.cleanup();
});

const lastAt = (path: string) => site.received.filter((r) => r.path === path).at(-1);

describe('fields: map', () => {
  it('auto alone does not recognise unlabeled generic fields as a contact form: nothing sent', async () => {
    const before = site.count('/forms/opaque');
    const r = await submitter.submit(job(proj.loaded, 'auto-only'), hooks());
    expect(r).toMatchObject({ status: 'not-sent', outcome: 'failed' });
    expect(r.error).toMatch(/no contact form .*fields:/);
    expect(site.count('/forms/opaque')).toBe(before);
  });

  it('selector → value (placeholders rendered) fills them', async () => {
    const j = job(proj.loaded, 'mapped');
    const r = await submitter.submit(j, hooks());
    expect(r.status).toBe('submitted');
    expect(lastAt('/forms/opaque')?.fields).toEqual({
      field_1: 'Jordan Avery',
      field_2: j.shopper.email,
      field_3: '',
      field_4: `${j.message.body} (Orthopedics, 2027-03-09)`,
    });
  });

  it('a selector that matches nothing fails the probe before anything is sent', async () => {
    const before = site.count('/forms/opaque');
    const r = await submitter.submit(job(proj.loaded, 'mapped-wrong'), hooks());
    expect(r).toMatchObject({ status: 'not-sent', outcome: 'failed' });
    expect(r.error).toContain('[name=field_9]');
    expect(site.count('/forms/opaque')).toBe(before);
  });

  it('overrides auto-detection for its selector only', async () => {
    const j = job(proj.loaded, 'override');
    const r = await submitter.submit(j, hooks());
    expect(r.status).toBe('submitted');
    expect(lastAt('/forms/plain')?.fields).toMatchObject({ 'your-subject': 'Custom subject for North Clinic', 'your-email': j.shopper.email });
  });
});

describe('multi-step', () => {
  it('a Next step that refuses to advance is a validation error with the page\'s message', async () => {
    const before = site.count('/forms/multistep');
    const r = await submitter.submit(job(proj.loaded, 'wizard-empty-email'), hooks());
    expect(r).toMatchObject({ status: 'not-sent', outcome: 'validation-error' });
    expect(r.details?.errors).toContain('"Please complete the required fields."');
    expect(site.count('/forms/multistep')).toBe(before);
  });
});

describe('success: check', () => {
  it('a configured text decides success', async () => {
    const r = await submitter.submit(job(proj.loaded, 'quiet'), hooks());
    expect(r).toMatchObject({ status: 'submitted', details: { signal: 'configured' } });
  });
});

describe('script:', () => {
  it('a JavaScript module gets the page and the shopper; submit() marks the click', async () => {
    const j = job(proj.loaded, 'script-js');
    const h = hooks();
    const r = await submitter.submit(j, h);
    expect(r).toMatchObject({ status: 'submitted', submittedAt: START });
    expect(h.progressed).toContain('submitting');
    expect(lastAt('/forms/opaque')?.fields).toEqual({ field_1: 'Jordan Avery', field_2: j.shopper.email, field_3: 'Orthopedics', field_4: j.message.body });
  });

  it('a TypeScript module works too', async () => {
    const j = job(proj.loaded, 'script-ts');
    const r = await submitter.submit(j, hooks());
    expect(r.status).toBe('submitted');
    expect(lastAt('/forms/opaque')?.fields).toEqual({ field_1: 'Jordan Avery', field_2: j.shopper.email, field_3: '2027-03-09', field_4: 'typed by a TypeScript probe' });
  });

  it('a script whose browser dies after the click reports unknown (it may have been sent)', async () => {
    const j = job(proj.loaded, 'script-dies');
    const h = hooks();
    const r = await submitter.submit(j, h);
    expect(r.status).toBe('unknown');
    expect(h.confirmedAt).toEqual([]);
    // The submitter keeps working for the next probe.
    const again = await submitter.submit(job(proj.loaded, 'mapped'), hooks());
    expect(again.status).toBe('submitted');
  });
});
