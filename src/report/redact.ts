/**
 * Personal data of the organization's staff in reply excerpts: names in signatures and
 * introductions, phone numbers, email addresses. Reports are handed to clients, so this is on
 * by default (`--no-redact` turns it off). Organization-level facts (a domain, the fact that
 * a number was given) stay: the reader still sees *what* happened.
 */
import { splitReply } from '../classify/reply-parts.js';

const EMAIL = /[A-Z0-9._%+-]+@([A-Z0-9-]+(?:\.[A-Z0-9-]+)*\.[A-Z]{2,})/gi;
// Seven or more digits, optionally grouped by spaces, dots, dashes, parentheses, with a + prefix.
const PHONE = /\+?\(?\d[\d\s().-]{5,}\d\b/g;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const NAME = "[A-Z][a-zA-Z'’-]+";
// Lead words in either case ("This is Dana …" opens many replies); the name itself must be capitalised.
const INTRO = new RegExp(`\\b([Mm]y name is|[Tt]his is|I am|I'm|[Ss]peaking with|[Aa]sk for|[Rr]egards,?|[Tt]hanks,?)\\s+(${NAME}(?:\\s+${NAME})?)`, 'g');
// A closing paragraph that starts with only a name, or a name and a role ("Dana Whitfield,
// Patient Access"), signs many replies without a sign-off word: it is a signature too.
const NAME_LINE = new RegExp(`^\\s*${NAME}(?:\\s+${NAME}){0,2}\\s*(?:[,|\u2013\u2014-]\\s*[^.?!]{0,60})?$`);
const TITLE = new RegExp(`\\b(Dr|Mr|Mrs|Ms|Miss|Nurse|Prof)\\.?\\s+(${NAME}(?:\\s+${NAME})?)`, 'g');
// Words that look like names after "this is" but are not people.
const NOT_NAMES = new Set(['The', 'A', 'An', 'Our', 'We', 'It', 'That', 'This', 'North', 'South', 'East', 'West', 'Please', 'Thank', 'Thanks', 'Dr', 'Mr', 'Mrs', 'Ms', 'Miss', 'Nurse', 'Prof']);

function digits(s: string): number {
  let n = 0;
  for (const ch of s) if (ch >= '0' && ch <= '9') n++;
  return n;
}

/** Redacts an email address but keeps its domain (the organization's, not the person's). */
export function redactAddress(addr: string): string {
  return addr.replace(EMAIL, (_m, domain: string) => `[redacted]@${domain}`);
}

export function redactText(text: string): string {
  let t = text.replace(EMAIL, (_m, domain: string) => `[email]@${domain}`);
  t = t.replace(PHONE, (m) => (digits(m) >= 7 && !ISO_DATE.test(m.trim()) ? '[phone]' : m));
  t = t.replace(TITLE, (_m, title: string) => `${title}. [name]`);
  t = t.replace(INTRO, (m, lead: string, name: string) => (NOT_NAMES.has(name.split(/\s+/)[0]!) ? m : `${lead} [name]`));
  return t;
}

/** A reply excerpt for a report: what the writer wrote now, signature and quoted text dropped when redacting. */
export function redactExcerpt(text: string, redact: boolean): string {
  if (!redact) return text;
  const parts = splitReply(text);
  const whole = parts.body.trim() || (parts.signature || parts.quoted ? '' : text);
  const { body, signature } = closingNameOff(whole);
  const notes = [parts.signature.trim() || signature ? '[signature removed]' : '', parts.quoted.trim() ? '[quoted text omitted]' : ''].filter(Boolean);
  return [redactText(body), ...notes].filter(Boolean).join('\n');
}

/** Splits off a last paragraph that is a bare name line (with a role or a few short lines under it). */
function closingNameOff(text: string): { body: string; signature: boolean } {
  const paras = text.trimEnd().split(/\n\s*\n/);
  const last = paras[paras.length - 1]!.split('\n');
  const first = last[0]!.trim();
  const isName = NAME_LINE.test(first) && !NOT_NAMES.has(first.split(/[\s,]+/)[0]!) && last.length <= 4 && last.every((l) => l.length <= 80);
  if (paras.length < 2 || !isName) return { body: text, signature: false };
  return { body: paras.slice(0, -1).join('\n\n'), signature: true };
}
