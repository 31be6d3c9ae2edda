/**
 * Phone numbers the way each page wants them: one box (its pattern, maxlength, input mask or
 * the example its placeholder shows), or a number split over several boxes (the US
 * "( 312 ) 555 - 0101" three boxes, with or without a country box). Pure functions over the
 * control descriptions of webform-dom.ts.
 *
 * Why masks matter: a mask script re-masks a typed value from its digits, so "+1 312 555 0101"
 * in a "(999) 999-9999" box becomes "(131) 255-5010": the country code is eaten into the area
 * code. The national number is what such a box wants; a mask that shows its own "+1" prefix
 * wants the national part too (the script adds the prefix back).
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';

export interface PhoneBox {
  idx: number;
  type: string;
  tag: string;
  name: string;
  id: string;
  label: string;
  ariaLabel: string;
  placeholder: string;
  nearby: string;
  groupLabel: string;
  autocomplete: string;
  pattern: string;
  maxLength: number;
  /** An input-mask definition from data-inputmask / data-mask, when the page has one. */
  mask?: string;
}

interface Parsed {
  e164: string;
  /** The country calling code, e.g. "1". */
  cc: string;
  /** National significant number, digits only. */
  national: string;
  formattedNational: string;
  international: string;
}

function parse(e164: string): Parsed {
  const p = parsePhoneNumberFromString(e164);
  const digits = e164.replace(/\D/g, '');
  if (!p) return { e164, cc: '', national: digits, formattedNational: e164, international: e164 };
  return { e164, cc: String(p.countryCallingCode), national: String(p.nationalNumber), formattedNational: p.formatNational(), international: p.formatInternational() };
}

