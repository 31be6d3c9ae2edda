/**
 * `fields: auto`: what each form control is (from its label, name/id, autocomplete,
 * placeholder, aria-label and type, in English and Spanish) and what the shopper types
 * into it. Pure functions over the descriptions webform-dom.ts collects, so the rules are
 * testable without a browser.
 */
import { configuredAnswer, isQuizText, solveSumQuestion } from './webform-arithmetic.js';
import { nameRoleOf, resolveBareName } from './webform-names.js';
import { formatPhoneFor, phoneSegments } from './webform-phone.js';
import type { ShopperProfile } from '../config/profile.js';
import { chooseFor, choiceQuestionOf, DOB, PROFILE_AUTOCOMPLETE, PROFILE_KEY, PROFILE_RULES, profileOrDefault, profileValue, contactMethodOf, type ProfileRole } from './webform-profile.js';

export { formatPhoneFor } from './webform-phone.js';

export interface FieldInfo {
  idx: number;
  tag: string;
  type: string;
  name: string;
  id: string;
  autocomplete: string;
  placeholder: string;
  ariaLabel: string;
  label: string;
  nearby: string;
  /** The text just before the control in its own box ("3 + 13 =" next to a captcha box). */
  before?: string;
  required: boolean;
  visible: boolean;
  rendered: boolean;
  offscreen: boolean;
  tiny: boolean;
  ariaHidden: boolean;
  tabindexNeg: boolean;
  inert: boolean;
  disabled: boolean;
  readOnly: boolean;
  pattern: string;
  maxLength: number;
  min: string;
  max: string;
  value: string;
  checked: boolean;
  optionValue: string;
  options?: { value: string; text: string; disabled: boolean }[];
  groupLabel: string;
  /** An input-mask definition (data-inputmask, data-mask), when the page declares one. */
  mask?: string;
  /** A checkbox's group (boxes sharing a name, or a fieldset / role=group of boxes), '' alone. */
  group?: string;
  /**
   * A custom dropdown: a native select standing behind a widget (Choices.js, Select2, Chosen,
   * Radix), or (type `combobox`) an ARIA combobox / listbox button with no native select.
   */
  widget?: boolean;
}

export type FieldRole =
  | 'first-name'
  | 'last-name'
  | 'full-name'
  | 'middle-name'
  | 'name'
  | 'email'
  | 'phone'
  | 'message'
  | 'subject'
  | 'date'
  | 'datetime'
  | 'time'
  | 'sum-question'
  /** A question only a person can answer (CF7 [quiz], "security question"): answered from `answers:` or the probe stops, blocked. */
  | 'quiz'
  /** A box whose question the entry point's `answers:` answers. */
  | 'answer'
  | ProfileRole
  | 'honeypot'
  | 'skip'
  | 'unknown';

export interface FillContext {
  firstName: string;
  lastName: string;
  fullName: string;
  email: string;
  /** E.164, or null when the probe has no number. */
  phone: string | null;
  /** The inquiry asks for a call back: give the phone even where it is optional. */
  askCallback: boolean;
  message: string;
  subject: string;
  /** YYYY-MM-DD */
  preferredDate: string;
  serviceLine: string;
  /** Company, address parts, preferences, date of birth (defaults when absent: src/config/profile.ts). */
  profile?: ShopperProfile;
  /** The entry point's `answers:` (question words → answer) for questions the shopper cannot know. */
  answers?: Record<string, string>;
}

export interface FillAction {
  idx: number;
  /** `choose`: a custom dropdown whose options are read once opened (the choice is made then). */
  kind: 'fill' | 'select' | 'check' | 'choose';
  value: string;
  /** What we took the control for (shown in details and debugging). */
  role: string;
  /** The control is hidden behind a widget: set its value by script. */
  viaScript?: boolean;
  /** A custom dropdown: opened and chosen like a person would (the option's text in `text`). */
  widget?: boolean;
  /** The option's text, for widgets (what the widget shows and is typed to search). */
  text?: string;
  /** A neutral answer chosen for a required question the shopper has no answer for: the question's label and the option's text. */
  choice?: { field: string; value: string };
}

export interface FillPlan {
  actions: FillAction[];
  /** Required controls nothing could fill (a `fields:` map can). */
  unfilledRequired: string[];
  /**
   * Required boxes asking for a profile part the shopper has no value for ("Date of birth
   * (shopper.dateOfBirth)"): the probe stops before sending rather than invent one.
   */
  missingProfile: string[];
  /** Human-check questions (quiz) nothing answers: the probe is blocked, nothing is sent. */
  quizzes: string[];
}

