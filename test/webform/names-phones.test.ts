/** Name parts in five languages and phone boxes (masks, splits), over control descriptions. */
import { describe, expect, it } from 'vitest';
import { classifyField, planFill, type FieldInfo, type FillContext } from '../../src/submit/webform-fields.js';
import { nameRoleOf, resolveBareName } from '../../src/submit/webform-names.js';
import { formatPhoneFor, phoneSegments, phoneValueHolds, shapeFor } from '../../src/submit/webform-phone.js';
import { norm } from '../../src/submit/webform-fields.js';

let n = 0;
function field(p: Partial<FieldInfo>): FieldInfo {
  return {
    idx: ++n, tag: 'input', type: 'text', name: '', id: '', autocomplete: '', placeholder: '', ariaLabel: '', label: '', nearby: '',
    required: false, visible: true, rendered: true, offscreen: false, tiny: false, ariaHidden: false, tabindexNeg: false, inert: false,
    disabled: false, readOnly: false, pattern: '', maxLength: 0, min: '', max: '', value: '', checked: false, optionValue: '', groupLabel: '', ...p,
  };
}
const ctx: FillContext = {
  firstName: 'Jordan', lastName: 'Avery', fullName: 'Jordan Avery', email: 'j@example.net', phone: '+13125550101', askCallback: true,
  message: 'Hello', subject: 'Question', preferredDate: '2027-03-09', serviceLine: 'Orthopedics',
};
const valuesOf = (fields: FieldInfo[], c: FillContext = ctx) => planFill(fields, c).actions.map((a) => [fields.find((f) => f.idx === a.idx)!.label || fields.find((f) => f.idx === a.idx)!.ariaLabel, a.value]);

describe('name labels in five languages', () => {
  it.each([
    ['Full name', 'full-name'], ['Your Name', 'full-name'], ['Nombre y apellidos', 'full-name'], ['Nombre completo', 'full-name'],
    ['Apellidos y nombre', 'full-name'], ['Nom complet', 'full-name'], ['Prénom et nom', 'full-name'], ['Vor- und Nachname', 'full-name'],
    ['Vollständiger Name', 'full-name'], ['Nome completo', 'full-name'], ['Nome e sobrenome', 'full-name'],
    ['First name', 'first-name'], ['Prénom', 'first-name'], ['Vorname', 'first-name'], ['Primeiro nome', 'first-name'],
    ['Last name', 'last-name'], ['Apellidos', 'last-name'], ['Nom de famille', 'last-name'], ['Nachname', 'last-name'], ['Sobrenome', 'last-name'],
    ['Middle name', 'middle-name'], ['Segundo nombre', 'middle-name'], ['Nome do meio', 'middle-name'],
    ['Name', 'name'], ['Nombre', 'name'], ['Nom', 'name'], ['Nome', 'name'],
  ])('%s → %s', (label, role) => expect(nameRoleOf(norm(label))).toBe(role));

  it('a bare name is the surname beside a first-name box, the given name beside a last-name box, else the whole name', () => {
    expect(resolveBareName(true, false)).toBe('last-name');
    expect(resolveBareName(false, true)).toBe('first-name');
    expect(resolveBareName(false, false)).toBe('full-name');
    expect(valuesOf([field({ label: 'Vorname' }), field({ label: 'Name' })])).toEqual([['Vorname', 'Jordan'], ['Name', 'Avery']]);
    expect(valuesOf([field({ label: 'Prénom' }), field({ label: 'Nom' })])).toEqual([['Prénom', 'Jordan'], ['Nom', 'Avery']]);
    expect(valuesOf([field({ label: 'Nombre' }), field({ label: 'Apellidos' })])).toEqual([['Nombre', 'Jordan'], ['Apellidos', 'Avery']]);
    expect(valuesOf([field({ label: 'Nom' }), field({ label: 'E-mail', type: 'email' })])).toEqual([['Nom', 'Jordan Avery'], ['E-mail', 'j@example.net']]);
  });

  it('a company name is not a person name, and a middle name stays empty', () => {
    expect(classifyField(field({ label: 'Nombre de la empresa' }))).toBe('company');
    expect(valuesOf([field({ label: 'First name' }), field({ label: 'Middle name' }), field({ label: 'Last name' })])).toEqual([['First name', 'Jordan'], ['Last name', 'Avery']]);
  });
});

