/**
 * Minimal, tolerant RFC 5322 header handling, shared by the IMAP collector (which fetches
 * header blocks) and `explain` (which reads .eml files), so both classify from the same
 * parsed headers. Hostile input (huge lines, unknown charsets) degrades, never throws.
 */

/** Longest header value we keep; a 10 MB header line is cut, not parsed. */
const MAX_VALUE = 16 * 1024;

export type HeaderMap = Map<string, string[]>;

/** The header block's fields (lowercased names, values unfolded and decoded); `only` keeps just those names. */
export function parseHeaderBlock(raw: string, only?: ReadonlySet<string>): HeaderMap {
  return parseHeaderBytes(Buffer.from(raw, 'utf8'), only);
}

/**
 * parseHeaderBlock over the bytes of a header block as fetched (UTF-8; a BOM dropped), which
 * decodes only what it keeps: the collector runs this on every header block it fetches, most of
 * which is Received, DKIM and ARC lines it skips, and the values it keeps are strings of their
 * own rather than slices holding a whole decoded block alive.
 */
export function parseHeaderBytes(bytes: Uint8Array, only?: ReadonlySet<string>): HeaderMap {
  const raw = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const map: HeaderMap = new Map();
  const wanted = only ? namesByLength(only) : null;
  let key = '';
  let named = false;
  let value = '';
  const flush = () => {
    if (!key) return;
    const list = map.get(key);
    const v = decodeWords(value.slice(0, MAX_VALUE).trim());
    if (list) list.push(v);
    else map.set(key, [v]);
  };
  const end = raw.length;
  // Multi-byte UTF-8 never holds the bytes looked for here (LF, CR, space, tab, colon), so
  // lines and names are found on the bytes, with plain loops (cheaper on short header lines
  // than a call into Buffer.indexOf), and each kept piece is decoded alone.
  const begin = end >= 3 && raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf ? 3 : 0;
  for (let at = begin; at < end; ) {
    let nl = at;
    while (nl < end && raw[nl] !== 10) nl++;
    const lineEnd = nl > at && raw[nl - 1] === 13 ? nl - 1 : nl;
    // A blank line after the first ends the block (CRLF or LF).
    if (lineEnd === at && at > begin) break;
    const start = at;
    at = nl + 1;
    const first = raw[start]!;
    if ((first === 32 || first === 9) && named) {
      if (key && value.length < MAX_VALUE) value += ' ' + raw.toString('utf8', start, lineEnd).trim();
      continue;
    }
    flush();
    let i = start;
    while (i < lineEnd && raw[i] !== 58) i++;
    if (i === start || i >= lineEnd) {
      key = '';
      named = false;
      value = '';
      continue;
    }
    // An ASCII name with nothing to trim is looked up among `only` by its bytes, undecoded.
    const known = wanted ? asciiName(raw, start, i, wanted) : null;
    if (known !== null) {
      named = true;
      key = known;
    } else {
      key = raw.toString('utf8', start, i).trim().toLowerCase();
      named = key !== '';
      if (named && only && !only.has(key)) key = '';
    }
    value = key ? raw.toString('utf8', i + 1, lineEnd) : '';
  }
  flush();
  return map;
}

/**
 * The name in raw[start, end) when it is ASCII with no whitespace at either end: one of
 * `wanted` (lowercased), or '' for any other; null when it has to be decoded to tell.
 */
function asciiName(raw: Buffer, start: number, end: number, wanted: Map<number, Array<[string, Buffer]>>): string | null {
  if (!untrimmable(raw[start]!) || !untrimmable(raw[end - 1]!)) return null;
  for (let k = start; k < end; k++) if (raw[k]! >= 0x80) return null;
  const candidates = wanted.get(end - start);
  if (!candidates) return '';
  next: for (const [name, bytes] of candidates) {
    for (let k = 0; k < bytes.length; k++) {
      let c = raw[start + k]!;
      if (c >= 65 && c <= 90) c |= 0x20;
      if (c !== bytes[k]) continue next;
    }
    return name;
  }
  return '';
}

/** An ASCII byte that is not whitespace (String.prototype.trim would keep it; a byte of a multi-byte character might not be). */
function untrimmable(b: number): boolean {
  return b > 32 && b < 0x80;
}

const namesOf = new WeakMap<ReadonlySet<string>, Map<number, Array<[string, Buffer]>>>();
/** `only`'s lowercase ASCII names as bytes, by length (other names are matched after decoding; a name with capitals matches nothing). */
function namesByLength(only: ReadonlySet<string>): Map<number, Array<[string, Buffer]>> {
  let m = namesOf.get(only);
  if (!m) {
    m = new Map();
    for (const n of only) {
      const b = Buffer.from(n, 'utf8');
      if (n !== n.toLowerCase() || b.some((c) => c >= 0x80)) continue;
      const list = m.get(b.length) ?? [];
      list.push([n, b]);
      m.set(b.length, list);
    }
    namesOf.set(only, m);
  }
  return m;
}