/** Lowercase, no accents, camelCase and snake_case split into words. */
export function norm(s: string): string {
  return s
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[_\-.[\]]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const HONEYPOT_NAME = /(^|\s)(website|url|homepage|hp|hpot|honeypot|honey pot|bot field|fax number|fax)(\s|$)|honeypot|leave (this )?(field )?(blank|empty)|do not fill|don ?t fill|no rellen|dejar (en )?blanco/;
const TEXTLIKE = new Set(['text', 'email', 'tel', 'url', 'search', 'number', 'textarea', 'date', 'datetime-local', 'time', '']);

export function isHoneypot(f: FieldInfo): boolean {
  if (f.type === 'checkbox' || f.type === 'radio') return HONEYPOT_NAME.test(norm(`${f.name} ${f.id}`)) && !f.required;
  if (f.tag === 'select') return false;
  if (f.ariaHidden || f.tabindexNeg || f.inert) return true;
  if (f.rendered && (f.offscreen || f.tiny)) return true;
  return HONEYPOT_NAME.test(norm(`${f.name} ${f.id} ${f.label}`));
}

const RULES: [FieldRole, { test(s: string): boolean }][] = [
  ['email', /\be ?mail\b|correo|email/],
  ['phone', /phone|\btel\b|telefono|mobile|movil|celular|\bcell\b|whatsapp/],
  // Company, job title, address parts, date of birth, preferred time: see webform-profile.ts.
  ...PROFILE_RULES,
  // Person names (five languages): see webform-names.ts.
  ['name', { test: (s: string) => nameRoleOf(s) !== undefined }],
  ['subject', /subject|asunto|\btopic\b|\btema\b|\bregarding\b/],
  ['message', /message|comment|question|inquiry|enquiry|details|how can we help|describe|mensaje|comentario|consulta|pregunta|motivo|notes?\b/],
  ['date', /\bdate\b|fecha|\bday\b|\bdia\b/],
];

/** The role of one control, before first/last/full-name resolution. */
export function classifyField(f: FieldInfo, answers?: Record<string, string>): FieldRole {
  if (dobPartOf(f)) return 'dob';
  if (['hidden', 'submit', 'button', 'reset', 'image', 'file', 'password', 'checkbox', 'radio'].includes(f.type)) return 'skip';
  if (TEXTLIKE.has(f.type) && isHoneypot(f)) return 'honeypot';
  if (sumAnswerOf(f) !== undefined) return 'sum-question';
  if (f.tag !== 'select' && configuredAnswer(questionWords(f), answers) !== undefined) return 'answer';
  if (isQuizBox(f)) return 'quiz';
  const ac = f.autocomplete.split(/\s+/).pop() ?? '';
  const byAutocomplete: Record<string, FieldRole> = {
    'given-name': 'first-name',
    'family-name': 'last-name',
    name: 'full-name',
    email: 'email',
    tel: 'phone',
    'tel-national': 'phone',
    ...PROFILE_AUTOCOMPLETE,
  };
  if (byAutocomplete[ac]) return byAutocomplete[ac];
  // Sub-labels of a composite Name field ("Name" legend over boxes captioned First / Last,
  // as WPForms and Gravity Forms render them).
  const sub = /^(first|given|last|family|surname|middle)$/.exec(norm(f.label));
  if (sub && (nameRoleOf(norm(f.groupLabel)) !== undefined || new RegExp(`\\b${sub[1]}\\b`).test(norm(f.name))))
    return /first|given/.test(sub[1]!) ? 'first-name' : sub[1] === 'middle' ? 'middle-name' : 'last-name';
  // A date of birth is never the appointment date, whatever the control's type.
  if (DOB.test(norm(`${f.label} ${f.ariaLabel} ${f.placeholder} ${f.name} ${f.id}`))) return 'dob';
  if (f.type === 'email') return 'email';
  if (f.type === 'tel') return 'phone';
  if (f.type === 'date') return 'date';
  if (f.type === 'datetime-local') return 'datetime';
  if (f.type === 'time') return 'time';
  const primary = norm([f.label, f.ariaLabel, f.placeholder, f.name, f.id].join(' | '));
  if (f.tag === 'textarea') return /address|direccion/.test(primary) ? 'unknown' : 'message';
  const hit = (s: string) => {
    const role = RULES.find(([, re]) => re.test(s))?.[0];
    return role === 'name' ? nameRoleOf(s) : role;
  };
  // The sub-labels of a builder's composite Name field (Formidable, Gravity Forms, WPForms) say only "First" / "Last".
  // Zoho Forms puts its "First" / "Last" captions after the boxes, tied to neither.
  const caption = norm(`${f.label || f.ariaLabel || f.nearby}`).replace(/[^a-z ]/g, '').trim();
  if (/^(first|given)$/.test(caption)) return 'first-name';
  if (/^(last|family)$/.test(caption)) return 'last-name';
  // A label is the strongest signal; name/id next; the text next to it last.
  return hit(norm(`${f.label} ${f.ariaLabel}`)) ?? hit(norm(`${f.placeholder} ${f.name} ${f.id}`)) ?? hit(norm(f.nearby)) ?? 'unknown';
}

/** A text box that asks a human-check question that is not a sum (CF7's [quiz], a "security question"). */
export function isQuizBox(f: FieldInfo): boolean {
  if (!['text', 'number', 'search', ''].includes(f.type) || f.tag === 'textarea' || f.tag === 'select') return false;
  return isQuizText(norm(`${f.name} ${f.id} ${f.label} ${f.ariaLabel} ${f.placeholder} ${f.before ?? ''}`));
}

/** The question a box asks, as the page words it (its label, else aria-label, placeholder, the text before it). */
export function quizQuestionOf(f: FieldInfo): string {
  return ([f.label, f.ariaLabel, f.placeholder, f.before ?? '', f.nearby].find((t) => t.trim()) ?? '').replace(/\s+/g, ' ').trim().slice(0, 200);
}

/** Every wording of the box's question, once each: what `answers:` keys are matched against. */
function questionWords(f: FieldInfo): string {
  return [...new Set([f.label, f.ariaLabel, f.placeholder, f.before ?? '', f.nearby].map((t) => t.replace(/\s+/g, ' ').trim()).filter(Boolean))].join(' | ');
}

/**
 * The answer to a simple sum the page asks in place of a CAPTCHA ("3 + 13 =" before the box,
 * "What is 7 plus 2?" as its label), or undefined.
 */
export function sumAnswerOf(f: FieldInfo): number | undefined {
  if (!['text', 'number', 'search', ''].includes(f.type) || f.tag === 'textarea') return undefined;
  const context = `${f.name} ${f.id} ${f.label} ${f.ariaLabel} ${f.groupLabel}`;
  for (const text of [f.label, f.ariaLabel, f.placeholder, f.before ?? '']) {
    const answer = solveSumQuestion(text, context);
    if (answer !== undefined) return answer;
  }
  return undefined;
}

/** Dice coefficient of character bigrams of normalised strings: 0..1. */
export function similarity(a: string, b: string): number {
  const x = norm(a).replace(/[^a-z0-9 ]/g, '');
  const y = norm(b).replace(/[^a-z0-9 ]/g, '');
  if (!x || !y) return 0;
  if (x === y) return 1;
  if (x.length >= 4 && y.length >= 4 && (x.includes(y) || y.includes(x))) return 0.9;
  const grams = (s: string) => {
    const m = new Map<string, number>();
    for (let i = 0; i < s.length - 1; i++) m.set(s.slice(i, i + 2), (m.get(s.slice(i, i + 2)) ?? 0) + 1);
    return m;
  };
  const gx = grams(x);
  const gy = grams(y);
  let common = 0;
  for (const [g, n] of gx) common += Math.min(n, gy.get(g) ?? 0);
  return (2 * common) / (x.length - 1 + y.length - 1);
}

const PLACEHOLDER_OPTION = /^(|-+.*|select.*|choose.*|please.*|seleccion.*|elija.*|escoja.*|none|ninguno|\.\.\.|…)$/i;
const SERVICE_LABEL = /service|department|specialt|speciality|reason|topic|interest|area|program|location|servicio|especialidad|departamento|motivo|area|programa/;
const CONSENT = /agree|consent|accept|privacy|terms|permission|acknowledge|i have read|acepto|consiento|autoriz|autoris|willige .*ein|privacidad|terminos|condiciones|einverstanden|zustimm|stimme .*zu|datenschutz|einwillig|consens|confidentialite|concordo|aceito|privacidade/;
// Wording of an optional opt-in to further mail, in the five languages: such boxes stay unticked.
const MARKETING = /newsletter|marketing|subscribe|offers|promotion|updates|other communications|news and|boletin|promocion|suscrib|ofertas|comunicaciones|novedades|benachrichtigungen|angebote|werbung|neuigkeiten|infolettre|actualites|offres|nouveautes|communications|novidades|comunicacoes|promocoes/;
// A neutral answer to a required question the shopper has no answer for.
const NEUTRAL_OPTION = /^(other|others|otro|otra|otros|autre|autres|andere|anderes|sonstige|sonstiges|outro|outra|outros|prefer not to say|keine angabe|n\/a|something else|anything else|otra cosa|algo mas|autre chose|etwas anderes|outra coisa|outro assunto)\b/;
// A question about what the inquiry is about: answered from the inquiry's own words even when optional.
const TOPIC_LABEL = /reason|topic|subject|regarding|inquiry|enquiry|help you|help with|interested in|motivo|asunto|tema|consulta|ayudar|sujet|objet|motif|demande|betreff|anliegen|thema|helfen|assunto|ajudar|interesse|interes/;
// Words of an inquiry too general to tell one option from another (five languages).
const GENERIC_WORDS = new Set('hello would like about please question questions inquiry enquiry request information general other something else help contact message thanks thank there their with from have your yours this that hola quisiera gustaria sobre favor pregunta consulta solicitud informacion otro otra algo gracias para bonjour voudrais merci demande question autre avec pour votre hallo moechte mochte bitte frage anfrage danke andere ihre einen eine fuer olá ola gostaria pergunta pedido obrigado outra outro sobre para'.split(' '));

/** The words of a text worth matching an option against (4+ letters, not generic). */
function contentWords(text: string): string[] {
  return norm(text)
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length >= 4 && !GENERIC_WORDS.has(w));
}

