/**
 * The IMAP collector against a real Dovecot: attribution, classification through the IMAP
 * path (same verdicts as explain), Junk, likely/unattributed mail, follow-ups, stop
 * requests, and the cursor (nothing counted twice, nothing new costs no FETCH).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ImapCollector } from '../../src/collect/imap.js';
import type { CollectDeps } from '../../src/collect/types.js';
import { UNMATCHED_REASON } from '../../src/store/store.js';
import { countUnmatchedEvents } from '../../src/store/report-queries.js';
import { useDovecot } from '../helpers/dovecot.js';
import { CORPUS_FILES, EXPECTATIONS, REPLIES_DIR } from './corpus.js';
import { emailSetup, replyEml, sentProbe, type EmailSetup } from './setup.js';
import { commandLog } from './imap-proxy.js';
import { rawDb } from '../helpers/raw-store.js';

const dovecot = useDovecot();
const H = 3_600_000;
const T0 = Date.parse('2026-03-02T15:00:00Z');

function deps(s: EmailSetup): CollectDeps {
  return { loaded: s.loaded, store: s.store, clock: s.clock, env: s.env, log: () => undefined, signal: new AbortController().signal };
}

function setup(extra: { port?: number; mailboxes?: string[] } = {}) {
  const u = dovecot.freshUser();
  const s = emailSetup({ imap: { port: extra.port ?? dovecot.server.imapPort, user: u.user, pass: u.pass, mailboxes: extra.mailboxes } });
  return { u, s };
}

describe('IMAP collector (Dovecot)', () => {
  it('attributes corpus replies by token and classifies them as explain does; a second collect adds nothing', async () => {
    const { u, s } = setup();
    const probes = new Map<string, number>();
    let i = 0;
    for (const f of CORPUS_FILES) {
      const p = sentProbe(s, { submittedAt: T0 });
      probes.set(f, p.id);
      const raw = readFileSync(REPLIES_DIR + f, 'utf8').replace(/jordan\+k7q2m9x4@example\.net/g, `jordan+${p.token}@example.net`);
      // Half straight into Maildir, half over IMAP APPEND; every one dated after submission.
      const at = new Date(T0 + (++i) * 60_000);
      if (i % 2) dovecot.writeMaildir(u, raw, at);
      else await dovecot.append(u, raw, at);
    }
    const c = new ImapCollector(deps(s), { chunkSize: 7 });
    const first = await c.collectOnce();
    expect(first.added).toBe(CORPUS_FILES.length);
    expect(first.attributed).toBe(CORPUS_FILES.length);
    for (const f of CORPUS_FILES) {
      const exp = EXPECTATIONS[f]!;
      const events = s.store.eventsForProbe(probes.get(f)!);
      const main = events.find((e) => ['auto-ack', 'human-reply', 'bounce'].includes(e.kind))!;
      expect(main.kind, f).toBe(exp.kind === 'human' ? 'human-reply' : exp.kind);
      expect(main.attribution, f).toBe('exact');
      expect(main.passAlong, `${f}\n${main.reasons.join("\n")}`).toBe(exp.passAlong);
      expect(main.campaignAware, `${f}\n${main.reasons.join("\n")}`).toBe(exp.campaignAware);
      expect(events.some((e) => e.kind === 'stop-request'), f).toBe(!!exp.stopRequest);
    }
    const again = await c.collectOnce();
    expect(again.added).toBe(0);
    expect(again.fetched).toBe(0);
    await c.close();
    expect(s.store.suppressions().map((x) => x.scope)).toEqual(['site:north']);
  });

  it('reads Junk, uses INTERNALDATE as the reply time, and marks a follow-up', async () => {
    const { u, s } = setup();
    const p = sentProbe(s, { submittedAt: T0 });
    const to = `Jordan Avery <jordan+${p.token}@example.net>`;
    const from = 'Sam Okafor <sam@north.example.org>';
    await dovecot.append(u, replyEml({ from, to, date: new Date(T0 + 3 * H), body: 'Hi Jordan, I can offer Wednesday at 9:15 am. Would that work?\n\nSam' }), new Date(T0 + 2 * H), 'Junk');
    dovecot.writeMaildir(u, replyEml({ from, to, date: new Date(T0 + 74 * H), body: 'Hi Jordan, just checking in: would you still like the Wednesday visit?\n\nSam' }), new Date(T0 + 74 * H));
    const c = new ImapCollector(deps(s));
    await c.collectOnce();
    await c.close();
    const ev = s.store.eventsForProbe(p.id);
    expect(ev.map((e) => [e.kind, e.occurredAt - T0, e.followUp])).toEqual([
      ['human-reply', 2 * H, false],
      ['human-reply', 74 * H, true],
    ]);
    const obs = s.store.getObservation(ev[0]!.observationId)!;
    expect(obs.timeSource).toBe('internaldate');
    expect(obs.clockSkewMs).toBe(H); // Date header an hour after INTERNALDATE
  });

  it('thread headers attribute exactly; site domain + shopper name is likely; the rest is unattributed and listed', async () => {
    const { u, s } = setup();
    const a = sentProbe(s, { submittedAt: T0, messageId: '<probe-a@example.net>' });
    const b = sentProbe(s, { submittedAt: T0, entryKey: 'south/ortho/email' });
    const at = (h: number) => new Date(T0 + h * H);
    dovecot.writeMaildir(u, replyEml({ from: 'x@elsewhere.example.com', to: 'ortho-team@north.example.org', inReplyTo: '<PROBE-A@example.net>', date: at(1), body: 'Hi Jordan, we can see you Friday at 3pm.' }), at(1));
    dovecot.writeMaildir(u, replyEml({ from: 'Front Desk <desk@mail.south.example.org>', to: 'jordan@example.net', date: at(2), body: 'Dear Jordan Avery, please call our scheduling line at 555-201-3344.' }), at(2));
    dovecot.writeMaildir(u, replyEml({ from: 'news@shop.example.com', to: 'jordan@example.net', date: new Date(T0 + 3 * H + 90_000), subject: 'Our sale', body: 'Big sale today.' }), at(3));
    // No Date header: dated by the INTERNALDATE fetched for it alone.
    dovecot.writeMaildir(u, replyEml({ from: 'promo@shop.example.com', to: 'jordan@example.net', date: at(4), subject: 'Undated', body: 'Another sale.' }).replace(/^Date: .*\r?\n/m, ''), at(4));
    const c = new ImapCollector(deps(s));
    const st = await c.collectOnce();
    await c.close();
    expect(st).toMatchObject({ added: 4, attributed: 2, unattributed: 2 });
    expect(s.store.eventsForProbe(a.id).map((e) => [e.kind, e.attribution])).toEqual([['human-reply', 'exact']]);
    const likely = s.store.eventsForProbe(b.id);
    expect(likely.map((e) => [e.kind, e.attribution, e.passAlong])).toEqual([['human-reply', 'likely', true]]);
    expect(likely[0]!.reasons.join(' ')).toMatch(/lower confidence/);
    const un = s.store.unattributed();
    expect(un.map((e) => [e.kind, e.attribution, e.sender])).toEqual([
      ['unattributed', 'none', 'promo@shop.example.com'],
      ['unattributed', 'none', 'news@shop.example.com'],
    ]);
    // Unmatched mail whose body was never fetched is its observation alone (no event), with its
    // reason, dated by its Date header (labelled so; INTERNALDATE is a reply's time).
    expect(un[1]!.id).toBeNull();
    expect(un[1]!.reasons).toEqual([UNMATCHED_REASON]);
    expect(un[1]!.details).toMatchObject({ mailbox: 'INBOX', from: 'news@shop.example.com', subject: 'Our sale', timeSource: 'date-header' });
    expect(un[1]!.occurredAt).toBe(T0 + 3 * H + 90_000);
    expect(un[0]!.details).toMatchObject({ subject: 'Undated', timeSource: 'internaldate' });
    expect(un[0]!.occurredAt).toBe(T0 + 4 * H);
    expect(s.store.listEvents({ kind: 'unattributed' })).toEqual([]);
    expect(countUnmatchedEvents(s.store)).toBe(2);
  });

  it('mail without a Message-ID is named by its headers and size (fetched only for such mail): two that differ only in body are both kept, once', async () => {
    const { u, s } = setup();
    sentProbe(s, { submittedAt: T0 }); // mail older than every probe is not stored at all
    const at = new Date(T0 + H);
    const nameless = (body: string) =>
      ['From: news@shop.example.com', 'To: jordan@example.net', 'Subject: Our sale', `Date: ${at.toUTCString()}`, 'Content-Type: text/plain', '', body].join('\r\n');
    dovecot.writeMaildir(u, nameless('Big sale today.'), at);
    dovecot.writeMaildir(u, nameless('Big sale today, and tomorrow too.'), at);
    const c = new ImapCollector(deps(s));
    expect(await c.collectOnce()).toMatchObject({ added: 2, unattributed: 2 });
    await c.close();
    const ids = (rawDb(s.store).prepare("SELECT source_id AS id FROM observations WHERE source = 'imap'").all() as Array<{ id: string }>).map((r) => r.id);
    expect(ids).toHaveLength(2);
    expect(ids.every((id) => id.includes('/h:'))).toBe(true);
    // A fresh cursor (as after a UIDVALIDITY change) finds the same names: nothing stored twice.
    rawDb(s.store).prepare("DELETE FROM cursors").run();
    const again = new ImapCollector(deps(s));
    expect(await again.collectOnce()).toMatchObject({ fetched: 2, added: 0 });
    await again.close();
  });

  it('with no new mail, a collect issues no FETCH, SEARCH or SELECT (one LIST-STATUS round trip)', async () => {
    const { u, s: base } = setup();
    const p = sentProbe(base, { submittedAt: T0 });
    dovecot.writeMaildir(u, replyEml({ from: 'a@north.example.org', to: `jordan+${p.token}@example.net`, date: new Date(T0 + H), body: 'Hi Jordan, Friday at 3pm works.' }), new Date(T0 + H));
    const proxy = await commandLog(dovecot.server.imapPort);
    try {
      const { s } = { s: emailSetup({ imap: { port: proxy.port, user: u.user, pass: u.pass } }) };
      s.store.close();
      const s2 = { ...s, store: base.store, loaded: s.loaded };
      const c1 = new ImapCollector(deps(s2));
      await c1.collectOnce();
      await c1.close();
      // The first collect selected INBOX only: STATUS said Junk was empty.
      const selected = proxy.commands.filter((l) => /^\S+ (EXAMINE|SELECT) /i.test(l)).map((l) => l.split(' ')[2]?.replace(/"/g, ''));
      expect(selected).toEqual(['INBOX']);
      expect(base.store.getCursor('imap:' + u.user.toLowerCase() + '@127.0.0.1:Junk')).toMatchObject({ lastUid: expect.any(Number) });
      proxy.commands.length = 0;
      const c2 = new ImapCollector(deps(s2));
      const st = await c2.collectOnce();
      await c2.close();
      expect(st.fetched).toBe(0);
      const verbs = proxy.commands.map((l) => l.split(' ')[1]?.toUpperCase());
      expect(verbs.filter((v) => ['FETCH', 'UID', 'SEARCH', 'SELECT', 'EXAMINE'].includes(v!))).toEqual([]);
      expect(verbs.filter((v) => v === 'LIST')).toHaveLength(1);
    } finally {
      await proxy.close();
    }
  });
});