describe('phone boxes', () => {
  it('pours the national number into a mask, leaving a mask\'s own +1 to its script', () => {
    expect(shapeFor({ placeholder: '(___) ___-____' }, '+13125550101')).toBe('(312) 555-0101');
    expect(shapeFor({ mask: "'mask': '+1 (999) 999-9999'", placeholder: '' }, '+13125550101')).toBe('(312) 555-0101');
    expect(shapeFor({ placeholder: '555.555.5555' }, '+13125550101')).toBe('312.555.0101');
    expect(shapeFor({ placeholder: '+1 201-555-0123' }, '+13125550101')).toBe('+1 312-555-0101');
    expect(shapeFor({ placeholder: 'Phone number' }, '+13125550101')).toBeUndefined();
    expect(shapeFor({ placeholder: '06 12 34 56 78' }, '+13125550101')).toBeUndefined();
    expect(formatPhoneFor({ pattern: '[0-9\\-]*', maxLength: 0, placeholder: 'Numéro de téléphone' }, '+13125550101')).toBe('3125550101');
  });

  it('tells whether a box still holds the number after a mask rewrote it', () => {
    expect(phoneValueHolds('+1 (312) 555-0101', '+13125550101')).toBe(true);
    expect(phoneValueHolds('(312) 555-0101', '+13125550101')).toBe(true);
    expect(phoneValueHolds('(131) 255-5010', '+13125550101')).toBe(false);
  });

  const box = (p: Partial<FieldInfo>) => field({ type: 'text', ...p });
  it('splits a US number over area / exchange / line boxes, with a country box when there is one', () => {
    const three = [box({ label: 'Phone Number *', maxLength: 3 }), box({ ariaLabel: 'First three digits', maxLength: 3 }), box({ ariaLabel: 'Last four digits', maxLength: 4 })];
    expect([...phoneSegments(three, '+13125550101').values()].map((v) => v.value)).toEqual(['312', '555', '0101']);
    const four = [box({ label: 'Country', maxLength: 3, groupLabel: 'Phone' }), box({ label: '(###)', maxLength: 3, groupLabel: 'Phone' }), box({ label: '###', maxLength: 3, groupLabel: 'Phone' }), box({ label: '####', maxLength: 4, groupLabel: 'Phone' })];
    expect([...phoneSegments(four, '+13125550101').values()].map((v) => v.value)).toEqual(['1', '312', '555', '0101']);
    const two = [box({ label: 'Area code', maxLength: 3 }), box({ label: 'Phone', maxLength: 8 })];
    expect([...phoneSegments(two, '+13125550101').values()].map((v) => v.value)).toEqual(['312', '555-0101']);
    // Jotform's phone control: no maxlength, only the sub-labels "Area Code" / "Phone Number".
    const subLabelled = [box({ label: 'Phone Number Area Code', type: 'tel' }), box({ label: 'Phone Number', type: 'tel' })];
    expect([...phoneSegments(subLabelled, '+13125550101').values()].map((v) => v.value)).toEqual(['312', '5550101']);
    const tokens = [box({ autocomplete: 'tel-area-code' }), box({ autocomplete: 'tel-local-prefix' }), box({ autocomplete: 'tel-local-suffix', label: 'Phone' })];
    expect([...phoneSegments(tokens, '+13125550101').values()].map((v) => v.value)).toEqual(['312', '555', '0101']);
  });

  it('a country-code box beside the number box gets "+<code>", the number box the national digits, in any country', () => {
    // Zoho Forms' international phone: "Code" / "Number" captions after the boxes, no labels.
    const zoho = () => [box({ name: 'PhoneNumber_countrycodeval', nearby: 'Code', maxLength: 10 }), box({ name: 'PhoneNumber_countrycode', nearby: 'Number', maxLength: 20 })];
    expect([...phoneSegments(zoho(), '+13125550101').values()]).toEqual([{ value: '+1', part: 'phone-country' }, { value: '3125550101', part: 'phone-national' }]);
    expect([...phoneSegments(zoho(), '+442079460000').values()].map((v) => v.value)).toEqual(['+44', '2079460000']);
    const tokens = (maxLength: number) => [box({ autocomplete: 'tel-country-code', maxLength }), box({ type: 'tel', label: 'Mobile' })];
    expect([...phoneSegments(tokens(4), '+13125550101').values()].map((v) => v.value)).toEqual(['+1', '3125550101']);
    // A box too short for the "+" gets the digits only.
    expect([...phoneSegments(tokens(1), '+13125550101').values()].map((v) => v.value)).toEqual(['1', '3125550101']);
    // A ZIP or promo code before the phone box is not a calling code.
    expect(phoneSegments([box({ label: 'ZIP code', maxLength: 5 }), box({ type: 'tel', label: 'Phone' })], '+13125550101').size).toBe(0);
    expect(phoneSegments([box({ label: 'Promo code' }), box({ type: 'tel', label: 'Phone' })], '+13125550101').size).toBe(0);
  });

  it('keeps one phone box without maxlength whole, and a lone area-code box does not pull in a name box', () => {
    expect(phoneSegments([box({ label: 'Phone Number', type: 'tel' })], '+13125550101').size).toBe(0);
    expect(phoneSegments([box({ label: 'Area code' }), box({ label: 'Company' })], '+13125550101').size).toBe(0);
  });

  it('leaves date parts, state + ZIP and numbers outside North America alone', () => {
    expect(phoneSegments([box({ label: 'MM', maxLength: 2 }), box({ label: 'DD', maxLength: 2 }), box({ label: 'YYYY', maxLength: 4 })], '+13125550101').size).toBe(0);
    expect(phoneSegments([box({ label: 'State', maxLength: 2 }), box({ label: 'ZIP', maxLength: 5 })], '+13125550101').size).toBe(0);
    expect(phoneSegments([box({ label: 'Code', maxLength: 3 }), box({ label: 'PIN', maxLength: 3 }), box({ label: 'Extra', maxLength: 4 })], '+13125550101').size).toBe(0);
    expect(phoneSegments([box({ label: 'Phone', maxLength: 3 }), box({ maxLength: 3 }), box({ maxLength: 4 })], '+442079460000').size).toBe(0);
  });

  it('fills the split boxes only when the inquiry asks for a call back or the boxes are required', () => {
    const three = () => [box({ label: 'Phone', maxLength: 3 }), box({ ariaLabel: 'Prefix', maxLength: 3 }), box({ ariaLabel: 'Line', maxLength: 4 })];
    expect(planFill(three(), ctx).actions.map((a) => a.role)).toEqual(['phone-area', 'phone-exchange', 'phone-line']);
    expect(planFill(three(), { ...ctx, askCallback: false }).actions).toEqual([]);
  });
});