/** How many of an option's words the inquiry uses (a shared stem of 5+ letters counts: appointment / appointments, cita / citas). */
function inquiryScore(option: string, inquiry: string[]): number {
  let n = 0;
  for (const w of contentWords(option)) if (inquiry.some((q) => q === w || (Math.min(q.length, w.length) >= 5 && (q.startsWith(w) || w.startsWith(q))))) n++;
  return n;
}

function labelOf(f: FieldInfo): string {
  return f.label || f.ariaLabel || f.placeholder || f.nearby || f.name || f.id;
}

/** The question a choice answers, as the page words it (a radio group's legend, else the control's label), without its required marker. */
function questionOf(f: FieldInfo): string {
  return questionText(f.type === 'radio' || (f.type === 'checkbox' && f.group) ? f.groupLabel || f.nearby || f.name : labelOf(f));
}

/** A question as the page words it, without its required marker ("*", ":", "(Required)", "(obligatorio)", ...). */
export function questionText(s: string): string {
  return s
    .replace(/\s+/g, ' ')
    .replace(/(\s*([*:]|\((required|obligatorio|obligatoire|requis|erforderlich|pflichtfeld|obrigat[oó]rio)\)))+\s*$/i, '')
    .trim()
    .slice(0, 120);
}

/** The option best matching the service line, with its score. */
export function bestOption(options: NonNullable<FieldInfo['options']>, wanted: string): { value: string; score: number } | undefined {
  let best: { value: string; score: number } | undefined;
  for (const o of options) {
    if (o.disabled || (PLACEHOLDER_OPTION.test(o.text.trim()) && !o.value)) continue;
    const score = Math.max(similarity(o.text, wanted), similarity(o.value, wanted));
    if (!best || score > best.score) best = { value: o.value, score };
  }
  return best;
}

