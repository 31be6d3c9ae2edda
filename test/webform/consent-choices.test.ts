/**
 * Consent vs marketing opt-in in five languages, and the neutral answers `fields: auto` gives to
 * required questions the shopper has no answer for (recorded by the question's label).
 * Labels are worded as builders' templates and real sites word them; no browser needed.
 */
import { describe, expect, it } from 'vitest';
import { planFill, type FieldInfo, type FillContext } from '../../src/submit/webform-fields.js';

let n = 0;
function field(p: Partial<FieldInfo>): FieldInfo {
  return {
    idx: ++n, tag: 'input', type: 'text', name: '', id: '', autocomplete: '', placeholder: '', ariaLabel: '', label: '', nearby: '',
    required: false, visible: true, rendered: true, offscreen: false, tiny: false, ariaHidden: false, tabindexNeg: false, inert: false,
    disabled: false, readOnly: false, pattern: '', maxLength: 0, min: '', max: '', value: '', checked: false, optionValue: '', groupLabel: '',
    ...p,
  };
}

const ctx: FillContext = {
  firstName: 'Jordan', lastName: 'Avery', fullName: 'Jordan Avery', email: 'jordan+tok@example.net', phone: '+13125550101',
  askCallback: true, message: 'Hello', subject: 'Question', preferredDate: '2027-03-09', serviceLine: 'Orthopedics',
};

const ticked = (label: string, required = false) => {
  const box = field({ type: 'checkbox', label, required });
  return planFill([box], ctx).actions.some((a) => a.idx === box.idx && a.kind === 'check');
};

describe('consent boxes are ticked, even when the page does not mark them required', () => {
  it.each([
    ['en', 'I agree to the privacy policy'],
    ['en', 'I consent to having this website store my submitted information so they can respond to my inquiry.'],
    ['es', 'He leído y acepto la política de privacidad'],
    ['es', 'Consiento el tratamiento de mis datos para atender mi solicitud'],
    ['fr', "J'accepte la politique de confidentialité"],
    ['fr', "J'autorise la clinique à utiliser mes données pour répondre à ma demande"],
    ['de', 'Ich stimme der Datenschutzerklärung zu'],
    ['de', 'Ich willige ein, dass meine Angaben zur Beantwortung meiner Anfrage verarbeitet werden'],
    ['pt', 'Concordo com a política de privacidade'],
    ['pt', 'Li e aceito os termos de uso'],
  ])('%s: %s', (_lang, label) => expect(ticked(label)).toBe(true));
});

describe('optional marketing opt-ins stay unticked, even when they say "I agree"', () => {
  it.each([
    ['en', 'Keep me updated with news and offers'],
    ['en', 'I agree to receive marketing emails'],
    ['es', 'Acepto recibir comunicaciones comerciales'],
    ['es', 'Quiero suscribirme al boletín'],
    ['fr', 'Je souhaite recevoir vos communications et offres'],
    ['fr', "J'accepte de recevoir la newsletter"],
    ['de', 'Newsletter abonnieren'],
    ['de', 'Ja, ich möchte per E-Mail über Angebote informiert werden'],
    ['pt', 'Quero receber novidades e ofertas'],
    ['pt', 'Autorizo o envio de comunicações de marketing'],
  ])('%s: %s', (_lang, label) => expect(ticked(label)).toBe(false));

  it('a box the page requires is ticked whatever its wording (the form cannot be sent otherwise)', () => {
    expect(ticked('Ich möchte den Newsletter erhalten', true)).toBe(true);
  });
});

describe('neutral choices for required questions are recorded by label', () => {
  it('a required select gets its neutral option, named with the question and the option text', () => {
    const hear = field({
      tag: 'select', label: 'How did you hear about us?', required: true,
      options: [{ value: '', text: '— Select —', disabled: false }, { value: 'se', text: 'Search engine', disabled: false }, { value: 'oth', text: 'Other', disabled: false }],
    });
    const a = planFill([hear], ctx).actions.find((x) => x.idx === hear.idx);
    expect(a).toMatchObject({ kind: 'select', value: 'oth', role: 'required-choice', choice: { field: 'How did you hear about us?', value: 'Other' } });
  });

  it('a required radio group records its legend and the option ticked', () => {
    const opts = ['Zeitung', 'Suchmaschine', 'Sonstiges'].map((l) => field({ type: 'radio', name: 'quelle', label: l, required: true, groupLabel: 'Wie haben Sie von uns erfahren?' }));
    const a = planFill(opts, ctx).actions;
    expect(a).toHaveLength(1);
    expect(a[0]).toMatchObject({ idx: opts[2]!.idx, choice: { field: 'Wie haben Sie von uns erfahren?', value: 'Sonstiges' } });
  });

  it('an answer the shopper has (the service line) is not a neutral choice', () => {
    const svc = field({ tag: 'select', label: 'Department', required: true, options: [{ value: 'c', text: 'Cardiology', disabled: false }, { value: 'o', text: 'Orthopedics', disabled: false }] });
    const a = planFill([svc], ctx).actions[0]!;
    expect(a.value).toBe('o');
    expect(a.choice).toBeUndefined();
  });
});
