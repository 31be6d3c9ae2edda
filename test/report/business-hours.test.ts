/**
 * Opening hours through the CLI path a user takes: a config with `hours`, `holidays` and an
 * SLA in business hours, a store with known times, `respond-audit report` as of a fixed moment.
 */
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { BASE_CONFIG, BASE_ENV, BASE_INQUIRY } from '../fixtures/base-config.js';
import { cli } from '../helpers/cli.js';
import { tempTree } from '../helpers/tmp.js';
import { Builder, HOUR } from './fixture.js';

const chicago = (iso: string) => DateTime.fromISO(iso, { zone: 'America/Chicago' }).toMillis();
const newYork = (iso: string) => DateTime.fromISO(iso, { zone: 'America/New_York' }).toMillis();

/** North (Chicago) opens Mon-Fri 08:00-17:00; Lakeside (New York) has no hours (always open). */
const WITH_HOURS = BASE_CONFIG.replace('firstResponse: 2h', 'firstResponse: 2 business hours')
  .replace('    region: North\n', '    region: North\n    hours: "Mon-Fri 08:00-17:00"\n    holidays: [{ date: "2027-03-19", name: Staff day }]\n');

function project(config: string) {
  const root = tempTree({ 'configs/audit.yaml': config, 'probes/new-inquiry.yaml': BASE_INQUIRY });
  const b = new Builder(join(root, 'configs'), 'respond-audit.db');
  // Friday 16:00 before the US DST change (Sun 2027-03-14), answered Monday 09:00:
  // 64 h by the clock (the night of the change is an hour short), 2 h while North was open.
  const friday = chicago('2027-03-12T16:00');
  b.run(1, friday - 60_000);
  const a = b.probe('north/ortho/email', { at: friday });
  b.event(a, 'human-reply', chicago('2027-03-15T09:00'), { excerpt: 'Hi Jordan, happy to help.' });
  // Sent Thursday 16:30 before the Friday holiday, answered Monday 10:00: 0.5 h + 2 h open.
  const thursday = chicago('2027-03-18T16:30');
  const c = b.probe('north/cardio/email', { at: thursday, run: 1 });
  b.event(c, 'human-reply', chicago('2027-03-22T10:00'), { excerpt: 'Hi Jordan, yes.' });
  // A site without hours: business time is the wall clock (Saturday 10:00 → 11:00).
  const l = b.probe('lakeside/ortho/email', { at: newYork('2027-03-13T10:00'), run: 1 });
  b.event(l, 'human-reply', newYork('2027-03-13T11:00'), { excerpt: 'Hello Jordan.' });
  b.store.close();
  return root;
}

const report = (root: string, ...args: string[]) =>
  cli(['report', ...args], { cwd: root, env: { ...BASE_ENV, RESPOND_AUDIT_NOW: '2027-04-05T12:00:00Z' } });

