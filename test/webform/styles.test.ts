/**
 * The submitter fills every builder style of the sandbox site in real Chromium; the site's
 * record of what it received is checked field by field.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { startSandboxSite, type SandboxSite, type Submission } from '../../src/sandbox/site.js';
import type { Submitter } from '../../src/submit/types.js';
import { createWebformSubmitter } from '../../src/submit/webform.js';
import { deps, hooks, job, project, START } from './helpers.js';

const STYLES = ['plain', 'ajax', 'multistep', 'iframe', 'consent', 'react', 'spanish', 'split', 'validation-ok'];

let site: SandboxSite;
let proj: ReturnType<typeof project>;
let submitter: Submitter;

beforeAll(async () => {
  site = await startSandboxSite({ clock: fixedClock(START + 5000) });
  proj = project({ entries: STYLES.map((s) => ({ id: s, url: site.urlOf(`/forms/${s}`) })) });
  submitter = await createWebformSubmitter(deps(proj.loaded));
});

afterAll(async () => {
  await submitter?.close();
  await site?.close();
  proj?.cleanup();
});

async function submitTo(style: string) {
  const j = job(proj.loaded, style);
  const h = hooks();
  const result = await submitter.submit(j, h);
  const got = site.received.filter((r) => r.path === `/forms/${style}`);
  return { j, h, result, got, last: got.at(-1) as Submission };
}

const digits = (s: string | undefined) => (s ?? '').replace(/\D/g, '');

describe('web-form probes against every builder style', () => {
  it('plain POST with a redirect to a thank-you page', async () => {
    const { j, h, result, got, last } = await submitTo('plain');
    expect(result).toMatchObject({ status: 'submitted', outcome: 'submitted', submittedAt: START });
    expect(got).toHaveLength(1);
    expect(last.fields).toEqual({
      'your-name': 'Jordan Avery',
      'your-email': j.shopper.email,
      'your-phone': '(312) 555-0101',
      'your-subject': 'Question about Orthopedics',
      'your-message': j.message.body,
    });
    expect(last.fields['your-email']).toContain(`+${j.probe.token}@`);
    expect(h.confirmedAt).toEqual([START]);
    expect(h.progressed).toContain('submitting');
    expect(result.evidence).toMatchObject({ screenshot: `artifacts/${j.probe.token}/screenshot.png`, html: `artifacts/${j.probe.token}/page.html` });
    expect(existsSync(join(proj.loaded.reportsDir, String(result.evidence!.screenshot)))).toBe(true);
    expect(existsSync(join(proj.loaded.reportsDir, String(result.evidence!.html)))).toBe(true);
  });

  it('AJAX (fetch) with an inline thank-you, choosing the department', async () => {
    const { j, result, last } = await submitTo('ajax');
    expect(result).toMatchObject({ status: 'submitted', details: { signal: 'text' } });
    expect(last.fields).toEqual({ name: 'Jordan Avery', email: j.shopper.email, phone: '(312) 555-0101', department: 'orthopedics', comments: j.message.body });
  });

  it('multi-step (Next … Submit) with first/last name, service, date', async () => {
    const { j, result, last } = await submitTo('multistep');
    expect(result.status).toBe('submitted');
    expect(last.fields).toEqual({
      first_name: 'Jordan',
      last_name: 'Avery',
      email: j.shopper.email,
      phone: '(312) 555-0101',
      service: 'orthopedics',
      preferred_date: '2027-03-09',
      message: j.message.body,
    });
  });

  it('a form inside an iframe (HubSpot-like, fetch)', async () => {
    const { j, result, last } = await submitTo('iframe');
    expect(result.status).toBe('submitted');
    expect(last.fields).toEqual({ firstname: 'Jordan', lastname: 'Avery', email: j.shopper.email, mobilephone: '(312) 555-0101', topic: 'orthopedics', message: j.message.body });
    expect(result.evidence).toHaveProperty('frameHtml');
  });

  it('ticks the required consent, leaves the newsletter and every honeypot empty', async () => {
    const { j, result, last } = await submitTo('consent');
    expect(result.status).toBe('submitted');
    expect(last.spam).toBeUndefined();
    expect(last.fields).toEqual({
      fullname: 'Jordan Avery',
      email: j.shopper.email,
      phone: '(312) 555-0101',
      question: j.message.body,
      website: '',
      hp_field: '',
      fax_number: '',
      consent: 'yes',
    });
  });

  it('a React-style controlled form rendered by script (values must arrive through input events)', async () => {
    const { j, result, last } = await submitTo('react');
    expect(result.status).toBe('submitted');
    expect(last.fields).toEqual({
      fullName: 'Jordan Avery',
      email: j.shopper.email,
      phone: '(312) 555-0101',
      service: 'Orthopedics',
      message: j.message.body,
      contactConsent: 'true',
    });
  });

  it('a Spanish form (nombre, apellidos, correo, teléfono, especialidad, fecha, mensaje, privacidad)', async () => {
    const { j, result, last } = await submitTo('spanish');
    expect(result.status).toBe('submitted');
    expect(last.fields).toEqual({
      nombre: 'Jordan',
      apellidos: 'Avery',
      correo: j.shopper.email,
      telefono: '(312) 555-0101',
      especialidad: 'ortopedia',
      fecha: '2027-03-09',
      mensaje: j.message.body,
      privacidad: 'si',
    });
  });

  it('split first/last name with a service-line select and a date field', async () => {
    const { j, result, last } = await submitTo('split');
    expect(result.status).toBe('submitted');
    expect(last.fields).toEqual({
      firstName: 'Jordan',
      lastName: 'Avery',
      emailAddress: j.shopper.email,
      phoneNumber: '(312) 555-0101',
      serviceLine: 'orthopedics',
      preferredDate: '2027-03-09',
      referral: '',
      notes: j.message.body,
    });
    expect(digits(last.fields.phoneNumber)).toBe('3125550101');
  });

  it('inline validation passes when the address is accepted', async () => {
    const { result, last } = await submitTo('validation-ok');
    expect(result.status).toBe('submitted');
    expect(last.accepted).toBe(true);
  });

  it('runs several probes at once on one browser (concurrency)', async () => {
    const before = site.received.length;
    const jobs = ['plain', 'ajax', 'split', 'consent'].map((s) => job(proj.loaded, s));
    const results = await Promise.all(jobs.map((j) => submitter.submit(j, hooks())));
    expect(results.map((r) => r.status)).toEqual(['submitted', 'submitted', 'submitted', 'submitted']);
    const emails = site.received.slice(before).map((r) => Object.values(r.fields).find((v) => v.includes('@')));
    expect(emails.sort()).toEqual(jobs.map((j) => j.shopper.email).sort());
  });
});