function firstRealOption(options: NonNullable<FieldInfo['options']>): string | undefined {
  const real = options.filter((o) => !o.disabled && o.value !== '' && !PLACEHOLDER_OPTION.test(o.text.trim()));
  return (real.find((o) => NEUTRAL_OPTION.test(norm(o.text.trim()))) ?? real[0])?.value;
}

/** The answer chosen for a choice question, and why (its role), with the neutral answer's record. */
export interface ChoicePick {
  value: string;
  text: string;
  role: string;
  choice?: FillAction['choice'];
}

/**
 * The option to choose for a choice question (a select, a custom dropdown, a radio or checkbox
 * group), shared by every kind of control: the profile's answer to a question it knows ("New
 * or existing patient?", "Best way to reach you"), else the option naming the service line,
 * else, for a required or "what is it about" question, the option the inquiry's own words name
 * ("Book an appointment" for "I would like an appointment"), else for a required question a
 * neutral option ("Other", "Something else") or the first real one. Undefined: leave it.
 * `hasChoice`: the control already holds a real answer (a required question is then left as is).
 */
export function pickChoice(
  f: Pick<FieldInfo, 'label' | 'ariaLabel' | 'name' | 'id' | 'nearby' | 'groupLabel' | 'required' | 'type' | 'placeholder' | 'idx' | 'group'>,
  opts: NonNullable<FieldInfo['options']>,
  ctx: FillContext,
  hasChoice = false,
): ChoicePick | undefined {
  const profile = profileOrDefault(ctx.profile);
  const live = opts.filter((o) => !o.disabled && !(PLACEHOLDER_OPTION.test(o.text.trim()) && !o.value) && !PLACEHOLDER_OPTION.test(o.text.trim()));
  const textOf = (value: string) => opts.find((o) => o.value === value)?.text.trim() || value;
  const asked = norm(`${f.label} ${f.ariaLabel} ${f.groupLabel} ${f.name} ${f.id}`);
  const question = choiceQuestionOf(asked);
  if (question) {
    const answer = chooseFor(question, live.map((o) => norm(o.text)), profile, ctx.askCallback, ctx.phone) ?? chooseFor(question, live.map((o) => norm(o.value)), profile, ctx.askCallback, ctx.phone);
    if (answer !== undefined) return { value: live[answer]!.value, text: live[answer]!.text, role: question };
    if (question === 'state') return undefined;
  }
  const best = bestOption(live, ctx.serviceLine);
  const serviceish = SERVICE_LABEL.test(norm(`${f.label} ${f.ariaLabel} ${f.name} ${f.id} ${f.nearby} ${f.groupLabel}`));
  if (best && (best.score >= 0.75 || (serviceish && best.score >= 0.5))) return { value: best.value, text: textOf(best.value), role: 'service' };
  if (f.required || TOPIC_LABEL.test(asked)) {
    const inquiry = contentWords(`${ctx.subject} ${ctx.message}`).filter((w) => !contentWords(`${ctx.firstName} ${ctx.lastName}`).includes(w));
    const scored = live.map((o) => ({ o, n: inquiryScore(o.text, inquiry) })).filter((x) => x.n > 0).sort((a, b) => b.n - a.n);
    if (scored[0] && (scored.length === 1 || scored[1]!.n < scored[0].n)) return { value: scored[0].o.value, text: scored[0].o.text, role: 'topic' };
  }
  if (!f.required || hasChoice) return undefined;
  const first = firstRealOption(live);
  if (first === undefined) return undefined;
  const text = textOf(first);
  return { value: first, text, role: 'required-choice', choice: { field: questionOf(f as FieldInfo), value: text } };
}

