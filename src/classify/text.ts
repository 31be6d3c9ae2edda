/**
 * What a reply's words say, whatever channel carried it (email body, SMS, a form's
 * acknowledgement): does it send the prospect elsewhere (pass-along), does it know the
 * campaign, does it ask us to stop? Each verdict carries its reasons. Email classification
 * (auto-ack / human / bounce) builds on this; the phone channel uses it for texts.
 */
import { findPhoneNumbersInText, getCountryCallingCode, type CountryCode } from 'libphonenumber-js';
import { splitReply } from './reply-parts.js';

export interface ReplyTextContext {
  campaign?: { name: string; keywords?: string[] } | undefined;
  /** Numbers the probe itself contacted or the site publishes: pointing back to them is still a hand-off, but we say so. */
  knownNumbers?: string[];
  /** The shopper's own numbers: a receipt echoing them is not sending anyone elsewhere. */
  shopperPhones?: string[];
  /** The shopper's own inquiry (so words copied from it into the reply don't count). */
  inquiryText?: string;
  defaultCountry?: CountryCode;
  /** SMS: no quoting or signatures to strip. */
  plain?: boolean;
  /** Email: the display name it was sent to (a desk comment under that name is the shopper's own). */
  recipientName?: string | undefined;
}

export interface ReplyTextVerdict {
  passAlong: boolean;
  campaignAware: boolean;
  stopRequest: boolean;
  /** E.164 numbers found in what the writer wrote (not in signatures, disclaimers, quotes). */
  phoneNumbers: string[];
  reasons: string[];
  /** The part of the text the verdict is based on. */
  body: string;
}

