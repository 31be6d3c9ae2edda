/**
 * Pass 1 of the IMAP collector reads UIDs and header blocks through imapflow's public fetch()
 * (src/collect/imap-fetch.ts, fetchHeaderBlocks). Held here, against a real Dovecot, to what
 * the header blocks of the delivered messages say; a throw from the consumer, flag changes
 * announced during the pass, a throttled FETCH (Microsoft 365's BAD with a back-off time) and
 * answers that leave messages out, played by a loopback proxy, each get the behaviour they need.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchPass1, HEADER_LIMIT, pass1Of, type Pass1 } from '../../src/collect/imap-fetch.js';
import { openImap, type ImapConnection, type ImapSettings } from '../../src/collect/imap-client.js';
import { startDovecot, type DovecotInstance } from '../../src/sandbox/dovecot.js';
import { maildirWriter } from '../../src/sandbox/mailbox-writer.js';
import { commandLog } from './imap-proxy.js';
import { emailSetup, replyEml } from './setup.js';

let dv: DovecotInstance;
beforeAll(async () => {
  dv = await startDovecot();
});
afterAll(async () => {
  await dv?.destroy();
});

const T0 = Date.parse('2026-03-02T15:00:00Z');
const HEADER_FETCH = /UID FETCH .*BODY\.PEEK\[HEADER\]/i;

/** Mail of the shapes pass 1 has to read alike: 8-bit and encoded words, folding, missing fields, a header block over the limit. */
function variedMail(): string[] {
  const at = (i: number) => new Date(T0 + i * 60_000);
  return [
    replyEml({ from: 'Desk <desk@north.example.org>', to: 'jordan+tok1@example.net', date: at(1), body: 'Friday works.' }),
    replyEml({ from: '"Pérez, Ana" <ana@north.example.org>', to: 'Jordan Avery <jordan@example.net>', subject: 'Re: Cita — rodilla ✓', date: at(2), body: 'Hola.' }),
    replyEml({ from: 'desk@north.example.org', to: 'jordan@example.net', subject: '=?UTF-8?B?Q2l0YSBjb25maXJtYWRh?=', date: at(3), body: 'ok', inReplyTo: '<probe-1@example.net>', headers: { References: '<a@x.example>\r\n <b@x.example>\r\n\t<probe-1@example.net>', 'Delivered-To': 'jordan+tok2@example.net', 'X-Original-To': 'jordan+tok3@example.net' } }),
    // No Message-ID, no Date header.
    'From: nobody@lists.example.com\r\nTo: jordan@example.net\r\nSubject: undated\r\n\r\nbody\r\n',
    // A header block over the limit (a runaway Received chain): cut at HEADER_LIMIT.
    replyEml({ from: 'relay@north.example.org', to: 'jordan@example.net', date: at(5), body: 'long', headers: { 'X-Filler': 'x'.repeat(HEADER_LIMIT + 5_000) } }),
    replyEml({ from: 'Desk <desk@north.example.org>', to: 'Jordan <jordan+tok4@example.net>, other@example.org', date: at(6), body: 'Cc test', headers: { Cc: 'Ops <ops@north.example.org>' } }),
  ];
}

function mailbox(raws: string[]) {
  const u = dv.newUser();
  const w = maildirWriter(dv.maildir(u.user), process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined);
  const s = emailSetup({ imap: { port: dv.imapPort, user: u.user, pass: u.pass } });
  return { u, s, deliver: async () => { for (const [i, r] of raws.entries()) await w.deliver(r, new Date(T0 + (i + 1) * 60_000)); } };
}

async function examined(settings: ImapSettings, port?: number): Promise<ImapConnection> {
  const conn = await openImap(port ? { ...settings, port } : settings);
  await conn.call('EXAMINE INBOX', (c) => c.getMailboxLock('INBOX', { readOnly: true }));
  return conn;
}

/** A mailbox holding `raws`, examined through a loopback proxy with these options; closed after `body`. */
async function throughProxy<T>(raws: string[], opts: Parameters<typeof commandLog>[1], body: (conn: ImapConnection, proxy: { commands: string[] }, u: { user: string; pass: string }, settings: ImapSettings) => Promise<T>): Promise<T> {
  const { s, u, deliver } = mailbox(raws);
  await deliver();
  const proxy = await commandLog(dv.imapPort, opts);
  const conn = await examined(s.loaded.config.channels.imap!, proxy.port);
  try {
    return await body(conn, proxy, u, s.loaded.config.channels.imap!);
  } finally {
    await conn.close();
    await proxy.close();
  }
}

