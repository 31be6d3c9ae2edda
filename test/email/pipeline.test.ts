/**
 * The whole email path on real servers: the submitter sends over SMTP to the sandbox intake,
 * the scripted front desk answers into the shopper's Dovecot mailbox with simulated times,
 * the collector turns them into events. And timing truth: polling every 15 minutes and
 * watching with IDLE give identical response times.
 */
import { describe, expect, it } from 'vitest';
import { ImapCollector } from '../../src/collect/imap.js';
import type { CollectDeps } from '../../src/collect/types.js';
import { systemClock, type Clock } from '../../src/clock.js';
import { FrontDesk, type InboxScript } from '../../src/sandbox/frontdesk.js';
import { imapAppendWriter, type MailboxWriter } from '../../src/sandbox/mailbox-writer.js';
import { makeEmailSubmitter } from '../../src/submit/email.js';
import type { Store } from '../../src/store/store.js';
import { useDovecot } from '../helpers/dovecot.js';
import { jobFor, recordingHooks, startMailIntake, submitterDeps } from '../helpers/smtp.js';
import { emailSetup, type EmailSetup } from './setup.js';

const dovecot = useDovecot();
const MIN = 60_000;
const H = 60 * MIN;
const D = 24 * H;

const SCRIPTS: Record<string, InboxScript> = {
  'ortho@north.example.org': {
    from: 'North Clinic Orthopedics <ortho@north.example.org>',
    staff: 'Sam',
    replies: [
      { style: 'auto-ack', after: MIN },
      { style: 'human', after: 5 * H, campaignAware: true },
      { style: 'follow-up', after: 3 * D },
    ],
  },
  'cardio@north.example.org': { from: 'Cardiology <cardio@north.example.org>', replies: [{ style: 'pass-along', after: 2 * H, junk: true }] },
  'ortho@south.example.org': { from: 'South Clinic <ortho@south.example.org>', replies: [] },
};

function deps(s: EmailSetup, clock: Clock = s.clock, signal = new AbortController().signal): CollectDeps {
  return { loaded: s.loaded, store: s.store, clock, env: s.env, log: () => undefined, signal };
}

function timeline(store: Store): string[] {
  return store
    .listProbes({})
    .flatMap((p) => store.eventsForProbe(p.id).map((e) => `${p.entryKey} ${e.kind} +${(e.occurredAt - p.submittedAt!) / MIN}min${e.passAlong ? ' pass-along' : ''}${e.campaignAware ? ' campaign' : ''}${e.followUp ? ' follow-up' : ''}`))
    .sort();
}

/** Sends one probe per email entry point through SMTP; the front desk schedules replies. */
async function sendProbes(s: EmailSetup, writer: MailboxWriter) {
  const desk = new FrontDesk({ clock: s.clock, writer, scripts: SCRIPTS, organization: 'Lakeside Health', campaign: s.loaded.config.campaign });
  const intake = await startMailIntake({ clock: s.clock, onMessage: (m) => desk.onEmail(m) });
  const s2 = emailSetup({ smtp: { port: intake.port }, imap: { port: dovecot.server.imapPort, user: s.loaded.config.channels.imap!.user, pass: s.env.TEST_IMAP_PASS ?? '' } });
  s2.store.close();
  const smtpLoaded = s2.loaded;
  const sub = await makeEmailSubmitter(submitterDeps(smtpLoaded, s.clock, s.env));
  let n = 0;
  for (const key of ['north/ortho/email', 'north/cardio/email', 'south/ortho/email']) {
    const job = jobFor(s.store, s.loaded, key, `tok${key.replace(/\W/g, '')}${++n}`);
    const r = await sub.submit(job, recordingHooks());
    expect(r.status).toBe('submitted');
    s.store.updateProbe(job.probe.id, { status: 'submitted', outcome: r.outcome, submittedAt: r.submittedAt, messageId: r.messageId, closesAt: r.submittedAt! + 7 * D });
  }
  await intake.close();
  return { desk, intake };
}

