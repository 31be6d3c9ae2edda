/**
 * The shopper profile's part of `fields: auto`: which controls ask for company, job title,
 * postal code, city, state, date of birth, preferred contact method, preferred time and
 * "new or existing patient / customer" (labels in English, Spanish, French, German and
 * Portuguese, and the standard autocomplete tokens), and which value or option they get.
 * A profile part without a value is never invented: the box stays empty, and a required
 * one is reported by its label before anything is sent.
 */
import { DEFAULT_PROFILE, type ShopperProfile } from '../config/profile.js';

/** Profile roles of free-text controls. */
export type ProfileRole = 'company' | 'job-title' | 'postal-code' | 'city' | 'state' | 'dob' | 'preferred-time';
/** Questions answered by choosing an option (select, radio group). */
export type ProfileChoice = 'customer-status' | 'contact-method' | 'preferred-time' | 'state';

export const PROFILE_AUTOCOMPLETE: Record<string, ProfileRole> = {
  organization: 'company',
  'organization-title': 'job-title',
  'postal-code': 'postal-code',
  'address-level2': 'city',
  'address-level1': 'state',
  bday: 'dob',
};

/** Date of birth, before any "date" rule: an appointment date never goes there. */
export const DOB = /date of birth|birth ?date|\bdob\b|\bd o b\b|birthday|fecha de nacimiento|\bnacimiento\b|date de naissance|\bnaissance\b|geburtsdatum|geburtstag|data de nascimento|\bnascimento\b/;

/** Text-box rules, in order (DOB first, then the address parts, then work). */
export const PROFILE_RULES: [ProfileRole, RegExp][] = [
  ['dob', DOB],
  ['postal-code', /\bzip\b|zip ?code|postal|post ?code|\bcodigo postal\b|\bcode postal\b|\bplz\b|postleitzahl|\bcep\b/],
  ['city', /\bcity\b|\btown\b|\bciudad\b|\blocalidad\b|\bville\b|\bort\b|wohnort|\bstadt\b|\bcidade\b|\bmunicipio\b/],
  ['state', /\bstate\b|\bprovince\b|\bregion\b|\bestado\b|\bprovincia\b|bundesland|\bdepartement\b/],
  ['job-title', /job ?title|job role|\bposition\b|\bpuesto\b|\bcargo\b|\bposte\b|\bfonction\b|berufsbezeichnung|\bfuncao\b|\bprofissao\b/],
  ['company', /company|organi[sz]ation|business|\bemployer\b|\bempresa\b|\bcompania\b|organizacion|entreprise|societe|\bfirma\b|unternehmen|\borganizacao\b/],
  ['preferred-time', /(preferred|best|convenient) time|time (of day|to call|to reach)|\bhora preferida\b|\bhorario\b|\bheure\b|\buhrzeit\b/],
];

const CUSTOMER_STATUS = /new or (existing|returning|current|established)|(existing|returning|current) or new|new (patient|client|customer)|(existing|returning|current|established) (patient|client|customer)|seen (us|here|by us|one of our)|been (here|seen|to our)|visited (us|before)|previous(ly)? (seen|visited)|nuevo o (existente|actual)|paciente (nuevo|existente)|cliente (nuevo|existente)|nouveau (patient|client)|patient existant|client existant|neue?r? (patient|kunde)|bestehende?r? (patient|kunde)|paciente novo|cliente novo|ja (e|sou) (paciente|cliente)/;
const CONTACT_METHOD = /(preferred|best) (way|method|means)|(contact|communication) (method|preference)|method of contact|how (should|would you like|may|can|do you want) (we|us to|you like us to) (contact|reach)|contact me by|reach you|forma de contacto|medio de contacto|como (prefiere|desea) que (le|lo|la) contactemos|moyen de contact|comment (vous|souhaitez-vous) (joindre|contacter)|kontaktweg|bevorzugte kontakt|kontaktaufnahme|forma de contato|como prefere ser contactado/;
const PREFERRED_TIME = /(preferred|best|convenient) time|time (of day|to call|to reach)|when (should|can|may) we call|hora preferida|horario|mejor hora|meilleur moment|heure|uhrzeit|erreichbar|melhor horario/;
const STATE = /\bstate\b|\bprovince\b|\bregion\b|\bestado\b|\bprovincia\b|bundesland/;

/** Which choice question a select or radio group asks, from its label (or legend). */
export function choiceQuestionOf(text: string): ProfileChoice | undefined {
  if (CUSTOMER_STATUS.test(text)) return 'customer-status';
  if (CONTACT_METHOD.test(text)) return 'contact-method';
  if (PREFERRED_TIME.test(text)) return 'preferred-time';
  if (STATE.test(text)) return 'state';
  return undefined;
}

/** "Have you been seen before?" asks yes/no: a new patient answers no. */
const YES = /^(yes|si|oui|ja|sim)\b/;
const NO = /^(no|non|nein|nao)\b/;
const NEW = /\bnew\b|\bnuevo|\bnueva|nouveau|nouvelle|\bneue?r?\b|\bnovo|\bnova\b|first (time|visit)|never|primera vez|premiere (fois|visite)|erstmals|primeira vez/;
const EXISTING = /existing|returning|current|established|\bexistente|\bactual\b|\bhabitual|existant|deja|bestehend|\bja sou|\bjá sou|\batual\b/;
const PHONE = /phone|\bcall|telephone|\btel\b|telefono|llamada|appel|telefon|anruf|ligacao|telefone/;
const EMAIL = /e ?mail|correo|courriel/;
const TEXT = /\btext\b|\bsms\b|mensaje de texto|texto|whatsapp/;
const MORNING = /morning|\ba ?m\b|manana|matin|vormittag|morgens|manha/;
const AFTERNOON = /afternoon|\bp ?m\b|tarde|apres ?midi|nachmittag/;
const EVENING = /evening|\bnight|noche|soir|abend|noite/;