/** Phrases that hand the prospect to someone else instead of answering. */
const REDIRECT: Array<[RegExp, string]> = [
  [/\b(please|kindly|you (will|would|'ll) need to|you (can|may|should)|best to|i'?d recommend you|recommend that you|it'?s best to)\s+(give us a |give them a )?(call|phone|ring|contact|reach out to|get in touch with|dial)\b/i, 'asks the prospect to call or contact someone'],
  [/\b(call|contact|reach|phone)\s+(our|the|their|your)\s+[\w\s'’-]{0,40}?\b(line|office|department|dept|desk|center|centre|team|scheduling|schedulers|number|hotline|clinic|practice)\b/i, 'points to another line, office or department'],
  [/\bcontact\s+(dr\.?|doctor)\s+[\w'’.-]+('s|’s)?\s+(office|team|staff)\b/i, 'points to a doctor\'s office'],
  [/\b(office|department|team|line)\s+directly\b/i, 'says to contact someone directly'],
  [/\b(have |has been |i'?ve |we'?ve |i |we )?(forwarded|passed|referred|sent|routed|transferred)\s+(your|this|the)\s+(message|inquiry|enquiry|request|email|e-mail|question|note)\s+(on\s+)?to\b/i, 'forwarded the inquiry to someone else'],
  [/\b(your|this|the)\s+(message|inquiry|enquiry|request|email|e-mail|question)\s+(has been|was|is being|will be)\s+(forwarded|passed( on)?|referred|sent|routed|transferred)\s+to\b/i, 'forwarded the inquiry to someone else'],
  [/\b(they|someone from (that|the|their) (team|department|office))\s+(will|should|can)\s+(contact|reach out|get back|call|be in touch)/i, 'says someone else will get in touch'],
  [/\b(we|this (inbox|mailbox|address)) (do(es)? not|don'?t|cannot|can'?t) (schedule|book|make appointments|handle|answer|respond to)\b/i, 'says this channel does not handle the request'],
  [/\b(schedule|book|make an appointment)\s+(online|by (calling|phone|visiting))\b/i, 'sends the prospect to another booking channel'],
  [/\b(please|kindly)\s+(visit|use|go to|fill out|complete)\s+(our|the)\s+[\w\s-]{0,30}(website|portal|online form|form|app)\b/i, 'sends the prospect to a website or portal'],
  // Spanish
  [/\b(por favor|favor de|le pedimos que|debe|puede)\s+(llame|llamar|comun[ií]quese|comunicarse|contacte|contactar)\b/i, 'pide al cliente llamar o contactar a otro (asks to call elsewhere)'],
  [/\b(llame|comun[ií]quese|contacte)\s+(a|al|con)\s+(la|el|nuestr[ao]|su)\s+\w+/i, 'remite a otra línea u oficina (points elsewhere)'],
  [/\b(hemos|he)\s+(reenviado|remitido|enviado)\s+su\s+(mensaje|consulta|solicitud)\b/i, 'reenvió la consulta a otro (forwarded the inquiry)'],
];

/** The writer answered or booked: a number given alongside is then contact info, not a hand-off. */
const OWNED = [
  /\b(i|we)('ve| have)? (booked|scheduled|reserved|set up) (you|an appointment|a consultation|a visit)\b/i,
  /\b(i|we) (have|'ve got) (an? )?(opening|availability|slot|appointment)s?\b/i,
  /\bwould (you like|any of these|either of these)\b.*\b(time|slot|day|work)\b/i,
  /\b(i|we) (will|'ll) call you\b/i,
  /\b(i|we) can (book|schedule|see|fit) you( in)?\b/i,
  /\b(le|te) (llamaremos|llamar[ée])\b/i,
  /\btenemos (disponibilidad|citas?)\b/i,
];

/** Does the writer (or speaker) answer or book the request themselves? */
export function ownsRequest(text: string): boolean {
  return OWNED.some((re) => re.test(text));
}

const CALL_WORD = /\b(call|dial|ring|text|reach|contact|phone (us|them|the)|llame|llamar|ll[aá]menos|comun[ií]quese)\b/i;

/** Sentences about emergencies ("call 911") are safety boilerplate, not a hand-off. */
const EMERGENCY_WORD = /\b(emergenc(y|ies)|emergencia|911|urgent( matters)?|urgencias?|crisis|poison control)\b/i;
/** A sentence: a run up to the next . ! ? or line end, with its end mark. */
const SENTENCE = /[^.!?\n]+[.!?]?/g;

/**
 * Each sentence that mentions an emergency, with its end mark, becomes a space. (One pass over
 * sentences; a single pattern that spans the sentence around the word backtracks over every
 * start position, quadratic in a long line.)
 */
function dropEmergencySentences(text: string): string {
  return text.replace(SENTENCE, (s) => (EMERGENCY_WORD.test(s) ? ' ' : s));
}

const STOP: Array<[RegExp, string]> = [
  [/\b(please|kindly)?\s*(stop|cease|quit)\s+(contacting|emailing|e-mailing|calling|texting|messaging|sending)\b/i, 'asks us to stop contacting them'],
  [/\b(do not|don'?t|never)\s+(contact|email|e-mail|call|text|message)\s+(us|me|this (office|number|address))\s*(again|anymore|any more)?\b/i, 'asks not to be contacted'],
  [/\bremove\s+(us|me|this (address|number|email))\s+from\s+(your|the)\s+(list|mailing|contact|database|records)/i, 'asks to be removed from the list'],
  [/\b(these|your) (messages|emails|calls|inquiries) are (spam|unwanted|harassment)\b/i, 'calls the messages unwanted'],
  [/\bno (nos|me) (contacte|contacten|llame|llamen|escriba|escriban)( m[aá]s)?\b/i, 'pide que no le contactemos (asks us to stop)'],
  [/\bdejen? de (contactar|llamar|escribir|enviar)/i, 'pide que dejemos de contactar (asks us to stop)'],
];

const STOPWORDS = new Set(['the', 'a', 'an', 'of', 'and', 'for', 'to', 'in', 'on', 'at', 'our', 'your', 'with', 'de', 'la', 'el', 'y', 'los', 'las', 'del', 'en', 'por', 'para']);

export function classifyReplyText(text: string, ctx: ReplyTextContext = {}): ReplyTextVerdict {
  const reasons: string[] = [];
  const trimmed = text.trim();
  const parts = ctx.plain ? { body: trimmed, signature: '', disclaimer: '', quoted: '' } : splitReply(text, { recipient: ctx.recipientName });
  const body = removeInquiryEcho(parts.body, ctx.inquiryText);
  if (!ctx.plain && parts.quoted) reasons.push('quoted earlier message ignored');
  if (parts.signature && /\d{3}/.test(parts.signature)) reasons.push('numbers in the signature ignored');
  if (parts.disclaimer) reasons.push('disclaimer ignored');

  // Stop requests: a bare STOP text is the standard opt-out keyword.
  let stopRequest = false;
  if (ctx.plain && /^(stop|stopall|unsubscribe|cancel|end|quit|alto|parar)\.?$/i.test(trimmed)) {
    stopRequest = true;
    reasons.push(`stop request: opt-out keyword "${trimmed}"`);
  }
  for (const [re, why] of STOP) {
    const m = body.match(re);
    if (m) {
      stopRequest = true;
      reasons.push(`stop request: ${why} ("${snippet(m[0])}")`);
      break;
    }
  }

  // Phone numbers in what the writer wrote.
  const handOffText = dropEmergencySentences(body);
  if (handOffText !== body) reasons.push('emergency and urgent-matters lines ignored');
  const shopper = new Set((ctx.shopperPhones ?? []).map(digits));
  const phoneNumbers = findNumbers(handOffText, ctx.defaultCountry ?? 'US').filter((p) => !shopper.has(digits(p.number)));
  const redirects = REDIRECT.filter(([re]) => re.test(handOffText));
  const owned = OWNED.some((re) => re.test(handOffText));
  let passAlong = false;
  if (redirects.length) {
    const strong = redirects.length >= 2 || phoneNumbers.length > 0 || /forwarded|reenvi|remitido|directly|directamente/i.test(redirects[0]![1]);
    if (!owned || strong) {
      passAlong = true;
      for (const [re, why] of redirects) reasons.push(`pass-along: ${why} ("${snippet(handOffText.match(re)![0])}")`);
    } else reasons.push('mentions calling elsewhere but also answers or books the prospect');
  }
  if (phoneNumbers.length) {
    const near = phoneNumbers.some((p) => callWordNear(handOffText, p.at));
    if (!passAlong && near && !owned) {
      passAlong = true;
      reasons.push(`pass-along: asks the prospect to call ${n(phoneNumbers)} instead of answering`);
    } else if (passAlong) reasons.push(`pass-along: gives ${n(phoneNumbers)} to call`);
    else reasons.push(`mentions ${n(phoneNumbers)} without sending the prospect elsewhere`);
    const known = new Set((ctx.knownNumbers ?? []).map(digits));
    if (passAlong && phoneNumbers.some((p) => known.has(digits(p.number)))) reasons.push('one of those numbers is the site\'s own published number');
  }

  // Without a configured campaign, the inquiry the reply quotes may name the one the shopper answered.
  const quotedCampaign = ctx.campaign ? undefined : campaignInInquiry(parts.quoted);
  const campaign = campaignMention(body, ctx.campaign ?? quotedCampaign);
  if (campaign && quotedCampaign) reasons.push(`campaign-aware: ${campaign}, named in the quoted inquiry`);
  else if (campaign) reasons.push(`campaign-aware: ${campaign}`);
  else if (ctx.campaign) reasons.push(`does not mention the campaign "${ctx.campaign.name}"`);

  return { passAlong, campaignAware: !!campaign, stopRequest, phoneNumbers: phoneNumbers.map((p) => p.number), reasons, body };
}

function n(nums: Array<{ number: string }>): string {
  return nums.map((p) => p.number).join(', ');
}

function snippet(s: string): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > 80 ? t.slice(0, 77) + '…' : t;
}

function digits(s: string): string {
  return s.replace(/\D/g, '').replace(/^1(?=\d{10}$)/, '');
}

/**
 * libphonenumber's matcher only looks at runs of digits (any script) separated by at most
 * four punctuation characters. A findable number has seven digits at least where the
 * default country is in the North American plan (a country code and the shortest local
 * numbers elsewhere), four elsewhere. Text without such a run holds no number it would find,
 * and skipping the matcher there saves most of a reply's classification time.
 */
const DIGIT_RUN_NANP = /\p{Nd}(?:[^\p{L}\p{Nd}]{0,4}\p{Nd}){6}/u;
const DIGIT_RUN_SHORT = /\p{Nd}(?:[^\p{L}\p{Nd}]{0,4}\p{Nd}){3}/u;

function findNumbers(text: string, country: CountryCode): Array<{ number: string; at: number }> {
  const out: Array<{ number: string; at: number }> = [];
  if (!(getCountryCallingCode(country) === '1' ? DIGIT_RUN_NANP : DIGIT_RUN_SHORT).test(text)) return out;
  for (const f of findPhoneNumbersInText(text, { defaultCountry: country, leniency: 'POSSIBLE' } as never)) {
    // Ticket, case and reference numbers look like phone numbers.
    const before = text.slice(Math.max(0, f.startsAt - 20), f.startsAt);
    if (/(#|\b(ticket|case|ref|reference|request|order|id|no\.?|n[úu]mero de (caso|ticket)))\s*:?\s*$/i.test(before)) continue;
    // The shopper's own number read back ("we'll call you at ...", "is ... still your best
    // number?") and a form's copy of what was submitted ("Phone: ..." under "Name: ...") are
    // not numbers the organization hands over.
    if (SHOPPER_NUMBER_BEFORE.test(text.slice(Math.max(0, f.startsAt - 40), f.startsAt))) continue;
    if (isSubmissionEcho(text, f.startsAt)) continue;
    if (!out.some((o) => o.number === f.number.number)) out.push({ number: f.number.number, at: f.startsAt });
  }
  return out;
}

const SHOPPER_NUMBER_BEFORE =
  /\b((call|reach|text|ring|phone|contact)\s+you|(llamar|contactar)(le|te)|(le|te) (llamaremos|llamar[ée]|contactaremos)|vous (appeler|rappeler|joindre)|sie .{0,10}(anrufen|erreichen)|(ligar|ligaremos|ligarei) para (voc[êe]|o senhor|a senhora))\s+(back\s+)?(at|on|al|au|unter|no|en)?\s*:?\s*$|\b(your|su|tu|votre|ihre|seu|sua)\s+(phone|number|cell|mobile|n[úu]mero|t[ée]l[ée]phone|telefon(nummer)?|telefone)\s*(is|es|est|ist|[ée])?\s*:?\s*$/i;

/** "Phone: (312) 555-0101" on a line of a "Label: value" block with two or more such lines (a form's copy of the submission). */
function isSubmissionEcho(text: string, at: number): boolean {
  const lineStart = text.lastIndexOf('\n', at) + 1;
  const lineEnd = text.indexOf('\n', at);
  const line = text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd);
  if (!/^\s*[\p{L} ]{2,30}:\s*\S/u.test(line)) return false;
  const near = text.slice(Math.max(0, lineStart - 300), Math.min(text.length, (lineEnd < 0 ? text.length : lineEnd) + 300)).split('\n');
  return near.filter((l) => /^\s*[\p{L} ]{2,30}:\s*\S/u.test(l) && !/https?:/.test(l)).length >= 3;
}

function callWordNear(text: string, at: number): boolean {
  return CALL_WORD.test(text.slice(Math.max(0, at - 80), at));
}

/** Removes sentences the reply copied verbatim from the shopper's inquiry (some help desks inline it unquoted). */
function removeInquiryEcho(body: string, inquiry: string | undefined): string {
  if (!inquiry) return body;
  const norm = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();
  let out = body;
  for (const sentence of inquiry.split(/(?<=[.!?])\s+|\n+/)) {
    const s = sentence.trim();
    if (s.length < 25) continue;
    const idx = norm(out).indexOf(norm(s));
    if (idx < 0) continue;
    out = out.replace(new RegExp(s.split(/\s+/).map(escapeRe).join('\\s+'), 'i'), ' ');
  }
  return out;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Lowercase, no accents, punctuation as spaces. */
export function normalizeWords(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[’']/g, '')
    .replace(/[^a-z0-9%$]+/g, ' ')
    .trim();
}

const SUFFIXES = ['ings', 'ing', 'ies', 'es', 's', 'ed'];

/** A crude stem, so "screenings" matches "screening" and "joints" matches "joint". */
export function stem(w: string): string {
  if (w.length <= 4) return w;
  // The first suffix that ends the word, as /(ings|ing|ies|es|s|ed)$/ would strip (without a regex per word).
  for (const suffix of SUFFIXES) if (w.endsWith(suffix)) return w.slice(0, w.length - suffix.length).slice(0, 7);
  return w.slice(0, 7);
}

interface CampaignTerms {
  name: string[];
  nameWords: string[];
  keywords: Array<[keyword: string, stems: string[]]>;
}

const termsOf = new WeakMap<NonNullable<ReplyTextContext['campaign']>, CampaignTerms>();

/** The campaign's name and keywords as stems, worked out once per campaign (the collector classifies every reply against it). */
function campaignTerms(campaign: NonNullable<ReplyTextContext['campaign']>): CampaignTerms {
  let t = termsOf.get(campaign);
  if (!t) {
    const stems = (phrase: string) => normalizeWords(phrase).split(' ').filter(Boolean).map(stem);
    t = {
      name: stems(campaign.name),
      nameWords: normalizeWords(campaign.name).split(' ').filter((w) => w && !STOPWORDS.has(w)).map(stem),
      keywords: (campaign.keywords ?? []).map((k) => [k, stems(k)]),
    };
    termsOf.set(campaign, t);
  }
  return t;
}

/** Returns why the text mentions the campaign, or undefined. Tolerant of plurals, accents, word order. */
const AD_NOUN = '(ad|advert|advertisement|campaign|promotion|promo|offer|special|post|flyer|mailer|billboard|event|commercial|email|newsletter)';
const QUOTED_CAMPAIGN = [
  new RegExp(`\\b(saw|seen|noticed|read|heard about|came across|found|clicked)\\s+(the|your|an?)\\s+(["“]?)([\\p{L}\\d'’ -]{3,40}?)\\3\\s+${AD_NOUN}\\b`, 'iu'),
  new RegExp(`\\b(about|regarding|re:?|for|in)\\s+(the|your)\\s+(["“]?)([\\p{L}\\d'’ -]{3,40}?)\\3\\s+${AD_NOUN}\\b`, 'iu'),
  /\b(vi|visto)\s+(el|la|su)\s+(anuncio|campa[ñn]a|promoci[óo]n|oferta)\s+(de\s+)?["“]?([\p{L}\d' -]{3,40}?)["”]?[,.!?]/iu,
  /\b(vu|lu)\s+(la|votre|l')\s*(publicit[ée]|campagne|promotion|offre|annonce)\s+["“«]?\s*([\p{L}\d' -]{3,40}?)\s*["”»]?[,.!?]/iu,
];
const OFFER_PHRASE = /\b(free|complimentary|discounted|no-cost|gratis|gratuit[oea]?|kostenlose[nr]?)\s+(?:[\p{L}-]+\s+){0,2}?(screening|consultation|consult|check-?up|check|exam|assessment|trial|quote|evaluation|inspection|class|session|test|visit|estimate)s?\b/giu;

/**
 * The campaign the shopper's inquiry names, read from the part of a reply that quotes it ("I
 * saw the Spring Knee Check ad", "is the free knee screening still available?"): only the
 * quoted text, so the writer's own words are then checked against the shopper's.
 */
export function campaignInInquiry(quoted: string): { name: string; keywords: string[] } | undefined {
  if (!quoted) return undefined;
  const text = quoted.replace(/^\s*>+\s?/gm, '').replace(/=\r?\n/g, '');
  let name: string | undefined;
  for (const re of QUOTED_CAMPAIGN) {
    const m = text.match(re);
    if (!m) continue;
    const candidate = (m[4] ?? m[5] ?? '').trim();
    // A name is more than generic words ("the ad", "your email").
    if (candidate && candidate.split(/\s+/).some((w) => w.length >= 3 && !STOPWORDS.has(w.toLowerCase()))) {
      name = candidate;
      break;
    }
  }
  const keywords = [...new Set([...text.matchAll(OFFER_PHRASE)].map((m) => m[0].toLowerCase()))];
  if (!name && !keywords.length) return undefined;
  return { name: name ?? keywords[0]!, keywords };
}

export function campaignMention(text: string, campaign: ReplyTextContext['campaign']): string | undefined {
  if (!campaign) return undefined;
  const terms = campaignTerms(campaign);
  const words = normalizeWords(text).split(' ').filter(Boolean).map(stem);
  const stems = new Set(words);
  const joined = ' ' + words.join(' ') + ' ';
  const phraseIn = (p: string[]) => p.length > 0 && joined.includes(' ' + p.join(' ') + ' ');
  if (phraseIn(terms.name)) return `names the campaign "${campaign.name}"`;
  const nameWords = terms.nameWords;
  const hits = nameWords.filter((w) => stems.has(w));
  if (nameWords.length >= 2 && hits.length >= Math.ceil(nameWords.length * 0.66)) return `refers to the campaign "${campaign.name}" (${hits.join(', ')})`;
  const kw = terms.keywords.filter(([, p]) => phraseIn(p)).map(([k]) => k);
  if (kw.length) return `mentions campaign keyword${kw.length > 1 ? 's' : ''} ${kw.map((k) => `"${k}"`).join(', ')}`;
  return undefined;
}
