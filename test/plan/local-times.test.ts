/**
 * `plan` and `status` show every moment in the site's own timezone, with the abbreviation its
 * people use (PDT, CEST), across the spring DST changes (the US changes two weeks before Europe).
 */
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { BASE_CONFIG, BASE_ENV, BASE_INQUIRY } from '../fixtures/base-config.js';
import { cli } from '../helpers/cli.js';
import { tempTree } from '../helpers/tmp.js';
import { Builder } from '../report/fixture.js';
import { configWith } from './helpers.js';

const ENV = { SID: 'ACx', TOKEN: 'tok' };

describe('plan in local times', () => {
  const plan = (at: string) => {
    const { root } = configWith({ sites: 2, linesPerSite: 1, siteExtra: (i) => `    timezone: ${i === 0 ? 'America/Los_Angeles' : 'Europe/Berlin'}\n` });
    return cli(['plan', '--at', at, '--days', '2', '--step', '1d'], { cwd: root, env: ENV });
  };

  it('prints each probe at its own site\'s time, the days in the config\'s timezone', async () => {
    // 10:00 in Chicago (the config's zone) is 08:00 in Los Angeles and 17:00 in Berlin.
    const r = await plan('2027-03-29T10:00:00');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Plan Mon 29 Mar 2027 10:00 CDT → Wed 31 Mar 2027 10:00 CDT/);
    expect(r.stdout).toMatch(/^ {4}08:00 PDT {3}s0\/l0\/webform/m);
    expect(r.stdout).toMatch(/^ {4}17:00 CEST {2}s1\/l0\/webform/m);
    expect(r.stdout).not.toMatch(/GMT[+-]|\d\d:\d\dZ/);
  });

  it('says which side of a DST change a moment is on', async () => {
    // Friday 12 March: the US and Europe are both on winter time; the US changes on the 14th.
    const r = await plan('2027-03-12T10:00:00');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Plan Fri 12 Mar 2027 10:00 CST → Sun 14 Mar 2027 11:00 CDT/);
    expect(r.stdout).toMatch(/^ {4}08:00 PST {3}s0\/l0\/webform/m);
    expect(r.stdout).toMatch(/^ {4}17:00 CET {3}s1\/l0\/webform/m);
  });
});

describe('status in local times', () => {
  it('shows runs in the config\'s timezone and each open inquiry in its site\'s', async () => {
    // North (Chicago, the config's zone) and Lakeside moved to Berlin.
    const config = BASE_CONFIG.replace('timezone: America/New_York', 'timezone: Europe/Berlin');
    const root = tempTree({ 'configs/audit.yaml': config, 'probes/new-inquiry.yaml': BASE_INQUIRY });
    const b = new Builder(join(root, 'configs'), 'respond-audit.db');
    // Sunday 28 March 2027, 15:00 UTC: Europe changed to summer time that night.
    const at = DateTime.fromISO('2027-03-28T15:00:00Z').toMillis();
    b.run(1, at - 60_000);
    b.probe('north/ortho/email', { at });
    b.probe('lakeside/ortho/sms', { at, run: 1 });
    b.store.close();
    const r = await cli(['status'], { cwd: root, env: { ...BASE_ENV, RESPOND_AUDIT_NOW: '2027-03-28T18:00:00Z' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/#1 run Sun 28 Mar 09:59 CDT/);
    expect(r.stdout).toMatch(/north\/ortho\/email \[email\] tok\d+x sent Sun 28 Mar 10:00 CDT, 3 h ago/);
    expect(r.stdout).toMatch(/lakeside\/ortho\/sms \[sms\] tok\d+x sent Sun 28 Mar 17:00 CEST, 3 h ago/);
    expect(r.stdout).not.toMatch(/GMT[+-]|\d\d:\d\dZ|UTC/);
  });
});