/** The mask text of a box: an explicit mask, or a placeholder drawn as one ("(___) ___-____"). */
function maskOf(f: Pick<PhoneBox, 'mask' | 'placeholder'>): { text: string; slot: RegExp; explicit: boolean } | undefined {
  const m = f.mask ? /(?:'mask'\s*:\s*|"mask"\s*:\s*)?['"]?([^'"]+)['"]?/.exec(f.mask.trim())?.[1]?.trim() : '';
  if (m && /[9#0X_]/.test(m)) return { text: m, slot: /[9#0X_]/, explicit: true };
  const ph = f.placeholder.trim();
  if (/_{2,}|#{2,}/.test(ph)) return { text: ph, slot: /[_#]/, explicit: true };
  // An example number ("(201) 555-0123", "555-555-5555"): its digits are the slots.
  if (/^\+?[\d\s().-]{7,}$/.test(ph) && (ph.match(/\d/g) ?? []).length >= 7) return { text: ph, slot: /\d/, explicit: false };
  return undefined;
}

/**
 * The national number poured into the box's mask or example shape, or undefined when the
 * shape does not fit the number. A leading country code shown by the shape ("+1 (___) …")
 * is kept for an example placeholder and left to the script for a real mask.
 */
export function shapeFor(f: Pick<PhoneBox, 'mask' | 'placeholder'>, e164: string): string | undefined {
  const mask = maskOf(f);
  if (!mask) return undefined;
  const p = parse(e164);
  let text = mask.text;
  let prefix = '';
  const lead = new RegExp(`^(\\+?${p.cc})(?=[\\s(.-])\\s*`).exec(text);
  if (lead && p.cc) {
    prefix = mask.explicit ? '' : text.slice(0, lead[0].length);
    text = text.slice(lead[0].length);
  }
  const slots = [...text].filter((c) => mask.slot.test(c)).length;
  if (slots !== p.national.length) return undefined;
  // The shape must group the digits as this country writes them ("(312) 555-0101": 3-3-4), or
  // not at all: a French "06 12 34 56 78" is no shape for a US number.
  const groups = (t: string, slot: RegExp) => [...t].map((c) => (slot.test(c) ? 'x' : ' ')).join('').split(/ +/).filter(Boolean).map((g) => g.length).join(',');
  const shapeGroups = groups(text, mask.slot);
  if (shapeGroups !== String(slots) && shapeGroups !== groups(p.formattedNational, /\d/)) return undefined;
  let i = 0;
  const body = [...text].map((c) => (mask.slot.test(c) ? p.national[i++] : c)).join('');
  // Optional parts of a mask syntax ("[", "]") and trailing literals after the last digit are dropped.
  return prefix + body.replace(/[[\]]/g, '').replace(/[^\d)]+$/, '');
}

/** A phone number written the way this input wants it (mask, pattern, length), national by default. */
export function formatPhoneFor(f: Pick<PhoneBox, 'pattern' | 'maxLength'> & Partial<Pick<PhoneBox, 'mask' | 'placeholder'>>, e164: string): string {
  const p = parse(e164);
  const shaped = shapeFor({ mask: f.mask, placeholder: f.placeholder ?? '' }, e164);
  const digits = p.national;
  const candidates = [shaped, p.formattedNational, e164, digits, digits.replace(/^(\d{3})(\d{3})(\d{4})$/, '$1-$2-$3'), p.international].filter((c): c is string => !!c);
  const fits = (c: string) => {
    if (f.maxLength && c.length > f.maxLength) return false;
    if (!f.pattern) return true;
    // Browsers compile `pattern` with the v flag and ignore a pattern that fails there (e.g.
    // an unescaped "(" or "-" inside a class, as Elementor's "[0-9()#&+*-=.]+"). The server
    // often still applies the same expression with older rules (PHP preg), so a pattern the
    // browser ignores is read the legacy way (u, then no flag) to choose a format it allows.
    for (const flags of ['v', 'u', '']) {
      try {
        return new RegExp(`^(?:${f.pattern})$`, flags).test(c);
      } catch {
        // try the next, looser syntax
      }
    }
    return true;
  };
  return candidates.find(fits) ?? p.formattedNational;
}

/** True when a box's value holds the number (national digits in order, whatever the punctuation). */
export function phoneValueHolds(value: string, e164: string): boolean {
  const p = parse(e164);
  const d = value.replace(/\D/g, '');
  return d === p.national || d === p.cc + p.national || d === '0' + p.national;
}

const PART_WORDS = /phone|tel|telefon|telephone|mobile|movil|celular|cell|area|prefix|exchange|line|suffix|digits|vorwahl|indicativo|lada|codigo|country|pais|pays|land|#{3}/;

const norm = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

/**
 * Runs of adjacent small boxes that together hold one phone number, with the part each box
 * takes: [country?] area, exchange, line (3-3-4), or area + 7-digit local number. Only for
 * numbers of the North American plan, whose split is fixed; other numbers go in one box.
 */
export function phoneSegments(boxes: PhoneBox[], e164: string): Map<number, { value: string; part: string }> {
  const out = new Map<number, { value: string; part: string }>();
  const p = parse(e164);
  const textual = (b: PhoneBox) => b.tag === 'input' && ['text', 'tel', 'number', ''].includes(b.type);
  // A country-code box beside a whole-number box, for any country (Zoho Forms' international
  // phone, many hand-built forms): "+1" there, the national digits in the number box.
  for (let i = 0; i + 1 < boxes.length; i++) {
    const [code, number] = [boxes[i]!, boxes[i + 1]!];
    if (!textual(code) || !textual(number) || !isCountryCodeBox(code, number) || !isWholeNumberBox(number)) continue;
    out.set(code.idx, { value: code.maxLength > 0 && code.maxLength <= p.cc.length ? p.cc : `+${p.cc}`, part: 'phone-country' });
    out.set(number.idx, { value: p.national, part: 'phone-national' });
    return out;
  }
  if (p.cc !== '1' || p.national.length !== 10) return out;
  let run: PhoneBox[] = [];
  const flush = () => {
    const got = assign(run, p);
    if (got) for (const [idx, v] of got) out.set(idx, v);
    run = [];
  };
  for (const b of boxes) {
    const n = textual(b) ? partLength(b) : 0;
    const last = run[run.length - 1];
    if (n > 0) run.push(b);
    // The number box after an area-code box that has no maxlength ("Area Code" + "Phone Number").
    else if (n === -1 && last && last.maxLength === 0 && partLength(last) === 3 && looksLikeNumberBox(b)) run.push(b);
    else flush();
  }
  flush();
  return out;
}

const wordsOfBox = (b: PhoneBox) => norm(`${b.label} ${b.ariaLabel} ${b.placeholder} ${b.nearby} ${b.name} ${b.id} ${b.autocomplete}`);
/** "Country code", "Code" (beside a phone box), "dial code", "indicativo", "indicatif", "Ländervorwahl". */
const COUNTRY_CODE_WORDS = /country ?code|dial(l)?ing ?code|calling ?code|dial ?code|\bcode\b|indicativo|prefijo|indicatif|landesvorwahl|landervorwahl|\bddi\b|codigo (de )?pais|code pays|tel country code/;
const NOT_COUNTRY_CODE = /zip|postal|post ?code|promo|coupon|discount|voucher|verif|area|regional|security|captcha/;

/** A box that holds only the calling code of the phone box after it. */
function isCountryCodeBox(code: PhoneBox, number: PhoneBox): boolean {
  const words = wordsOfBox(code);
  if (code.autocomplete.split(/\s+/).includes('tel-country-code')) return true;
  if (!COUNTRY_CODE_WORDS.test(words) || NOT_COUNTRY_CODE.test(words)) return false;
  if (code.maxLength > 10) return false;
  return /phone|\btel|mobile|movil|celular|cell|dial|calling|country|pais|pays|land/.test(`${words} ${wordsOfBox(number)}`);
}

/** A box for the whole (national) number: long enough, and saying it takes a phone number. */
const isWholeNumberBox = (b: PhoneBox) => (b.maxLength === 0 || b.maxLength >= 7) && looksLikeNumberBox(b);

/** Area-code words in several languages (the box itself says it holds only the area code). */
const AREA_CODE_WORDS = /area ?code|codigo de area|cod\. area|vorwahl|indicatif regional|\blada\b|\bddd\b/;

/**
 * How many digits a part box takes: its maxlength when small, else what the box says it is.
 * Builders such as Jotform's phone control give the area-code and number boxes no maxlength,
 * only autocomplete tokens (tel-area-code, tel-local, tel-local-prefix/suffix) or sub-labels
 * ("Area Code" / "Phone Number"), so the split must come from those.
 */
function partLength(b: PhoneBox): number {
  if (b.maxLength > 0) return b.maxLength <= 8 ? b.maxLength : 0;
  const ac = b.autocomplete.split(/\s+/);
  if (ac.includes('tel-area-code')) return 3;
  if (ac.includes('tel-local-prefix')) return 3;
  if (ac.includes('tel-local-suffix')) return 4;
  if (ac.includes('tel-local')) return 7;
  if (AREA_CODE_WORDS.test(norm(`${b.label} ${b.ariaLabel} ${b.placeholder}`))) return 3;
  return -1;
}

/** A box that says by its type or its own words that it takes a (local) phone number. */
const looksLikeNumberBox = (b: PhoneBox) =>
  b.type === 'tel' || /phone|\btel|numero|nummer|number|movil|celular|cell|mobile/.test(norm(`${b.label} ${b.ariaLabel} ${b.placeholder} ${b.name}`));

function assign(run: PhoneBox[], p: Parsed): Map<number, { value: string; part: string }> | undefined {
  // A box without a length of its own (-1) takes the local number when it follows an area-code box.
  const lens = run.map((b, i) => { const n = partLength(b); return n === -1 && i > 0 && partLength(run[i - 1]!) === 3 && run[i - 1]!.maxLength === 0 ? 7 : n; });
  const wordsOf = (bs: PhoneBox[]) => norm(bs.map((b) => `${b.label} ${b.ariaLabel} ${b.placeholder} ${b.name} ${b.id} ${b.groupLabel} ${b.autocomplete} ${b.nearby}`).join(' '));
  const [area, exch, line] = [p.national.slice(0, 3), p.national.slice(3, 6), p.national.slice(6)];
  const m = new Map<number, { value: string; part: string }>();
  for (let i = 0; i + 1 < run.length; i++) {
    if (lens[i] === 3 && lens[i + 1] === 3 && lens[i + 2] === 4) {
      const boxes = run.slice(i, i + 3);
      const country = i > 0 && lens[i - 1]! <= 3 && /country|code|pais|pays|land|indicativo|\+/.test(wordsOf([run[i - 1]!])) ? run[i - 1] : undefined;
      if (!PART_WORDS.test(wordsOf(country ? [country, ...boxes] : boxes))) continue;
      if (country) m.set(country.idx, { value: p.cc, part: 'phone-country' });
      m.set(boxes[0]!.idx, { value: area, part: 'phone-area' });
      m.set(boxes[1]!.idx, { value: exch, part: 'phone-exchange' });
      m.set(boxes[2]!.idx, { value: line, part: 'phone-line' });
      return m;
    }
    if (lens[i] === 3 && (lens[i + 1] === 7 || lens[i + 1] === 8) && lens[i + 2] === undefined) {
      if (!PART_WORDS.test(wordsOf(run.slice(i, i + 2)))) continue;
      m.set(run[i]!.idx, { value: area, part: 'phone-area' });
      m.set(run[i + 1]!.idx, { value: lens[i + 1] === 8 ? `${exch}-${line}` : exch + line, part: 'phone-local' });
      return m;
    }
  }
  return undefined;
}