/** A date string for this control: ISO for date inputs, else in the format its placeholder shows. */
export function formatDateFor(f: Pick<FieldInfo, 'type' | 'placeholder' | 'min' | 'max'>, iso: string): string {
  let d = iso;
  if (f.type === 'date' || f.type === 'datetime-local') {
    const min = f.min.slice(0, 10);
    const max = f.max.slice(0, 10);
    if (min && d < min) d = min;
    if (max && d > max) d = max;
    return f.type === 'date' ? d : `${d}T10:00`;
  }
  const [y, m, day] = d.split('-') as [string, string, string];
  const ph = f.placeholder.toLowerCase();
  if (/dd\s*\/\s*mm/.test(ph)) return `${day}/${m}/${y}`;
  if (/mm\s*\/\s*dd/.test(ph)) return `${m}/${day}/${y}`;
  if (/dd\s*-\s*mm/.test(ph)) return `${day}-${m}-${y}`;
  return d;
}

/** What to type, select and tick, for the controls that can take input now. */
export function planFill(fields: FieldInfo[], ctx: FillContext): FillPlan {
  const actions: FillAction[] = [];
  const unfilledRequired: string[] = [];
  const missingProfile: string[] = [];
  const quizzes: string[] = [];
  const profile = profileOrDefault(ctx.profile);
  const roles = new Map(fields.map((f) => [f.idx, classifyField(f, ctx.answers)]));
  const hasLast = [...roles.values()].includes('last-name');
  const hasFirst = [...roles.values()].includes('first-name');
  const radioGroupsDone = new Set<string>();
  const boxGroupsDone = new Set<string>();
  const add = (f: FieldInfo, kind: FillAction['kind'], value: string, role: string, choice?: FillAction['choice'], text?: string) => {
    const hiddenWidget = !f.visible && f.tag === 'select';
    actions.push({ idx: f.idx, kind, value, role, ...(hiddenWidget ? { viaScript: true } : {}), ...(f.widget ? { widget: true, ...(text !== undefined ? { text } : {}) } : {}), ...(choice ? { choice } : {}) });
  };
  const segments = phonePartsOf(fields, roles, ctx);
  const dob = dobGroupsOf(fields);
  const dobReported = new Set<string>();
  for (const f of fields) {
    if (f.disabled || f.readOnly) continue;
    const part = segments.get(f.idx);
    if (part) {
      if (f.visible) add(f, 'fill', part.value, part.part);
      continue;
    }
    // A select hidden behind a custom dropdown still counts; other hidden controls wait for their step.
    if (!f.visible && !(f.tag === 'select' && f.rendered && !f.ariaHidden)) continue;
    // A date of birth split over day / month / year boxes or selects: the profile's date, or nothing.
    const dobPart = dob.get(f.idx);
    if (dobPart) {
      const value = profile.dateOfBirth ? dobPartValue(f, dobPart.part, profile.dateOfBirth) : undefined;
      if (value !== undefined) add(f, f.tag === 'select' ? 'select' : 'fill', value, `dob-${dobPart.part}`);
      else if (!profile.dateOfBirth && dobPart.required && !dobReported.has(dobPart.question)) {
        dobReported.add(dobPart.question);
        missingProfile.push(`${dobPart.question} (${PROFILE_KEY.dob})`);
      }
      continue;
    }
    if (f.type === 'checkbox') {
      const text = norm(`${labelOf(f)} ${f.groupLabel}`);
      if (isHoneypot(f) || f.checked) continue;
      const members = f.group ? fields.filter((g) => g.type === 'checkbox' && g.group === f.group && g.visible && !g.disabled && !isHoneypot(g)) : [];
      const consentOnly = members.every((g) => CONSENT.test(norm(`${labelOf(g)} ${g.groupLabel}`)) && !MARKETING.test(norm(labelOf(g))));
      if (members.length >= 2 && !consentOnly) {
        // A multiple-choice question ("What services are you interested in?"): one box, the one
        // the service line or the inquiry names, else for a required one a neutral box; never an opt-in.
        if (boxGroupsDone.has(f.group!)) continue;
        boxGroupsDone.add(f.group!);
        if (members.some((g) => g.checked)) continue;
        const choices = members.filter((g) => !MARKETING.test(norm(labelOf(g))));
        const required = members.some((g) => g.required) || /\*\s*$/.test(f.groupLabel);
        const pick = pickChoice({ ...f, label: f.groupLabel, required }, choices.map((g) => ({ value: String(g.idx), text: labelOf(g), disabled: false })), ctx);
        const box = pick && choices.find((g) => String(g.idx) === pick.value);
        if (box) add(box, 'check', 'true', pick.role === 'required-choice' ? 'required-choice' : pick.role, pick.choice);
        else if (required) unfilledRequired.push(questionOf(f));
        continue;
      }
      if (similarity(labelOf(f), ctx.serviceLine) >= 0.75) add(f, 'check', 'true', 'service');
      else if (f.required || (CONSENT.test(text) && !MARKETING.test(text))) add(f, 'check', 'true', 'consent');
      continue;
    }
    if (f.type === 'radio') {
      const group = f.name || `#${f.idx}`;
      if (radioGroupsDone.has(group)) continue;
      radioGroupsDone.add(group);
      const members = fields.filter((g) => g.type === 'radio' && (g.name || `#${g.idx}`) === group && g.visible && !g.disabled);
      if (members.some((g) => g.checked)) continue;
      const scored = members.map((g) => ({ g, s: similarity(labelOf(g), ctx.serviceLine) })).sort((a, b) => b.s - a.s);
      const labels = members.map((g) => norm(`${labelOf(g)} ${g.optionValue}`));
      // A profile question ("New or existing patient?", "Best time to call") is answered whenever it is asked.
      const question = choiceQuestionOf(norm(`${f.groupLabel} ${f.name}`));
      const answer = question ? chooseFor(question, labels, profile, ctx.askCallback, ctx.phone) : undefined;
      const wanted = contactMethodOf(profile, ctx.askCallback, ctx.phone);
      const method = members.find((g) => (wanted === 'phone' ? /phone|call|telefono|llamada/ : wanted === 'text' ? /\btext\b|sms/ : /e ?mail|correo/).test(norm(labelOf(g))));
      const required = members.some((g) => g.required);
      // What the inquiry is about, in its own words ("Book an appointment"), before a neutral answer.
      const topic = !answer && !(scored[0] && scored[0].s >= 0.75) && !method && (required || TOPIC_LABEL.test(norm(f.groupLabel)))
        ? pickChoice({ ...f, label: f.groupLabel, required: true }, members.map((g) => ({ value: String(g.idx), text: labelOf(g), disabled: false })), { ...ctx, serviceLine: '' })
        : undefined;
      const topicBox = topic?.role === 'topic' ? members.find((g) => String(g.idx) === topic.value) : undefined;
      if (answer !== undefined) add(members[answer]!, 'check', 'true', question!);
      else if (scored[0] && scored[0].s >= 0.75) add(scored[0].g, 'check', 'true', 'service');
      else if (method) add(method, 'check', 'true', 'contact-method');
      else if (topicBox) add(topicBox, 'check', 'true', 'topic');
      else if (required && members[0]) {
        const pick = members.find((g) => NEUTRAL_OPTION.test(norm(labelOf(g)))) ?? members[0];
        add(pick, 'check', 'true', 'required-choice', { field: questionOf(f), value: labelOf(pick) });
      }
      continue;
    }
    if (f.tag === 'select' || f.type === 'combobox') {
      const opts = f.options;
      if (roles.get(f.idx) === 'dob') {
        if (f.required && !f.value) missingProfile.push(`${labelOf(f)} (${PROFILE_KEY.dob})`);
        continue;
      }
      const asked = norm(`${f.label} ${f.ariaLabel} ${f.name} ${f.id} ${f.nearby}`);
      if (!opts) {
        // A dropdown whose options are drawn only once opened: opened when the question is one
        // we may answer (required, the service, a profile question, what the inquiry is about).
        if (!f.value && (f.required || SERVICE_LABEL.test(asked) || TOPIC_LABEL.test(asked) || choiceQuestionOf(asked))) add(f, 'choose', '', 'dropdown');
        continue;
      }
      const current = opts.find((o) => (f.type === 'combobox' ? o.text === f.value : o.value === f.value));
      const hasChoice = !!current && current.value !== '' && !PLACEHOLDER_OPTION.test(current.text.trim());
      const isState = choiceQuestionOf(norm(`${f.label} ${f.ariaLabel} ${f.name} ${f.id}`)) === 'state' || roles.get(f.idx) === 'state';
      const pick = pickChoice(isState ? { ...f, label: `state ${f.label}` } : f, opts, ctx, hasChoice);
      if (pick) {
        if (!(hasChoice && pick.value === current!.value)) add(f, 'select', pick.value, pick.role, pick.choice, pick.text);
        continue;
      }
      // A state the profile does not give is never guessed (the first option would be a lie).
      if (isState) {
        if (f.required && !hasChoice) missingProfile.push(`${labelOf(f)} (${PROFILE_KEY.state})`);
        continue;
      }
      if (f.required && !hasChoice) unfilledRequired.push(labelOf(f));
      continue;
    }
    let role = roles.get(f.idx) ?? 'unknown';
    if (role === 'name') role = resolveBareName(hasFirst, hasLast);
    const value = valueFor(role, f, ctx, profile);
    if (value === undefined) {
      if (role === 'quiz') quizzes.push(quizQuestionOf(f) || labelOf(f));
      else if (f.required && !f.value && role in PROFILE_KEY) missingProfile.push(`${labelOf(f)} (${PROFILE_KEY[role as ProfileRole]})`);
      else if (f.required && !f.value && role !== 'honeypot') unfilledRequired.push(labelOf(f));
      continue;
    }
    add(f, 'fill', value, role);
  }
  return { actions, unfilledRequired, missingProfile, quizzes };
}

