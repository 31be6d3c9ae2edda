/** The shopper profile in `fields: auto`: which boxes ask for it, what they get, what is never invented. */
import { describe, expect, it } from 'vitest';
import { classifyField, planFill, type FieldInfo, type FillContext } from '../../src/submit/webform-fields.js';

let n = 0;
function field(p: Partial<FieldInfo>): FieldInfo {
  return {
    idx: ++n, tag: 'input', type: 'text', name: '', id: '', autocomplete: '', placeholder: '', ariaLabel: '', label: '', nearby: '',
    required: false, visible: true, rendered: true, offscreen: false, tiny: false, ariaHidden: false, tabindexNeg: false, inert: false,
    disabled: false, readOnly: false, pattern: '', maxLength: 0, min: '', max: '', value: '', checked: false, optionValue: '', groupLabel: '',
    ...p,
  };
}
const opts = (...t: string[]) => [{ value: '', text: '', disabled: false }, ...t.map((x) => ({ value: x, text: x, disabled: false }))];

const base: FillContext = {
  firstName: 'Jordan', lastName: 'Avery', fullName: 'Jordan Avery', email: 'jordan+tok@example.net', phone: '+13125550101',
  askCallback: true, message: 'Hello', subject: 'Question', preferredDate: '2027-03-09', serviceLine: 'Orthopedics',
};
const full: FillContext = {
  ...base,
  profile: { company: 'Avery Logistics', jobTitle: 'Office manager', postalCode: '60601', city: 'Chicago', state: 'IL', preferredTime: '15:30', customerStatus: 'existing', dateOfBirth: '1984-05-17', contactMethod: 'email' },
};
const valueOf = (plan: ReturnType<typeof planFill>, f: FieldInfo) => plan.actions.find((a) => a.idx === f.idx)?.value;

describe('profile roles', () => {
  it.each([
    [{ label: 'Date of Birth', type: 'date' }, 'dob'],
    [{ label: 'Fecha de nacimiento' }, 'dob'],
    [{ label: 'Date de naissance', placeholder: 'jj/mm/aaaa' }, 'dob'],
    [{ label: 'Geburtsdatum' }, 'dob'],
    [{ name: 'dob' }, 'dob'],
    [{ autocomplete: 'bday' }, 'dob'],
    [{ label: 'ZIP Code' }, 'postal-code'],
    [{ label: 'Código postal' }, 'postal-code'],
    [{ label: 'PLZ' }, 'postal-code'],
    [{ autocomplete: 'address-level2', label: 'x' }, 'city'],
    [{ label: 'Ville' }, 'city'],
    [{ label: 'State / Province / Region' }, 'state'],
    [{ label: 'Job title' }, 'job-title'],
    [{ label: 'Cargo' }, 'job-title'],
    [{ label: 'Company name' }, 'company'],
    [{ label: 'Unternehmen' }, 'company'],
    [{ label: 'Preferred appointment date' }, 'date'],
  ])('%o is %s', (p, role) => expect(classifyField(field(p))).toBe(role));
});

describe('profile values', () => {
  it('a configured profile fills its boxes, dates in the box\'s format', () => {
    const fs = [field({ label: 'Company' }), field({ label: 'Job title' }), field({ label: 'ZIP' }), field({ label: 'City' }), field({ label: 'Date of birth', placeholder: 'mm/dd/yyyy' }), field({ type: 'time', label: 'Preferred time' })];
    const plan = planFill(fs, full);
    expect(fs.map((f) => valueOf(plan, f))).toEqual(['Avery Logistics', 'Office manager', '60601', 'Chicago', '05/17/1984', '15:30']);
  });

  it('without a profile optional boxes stay empty and the appointment date never goes into a DOB box', () => {
    const dob = field({ label: 'Date of birth', type: 'date' });
    const appt = field({ label: 'Preferred date', type: 'date' });
    const company = field({ label: 'Company' });
    const plan = planFill([dob, appt, company], base);
    expect(valueOf(plan, dob)).toBeUndefined();
    expect(valueOf(plan, company)).toBeUndefined();
    expect(valueOf(plan, appt)).toBe('2027-03-09');
    expect(plan.missingProfile).toEqual([]);
  });

  it('a required DOB (or state) without a value is reported by its label, never guessed', () => {
    const dob = field({ label: 'Date of birth', required: true });
    const state = field({ tag: 'select', type: 'select', label: 'State', required: true, options: opts('Alabama', 'Illinois') });
    const plan = planFill([dob, state], base);
    expect(plan.actions).toEqual([]);
    expect(plan.missingProfile).toEqual(['Date of birth (shopper.dateOfBirth)', 'State (shopper.state)']);
  });

  it('a state abbreviation chooses the state\'s name, and back', () => {
    const names = field({ tag: 'select', type: 'select', label: 'State', required: true, options: opts('Alabama', 'Illinois') });
    const abbr = field({ tag: 'select', type: 'select', label: 'Province / State', options: [{ value: '', text: '—', disabled: false }, { value: 'AL', text: 'AL', disabled: false }, { value: 'IL', text: 'IL', disabled: false }] });
    const plan = planFill([names, abbr], { ...full, profile: { ...full.profile!, state: 'Illinois' } });
    expect(valueOf(plan, names)).toBe('Illinois');
    expect(valueOf(plan, abbr)).toBe('IL');
  });

  it('new or existing, contact method and time of day are answered from the profile or its defaults', () => {
    const status = field({ tag: 'select', type: 'select', label: 'Are you a new or existing patient?', options: opts('Existing patient', 'New patient') });
    const method = field({ tag: 'select', type: 'select', label: 'Preferred contact method', options: opts('Email', 'Phone call', 'Text message') });
    const when = field({ tag: 'select', type: 'select', label: 'Best time to call', options: opts('Morning', 'Afternoon', 'Evening') });
    const d = planFill([status, method, when], base);
    expect([status, method, when].map((f) => valueOf(d, f))).toEqual(['New patient', 'Phone call', 'Morning']);
    const c = planFill([status, method, when], full);
    expect([status, method, when].map((f) => valueOf(c, f))).toEqual(['Existing patient', 'Email', 'Afternoon']);
  });

  it('"Have you been seen here before?" yes/no radios: a new patient answers no', () => {
    const yes = field({ type: 'radio', name: 'seen', label: 'Yes', groupLabel: 'Have you been seen here before?' });
    const no = field({ type: 'radio', name: 'seen', label: 'No', groupLabel: 'Have you been seen here before?' });
    const plan = planFill([yes, no], base);
    expect(plan.actions.map((a) => a.idx)).toEqual([no.idx]);
  });
});
