/** The header and address parsing every collected message goes through (pass 1 and explain). */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { decodeCharset, parseAddresses, parseHeaderBlock, parseHeaderBytes } from '../../src/classify/headers.js';
import { singleTextPart } from '../../src/collect/imap-fetch.js';

describe('header blocks', () => {
  it('unfolds continuation lines, lowercases names, keeps repeats, stops at the blank line', () => {
    const h = parseHeaderBlock('Subject: one\r\n  two\r\nReceived: a\r\nReceived: b\r\n\tc\r\nX-Y: =?utf-8?Q?Jos=C3=A9?=\r\n\r\nNot: a header');
    expect([...h]).toEqual([
      ['subject', ['one two']],
      ['received', ['a', 'b c']],
      ['x-y', ['José']],
    ]);
  });

  it('keeps only the names asked for, without taking a skipped header\'s continuation for a header', () => {
    const h = parseHeaderBlock('Received: from x\r\n Fake: folded\r\nTo: a@b.c\r\nDKIM-Signature: v=1;\r\n\tb=abc\r\n', new Set(['to', 'fake']));
    expect([...h]).toEqual([['to', ['a@b.c']]]);
  });

  it('tolerates lines without a colon, bare LF and a block without a body', () => {
    expect([...parseHeaderBlock('garbage\n  indented: x\nK: v\n')]).toEqual([
      ['indented', ['x']],
      ['k', ['v']],
    ]);
    expect([...parseHeaderBlock('')]).toEqual([]);
  });

  it('reads the bytes as fetched: a BOM dropped, malformed UTF-8 replaced, names with non-ASCII letters asked for by name', () => {
    const bytes = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('Subject: caf', 'utf8'),
      Buffer.from([0xc3]),
      Buffer.from('\r\nX-Été-Id: été\r\n \u20ac 5\r\nFrom: a@b.c\r\n\r\nTo: body@x', 'utf8'),
    ]);
    expect([...parseHeaderBytes(bytes)]).toEqual([
      ['subject', ['caf\ufffd']],
      ['x-été-id', ['été \u20ac 5']],
      ['from', ['a@b.c']],
    ]);
    expect([...parseHeaderBytes(bytes, new Set(['x-été-id']))]).toEqual([['x-été-id', ['été \u20ac 5']]]);
  });

  it('asking for some names gives exactly what the full parse has for them (names skipped by length alone included), over random blocks and the corpus', () => {
    // Seeded, so a failure names a block that can be replayed.
    let seed = 20261130;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
    const pieces = ['From', 'To', 'Cc', 'Subject', 'Received', 'X-É', 'x', ':', ': ', ' ', '\t', '\r\n', '\n', '\r', 'é', '€', '=?utf-8?B?w6k=?=', 'a@b.c', ' : ', 'DATE', 'message-id', '\r\n\r\n', '\u00a0', '\ufeff', '\u2003'];
    const sets = [new Set(['from', 'to', 'cc', 'subject', 'date', 'message-id']), new Set(['x-é', 'x', 'received'])];
    const blocks: Buffer[] = [];
    for (let k = 0; k < 20_000; k++) {
      let text = rnd(10) === 0 ? '\ufeff' : '';
      for (let j = rnd(30); j > 0; j--) text += pieces[rnd(pieces.length)];
      const b = Buffer.from(text, 'utf8');
      // Now and then a stray byte that is not UTF-8.
      if (b.length && rnd(4) === 0) b[rnd(b.length)] = 0xff;
      blocks.push(b);
    }
    const dir = new URL('../fixtures/replies/', import.meta.url);
    for (const f of readdirSync(dir)) blocks.push(readFileSync(new URL(f, dir)));
    for (const b of blocks) {
      const all = [...parseHeaderBytes(b)];
      for (const only of sets) expect([b.toString('latin1'), [...parseHeaderBytes(b, only)]]).toEqual([b.toString('latin1'), all.filter(([k]) => only.has(k))]);
    }
  });

  it('decodes UTF-8 (dropping a BOM) and other charsets, falling back for unknown ones', () => {
    expect(decodeCharset(Buffer.from('\ufeffhé', 'utf8'), 'UTF-8')).toBe('hé');
    expect(decodeCharset(Buffer.from([0x68, 0xe9]), 'iso-8859-1')).toBe('hé');
    expect(decodeCharset(Buffer.from([0x68, 0xe9]), 'x-unknown')).toBe('hé');
  });
});

describe('addresses', () => {
  it('splits on commas outside quotes and brackets, lowercases addresses, reads groups and comments', () => {
    expect(parseAddresses('"Doe, John" <John@X.org>, jane@y.org')).toEqual([
      { name: 'Doe, John', address: 'john@x.org' },
      { name: '', address: 'jane@y.org' },
    ]);
    expect(parseAddresses('team: a@b.c, d@e.f;').map((a) => a.address)).toEqual(['a@b.c', 'd@e.f']);
    expect(parseAddresses('a@b.c (Front desk, North)')).toEqual([{ name: '', address: 'a@b.c' }]);
    expect(parseAddresses('"quoted <x@y>" <real@z.org>').map((a) => a.address)).toEqual(['real@z.org']);
    expect(parseAddresses('Undisclosed recipients:;')).toEqual([]);
  });

  it('keeps what it can of broken values', () => {
    expect(parseAddresses('x@y.z, "unterminated <q@r.s>').map((a) => a.address)).toEqual(['x@y.z', 'q@r.s']);
    expect(parseAddresses('Name <a@b.c>,,, ,<d@e.f>').map((a) => a.address)).toEqual(['a@b.c', 'd@e.f']);
  });
});

describe('singleTextPart (pass 2 reads a single-part message\'s one part without BODYSTRUCTURE)', () => {
  it('knows the part from the header block alone, and says null when it cannot', () => {
    const block = (...lines: string[]) => [...lines, 'Subject: x', '', ''].join('\r\n');
    expect(singleTextPart(block('From: a@b'))).toEqual({ key: '1', type: 'text/plain', encoding: '7bit', charset: undefined });
    expect(singleTextPart(block('Content-Type: text/html;\r\n\tcharset="ISO-8859-1"', 'Content-Transfer-Encoding: Quoted-Printable'))).toEqual({ key: '1', type: 'text/html', encoding: 'quoted-printable', charset: 'ISO-8859-1' });
    expect(singleTextPart(block('Content-Type: multipart/alternative; boundary="b"'))).toBeNull();
    expect(singleTextPart(block('Content-Type: text/plain', 'Content-Disposition: attachment; filename="a.txt"'))).toBeNull();
  });
});