describe('email pipeline (smtp-server → front desk → Dovecot → collector)', () => {
  it('turns the scripted replies into the expected events', async () => {
    const u = dovecot.freshUser();
    const s = emailSetup({ imap: { port: dovecot.server.imapPort, user: u.user, pass: u.pass } });
    const writer = imapAppendWriter({ host: dovecot.server.host, port: dovecot.server.imapPort, user: u.user, pass: u.pass });
    const { desk, intake } = await sendProbes(s, writer);
    expect(intake.received).toHaveLength(3);
    s.clock.advance(4 * D);
    expect(await desk.deliverDue()).toBe(4);
    await writer.close();
    const c = new ImapCollector(deps(s));
    const st = await c.collectOnce();
    await c.close();
    expect(st).toMatchObject({ added: 4, attributed: 4, unattributed: 0 });
    expect(timeline(s.store)).toEqual([
      'north/cardio/email human-reply +120min pass-along',
      'north/ortho/email auto-ack +1min',
      'north/ortho/email human-reply +300min campaign',
      'north/ortho/email human-reply +4320min follow-up',
    ]);
  });

  it('polling every 15 minutes and watching with IDLE give identical response times', async () => {
    const polled = dovecot.freshUser();
    const watched = dovecot.freshUser();
    const a = emailSetup({ imap: { port: dovecot.server.imapPort, user: polled.user, pass: polled.pass } });
    const b = emailSetup({ imap: { port: dovecot.server.imapPort, user: watched.user, pass: watched.pass } });
    // The front desk writes each reply to the polled mailbox at once and keeps it for the watched one.
    const toA = imapAppendWriter({ host: dovecot.server.host, port: dovecot.server.imapPort, user: polled.user, pass: polled.pass });
    const forB: Array<{ raw: string | Buffer; at: Date; mailbox?: string }> = [];
    const tee: MailboxWriter = { deliver: async (raw, at, mailbox) => (await toA.deliver(raw, at, mailbox), void forB.push({ raw, at, mailbox })), close: () => toA.close() };
    const { desk } = await sendProbes(a, tee);
    // Same probes in B's store (same tokens, same submission moments).
    for (const p of a.store.listProbes({})) {
      const runId = b.store.startRun('run', b.configPath);
      const q = b.store.createProbe({ token: p.token, runId, entryKey: p.entryKey, siteId: p.siteId, serviceLineId: p.serviceLineId, entryPointId: p.entryPointId, channel: p.channel, target: p.target, shopperName: p.shopperName!, shopperEmail: p.shopperEmail! });
      b.store.updateProbe(q.id, { status: 'submitted', submittedAt: p.submittedAt, messageId: p.messageId, closesAt: p.closesAt });
    }
    // Polling: a collect every 15 simulated minutes for the first 6 hours, then daily.
    const poller = new ImapCollector(deps(a));
    const start = a.clock.now();
    const steps = [...Array.from({ length: 24 }, (_, i) => (i + 1) * 15 * MIN), 1 * D, 2 * D, 3 * D, 4 * D];
    for (const t of steps) {
      a.clock.set(start + t);
      await desk.deliverDue();
      await poller.collectOnce();
    }
    await poller.close();
    await tee.close();

    // Watching: IDLE on B's mailbox while the same replies arrive one by one.
    const abort = new AbortController();
    const watcher = new ImapCollector(deps(b, systemClock, abort.signal), { sweepEveryMs: 60 * MIN });
    let rounds = 0;
    const watching = watcher.watch(Date.now() + 120_000, () => void rounds++);
    const toB = imapAppendWriter({ host: dovecot.server.host, port: dovecot.server.imapPort, user: watched.user, pass: watched.pass });
    const count = () => b.store.listEvents({}).length;
    for (const m of forB) {
      const before = count();
      await toB.deliver(m.raw, m.at, m.mailbox);
      if (m.mailbox === 'Junk') continue; // IDLE watches INBOX; Junk is found by the sweep below
      await waitFor(() => count() > before);
    }
    await toB.close();
    abort.abort();
    await watching;
    await watcher.close();
    const sweep = new ImapCollector(deps(b, systemClock)); // the periodic sweep (covers Junk)
    await sweep.collectOnce();
    await sweep.close();
    expect(rounds).toBeGreaterThan(1);
    expect(timeline(b.store)).toEqual(timeline(a.store));
    expect(timeline(a.store)).toHaveLength(4);
  });
});

async function waitFor(cond: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting for the watcher');
    await new Promise((r) => setTimeout(r, 25));
  }
}
