/**
 * The two IMAP fetch passes. Pass 1 takes envelope, INTERNALDATE and three header fields of
 * every new message (what attribution needs). Pass 2 only for messages that may answer a
 * probe: the header block and the text parts (plain, else HTML; a DSN's status and quoted
 * headers), each cut at a size limit, so a 50 MB attachment is never downloaded.
 */
import { createHash } from 'node:crypto';
import type { FetchMessageObject, MessageStructureObject } from 'imapflow';
import { decodeCharset, normalizeMessageId, parseHeaderBlock, parseMessageIds, header } from '../classify/headers.js';
import { buildMessage, type ReplyMessage, type TextPart } from '../classify/message.js';
import type { MailFacts } from '../attribute/email.js';
import type { ImapConnection } from './imap-client.js';

export const PASS1_HEADERS = ['delivered-to', 'x-original-to', 'references'];
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

export async function fetchPass1(conn: ImapConnection, uids: number[]): Promise<Pass1[]> {
  const msgs = await conn.call('FETCH (envelope, INTERNALDATE)', (c) =>
    c.fetchAll(compactUids(uids), { uid: true, envelope: true, internalDate: true, headers: PASS1_HEADERS }, { uid: true }),
  );
  const heads = msgs.map(pass1Of);
  // The size only names a message that has no Message-ID (sourceIdFor): asked for those alone,
  // which saves parsing RFC822.SIZE for every other message.
  const nameless = heads.filter((h) => !h.messageId);
  if (nameless.length) {
    const sized = await conn.call('FETCH (RFC822.SIZE)', (c) => c.fetchAll(compactUids(nameless.map((h) => h.uid)), { uid: true, size: true }, { uid: true }));
    const sizes = new Map(sized.map((m) => [m.uid, m.size ?? 0]));
    for (const h of nameless) h.size = sizes.get(h.uid) ?? 0;
  }
  return heads;
}

export function pass1Of(m: FetchMessageObject): Pass1 {
  const env = m.envelope;
  const h = parseHeaderBlock(m.headers?.toString('utf8') ?? '');
  const addrs = (list?: Array<{ address?: string }>) => (list ?? []).map((a) => (a.address ?? '').toLowerCase()).filter(Boolean);
  const extra = [...(h.get('delivered-to') ?? []), ...(h.get('x-original-to') ?? [])].map((a) => a.replace(/[<>]/g, '').trim().toLowerCase());
  const internal = m.internalDate instanceof Date ? m.internalDate.getTime() : m.internalDate ? Date.parse(m.internalDate) : NaN;
  const date = env?.date instanceof Date ? env.date.getTime() : NaN;
  const occurredAt = Number.isFinite(internal) ? internal : Number.isFinite(date) ? date : 0;
  return {
    uid: m.uid,
    facts: {
      recipients: [...new Set([...addrs(env?.to), ...addrs(env?.cc), ...extra])],
      inReplyTo: parseMessageIds(env?.inReplyTo),
      references: parseMessageIds(header(h, 'references')),
      from: addrs(env?.from)[0] ?? null,
      occurredAt,
    },
    subject: env?.subject ?? '',
    messageId: normalizeMessageId(env?.messageId),
    internalDate: Number.isFinite(internal) ? internal : null,
    dateHeader: Number.isFinite(date) ? date : null,
    size: m.size ?? 0,
  };
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

/** Pass 2: header blocks and text parts of the given messages, parsed for the classifier. */
export async function fetchBodies(conn: ImapConnection, uids: number[], maxBytes: number): Promise<Map<number, ReplyMessage>> {
  const out = new Map<number, ReplyMessage>();
  if (!uids.length) return out;
  // One FETCH for structure, header and part 1, which is the text of most replies
  // (single-part, or multipart/alternative starting with text/plain).
  const first = await conn.call('FETCH (BODYSTRUCTURE, header, part 1)', (c) =>
    c.fetchAll(compactUids(uids), { uid: true, bodyStructure: true, bodyParts: [{ key: 'HEADER', maxLength: HEADER_LIMIT }, { key: '1', maxLength: maxBytes }] }, { uid: true }),
  );
  // The rest: one FETCH per distinct set of part numbers.
  const groups = new Map<string, { parts: PartRef[]; uids: number[] }>();
  const headersOf = new Map<number, string>();
  for (const m of first) {
    const header = m.headers ? decodeCharset(m.headers, 'utf-8') : '';
    const parts = textParts(m.bodyStructure);
    const part1 = m.bodyParts?.get('1');
    if (parts.length === 1 && parts[0]!.key === '1' && part1) {
      out.set(m.uid, buildMessage(header, [{ type: parts[0]!.type, text: decodePart(part1, parts[0]!) }]));
      continue;
    }
    headersOf.set(m.uid, header);
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
      out.set(uid, buildMessage(headersOf.get(uid) ?? '', texts));
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