type Edit = 'keep' | 'drop' | 'nil' | { quoted: string };

/**
 * A proxy rewrite of the header FETCH's answer: `edit` says what becomes of each message's
 * response (left out, its header block NIL or a quoted string); `throttle` turns the tagged
 * OK into Microsoft 365's BAD with a back-off time.
 */
function editHeaderAnswer(edit: (uid: number) => Edit, throttle: boolean) {
  let skip = 0;
  let closing = false;
  let answered = false;
  return (line: string, commands: string[]): string | null => {
    if (skip > 0) {
      skip -= line.length + 2;
      if (skip <= 0) closing = true;
      return null;
    }
    if (closing) {
      closing = false;
      if (line === ')') return null;
    }
    if (answered) return line;
    const m = /^(\* \d+ FETCH \(UID (\d+) .*BODY\[HEADER\]<0> )\{(\d+)\}$/.exec(line);
    if (m) {
      const e = edit(Number(m[2]));
      if (e === 'keep') return line;
      skip = Number(m[3]);
      if (e === 'drop') return null;
      return `${m[1]}${e === 'nil' ? 'NIL' : JSON.stringify(e.quoted)})`;
    }
    // The first header FETCH's answer alone: what is asked for again comes as the server sends it.
    const tag = commands.find((c) => HEADER_FETCH.test(c))?.split(' ')[0];
    if (!tag || !line.startsWith(`${tag} `)) return line;
    answered = true;
    return throttle && line.startsWith(`${tag} OK`) ? `${tag} BAD Request is throttled. Suggested Backoff Time: 30 milliseconds` : line;
  };
}

const uidsOf = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const byUid = (xs: Pass1[]) => [...xs].sort((a, b) => a.uid - b.uid);

describe('IMAP pass 1: header blocks through imapflow\'s fetch() (Dovecot)', () => {
  it('hands over what each delivered message\'s own header block says, message for message', async () => {
    const raws = variedMail();
    const { s, deliver } = mailbox(raws);
    await deliver();
    const conn = await examined(s.loaded.config.channels.imap!);
    try {
      const parsed = byUid(await fetchPass1(conn, uidsOf(raws.length)));
      expect(parsed.map((h) => h.uid)).toEqual(uidsOf(raws.length));
      // The facts are those of the message's own header block (cut at the limit), read locally.
      for (const [i, raw] of raws.entries()) {
        const block = Buffer.from(raw.slice(0, raw.search(/\r?\n\r?\n/) + 2)).subarray(0, HEADER_LIMIT);
        const local = pass1Of(i + 1, block);
        expect(parsed[i]!.facts.recipients, `message ${i + 1}`).toEqual(local.facts.recipients);
        expect(parsed[i]!.facts.from, `message ${i + 1}`).toEqual(local.facts.from);
        expect(parsed[i]!.subject, `message ${i + 1}`).toEqual(local.subject);
        expect(parsed[i]!.messageId, `message ${i + 1}`).toEqual(local.messageId);
      }
      // And what they hold is right, not merely alike.
      expect(parsed[0]!.facts.recipients).toEqual(['jordan+tok1@example.net']);
      expect(parsed[1]!.subject).toBe('Re: Cita — rodilla ✓');
      expect(parsed[2]!.subject).toBe('Cita confirmada');
      expect(parsed[2]!.facts.references).toEqual(['<a@x.example>', '<b@x.example>', '<probe-1@example.net>']);
      expect(parsed[2]!.facts.recipients).toEqual(expect.arrayContaining(['jordan+tok2@example.net', 'jordan+tok3@example.net']));
      // No Message-ID or Date: the size and INTERNALDATE were asked for it alone.
      expect(parsed[3]!.messageId).toBeNull();
      expect(parsed[3]!.internalDate).toBe(T0 + 4 * 60_000);
      expect(parsed[3]!.size).toBe(Buffer.byteLength(raws[3]!));
      expect(parsed[4]!.headerText.length).toBeLessThanOrEqual(HEADER_LIMIT);
      expect(parsed[4]!.facts.from).toBe('relay@north.example.org');
      expect(parsed[5]!.facts.recipients).toEqual(['jordan+tok4@example.net', 'other@example.org', 'ops@north.example.org']);
    } finally {
      await conn.close();
    }
  });

  it('a throw from the consumer ends the pass with that error; the connection still answers', async () => {
    const raws = variedMail();
    const { s, deliver } = mailbox(raws);
    await deliver();
    const conn = await examined(s.loaded.config.channels.imap!);
    try {
      let seen = 0;
      const boom = new Error('disk full');
      await expect(
        fetchPass1(conn, uidsOf(raws.length), () => {
          if (++seen === 3) throw boom;
          return true;
        }),
      ).rejects.toThrow('disk full');
      // Nothing after the throw reached the consumer.
      expect(seen).toBe(3);
      expect(await fetchPass1(conn, uidsOf(raws.length))).toHaveLength(raws.length);
    } finally {
      await conn.close();
    }
  });

  it('flag changes announced during the pass (unsolicited FETCH FLAGS, before and after the header blocks) are not taken for messages', async () => {
    const raws = variedMail();
    const downstream: string[] = [];
    // Dovecot announces the changes after the last header block; a server may do so at any
    // moment (RFC 9051 7.5.2), so one is also put ahead of the first.
    let injected = 0;
    const rewrite = (line: string) => {
      downstream.push(line);
      if (!/^\* 1 FETCH \(UID 1 .*BODY\[HEADER\]/.test(line)) return line;
      injected++;
      return `* 3 FETCH (UID 3 FLAGS (\\Seen))\r\n${line}`;
    };
    await throughProxy(raws, { rewrite }, async (conn, _proxy, u, settings) => {
      // Another session flags two messages; Dovecot tells ours with the next command's responses.
      const other = await openImap({ ...settings, pass: u.pass });
      await other.call('flag', async (c) => {
        const lock = await c.getMailboxLock('INBOX');
        try {
          await c.messageFlagsAdd('2,4', ['\\Flagged'], { uid: true });
        } finally {
          lock.release();
        }
      });
      await other.close();
      const heads = await fetchPass1(conn, uidsOf(raws.length));
      // The flag updates did reach the client, as FETCH responses without a header block, after them.
      expect(downstream.filter((l) => /^\* \d+ FETCH \(.*FLAGS \(.*\\Flagged/.test(l) && !/BODY\[HEADER\]/i.test(l))).toHaveLength(2);
      expect(injected).toBe(1);
      expect(byUid(heads).map((h) => h.uid)).toEqual(uidsOf(raws.length));
      expect(heads.every((h) => h.headerText.includes('From:'))).toBe(true);
    });
  });

  it('a throttled FETCH (BAD with a back-off time) and messages the answer leaves out, NIL or quoted: asked for again or read as sent, none lost or doubled', async () => {
    const raws = Array.from({ length: 6 }, (_, i) => replyEml({ from: `desk${i}@north.example.org`, to: 'jordan@example.net', subject: `Reply ${i + 1}`, date: new Date(T0 + i * 60_000), body: 'ok' }));
    const all = raws.map((_, i) => `Reply ${i + 1}`);
    const cases: Array<{ name: string; edit: (uid: number) => Edit; throttle: boolean; subjects: string[]; fetches: number }> = [
      // Throttled (imapflow waits and asks again, skipping what it already delivered):
      // before any message reached the client, after three, and after every one.
      { name: 'throttled at once', edit: () => 'drop', throttle: true, subjects: all, fetches: 2 },
      { name: 'throttled part-way', edit: (uid) => (uid > 3 ? 'drop' : 'keep'), throttle: true, subjects: all, fetches: 2 },
      { name: 'throttled after all', edit: () => 'keep', throttle: true, subjects: all, fetches: 2 },
      // A server that leaves one out and says OK: asked for again.
      { name: 'omitted', edit: (uid) => (uid === 4 ? 'drop' : 'keep'), throttle: false, subjects: all, fetches: 2 },
      // NIL: asked for again (and read as the server then sends it); a quoted string (Yahoo
      // answers small parts so): read as sent.
      { name: 'NIL and quoted', edit: (uid) => (uid === 2 ? 'nil' : uid === 3 ? { quoted: 'Subject: Quoted 3' } : 'keep'), throttle: false, subjects: ['Reply 1', 'Reply 2', 'Quoted 3', ...all.slice(3)], fetches: 2 },
    ];
    for (const c of cases) {
      await throughProxy(raws, { rewrite: editHeaderAnswer(c.edit, c.throttle) }, async (conn, proxy) => {
        const seen: number[] = [];
        const heads = byUid(await fetchPass1(conn, uidsOf(raws.length), (h) => (seen.push(h.uid), true)));
        expect([c.name, seen.sort((a, b) => a - b)]).toEqual([c.name, uidsOf(raws.length)]);
        expect([c.name, heads.map((h) => h.subject)]).toEqual([c.name, c.subjects]);
        expect([c.name, proxy.commands.filter((x) => HEADER_FETCH.test(x)).length]).toEqual([c.name, c.fetches]);
      });
    }
  });
});