// A box or select that is one part of a date: its caption, placeholder or name's last word.
const DATE_PART: [DatePart, RegExp][] = [
  ['day', /^(day|dd|d|tt|jj|dia|jour|tag)$/],
  ['month', /^(month|mm|m|mes|mois|monat)$/],
  ['year', /^(year|yyyy|yy|aaaa|jjjj|aa|ano|anio|annee|jahr|yr)$/],
];
export type DatePart = 'day' | 'month' | 'year';

/** The date part a control stands for, when it sits in a date of birth (its legend, group or name says so). */
function dobPartOf(f: FieldInfo): DatePart | undefined {
  if (!['text', 'number', 'tel', '', 'select'].includes(f.type) || f.tag === 'textarea') return undefined;
  const context = norm(`${f.groupLabel} ${f.name} ${f.id}`);
  if (!DOB.test(context) && !/\b(birth|dob|nac|nacim|naiss|geburt|nasc)\b/.test(context)) return undefined;
  const words = [f.label, f.ariaLabel, f.placeholder].map((t) => norm(t).replace(/[^a-z ]/g, '').trim());
  const last = (t: string) => norm(t).split(/[^a-z]+/).filter(Boolean).pop() ?? '';
  for (const [part, re] of DATE_PART) if (words.some((w) => re.test(w)) || re.test(last(f.name)) || re.test(last(f.id))) return part;
  return undefined;
}