/** US states and DC by postal abbreviation, for "IL" against a dropdown of names (and back). */
const US_STATES: Record<string, string> = {
  AL: 'Alabama', AK: 'Alaska', AZ: 'Arizona', AR: 'Arkansas', CA: 'California', CO: 'Colorado', CT: 'Connecticut', DE: 'Delaware',
  DC: 'District of Columbia', FL: 'Florida', GA: 'Georgia', HI: 'Hawaii', ID: 'Idaho', IL: 'Illinois', IN: 'Indiana', IA: 'Iowa',
  KS: 'Kansas', KY: 'Kentucky', LA: 'Louisiana', ME: 'Maine', MD: 'Maryland', MA: 'Massachusetts', MI: 'Michigan', MN: 'Minnesota',
  MS: 'Mississippi', MO: 'Missouri', MT: 'Montana', NE: 'Nebraska', NV: 'Nevada', NH: 'New Hampshire', NJ: 'New Jersey',
  NM: 'New Mexico', NY: 'New York', NC: 'North Carolina', ND: 'North Dakota', OH: 'Ohio', OK: 'Oklahoma', OR: 'Oregon',
  PA: 'Pennsylvania', RI: 'Rhode Island', SC: 'South Carolina', SD: 'South Dakota', TN: 'Tennessee', TX: 'Texas', UT: 'Utah',
  VT: 'Vermont', VA: 'Virginia', WA: 'Washington', WV: 'West Virginia', WI: 'Wisconsin', WY: 'Wyoming',
};

export function profileOrDefault(p: ShopperProfile | undefined): ShopperProfile {
  return p ?? DEFAULT_PROFILE;
}

/** The contact method the shopper prefers: configured, else phone when asking for a call back. */
export function contactMethodOf(p: ShopperProfile, askCallback: boolean, phone: string | null): 'phone' | 'email' | 'text' {
  if (p.contactMethod && (p.contactMethod === 'email' || phone)) return p.contactMethod;
  return askCallback && phone ? 'phone' : 'email';
}

function partOfDay(hhmm: string): RegExp {
  const h = Number(hhmm.slice(0, 2));
  return h < 12 ? MORNING : h < 17 ? AFTERNOON : EVENING;
}

/**
 * The option (index into `texts`, normalised option texts/values) that answers a choice
 * question; undefined when none fits or the profile has no value.
 */
export function chooseFor(q: ProfileChoice, texts: string[], p: ShopperProfile, askCallback: boolean, phone: string | null): number | undefined {
  const find = (re: RegExp, not?: RegExp) => {
    const i = texts.findIndex((t) => re.test(t) && !(not && not.test(t)));
    return i >= 0 ? i : undefined;
  };
  switch (q) {
    case 'customer-status':
      if (p.customerStatus === 'new') return find(NEW, EXISTING) ?? find(NO);
      return find(EXISTING) ?? find(YES);
    case 'contact-method': {
      const m = contactMethodOf(p, askCallback, phone);
      if (m === 'text') return find(TEXT) ?? find(PHONE, TEXT);
      return m === 'phone' ? find(PHONE, TEXT) : find(EMAIL);
    }
    case 'preferred-time':
      return find(partOfDay(p.preferredTime)) ?? find(new RegExp(`\\b${Number(p.preferredTime.slice(0, 2)) % 12 || 12}\\b`));
    case 'state': {
      if (!p.state) return undefined;
      const want = p.state.trim();
      const names = [want, US_STATES[want.toUpperCase()] ?? '', Object.keys(US_STATES).find((k) => US_STATES[k]!.toLowerCase() === want.toLowerCase()) ?? '']
        .filter(Boolean)
        .map((s) => s.toLowerCase());
      const i = texts.findIndex((t) => names.includes(t.trim()));
      return i >= 0 ? i : undefined;
    }
  }
}

/** The text for a profile box, or undefined when the profile has none (never invented). */
export function profileValue(role: ProfileRole, p: ShopperProfile): string | undefined {
  switch (role) {
    case 'company':
      return p.company;
    case 'job-title':
      return p.jobTitle;
    case 'postal-code':
      return p.postalCode;
    case 'city':
      return p.city;
    case 'state':
      return p.state;
    case 'preferred-time':
      return p.preferredTime;
    case 'dob':
      return p.dateOfBirth;
  }
}

/** Where a user sets a missing part (for the report of a required box left empty). */
export const PROFILE_KEY: Record<ProfileRole, string> = {
  company: 'shopper.company',
  'job-title': 'shopper.jobTitle',
  'postal-code': 'shopper.postalCode',
  city: 'shopper.city',
  state: 'shopper.state',
  'preferred-time': 'shopper.preferredTime',
  dob: 'shopper.dateOfBirth',
};
