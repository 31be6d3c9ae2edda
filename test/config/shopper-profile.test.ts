/** The shopper profile: its defaults, the values a config gives, and the errors it reports by line. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { BASE_CONFIG, BASE_ENV, BASE_INQUIRY } from '../fixtures/base-config.js';
import { tempTree } from '../helpers/tmp.js';

function load(extra: string) {
  const text = BASE_CONFIG.replace(/^shopper:\n/m, `shopper:\n${extra}`);
  const root = tempTree({ 'configs/audit.yaml': text, 'probes/new-inquiry.yaml': BASE_INQUIRY });
  return loadConfig(join(root, 'configs/audit.yaml'), { cwd: root, env: BASE_ENV });
}

describe('shopper profile', () => {
  it('defaults: new customer, 10:00, nothing else invented', () => {
    const r = load('');
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.loaded.entryPoints[0]!.profile).toEqual({ preferredTime: '10:00', customerStatus: 'new' });
  });

  it('every part a config gives reaches each entry point', () => {
    const r = load(
      '  company: Avery Logistics\n  jobTitle: Office manager\n  postalCode: "60601"\n  city: Chicago\n  state: IL\n  contactMethod: email\n  preferredTime: "15:30"\n  customerStatus: existing\n  dateOfBirth: 1984-05-17\n',
    );
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    for (const e of r.loaded.entryPoints)
      expect(e.profile).toEqual({
        company: 'Avery Logistics',
        jobTitle: 'Office manager',
        postalCode: '60601',
        city: 'Chicago',
        state: 'IL',
        contactMethod: 'email',
        preferredTime: '15:30',
        customerStatus: 'existing',
        dateOfBirth: '1984-05-17',
      });
  });

  it('a malformed date of birth, time or choice is an error naming the key and its line', () => {
    const r = load('  dateOfBirth: 17/05/1984\n  preferredTime: 3pm\n  customerStatus: returning\n');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const paths = r.issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['shopper.dateOfBirth', 'shopper.preferredTime', 'shopper.customerStatus']));
    const dob = r.issues.find((i) => i.path === 'shopper.dateOfBirth')!;
    expect(dob.message).toMatch(/YYYY-MM-DD/);
    expect(dob.line).toBeGreaterThan(1);
  });
});
