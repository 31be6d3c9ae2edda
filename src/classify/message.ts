/**
 * A reply as the classifier sees it: decoded headers, addresses, and the text the sender
 * wrote (HTML reduced to text). Built from an .eml (explain, the fixture corpus) or from the
 * header block and text parts the IMAP collector fetched; both share the header parser.
 */
import { simpleParser } from 'mailparser';
import {
  header,
  normalizeMessageId,
  parseAddresses,
  parseContentType,
  parseHeaderBlock,
  parseMessageIds,
  type Address,
  type HeaderMap,
} from './headers.js';

/** Text we keep per message: enough for any reply, bounded for hostile ones. */
export const MAX_TEXT = 64 * 1024;

export interface ReplyMessage {
  headers: HeaderMap;
  from: Address | null;
  to: Address[];
  cc: Address[];
  subject: string;
  messageId: string | null;
  inReplyTo: string[];
  references: string[];
  /** Date header (epoch ms), when present and parseable. */
  date: number | null;
  /** Top-level MIME type, e.g. multipart/report. */
  contentType: string;
  reportType: string | null;
  /** What the sender wrote, as plain text (from text/plain, else from HTML). */
  text: string;
  /** The message/delivery-status part of a DSN. */
  deliveryStatus: string | null;
  /** Headers of the original message a delivery notice returns (text/rfc822-headers). */
  quotedHeaders: string | null;
  /** MIME types of the leaf parts seen. */
  partTypes: string[];
  /** The HTML part as sent (bounded), when there is one: templates show in its markup (tracking pixels, layout tables). */
  html: string | null;
}

export interface TextPart {
  type: string;
  text: string;
}

export function buildMessage(headerBlock: string, parts: TextPart[]): ReplyMessage {
  const h = parseHeaderBlock(headerBlock);
  const ct = parseContentType(header(h, 'content-type'));
  const plain = parts.find((p) => p.type === 'text/plain' && p.text.trim());
  const html = parts.find((p) => p.type === 'text/html' && p.text.trim());
  const dsn = parts.find((p) => p.type === 'message/delivery-status' || p.type === 'message/global-delivery-status');
  const text = plain ? plain.text : html ? htmlToText(html.text) : '';
  const dateRaw = header(h, 'date');
  const date = dateRaw ? Date.parse(dateRaw.replace(/\s*\([^)]*\)\s*$/, '')) : NaN;
  return {
    headers: h,
    from: parseAddresses(header(h, 'from'))[0] ?? null,
    to: parseAddresses(all(h, 'to')),
    cc: parseAddresses(all(h, 'cc')),
    subject: header(h, 'subject') ?? '',
    messageId: normalizeMessageId(header(h, 'message-id')?.match(/<[^>]+>/)?.[0] ?? header(h, 'message-id')),
    inReplyTo: parseMessageIds(header(h, 'in-reply-to')),
    references: parseMessageIds(header(h, 'references')),
    date: Number.isFinite(date) ? date : null,
    contentType: ct.type,
    reportType: ct.params['report-type']?.toLowerCase() ?? null,
    text: text.slice(0, MAX_TEXT),
    deliveryStatus: dsn ? dsn.text.slice(0, MAX_TEXT) : null,
    quotedHeaders: parts.filter((p) => p.type === 'text/rfc822-headers').map((p) => p.text.slice(0, MAX_TEXT)).join('\n') || null,
    partTypes: parts.map((p) => p.type),
    html: html ? html.text.slice(0, MAX_TEXT) : null,
  };
}

function all(h: HeaderMap, name: string): string | undefined {
  const v = h.get(name);
  return v ? v.join(', ') : undefined;
}

/** Parses a whole .eml (explain, the fixture corpus, the sandbox). */
export async function messageFromEml(raw: Buffer | string): Promise<ReplyMessage> {
  const buf = typeof raw === 'string' ? Buffer.from(raw) : raw;
  const headerEnd = buf.indexOf('\r\n\r\n') >= 0 ? buf.indexOf('\r\n\r\n') : buf.indexOf('\n\n');
  const headerBlock = buf.subarray(0, headerEnd >= 0 ? headerEnd : Math.min(buf.length, 256 * 1024)).toString('latin1');
  const parsed = await simpleParser(buf, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true, maxHtmlLengthToParse: MAX_TEXT * 4 });
  const parts: TextPart[] = [];
  if (parsed.text) parts.push({ type: 'text/plain', text: parsed.text });
  if (typeof parsed.html === 'string') parts.push({ type: 'text/html', text: parsed.html });
  for (const a of parsed.attachments ?? []) {
    const t = a.contentType.toLowerCase();
    if (t.startsWith('message/') || t === 'text/rfc822-headers') parts.push({ type: t, text: a.content.toString('utf8') });
  }
  // Our header parser reads raw bytes as Latin-1; re-decode UTF-8 headers (RFC 6532).
  return buildMessage(utf8IfValid(headerBlock), parts);
}

function utf8IfValid(latin1: string): string {
  const bytes = Buffer.from(latin1, 'latin1');
  const s = bytes.toString('utf8');
  return s.includes('\uFFFD') ? latin1 : s;
}

/** HTML to readable text: no scripts or styles, block elements as line breaks, entities decoded. */
export function htmlToText(html: string): string {
  return html
    .slice(0, MAX_TEXT * 4)
    .replace(/<(script|style|head|title|svg|math|template|noscript)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<blockquote\b[^>]*>/gi, '\n> ')
    .replace(/<(br|\/p|\/div|\/li|\/tr|\/h\d|\/blockquote|hr)\b[^>]*>/gi, '\n')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;|&#160;/gi, ' ')
    .replace(/&amp;/gi, '&')
    .replace(/&lt;/gi, '<')
    .replace(/&gt;/gi, '>')
    .replace(/&quot;/gi, '"')
    .replace(/&#39;|&apos;/gi, "'")
    .replace(/&#(\d+);/g, (_m, d: string) => safeChar(Number(d)))
    .replace(/&#x([0-9a-f]+);/gi, (_m, h: string) => safeChar(parseInt(h, 16)))
    .replace(/[ \t]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function safeChar(n: number): string {
  return n > 0 && n < 0x110000 ? String.fromCodePoint(n) : ' ';
}
