/**
 * `doctor --round-trip` through the CLI with the real clients, against a real SMTP server
 * (the sandbox intake, smtp-server) standing in for the provider's submission service and a
 * real Dovecot as the shopper's mailbox. The provider's delivery is done the way mail systems
 * do it: the intake hands the message to Dovecot's LMTP (which adds Delivered-To, as Postfix
 * → Dovecot LMTP does), a spam filter files it into Junk with IMAP APPEND, a forwarder that
 * rewrites the recipient to the bare address, a server that accepts and delivers nowhere,
 * a login that is refused, and a recipient refused with Postfix's wording for an unknown user.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { imapAppendWriter } from '../../src/sandbox/mailbox-writer.js';
import { cli } from '../helpers/cli.js';
import { useDovecot, type TestMailUser } from '../helpers/dovecot.js';
import { startMailIntake, type MailIntake, type ReceivedMail } from '../helpers/smtp.js';
import { tempTree } from '../helpers/tmp.js';
import { doctorMessageId } from '../../src/doctor/marker.js';
import { ImapCollector } from '../../src/collect/imap.js';
import { rawDb } from '../helpers/raw-store.js';
import { emailSetup, replyEml, sentProbe } from './setup.js';

const dovecot = useDovecot();
const SMTP_PASS = 'smtp-app-password-7';

function configFor(u: TestMailUser, smtpPort: number): string {
  return `organization: Lakeside Health
timezone: America/Chicago
shopper:
  name: Jordan Avery
  email: ${u.user}+{token}@shopper.test
channels:
  smtp: { host: 127.0.0.1, port: ${smtpPort}, secure: false, requireTLS: false, user: ${u.user}, pass: "\${SMTP_PASS}" }
  imap: { host: 127.0.0.1, port: ${dovecot.server.imapPort}, secure: false, user: ${u.user}, pass: "\${IMAP_PASS}", timeout: 20s }
sites:
  - id: north
    name: North Clinic
    serviceLines:
      - id: ortho
        name: Orthopedics
        entryPoints:
          - type: email
            to: ortho@north.example.org
`;
}

type Delivery = 'inbox' | 'junk' | 'nowhere' | 'rewrite';

/** The provider: submission with a login, then delivery into the shopper's Dovecot mailbox. */
async function provider(u: TestMailUser, delivery: Delivery, o: { refusePlus?: boolean } = {}): Promise<MailIntake> {
  const lmtp = nodemailer.createTransport({ host: dovecot.server.host, port: dovecot.server.lmtpPort, lmtp: true, ignoreTLS: true } as never);
  const deliver = async (m: ReceivedMail) => {
    if (delivery === 'nowhere') return;
    if (delivery === 'junk') {
      const w = imapAppendWriter({ host: dovecot.server.host, port: dovecot.server.imapPort, user: u.user, pass: u.pass });
      await w.deliver(m.raw, new Date(), 'Junk');
      await w.close();
      return;
    }
    // Dovecot takes the local part before "+" as the user; a rewriting forwarder drops the tag.
    const to = m.to.map((a) => (delivery === 'rewrite' ? a.replace(/\+[^@]*@/, '@') : a));
    await lmtp.sendMail({ envelope: { from: m.envelopeFrom, to }, raw: m.raw });
  };
  return startMailIntake({
    clock: systemClock,
    users: { [u.user]: SMTP_PASS },
    ...(o.refusePlus ? { rejectRecipient: (a: string) => (a.includes('+') ? `5.1.1 <${a}>: Recipient address rejected: User unknown in virtual mailbox table` : undefined) } : {}),
    onMessage: deliver,
  });
}

async function doctorRoundTrip(u: TestMailUser, intake: MailIntake, extra: string[] = [], env: Record<string, string> = {}) {
  const dir = tempTree({ 'configs/audit.yaml': configFor(u, intake.port), 'probes/new-inquiry.yaml': 'subject: "Q"\nvariants: ["Hello"]\n' });
  const r = await cli(['doctor', '--round-trip', '--json', ...extra], { cwd: dir, env: { SMTP_PASS, IMAP_PASS: u.pass, ...env } });
  const out = JSON.parse(r.stdout) as { ok: boolean; checks: Array<{ name: string; status: string; step?: string; detail: string; fix?: string }> };
  return { ...r, out, trip: out.checks.filter((c) => c.name === 'round trip'), dir };
}

