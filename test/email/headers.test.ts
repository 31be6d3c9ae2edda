/** The header and address parsing every collected message goes through (pass 1 and explain). */
import { describe, expect, it } from 'vitest';
import { decodeCharset, parseAddresses, parseHeaderBlock } from '../../src/classify/headers.js';
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
