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
const INTRO = new RegExp(`\\b(my name is|this is|I am|I'm|speaking with|ask for|regards,?|thanks,?)\\s+(${NAME}(?:\\s+${NAME})?)`, 'g');
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
  const body = parts.body.trim() || (parts.signature || parts.quoted ? '' : text);
  const notes = [parts.signature.trim() ? '[signature removed]' : '', parts.quoted.trim() ? '[quoted text omitted]' : ''].filter(Boolean);
  return [redactText(body), ...notes].filter(Boolean).join('\n');
}