describe('report with opening hours', () => {
  it('shows times counted in opening hours beside wall-clock times, and measures a business-hours SLA on them', async () => {
    const root = project(WITH_HOURS);
    const j = await report(root, '--format', 'json');
    expect(j.stderr).toBe('');
    expect(j.code).toBe(0);
    const m = JSON.parse(j.stdout);
    const north = m.sites.find((s: { id: string }) => s.id === 'north');
    const ortho = north.serviceLines.find((l: { id: string }) => l.id === 'ortho');
    expect(ortho.stats.firstResponse.median.ms).toBe(64 * HOUR);
    expect(ortho.stats.business.firstResponse.median.ms).toBe(2 * HOUR);
    const cardio = north.serviceLines.find((l: { id: string }) => l.id === 'cardio');
    expect(cardio.stats.firstResponse.median.ms).toBe(89.5 * HOUR);
    expect(cardio.stats.business.firstResponse.median.ms).toBe(2.5 * HOUR);
    // 2 h open (met) and 2.5 h open (missed): half on time, though both took days by the clock.
    expect(north.stats.firstResponse.withinSla).toBe(0);
    expect(north.stats.business.onTime.firstResponse).toBe(0.5);
    const lakeside = m.sites.find((s: { id: string }) => s.id === 'lakeside');
    expect(lakeside.stats.business.firstResponse.median.ms).toBe(HOUR);
    expect(m.settings.businessHours).toBe(true);
    // The late one is a finding in the target's own terms; the one on time is not.
    const slow = m.findings.filter((f: { code: string }) => f.code === 'slow-first');
    expect(slow.map((f: { where: string; what: string }) => [f.where, f.what])).toEqual([
      ['North Clinic cardiology email', 'first response after 3.7 days (2.5 h of it while open) (target 2 h of opening hours)'],
    ]);

    const md = await report(root, '--format', 'md', '--out', 'out.md');
    expect(md.code).toBe(0);
    const text = (await import('node:fs')).readFileSync(join(root, 'out.md'), 'utf8');
    expect(text).toContain('2.7 days (2 h open)');
    expect(text).toContain('a first response within 2 h of opening hours');
    expect(text).toContain('"(x open)" after a time is the same median counted only while the site was open');
  });

  it('without hours the same store reports wall-clock only, as before', async () => {
    const root = project(BASE_CONFIG);
    const j = await report(root, '--format', 'json');
    expect(j.code).toBe(0);
    const m = JSON.parse(j.stdout);
    expect(m.settings.businessHours).toBeUndefined();
    expect(m.settings.sla.business).toBeUndefined();
    expect(m.sites[0].stats.business).toBeUndefined();
    expect(m.findings.filter((f: { code: string }) => f.code === 'slow-first').map((f: { what: string }) => f.what)).toContain(
      'first response after 2.7 days (target 2 h)',
    );
    const md = await report(root, '--format', 'md', '--out', 'out.md');
    expect((await import('node:fs')).readFileSync(join(root, 'out.md'), 'utf8')).not.toContain(' open)');
    expect(m.sites[0].businessDistribution).toBeUndefined();
    const html = await report(root, '--format', 'html', '--out', 'out.html');
    expect(html.code).toBe(0);
    const page = (await import('node:fs')).readFileSync(join(root, 'out.html'), 'utf8');
    expect(page).toContain('aria-label="Time to first response per site"');
    expect(page).not.toContain('in opening hours"');
  });

  it('plots the response-time distribution per site in opening hours beside the wall-clock one', async () => {
    const root = project(WITH_HOURS);
    const j = await report(root, '--format', 'json');
    const m = JSON.parse(j.stdout);
    const north = m.sites.find((s: { id: string }) => s.id === 'north');
    // 64 h and 89.5 h by the clock; 2 h and 2.5 h while North was open.
    expect(north.distribution).toEqual({ within1h: 0, within1d: 0, within3d: 1, later: 1, never: 0, pending: 0 });
    expect(north.businessDistribution).toEqual({ within1h: 0, within1d: 2, within3d: 0, later: 0, never: 0, pending: 0 });
    const lakeside = m.sites.find((s: { id: string }) => s.id === 'lakeside');
    expect(lakeside.businessDistribution).toEqual(lakeside.distribution);

    const r = await report(root, '--format', 'html', '--out', 'out.html');
    expect(r.code).toBe(0);
    const page = (await import('node:fs')).readFileSync(join(root, 'out.html'), 'utf8');
    const chart = (label: string) => page.match(new RegExp(`<svg[^>]*aria-label="${label}"[\\s\\S]*?</svg>`))?.[0] ?? '';
    const wall = chart('Time to first response per site');
    const open = chart('Time to first response per site, in opening hours');
    expect(wall).toContain('<title>1 – 3 d: 1 of 2</title>');
    expect(wall).toContain('<title>&gt; 3 d: 1 of 2</title>');
    expect(open).toContain('<title>1 h – 1 d: 2 of 2</title>');
    expect(open).not.toContain('<title>&gt; 3 d: ');
    expect(page.indexOf(wall)).toBeLessThan(page.indexOf(open));
    expect(page).toContain("counted only in each site's opening hours");
  });
});