export function header(h: HeaderMap, name: string): string | undefined {
  return h.get(name.toLowerCase())?.[0];
}

/** Decodes RFC 2047 encoded words (=?utf-8?B?...?= / =?iso-8859-1?Q?...?=). */
export function decodeWords(s: string): string {
  if (!s.includes('=?')) return s;
  return s
    .replace(/(=\?[^?\s]+\?[BbQq]\?[^?\s]*\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g, (m, charset: string, enc: string, text: string) => {
      try {
        const bytes =
          enc.toUpperCase() === 'B'
            ? Buffer.from(text, 'base64')
            : Buffer.from(
                text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_x, h: string) => String.fromCharCode(parseInt(h, 16))),
                'latin1',
              );
        return decodeCharset(bytes, charset.replace(/\*.*$/, ''));
      } catch {
        return m;
      }
    });
}

/** Decodes bytes in a named charset; unknown charsets fall back to UTF-8 (then Latin-1). */
export function decodeCharset(bytes: Uint8Array, charset: string | undefined): string {
  const cs = (charset || 'utf-8').toLowerCase().trim();
  // UTF-8 (and its ASCII subset) without a TextDecoder per call: the same replacement of
  // malformed sequences, far cheaper for the collector's 10,000 header blocks.
  if (cs === 'utf-8' || cs === 'utf8' || cs === 'us-ascii' || cs === 'ascii') {
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const bom = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
    return buf.toString('utf8', bom);
  }
  try {
    return new TextDecoder(cs === 'us-ascii' || cs === 'ascii' ? 'utf-8' : cs).decode(bytes);
  } catch {
    const utf8 = new TextDecoder('utf-8').decode(bytes);
    return utf8.includes('\uFFFD') ? Buffer.from(bytes).toString('latin1') : utf8;
  }
}

export interface Address {
  name: string;
  address: string;
}

/** Addresses in a header value ("Name" <a@b>, c@d, group: e@f;). Lowercased addresses. */
export function parseAddresses(value: string | undefined): Address[] {
  if (!value) return [];
  const out: Address[] = [];
  // Split on commas outside quotes, angle brackets and (comments).
  let q = false;
  let angle = 0;
  let paren = 0;
  let from = 0;
  for (let i = 0; i < value.length; i++) {
    const ch = value.charCodeAt(i);
    if (ch === 34) q = !q;
    else if (q) continue;
    else if (ch === 60) angle++;
    else if (ch === 62) angle = Math.max(0, angle - 1);
    else if (ch === 40) paren++;
    else if (ch === 41) paren = Math.max(0, paren - 1);
    else if (ch === 44 && !angle && !paren) {
      const a = addressOf(value.slice(from, i));
      if (a) out.push(a);
      from = i + 1;
    }
  }
  const last = addressOf(value.slice(from));
  if (last) out.push(last);
  return out;
}

function addressOf(raw: string): Address | null {
  const p = (raw.includes(':') ? raw.replace(/^[^:<"]*:(?!.*@[^:]*$)/, '') : raw).replace(/;$/, '').trim();
  // The <address>, not a bracket inside the quoted display name.
  const angled = (p.includes('"') ? p.replace(/"(?:[^"\\]|\\.)*"/g, (m) => ' '.repeat(m.length)) : p).match(/<([^<>]*)>/);
  const address = (angled ? angled[1]! : p.match(/[^\s<>"]+@[^\s<>"]+/)?.[0] ?? '').trim().toLowerCase();
  if (!address.includes('@')) return null;
  const name = (angled ? p.slice(0, angled.index) : p.replace(address, ''))
    .replace(/^["\s]+|["\s]+$/g, '')
    .replace(/\(.*\)/, '')
    .trim();
  return { name, address };
}

/** Message-IDs in In-Reply-To / References ("<a@b> <c@d>"). */
export function parseMessageIds(value: string | undefined): string[] {
  if (!value) return [];
  const ids = value.match(/<[^<>\s]+>/g);
  return ids ? ids.map((s) => s.toLowerCase()) : value.split(/\s+/).filter((s) => s.includes('@')).map((s) => `<${s.replace(/^<|>$/g, '').toLowerCase()}>`);
}

export function normalizeMessageId(id: string | null | undefined): string | null {
  if (!id) return null;
  const t = id.trim();
  if (!t) return null;
  return (t.startsWith('<') ? t : `<${t}>`).toLowerCase();
}

/** Content-Type value → mime type and parameters. */
export function parseContentType(value: string | undefined): { type: string; params: Record<string, string> } {
  if (!value) return { type: 'text/plain', params: {} };
  const [type, ...rest] = value.split(';');
  const params: Record<string, string> = {};
  for (const p of rest) {
    const i = p.indexOf('=');
    if (i > 0) params[p.slice(0, i).trim().toLowerCase()] = p.slice(i + 1).trim().replace(/^"|"$/g, '');
  }
  return { type: (type ?? 'text/plain').trim().toLowerCase(), params };
}
