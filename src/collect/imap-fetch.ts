/**
 * The two IMAP fetch passes. Pass 1 takes the header block of every new message (cut at
 * HEADER_LIMIT): From, To, Cc, Subject, Date, Message-ID, In-Reply-To — what the server's
 * ENVELOPE would say — plus References, Delivered-To and X-Original-To, parsed here from one
 * literal per message, which costs imapflow far less than an ENVELOPE list and a HEADER.FIELDS
 * section, through imapflow's public fetch() (fetchHeaderBlocks).
 * Pass 2 only for messages that may answer a probe: their INTERNALDATE (a reply's time) and
 * text parts (plain, else HTML; a DSN's status and quoted headers), each cut at a size limit,
 * so a 50 MB attachment is never downloaded; their header block is the one pass 1 already
 * has. Mail nothing matches is dated by its Date header (labelled so), which spares
 * imapflow a date per message; INTERNALDATE is fetched for such mail only when it has no
 * usable Date header.
 */
import { createHash } from 'node:crypto';
import type { ImapFlow, MessageStructureObject } from 'imapflow';
import { decodeCharset, normalizeMessageId, parseAddresses, parseContentType, parseHeaderBlock, parseHeaderBytes, parseMessageIds, header } from '../classify/headers.js';
import { buildMessage, type ReplyMessage, type TextPart } from '../classify/message.js';
import type { MailFacts } from '../attribute/email.js';
import type { ImapConnection } from './imap-client.js';
import type { KeptMail } from '../store/types.js';

/** The header fields pass 1 reads (the envelope's, plus what attribution needs besides). */
export const PASS1_HEADERS: ReadonlySet<string> = new Set([
  'from', 'to', 'cc', 'subject', 'date', 'message-id', 'in-reply-to', 'references', 'delivered-to', 'x-original-to',
]);
/** What says whether a message is one text part (read in pass 2 only, from the header block it keeps). */
const CONTENT_HEADERS: ReadonlySet<string> = new Set(['content-type', 'content-transfer-encoding', 'content-disposition']);
export const HEADER_LIMIT = 64 * 1024;
const MAX_PARTS = 3;

export interface Pass1 {
  uid: number;
  facts: MailFacts;
  subject: string;
  messageId: string | null;
  internalDate: number | null;
  dateHeader: number | null;
  size: number;
  /** The header block as fetched (decoded as UTF-8), for pass 2 ('' until fetchPass1 keeps the message, and when its body is not fetched). */
  headerText: string;
}

export function compactUids(uids: number[]): string {
  const sorted = [...uids].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    out.push(i === j ? `${sorted[i]}` : `${sorted[i]}:${sorted[j]}`);
    i = j + 1;
  }
  return out.join(',');
}

/**
 * Pass 1 over `uids`. `onHead` sees each message as it arrives (its fields read from the
 * bytes, headerText still '') and says whether it is returned: the caller consumes the rest
 * there and then (the collector stores mail nothing matches as it streams in). Only a returned
 * message's header block is decoded, and the caller drops it for those whose body it does not
 * fetch, so nothing of the rest outlives its response (a real header block is 2-10 KB of
 * Received, DKIM and ARC lines).
 */
export async function fetchPass1(
  conn: ImapConnection,
  uids: number[],
  onHead: (h: Pass1) => boolean = () => true,
): Promise<Pass1[]> {
  const heads = await conn.call('FETCH (header)', async (c) => {
    const out: Pass1[] = [];
    await fetchHeaderBlocks(c, uids, (uid, header) => {
      const h = pass1Of(uid, header);
      if (!onHead(h)) return;
      // Decoded for the messages kept alone (pass 2 classifies with it).
      h.headerText = decodeCharset(header, 'utf-8');
      out.push(h);
    });
    return out;
  });
  // The size only names a message that has no Message-ID (sourceIdFor), INTERNALDATE only
  // dates one without a usable Date header here: asked for those alone.
  const lacking = heads.filter((h) => !h.messageId || h.dateHeader === null);
  if (lacking.length) {
    const got = await conn.call('FETCH (RFC822.SIZE, INTERNALDATE)', (c) =>
      c.fetchAll(compactUids(lacking.map((h) => h.uid)), { uid: true, size: true, internalDate: true }, { uid: true }),
    );
    const byUid = new Map(got.map((m) => [m.uid, m]));
    for (const h of lacking) {
      const m = byUid.get(h.uid);
      h.size = m?.size ?? 0;
      setInternalDate(h, m?.internalDate);
    }
  }
  return heads;
}

