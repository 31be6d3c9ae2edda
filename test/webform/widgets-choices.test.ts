/**
 * The choice rules shared by native selects, custom dropdowns, radio and checkbox groups
 * (pickChoice, planFill), and split dates of birth: pure, no browser. The widgets themselves
 * are driven in real Chromium by the builder corpus (wpforms-modern, gravity-chosen,
 * select2-cf7, react-select, shadcn-radix, wix-es, dob-*, typeform-welcome).
 */
import { describe, expect, it } from 'vitest';
import { pickChoice, planFill, type FieldInfo, type FillContext } from '../../src/submit/webform-fields.js';

let n = 0;
function field(p: Partial<FieldInfo>): FieldInfo {
  return {
    idx: ++n, tag: 'input', type: 'text', name: '', id: '', autocomplete: '', placeholder: '', ariaLabel: '', label: '', nearby: '',
    required: false, visible: true, rendered: true, offscreen: false, tiny: false, ariaHidden: false, tabindexNeg: false, inert: false,
    disabled: false, readOnly: false, pattern: '', maxLength: 0, min: '', max: '', value: '', checked: false, optionValue: '', groupLabel: '',
    ...p,
  };
}
const opts = (...t: string[]) => [{ value: '', text: 'Select…', disabled: false }, ...t.map((x) => ({ value: x, text: x, disabled: false }))];
const ctx: FillContext = {
  firstName: 'Jordan', lastName: 'Avery', fullName: 'Jordan Avery', email: 'jordan+tok@example.net', phone: '+13125550101', askCallback: true,
  message: 'Hello, I would like an appointment for Orthopedics at North Clinic. Please call me back. Jordan Avery',
  subject: 'Question about Orthopedics', preferredDate: '2027-03-09', serviceLine: 'Orthopedics',
};
const withDob: FillContext = { ...ctx, profile: { preferredTime: '10:00', customerStatus: 'new', dateOfBirth: '1984-05-07' } };

describe('pickChoice', () => {
  it('the service line first, then the inquiry\'s own words, then a neutral option for a required question', () => {
    expect(pickChoice(field({ label: 'Department', required: true }), opts('Cardiology', 'Orthopedics'), ctx)).toMatchObject({ value: 'Orthopedics', role: 'service' });
    expect(pickChoice(field({ label: 'Reason for contacting us', required: true }), opts('Billing', 'Book an appointment', 'Other'), ctx)).toMatchObject({ value: 'Book an appointment', role: 'topic' });
    expect(pickChoice(field({ label: 'Motivo de la consulta' }), opts('Facturación', 'Pedir una cita', 'Otro'), { ...ctx, message: 'Hola, quisiera pedir una cita para Ortopedia.', subject: 'Cita', serviceLine: 'Ortopedia' })).toMatchObject({ value: 'Pedir una cita' });
    expect(pickChoice(field({ label: 'How did you hear about us?', required: true }), opts('Search engine', 'A friend', 'Other'), ctx)).toMatchObject({ value: 'Other', role: 'required-choice', choice: { field: 'How did you hear about us?', value: 'Other' } });
  });
  it('an optional question that is not about the inquiry is left alone, even when an option shares its words', () => {
    expect(pickChoice(field({ label: 'Preferred location' }), opts('North Clinic', 'Lakeview'), ctx)).toBeUndefined();
  });
  it('two options the inquiry names equally are a tie: the neutral rule decides', () => {
    expect(pickChoice(field({ label: 'Reason', required: true }), opts('Appointment for a child', 'Appointment for an adult', 'Other'), ctx)).toMatchObject({ value: 'Other' });
  });
  it('a required question already answered stays as it is', () => {
    expect(pickChoice(field({ label: 'How did you hear about us?', required: true }), opts('Search engine', 'Other'), ctx, true)).toBeUndefined();
  });
});

