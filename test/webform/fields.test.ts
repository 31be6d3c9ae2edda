/** fields: auto rules over control descriptions (no browser needed). */
import { describe, expect, it } from 'vitest';
import { solveSumQuestion } from '../../src/submit/webform-arithmetic.js';
import { chooseButtons } from '../../src/submit/webform-fill.js';
import { bestOption, classifyField, formatDateFor, formatPhoneFor, isHoneypot, planFill, sumAnswerOf, type FieldInfo, type FillContext } from '../../src/submit/webform-fields.js';

let n = 0;
function field(p: Partial<FieldInfo>): FieldInfo {
  return {
    idx: ++n,
    tag: 'input',
    type: 'text',
    name: '',
    id: '',
    autocomplete: '',
    placeholder: '',
    ariaLabel: '',
    label: '',
    nearby: '',
    required: false,
    visible: true,
    rendered: true,
    offscreen: false,
    tiny: false,
    ariaHidden: false,
    tabindexNeg: false,
    inert: false,
    disabled: false,
    readOnly: false,
    pattern: '',
    maxLength: 0,
    min: '',
    max: '',
    value: '',
    checked: false,
    optionValue: '',
    groupLabel: '',
    ...p,
  };
}

const ctx: FillContext = {
  firstName: 'Jordan',
  lastName: 'Avery',
  fullName: 'Jordan Avery',
  email: 'jordan+tok@example.net',
  phone: '+13125550101',
  askCallback: true,
  message: 'Hello',
  subject: 'Question',
  preferredDate: '2027-03-09',
  serviceLine: 'Orthopedics',
};

describe('classifyField', () => {
  it.each([
    [{ label: 'First Name' }, 'first-name'],
    [{ name: 'lastName' }, 'last-name'],
    [{ name: 'your-name' }, 'full-name'],
    [{ autocomplete: 'given-name', name: 'x1' }, 'first-name'],
    [{ type: 'email' }, 'email'],
    [{ label: 'Correo electrónico' }, 'email'],
    [{ label: 'Teléfono' }, 'phone'],
    [{ label: 'Móvil' }, 'phone'],
    [{ label: 'Apellidos' }, 'last-name'],
    [{ label: 'Nombre' }, 'name'],
    [{ label: 'Nombre completo' }, 'full-name'],
    [{ label: 'Asunto' }, 'subject'],
    [{ tag: 'textarea', type: 'textarea', label: 'Mensaje' }, 'message'],
    [{ label: 'Fecha preferida' }, 'date'],
    [{ placeholder: 'Company name' }, 'company'],
    [{ ariaLabel: 'E-mail address' }, 'email'],
    [{ name: 'website', offscreen: true }, 'honeypot'],
    [{ name: 'field_7', tabindexNeg: true }, 'honeypot'],
    [{ label: 'Leave this field empty', name: 'x' }, 'honeypot'],
    [{ name: 'zip' }, 'postal-code'],
    [{ label: 'First', name: 'wpforms[fields][1][first]' }, 'first-name'],
    [{ label: 'Last', groupLabel: 'Name', name: 'input_1.6' }, 'last-name'],
  ] as [Partial<FieldInfo>, string][])('%o → %s', (p, role) => {
    expect(classifyField(field(p))).toBe(role);
  });
});

describe('planFill', () => {
  it('splits the name where the form asks for first and last name (Spanish "nombre" + "apellidos")', () => {
    const nombre = field({ label: 'Nombre' });
    const apellidos = field({ label: 'Apellidos' });
    const plan = planFill([nombre, apellidos], ctx);
    expect(plan.actions.map((a) => [a.idx, a.value])).toEqual([
      [nombre.idx, 'Jordan'],
      [apellidos.idx, 'Avery'],
    ]);
  });

  it('a lone "name" gets the full name', () => {
    expect(planFill([field({ label: 'Name' })], ctx).actions[0]?.value).toBe('Jordan Avery');
  });

  it('leaves an optional phone empty when the inquiry does not ask for a call back, fills a required one', () => {
    const quiet = { ...ctx, askCallback: false };
    expect(planFill([field({ type: 'tel' })], quiet).actions).toEqual([]);
    expect(planFill([field({ type: 'tel', required: true })], quiet).actions[0]?.value).toBe('(312) 555-0101');
  });

  it('ticks required and consent boxes, never marketing ones', () => {
    const consent = field({ type: 'checkbox', label: 'I agree to the privacy policy' });
    const required = field({ type: 'checkbox', label: 'Yes', required: true });
    const news = field({ type: 'checkbox', label: 'I agree to receive the newsletter' });
    const plan = planFill([consent, required, news], ctx);
    expect(plan.actions.map((a) => a.idx)).toEqual([consent.idx, required.idx]);
  });

  it('chooses the service line in a select by text, and reports required fields it cannot fill', () => {
    const sel = field({
      tag: 'select',
      type: 'select',
      label: 'Especialidad',
      options: [
        { value: '', text: 'Seleccione', disabled: false },
        { value: 'ped', text: 'Pediatría', disabled: false },
        { value: 'orto', text: 'Ortopedia', disabled: false },
      ],
    });
    const zip = field({ name: 'zip', required: true, label: 'ZIP code' });
    const plan = planFill([sel, zip], ctx);
    expect(plan.actions).toEqual([{ idx: sel.idx, kind: 'select', value: 'orto', role: 'service' }]);
    expect(plan.unfilledRequired).toEqual([]);
    expect(plan.missingProfile).toEqual(['ZIP code (shopper.postalCode)']);
  });

  it('skips hidden (later-step) fields and honeypots', () => {
    const later = field({ type: 'email', visible: false, rendered: false });
    const hp = field({ name: 'hp', offscreen: true });
    expect(planFill([later, hp], ctx).actions).toEqual([]);
    expect(isHoneypot(hp)).toBe(true);
  });
});