async function countIn(u: TestMailUser, mailbox: string): Promise<number> {
  const c = await dovecot.client(u);
  try {
    const s = await c.status(mailbox, { messages: true });
    return s ? (s.messages ?? 0) : -1;
  } finally {
    await c.logout();
  }
}

/** Nothing was stored: doctor makes no store (no probe, no run, no mail row). */
function noStore(dir: string): void {
  const reports = join(dir, 'reports');
  const files = existsSync(reports) ? readdirSync(reports) : [];
  expect(files.filter((f) => /\.db/.test(f))).toEqual([]);
}

describe('doctor --round-trip (sandbox SMTP + Dovecot)', () => {
  it('sends to the shopper\'s own plus-address, finds it in INBOX, deletes it: ok, exit 0', async () => {
    const u = dovecot.freshUser();
    const intake = await provider(u, 'inbox');
    try {
      const r = await doctorRoundTrip(u, intake);
      expect(r.trip).toEqual([expect.objectContaining({ status: 'ok', step: 'delivered' })]);
      expect(r.trip[0]!.detail).toMatch(new RegExp(`sent to ${u.user}\\+doctor-[0-9a-f]{10}@shopper\\.test .*found in INBOX .*deleted it`));
      expect(r.code).toBe(0);
      // One message, to the shopper's own tagged address: no site was written to.
      expect(intake.received).toHaveLength(1);
      expect(intake.received[0]!.to).toEqual([expect.stringMatching(new RegExp(`^${u.user}\\+doctor-[0-9a-f]{10}@shopper\\.test$`))]);
      expect(intake.received[0]!.raw.toString()).toMatch(/^Auto-Submitted: auto-generated/m);
      expect(await countIn(u, 'INBOX')).toBe(0);
      noStore(r.dir);
      expect(r.stdout + r.stderr).not.toContain(SMTP_PASS);
    } finally {
      await intake.close();
    }
  });

  it('filed into Junk by the provider\'s spam filter: a warning that says so, exit 0', async () => {
    const u = dovecot.freshUser();
    const intake = await provider(u, 'junk');
    try {
      const r = await doctorRoundTrip(u, intake);
      expect(r.trip).toEqual([expect.objectContaining({ status: 'warn', step: 'junk' })]);
      expect(r.trip[0]!.detail).toMatch(/arrived in Junk, not INBOX .*deleted it/);
      expect(r.trip[0]!.fix).toMatch(/not spam/);
      expect(r.code).toBe(0);
      expect(await countIn(u, 'Junk')).toBe(0);
      // As a person reads it: the warning with what to do, progress on stderr.
      const text = await cli(['doctor', '--round-trip'], { cwd: r.dir, env: { SMTP_PASS, IMAP_PASS: u.pass } });
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(/^warn round trip: the message to \S+\+doctor-[0-9a-f]{10}@shopper\.test arrived in Junk, not INBOX/m);
      expect(text.stdout).toMatch(/^\s+→ the provider files mail to the shopper as spam/m);
      expect(text.stdout).toMatch(/all checks passed/);
      expect(text.stderr).toMatch(/round trip: sending a test message to the shopper's own address, waiting up to 2 min…/);
    } finally {
      await intake.close();
    }
  });

  it('accepted by SMTP but delivered nowhere: FAIL at arrival after the wait, exit 3', async () => {
    const u = dovecot.freshUser();
    const intake = await provider(u, 'nowhere');
    try {
      const r = await doctorRoundTrip(u, intake, ['--round-trip-timeout', '2s']);
      expect(r.trip).toEqual([expect.objectContaining({ status: 'fail', step: 'arrival' })]);
      expect(r.trip[0]!.detail).toMatch(/accepted the message to .*\+doctor-[0-9a-f]{10}@shopper\.test .*did not arrive in INBOX and Junk within 2s/);
      expect(r.trip[0]!.fix).toMatch(/--round-trip-timeout/);
      expect(r.code).toBe(3);
      expect(intake.received).toHaveLength(1);
    } finally {
      await intake.close();
    }
  });

  it('a forwarder that drops the plus tag: a warning naming the address it was delivered to', async () => {
    const u = dovecot.freshUser();
    const intake = await provider(u, 'rewrite');
    try {
      const r = await doctorRoundTrip(u, intake);
      expect(r.trip).toEqual([expect.objectContaining({ status: 'warn', step: 'plus-address' })]);
      expect(r.trip[0]!.detail).toContain(`delivered to ${u.user}@shopper.test, without the plus tag doctor-`);
      expect(r.code).toBe(0);
      expect(await countIn(u, 'INBOX')).toBe(0);
    } finally {
      await intake.close();
    }
  });

  it('SMTP refuses the plus-address: FAIL at smtp send with what it means for probes, exit 3', async () => {
    const u = dovecot.freshUser();
    const intake = await provider(u, 'inbox', { refusePlus: true });
    try {
      const r = await doctorRoundTrip(u, intake);
      expect(r.trip).toEqual([expect.objectContaining({ status: 'fail', step: 'smtp send' })]);
      expect(r.trip[0]!.detail).toMatch(/refused the recipient .*\+doctor-[0-9a-f]{10}@shopper\.test: .*User unknown/);
      expect(r.trip[0]!.fix).toMatch(/plus-addresses/);
      expect(r.code).toBe(3);
      expect(intake.received).toHaveLength(0);
    } finally {
      await intake.close();
    }
  });

  it('SMTP refuses the login: FAIL at smtp login, and the password is never printed', async () => {
    const u = dovecot.freshUser();
    const intake = await provider(u, 'inbox');
    try {
      // The plain login check refuses it first; the round trip itself is not tried.
      const r = await doctorRoundTrip(u, intake, [], { SMTP_PASS: 'wrong-password-1' });
      expect(r.out.checks.find((c) => c.name === 'smtp')).toMatchObject({ status: 'fail' });
      expect(r.trip).toEqual([expect.objectContaining({ status: 'warn', detail: 'not tried: the smtp check failed' })]);
      expect(r.code).toBe(3);
      expect(r.stdout + r.stderr).not.toContain('wrong-password-1');
      expect(intake.received).toHaveLength(0);
    } finally {
      await intake.close();
    }
  });

  it('without --round-trip nothing is sent; a bad --round-trip-timeout is a usage error (exit 2)', async () => {
    const u = dovecot.freshUser();
    const intake = await provider(u, 'inbox');
    try {
      const dir = tempTree({ 'configs/audit.yaml': configFor(u, intake.port), 'probes/new-inquiry.yaml': 'subject: "Q"\nvariants: ["Hello"]\n' });
      const env = { SMTP_PASS, IMAP_PASS: u.pass };
      const plain = await cli(['doctor'], { cwd: dir, env });
      expect(plain.code).toBe(0);
      expect(plain.stdout).not.toMatch(/round trip/);
      expect(intake.received).toHaveLength(0);
      const bad = await cli(['doctor', '--round-trip-timeout', 'soon'], { cwd: dir, env });
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/--round-trip-timeout soon: must be a duration/);
    } finally {
      await intake.close();
    }
  });

  it('a test message left in the mailbox is skipped by collect (no reply, no unmatched mail)', async () => {
    const u = dovecot.freshUser();
    const s = emailSetup({ imap: { port: dovecot.server.imapPort, user: u.user, pass: u.pass } });
    const t0 = Date.parse('2026-03-02T15:00:00Z');
    sentProbe(s, { submittedAt: t0 });
    const at = new Date(t0 + 60_000);
    const left = replyEml({ from: 'Jordan Avery <jordan+doctor-0a1b2c3d4e@example.net>', to: 'jordan+doctor-0a1b2c3d4e@example.net', subject: 'respond-audit doctor: mail round trip 0a1b2c3d4e', body: 'left behind', date: at, messageId: doctorMessageId('0a1b2c3d4e', 'example.net') });
    const other = replyEml({ from: 'News <news@elsewhere.example.com>', to: 'jordan@example.net', subject: 'A newsletter', body: 'news', date: at });
    await dovecot.append(u, left, at);
    await dovecot.append(u, other, at);
    const c = new ImapCollector({ loaded: s.loaded, store: s.store, clock: s.clock, env: s.env, log: () => undefined, signal: new AbortController().signal });
    await c.collectOnce();
    await c.close();
    const subjects = (rawDb(s.store).prepare('SELECT subject FROM observations').all() as Array<{ subject: string }>).map((r) => r.subject);
    // The newsletter is stored as unmatched mail; the doctor's message is not stored at all.
    expect(subjects).toEqual(['A newsletter']);
  });
});