/**
 * UID FETCH (UID BODY.PEEK[HEADER]<0.HEADER_LIMIT>) for `uids` through imapflow's public
 * fetch(), each message's UID and header block handed to `each` as its response arrives. A
 * server that throttles the command (Microsoft 365 answers BAD with a back-off time) is waited
 * for and retried by imapflow (within channels.imap.timeout: a longer back-off fails the
 * collect, and the next one resumes at the cursor). UIDs the answer left out (a server that
 * skips a message, one expunged meanwhile) are asked for once more; one that still comes
 * without a header block is handed on empty, so the cursor never passes a message unseen.
 */
export async function fetchHeaderBlocks(c: ImapFlow, uids: number[], each: (uid: number, header: Buffer) => void): Promise<void> {
  if (!uids.length) return;
  const delivered = new Set<number>();
  const headless = new Set<number>();
  const pass = async (wanted: number[]) => {
    const want = new Set(wanted);
    const query = { uid: true, bodyParts: [{ key: 'HEADER', maxLength: HEADER_LIMIT }] };
    for await (const m of c.fetch(compactUids(wanted), query, { uid: true })) {
      // A UID answered twice (a server repeating itself) is handed on once; flag changes
      // another client made arrive as FETCH responses without a header and are not messages.
      if (!m.uid || !want.has(m.uid) || delivered.has(m.uid)) continue;
      const header = m.bodyParts?.get('header') ?? m.headers;
      if (!header) {
        headless.add(m.uid);
        continue;
      }
      headless.delete(m.uid);
      delivered.add(m.uid);
      each(m.uid, header);
    }
  };
  await pass(uids);
  const rest = uids.filter((u) => !delivered.has(u));
  if (rest.length) await pass(rest);
  for (const uid of uids) {
    if (delivered.has(uid)) continue;
    delivered.add(uid);
    each(uid, Buffer.alloc(0));
  }
}

/** Records the server's INTERNALDATE, which then dates the message (timing truth). */
export function setInternalDate(h: Pass1, value: Date | string | undefined): void {
  const t = value instanceof Date ? value.getTime() : value ? Date.parse(value) : NaN;
  if (!Number.isFinite(t)) return;
  h.internalDate = t;
  h.facts.occurredAt = t;
}

/**
 * What pass 1 knows of a message from its header block (dated by the Date header until
 * INTERNALDATE is set), read from the bytes: its headerText is left '' (fetchPass1 decodes the
 * block of the messages it keeps).
 */
export function pass1Of(uid: number, raw: Buffer): Pass1 {
  const h = parseHeaderBytes(raw, PASS1_HEADERS);
  const recipients: string[] = [];
  const add = (a: string) => {
    if (a && !recipients.includes(a)) recipients.push(a);
  };
  for (const name of ['to', 'cc']) for (const v of h.get(name) ?? []) for (const a of addressesIn(v)) add(a);
  for (const name of ['delivered-to', 'x-original-to']) for (const v of h.get(name) ?? []) add(v.replace(/[<>]/g, '').trim().toLowerCase());
  const fromValue = header(h, 'from');
  const dateValue = header(h, 'date');
  const date = dateValue ? Date.parse(dateValue) : NaN;
  const messageId = header(h, 'message-id');
  return {
    uid,
    facts: {
      recipients,
      inReplyTo: parseMessageIds(header(h, 'in-reply-to')),
      references: parseMessageIds(header(h, 'references')),
      from: fromValue ? (addressesIn(fromValue)[0] ?? null) : null,
      occurredAt: Number.isFinite(date) ? date : 0,
    },
    subject: header(h, 'subject') ?? '',
    messageId: messageId ? normalizeMessageId(parseMessageIds(messageId)[0] ?? messageId) : null,
    internalDate: null,
    dateHeader: Number.isFinite(date) ? date : null,
    size: 0,
    headerText: '',
  };
}