/** The split date-of-birth controls of the form, by control: which part, the question, whether it is required. */
function dobGroupsOf(fields: FieldInfo[]): Map<number, { part: DatePart; question: string; required: boolean }> {
  const out = new Map<number, { part: DatePart; question: string; required: boolean }>();
  const parts = fields.map((f) => ({ f, part: dobPartOf(f) })).filter((x) => x.part);
  if (new Set(parts.map((x) => x.part)).size < 2) return out;
  for (const { f, part } of parts) {
    const question = questionText(f.groupLabel || labelOf(f));
    const required = parts.some((x) => (x.f.groupLabel || '') === (f.groupLabel || '') && x.f.required) || /\*\s*$/.test(f.groupLabel);
    out.set(f.idx, { part: part!, question, required });
  }
  return out;
}

const MONTHS = [
  'january february march april may june july august september october november december',
  'enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre',
  'janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre',
  'januar februar marz april mai juni juli august september oktober november dezember',
  'janeiro fevereiro marco abril maio junho julho agosto setembro outubro novembro dezembro',
].map((l) => l.split(' '));

/** One part of an ISO date for a day / month / year box or select (option by number, or by month name in five languages). */
function dobPartValue(f: FieldInfo, part: DatePart, iso: string): string | undefined {
  const [y, m, d] = iso.split('-') as [string, string, string];
  const n = Number(part === 'day' ? d : part === 'month' ? m : y);
  if (f.tag === 'select') {
    const live = (f.options ?? []).filter((o) => !o.disabled && o.value !== '');
    const byNumber = live.find((o) => Number(o.value) === n || Number(o.text.trim()) === n);
    if (byNumber) return byNumber.value;
    if (part !== 'month') return undefined;
    const names = MONTHS.map((l) => l[n - 1]!);
    const byName = live.find((o) => {
      const t = norm(o.text).replace(/[^a-z]/g, '');
      return names.some((name) => t === name || (t.length >= 3 && name.startsWith(t)));
    });
    return byName?.value;
  }
  if (part === 'year') return f.maxLength === 2 ? y.slice(2) : y;
  return String(n).padStart(f.maxLength === 1 ? 1 : 2, '0');
}

