/** The sandbox site's own contract (what the demo builds on), over plain HTTP. */
import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { startSandboxSite, type SandboxSite, type Submission } from '../../src/sandbox/site.js';

let site: SandboxSite | undefined;
afterEach(async () => {
  await site?.close();
  site = undefined;
});

const post = (url: string, fields: Record<string, string>) =>
  fetch(url, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' });

describe('sandbox site', () => {
  it('mounts one form per site/service line, records submissions on the injected clock and calls onSubmission', async () => {
    const clock = fixedClock(Date.UTC(2027, 2, 1, 14));
    const seen: Submission[] = [];
    site = await startSandboxSite({
      clock,
      forms: [{ path: '/north/ortho/contact', style: 'plain', meta: { site: 'north', line: 'ortho' }, successText: 'We will call you within one business day.' }],
      onSubmission: (s) => seen.push(s),
    });
    clock.advance(3_600_000);
    const res = await post(site.urlOf('/north/ortho/contact'), { 'your-name': 'Jordan', 'your-email': 'j+t1@example.net' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/north/ortho/contact/thank-you');
    expect(await (await fetch(site.urlOf('/north/ortho/contact/thank-you'))).text()).toContain('We will call you within one business day.');
    expect(seen).toEqual([
      {
        path: '/north/ortho/contact',
        form: 'plain',
        fields: { 'your-name': 'Jordan', 'your-email': 'j+t1@example.net' },
        at: Date.UTC(2027, 2, 1, 15),
        accepted: true,
        meta: { site: 'north', line: 'ortho' },
      },
    ]);
    expect(site.received).toEqual(seen);
    expect(site.count('/north/ortho/contact')).toBe(1);
  });

  it('CAPTCHA forms never accept; honeypot values are flagged as spam; validation refuses with messages', async () => {
    site = await startSandboxSite({ clock: fixedClock(0) });
    expect((await post(site.urlOf('/forms/captcha-hcaptcha'), { email: 'a@b.co', 'h-captcha-response': 'x' })).status).toBe(400);
    expect(site.count('/forms/captcha-hcaptcha', { accepted: true })).toBe(0);
    expect(site.count('/forms/captcha-hcaptcha', { accepted: false })).toBe(1);
    await post(site.urlOf('/forms/consent'), { email: 'a@b.co', website: 'http://spam.example' });
    expect(site.received.at(-1)?.spam).toBe(true);
    const page = await (await post(site.urlOf('/forms/validation'), { name: 'J', email: 'j+x@example.net', message: 'hi', phone: '12' })).text();
    expect(page).toContain('the + sign is not allowed');
    expect(site.received.at(-1)).toMatchObject({ accepted: false, errors: ['Please enter a valid email address (the + sign is not allowed).', 'Please enter a 10-digit phone number.'] });
  });

  it('serves a bot wall as HTTP 503 and 404 for unknown paths; a hanging page is released on close', async () => {
    site = await startSandboxSite({ clock: fixedClock(0) });
    expect((await fetch(site.urlOf('/forms/challenge'))).status).toBe(503);
    expect((await fetch(site.urlOf('/nope'))).status).toBe(404);
    const hanging = fetch(site.urlOf('/forms/slow')).then(
      () => 'answered',
      () => 'closed',
    );
    await new Promise((r) => setTimeout(r, 50));
    await site.close();
    site = undefined;
    expect(await hanging).toBe('closed');
  });
});