describe('formats', () => {
  it('phone: national by default, whatever the pattern or length allows', () => {
    expect(formatPhoneFor({ pattern: '', maxLength: 0 }, '+13125550101')).toBe('(312) 555-0101');
    expect(formatPhoneFor({ pattern: '[0-9]{10}', maxLength: 0 }, '+13125550101')).toBe('3125550101');
    expect(formatPhoneFor({ pattern: '\\d{3}-\\d{3}-\\d{4}', maxLength: 0 }, '+13125550101')).toBe('312-555-0101');
    expect(formatPhoneFor({ pattern: '\\+[0-9]+', maxLength: 0 }, '+13125550101')).toBe('+13125550101');
    // A pattern the browser ignores under the v flag (Elementor's tel field) still picks a format its server's PHP check allows.
    expect(formatPhoneFor({ pattern: '[0-9()#&+*-=.]+', maxLength: 0 }, '+13125550101')).toBe('+13125550101');
  });

  it('date: ISO for date inputs (within min/max), the placeholder\'s format for text', () => {
    expect(formatDateFor({ type: 'date', placeholder: '', min: '', max: '' }, '2027-03-09')).toBe('2027-03-09');
    expect(formatDateFor({ type: 'date', placeholder: '', min: '2027-04-01', max: '' }, '2027-03-09')).toBe('2027-04-01');
    expect(formatDateFor({ type: 'text', placeholder: 'dd/mm/aaaa', min: '', max: '' }, '2027-03-09')).toBe('09/03/2027');
    expect(formatDateFor({ type: 'text', placeholder: 'MM/DD/YYYY', min: '', max: '' }, '2027-03-09')).toBe('03/09/2027');
  });

  it('bestOption tolerates spelling and language differences', () => {
    const o = (text: string) => ({ value: text, text, disabled: false });
    expect(bestOption([o('Cardiology'), o('Orthopaedics & Sports Medicine')], 'Orthopedics')?.value).toBe('Orthopaedics & Sports Medicine');
    expect(bestOption([o('Cardiología'), o('Ortopedia')], 'Orthopedics')?.value).toBe('Ortopedia');
  });
});

describe('simple sums asked in place of a CAPTCHA', () => {
  it('answers the sum before the box, in a label or placeholder, in digits or words, in five languages', () => {
    expect(solveSumQuestion('3 + 13 =')).toBe(16);
    expect(solveSumQuestion('What is seven plus two?')).toBe(9);
    expect(solveSumQuestion('¿Cuánto es 4 más 5?')).toBe(9);
    expect(solveSumQuestion('Combien font 6 moins 2 ?')).toBe(4);
    expect(solveSumQuestion('Was ist 3 mal 4?')).toBe(12);
    expect(solveSumQuestion('Quanto é 2 mais 2?')).toBe(4);
    expect(solveSumQuestion('9 × 3 = ?')).toBe(27);
    // Without "=" or "?", only where the box says it is a human check.
    expect(solveSumQuestion('Are you human? 4 + 5')).toBe(9);
    expect(solveSumQuestion('4 + 5', 'captcha_answer')).toBe(9);
    expect(solveSumQuestion('4 + 5')).toBeUndefined();
  });

  it('never takes phone numbers, ranges or step counters for a question', () => {
    for (const t of ['555-0101', '(312) 555-0101', 'Phone 312-555-0101', 'Number of guests (1-10)', 'Step 1 of 3', 'Ages 5 - 12', '24/7'])
      expect(solveSumQuestion(t, 'phone'), t).toBeUndefined();
  });

  it('gives the box next to "3 + 13 =" the answer, and leaves other boxes alone', () => {
    const box = field({ name: 'et_pb_contact_captcha_0', before: '3 + 13 =' });
    expect(classifyField(box)).toBe('sum-question');
    expect(sumAnswerOf(box)).toBe(16);
    expect(planFill([box], ctx).actions).toEqual([expect.objectContaining({ idx: box.idx, kind: 'fill', value: '16', role: 'sum-question' })]);
    expect(classifyField(field({ type: 'tel', label: 'Phone', placeholder: '555-555-5555' }))).toBe('phone');
    expect(classifyField(field({ label: 'Your name', before: 'Your name' }))).toBe('full-name');
  });
});

describe('chooseButtons: the next step or the submission', () => {
  const btn = (text: string, type = 'submit', idx = 1) => ({ idx, tag: 'button', type, text, cls: '', visible: true, disabled: false });
  const form = (buttons: ReturnType<typeof btn>[], fields: FieldInfo[] = [field({ label: 'Email', type: 'email' })]) => ({ fields, buttons, isForm: true, noValidate: false });

  it('the one submit button saying "Next" moves on (Tally renders only the current page); "Continue" or "Submit →" send', () => {
    expect(chooseButtons(form([btn('Next →')]))).toEqual({ next: btn('Next →') });
    expect(chooseButtons(form([btn('Back', 'button', 2), btn('Siguiente')]))).toEqual({ next: btn('Siguiente') });
    expect(chooseButtons(form([btn('Continue')]))).toEqual({ submit: btn('Continue') });
    expect(chooseButtons(form([btn('Back', 'button', 2), btn('Submit →')]))).toEqual({ submit: btn('Submit →') });
  });

  it('an OK button moves a one-question-at-a-time form on while questions wait hidden', () => {
    const hidden = field({ label: 'Email', type: 'email', visible: false, rendered: false });
    expect(chooseButtons(form([btn('OK press Enter ↵', 'button')], [field({ label: 'Name' }), hidden]))).toEqual({ next: btn('OK press Enter ↵', 'button') });
  });
});