/** The boxes of a number split over several inputs, when the shopper gives a phone there. */
function phonePartsOf(fields: FieldInfo[], roles: Map<number, FieldRole>, ctx: FillContext): Map<number, { value: string; part: string }> {
  if (!ctx.phone) return new Map();
  const boxes = fields.filter((f) => f.visible && !f.disabled && !f.readOnly && roles.get(f.idx) !== 'honeypot' && f.type !== 'checkbox' && f.type !== 'radio');
  const parts = phoneSegments(boxes, ctx.phone);
  const required = fields.some((f) => parts.has(f.idx) && f.required);
  return ctx.askCallback || required ? parts : new Map();
}

function valueFor(role: FieldRole, f: FieldInfo, ctx: FillContext, profile: ShopperProfile): string | undefined {
  switch (role) {
    case 'first-name':
      return ctx.firstName;
    case 'last-name':
      return ctx.lastName;
    case 'full-name':
    case 'name':
      return ctx.fullName;
    case 'email':
      return ctx.email;
    case 'phone':
      if (!ctx.phone || (!ctx.askCallback && !f.required)) return undefined;
      return formatPhoneFor(f, ctx.phone);
    case 'middle-name':
      return undefined;
    case 'message':
      return ctx.message;
    case 'subject':
      return ctx.subject;
    case 'date':
    case 'datetime':
      return formatDateFor(f, ctx.preferredDate);
    case 'time':
      return profile.preferredTime;
    case 'sum-question':
      return sumAnswerOf(f)?.toString();
    case 'quiz':
    case 'answer':
      return configuredAnswer(questionWords(f), ctx.answers);
    case 'dob':
      return profile.dateOfBirth && formatDateFor({ ...f, min: '', max: '' }, profile.dateOfBirth);
    case 'company':
    case 'job-title':
    case 'postal-code':
    case 'city':
    case 'state':
    case 'preferred-time':
      return profileValue(role, profile);
    default:
      return undefined;
  }
}