describe('checkbox groups', () => {
  const group = (legend: string, labels: string[], required: boolean) =>
    labels.map((l) => field({ type: 'checkbox', label: l, group: 'n:help[]', name: 'help[]', groupLabel: legend, required }));
  it('a required group gets one box: the one the inquiry names, never all of them', () => {
    const fs = group('What can we help you with?', ['Book an appointment', 'Prescription refill', 'Billing question'], true);
    const plan = planFill(fs, ctx);
    expect(plan.actions.map((a) => a.idx)).toEqual([fs[0]!.idx]);
  });
  it('else one neutral box, recorded; marketing boxes in the group are never ticked', () => {
    const fs = group('Which topics interest you? *', ['Send me offers and newsletters', 'Nutrition', 'Something else'], false);
    const plan = planFill(fs, ctx);
    expect(plan.actions.map((a) => a.idx)).toEqual([fs[2]!.idx]);
    expect(plan.actions[0]!.choice).toEqual({ field: 'Which topics interest you?', value: 'Something else' });
    const optional = planFill(group('Interests', ['Newsletter', 'Events'], false), ctx);
    expect(optional.actions).toEqual([]);
  });
  it('the service line box of an optional group is ticked; consent lists keep one tick per required statement', () => {
    const fs = group('Services of interest', ['Cardiology', 'Orthopedics'], false);
    expect(planFill(fs, ctx).actions.map((a) => a.idx)).toEqual([fs[1]!.idx]);
    const consent = [field({ type: 'checkbox', label: 'I agree to the terms', group: 'g:1', required: true }), field({ type: 'checkbox', label: 'I accept the privacy policy', group: 'g:1', required: true })];
    expect(planFill(consent, ctx).actions).toHaveLength(2);
  });
});

describe('a date of birth in three parts', () => {
  const num = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => ({ value: String(a + i), text: String(a + i), disabled: false }));
  const months = (names: string) => names.split(' ').map((t, i) => ({ value: String(i + 1), text: t, disabled: false }));
  const selects = (legend: string, labels: [string, string, string], monthNames: string, required: boolean) => [
    field({ tag: 'select', type: 'select', label: labels[0], groupLabel: legend, options: [{ value: '', text: labels[0], disabled: false }, ...num(1, 31)], required }),
    field({ tag: 'select', type: 'select', label: labels[1], groupLabel: legend, options: [{ value: '', text: labels[1], disabled: false }, ...months(monthNames)], required }),
    field({ tag: 'select', type: 'select', label: labels[2], groupLabel: legend, options: [{ value: '', text: labels[2], disabled: false }, ...num(1920, 2026).reverse()], required }),
  ];
  it.each([
    ['Date of birth', ['Day', 'Month', 'Year'], 'January February March April May June July August September October November December'],
    ['Fecha de nacimiento *', ['Día', 'Mes', 'Año'], 'Enero Febrero Marzo Abril Mayo Junio Julio Agosto Septiembre Octubre Noviembre Diciembre'],
    ['Date de naissance', ['Jour', 'Mois', 'Année'], 'janv. févr. mars avr. mai juin juil. août sept. oct. nov. déc.'],
    ['Geburtsdatum', ['Tag', 'Monat', 'Jahr'], 'Januar Februar März April Mai Juni Juli August September Oktober November Dezember'],
    ['Data de nascimento', ['Dia', 'Mês', 'Ano'], 'Janeiro Fevereiro Março Abril Maio Junho Julho Agosto Setembro Outubro Novembro Dezembro'],
  ] as const)('%s: the profile\'s date when configured, a required one reported by its question, never the appointment date', (legend, labels, names) => {
    const fs = selects(legend, [...labels], names, true);
    expect(planFill(fs, withDob).actions.map((a) => a.value)).toEqual(['7', '5', '1984']);
    const missing = planFill(fs, ctx);
    expect(missing.actions).toEqual([]);
    expect(missing.missingProfile).toEqual([`${legend.replace(/\s*\*$/, '')} (shopper.dateOfBirth)`]);
    expect(planFill(selects(legend.replace(/\s*\*$/, ''), [...labels], names, false), ctx)).toMatchObject({ actions: [], missingProfile: [] });
  });
  it('three boxes get the digits their sizes take; optional ones without a profile date stay empty', () => {
    const boxes = [
      field({ name: 'birth_day', ariaLabel: 'Tag', placeholder: 'TT', maxLength: 2, groupLabel: 'Geburtsdatum' }),
      field({ name: 'birth_month', ariaLabel: 'Monat', placeholder: 'MM', maxLength: 2, groupLabel: 'Geburtsdatum' }),
      field({ name: 'birth_year', ariaLabel: 'Jahr', placeholder: 'JJJJ', maxLength: 4, groupLabel: 'Geburtsdatum' }),
      field({ type: 'date', label: 'Wunschtermin', required: true }),
    ];
    expect(planFill(boxes, withDob).actions.map((a) => a.value)).toEqual(['07', '05', '1984', '2027-03-09']);
    expect(planFill(boxes, ctx).actions.map((a) => [a.idx, a.value])).toEqual([[boxes[3]!.idx, '2027-03-09']]);
  });
});