/** Lowercased addresses of an address header; `Name <a@b>` and bare `a@b` without the full parser. */
function addressesIn(value: string): string[] {
  if (!/[",:;()]/.test(value)) {
    const lt = value.indexOf('<');
    const gt = value.indexOf('>', lt);
    const single = lt >= 0 ? gt > lt && value.indexOf('<', lt + 1) < 0 && value.indexOf('>', gt + 1) < 0 : !value.includes('>');
    const a = single ? (lt >= 0 ? value.slice(lt + 1, gt) : value).trim().toLowerCase() : '';
    if (a.includes('@') && !/\s/.test(a)) return [a];
  }
  return parseAddresses(value).map((a) => a.address);
}

/** The message's only part when its header block says it is text/plain or text/html (the default is text/plain). */
export function singleTextPart(headerText: string): PartRef | null {
  const h = parseHeaderBlock(headerText, CONTENT_HEADERS);
  const ct = parseContentType(header(h, 'content-type'));
  if (ct.type !== 'text/plain' && ct.type !== 'text/html') return null;
  if (/^\s*attachment\b/i.test(header(h, 'content-disposition') ?? '')) return null;
  const encoding = (header(h, 'content-transfer-encoding') ?? '7bit').trim().toLowerCase();
  return { key: '1', type: ct.type, encoding, charset: ct.params['charset'] };
}

/** Unique per mail account: the Message-ID, else a hash of what identifies the message. */
export function sourceIdFor(account: string, p: Pass1): string {
  if (p.messageId) return `${account}/${p.messageId}`;
  const h = createHash('sha256')
    .update([p.facts.from, p.facts.recipients.join(','), p.subject, p.dateHeader ?? '', p.size].join('\n'))
    .digest('hex')
    .slice(0, 32);
  return `${account}/h:${h}`;
}

interface PartRef {
  key: string;
  type: string;
  encoding: string;
  charset: string | undefined;
}

/** Text parts worth reading, by IMAP part number. */
export function textParts(root: MessageStructureObject | undefined): PartRef[] {
  if (!root) return [];
  const found: PartRef[] = [];
  const walk = (n: MessageStructureObject) => {
    const type = (n.type ?? '').toLowerCase();
    const key = n.part ?? '1';
    if (type === 'message/rfc822') {
      // The original a DSN returns: its header names our Message-ID.
      found.push({ key: n.part ? `${n.part}.HEADER` : 'HEADER', type: 'text/rfc822-headers', encoding: '7bit', charset: 'utf-8' });
      return;
    }
    if (n.childNodes?.length) {
      for (const c of n.childNodes) walk(c);
      return;
    }
    const attachment = n.disposition?.toLowerCase() === 'attachment';
    if (['text/plain', 'text/html'].includes(type) && !attachment) found.push(ref(n, key, type));
    if (['message/delivery-status', 'message/global-delivery-status', 'text/rfc822-headers'].includes(type)) found.push(ref(n, key, type));
  };
  walk(root);
  const plain = found.find((p) => p.type === 'text/plain');
  const html = found.find((p) => p.type === 'text/html');
  const rest = found.filter((p) => !p.type.startsWith('text/') || p.type === 'text/rfc822-headers');
  return [...(plain ? [plain] : html ? [html] : []), ...rest].slice(0, MAX_PARTS);
}

function ref(n: MessageStructureObject, key: string, type: string): PartRef {
  return { key, type, encoding: (n.encoding ?? '7bit').toLowerCase(), charset: n.parameters?.['charset'] };
}

/** A fetched reply: as the classifier reads it, and what it was built from (kept for `reclassify`). */
export interface FetchedBody {
  message: ReplyMessage;
  kept: KeptMail;
}

function bodyOf(headerBlock: string, parts: TextPart[]): FetchedBody {
  return { message: buildMessage(headerBlock, parts), kept: { headerBlock, parts } };
}

/** Pass 2: the INTERNALDATE (set on each head) and text parts of the given messages, parsed with their pass-1 header block for the classifier. */
export async function fetchBodies(conn: ImapConnection, heads: Pass1[], maxBytes: number): Promise<Map<number, FetchedBody>> {
  const out = new Map<number, FetchedBody>();
  if (!heads.length) return out;
  const headersOf = new Map(heads.map((h) => [h.uid, h.headerText]));
  const byUid = new Map(heads.map((h) => [h.uid, h]));
  // Single-part text (most replies written in plain text, most auto-acknowledgements): the
  // header already names type, encoding and charset, so part 1 alone is fetched.
  const single = new Map<number, PartRef>();
  for (const h of heads) {
    const part = singleTextPart(h.headerText);
    if (part) single.set(h.uid, part);
  }
  if (single.size) {
    const got = await conn.call('FETCH (INTERNALDATE, part 1)', (c) =>
      c.fetchAll(compactUids([...single.keys()]), { uid: true, internalDate: true, bodyParts: [{ key: '1', maxLength: maxBytes }] }, { uid: true }),
    );
    for (const m of got) {
      const h = byUid.get(m.uid);
      if (h) setInternalDate(h, m.internalDate);
      const part = single.get(m.uid);
      if (part) out.set(m.uid, bodyOf(headersOf.get(m.uid) ?? '', [{ type: part.type, text: decodePart(m.bodyParts?.get('1'), part) }]));
    }
  }
  const rest = heads.filter((h) => !single.has(h.uid)).map((h) => h.uid);
  if (!rest.length) return out;
  // Multipart and the rest: one FETCH for structure and part 1, which is the text of most
  // (multipart/alternative starting with text/plain).
  const first = await conn.call('FETCH (INTERNALDATE, BODYSTRUCTURE, part 1)', (c) =>
    c.fetchAll(compactUids(rest), { uid: true, internalDate: true, bodyStructure: true, bodyParts: [{ key: '1', maxLength: maxBytes }] }, { uid: true }),
  );
  // The rest: one FETCH per distinct set of part numbers.
  const groups = new Map<string, { parts: PartRef[]; uids: number[] }>();
  for (const m of first) {
    const h = byUid.get(m.uid);
    if (h) setInternalDate(h, m.internalDate);
    const header = headersOf.get(m.uid) ?? '';
    const parts = textParts(m.bodyStructure);
    const part1 = m.bodyParts?.get('1');
    if (parts.length === 1 && parts[0]!.key === '1' && part1) {
      out.set(m.uid, bodyOf(header, [{ type: parts[0]!.type, text: decodePart(part1, parts[0]!) }]));
      continue;
    }
    const k = parts.map((p) => p.key).join(' ');
    const g = groups.get(k) ?? { parts, uids: [] };
    g.uids.push(m.uid);
    groups.set(k, g);
  }
  for (const g of groups.values()) {
    const bodies = new Map<number, Map<string, Buffer>>();
    if (g.parts.length) {
      const fetched = await conn.call('FETCH (text parts)', (c) =>
        c.fetchAll(compactUids(g.uids), { uid: true, bodyParts: g.parts.map((p) => ({ key: p.key, maxLength: maxBytes })) }, { uid: true }),
      );
      for (const f of fetched) bodies.set(f.uid, f.bodyParts ?? new Map());
    }
    for (const uid of g.uids) {
      const got = bodies.get(uid) ?? new Map<string, Buffer>();
      const texts: TextPart[] = g.parts.map((p) => ({ type: p.type, text: decodePart(got.get(p.key.toLowerCase()) ?? got.get(p.key), p) }));
      out.set(uid, bodyOf(headersOf.get(uid) ?? '', texts));
    }
  }
  return out;
}

function decodePart(raw: Buffer | undefined, p: PartRef): string {
  if (!raw) return '';
  let bytes: Buffer = raw;
  if (p.encoding === 'base64') {
    const clean = raw.toString('latin1').replace(/[^A-Za-z0-9+/=]/g, '');
    bytes = Buffer.from(clean.slice(0, clean.length - (clean.length % 4)), 'base64');
  } else if (p.encoding === 'quoted-printable') {
    bytes = Buffer.from(
      raw
        .toString('latin1')
        .replace(/=\r?\n/g, '')
        .replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
      'latin1',
    );
  }
  return decodeCharset(bytes, p.charset);
}
