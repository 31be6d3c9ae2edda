/**
 * `doctor --round-trip`: proves the mail wiring without contacting any site. It sends one
 * message to the shopper's own plus-address (`{token}` of shopper.email replaced by
 * `doctor-<hex>`) through channels.smtp and waits, for a bounded time, for it to arrive over
 * channels.imap in INBOX or the Junk folder. That exercises at once what a probe and its
 * reply need: SMTP login and sending, the provider accepting and keeping the plus tag, the
 * mailbox and its folders. Each failure names its step. Nothing is written to the store; the
 * message is deleted once seen (when the IMAP user may), and the collector skips it if it is
 * left behind (src/doctor/marker.ts).
 */
import { randomBytes } from 'node:crypto';
import type { ImapFlow, ListResponse } from 'imapflow';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import type { Adapters } from '../adapters.js';
import type { LoadedConfig } from '../config/load.js';
import { formatDuration } from '../config/duration.js';
import type { Check } from '../twilio/doctor-checks.js';
import { DOCTOR_HEADER, doctorMessageId } from './marker.js';

export const DEFAULT_ROUND_TRIP_TIMEOUT_MS = 2 * 60_000;

export interface RoundTripOptions {
  adapters: Adapters;
  /** How long to wait for the message to arrive. */
  timeoutMs: number;
  /** Between two looks into the mailbox. */
  pollMs?: number;
  signal?: AbortSignal;
  debug?: (text: string) => void;
  /** The random part of the tag (tests may fix it). */
  id?: string;
}

type Step = 'smtp connect' | 'smtp login' | 'smtp send' | 'imap' | 'arrival' | 'plus-address' | 'junk' | 'delivered';

const NAME = 'round trip';

function check(status: Check['status'], step: Step, detail: string, fix?: string): Check & { step: Step } {
  return { name: NAME, step, status, detail, ...(fix ? { fix } : {}), ...(status === 'fail' ? { unreachable: true } : {}) };
}

export async function roundTripCheck(loaded: LoadedConfig, o: RoundTripOptions): Promise<Check[]> {
  const s = loaded.config.channels.smtp;
  const m = loaded.config.channels.imap;
  if (!s || !m)
    return [
      check('fail', !s ? 'smtp send' : 'imap', `needs both channels.smtp and channels.imap (missing: ${[!s && 'smtp', !m && 'imap'].filter(Boolean).join(', ')})`, 'add the missing channel, or run doctor without --round-trip'),
    ];
  const id = o.id ?? randomBytes(5).toString('hex');
  const tag = `doctor-${id}`;
  const address = loaded.config.shopper.email.replace('{token}', tag);
  const domain = address.split('@')[1]?.toLowerCase() || 'respond-audit.invalid';
  const messageId = doctorMessageId(id, domain);
  const where = `${s.host}:${s.port}`;

  // 1. Send it, as a probe is sent (same transport settings, the shopper as sender).
  let accepted: string;
  try {
    accepted = await send(loaded, o, { address, messageId, id });
  } catch (e) {
    return [smtpFailure(e, where, address)];
  }
  o.debug?.(`round trip: ${where} accepted ${messageId} for ${address} (${accepted})`);

  // 2. Wait for it in INBOX and Junk.
  const { openImap } = await import('../collect/imap-client.js');
  let conn;
  try {
    conn = await openImap(m, { newClient: o.adapters.imapClient, ...(o.debug ? { debug: o.debug } : {}) });
  } catch (e) {
    return [check('fail', 'imap', `sent to ${address}, but IMAP failed: ${(e as Error).message}`, 'check channels.imap (host, port, TLS, user and password)')];
  }
  try {
    const list = await conn.call('LIST', (c) => c.list());
    const inbox = list.find((b) => b.path.toUpperCase() === 'INBOX');
    const junk = list.find((b) => b.specialUse?.toLowerCase() === '\\junk') ?? (m.junkFolder ? list.find((b) => b.path === m.junkFolder) : undefined);
    const folders = [inbox, junk].filter((b): b is ListResponse => !!b);
    const watched = folders.map((b) => b.path).join(' and ') || 'no folder';
    const noJunk = junk ? '' : ` (no Junk folder found${m.junkFolder ? ` named ${m.junkFolder}` : ''}: only INBOX was searched)`;
    const found = await waitFor(conn.call, folders, messageId, o);
    if (!found)
      return [
        check(
          'fail',
          'arrival',
          `${where} accepted the message to ${address} (${accepted}), but it did not arrive in ${watched} within ${formatDuration(o.timeoutMs)}${noJunk}`,
          'look for a bounce in the mailbox (a provider that does not deliver plus-addresses may bounce them), check that channels.imap is the mailbox of shopper.email, or raise --round-trip-timeout',
        ),
      ];
    const checks: Check[] = [];
    const inJunk = found.folder !== inbox;
    // 3. Did the plus tag survive? Delivered-To / X-Original-To name the address it was delivered to.
    const deliveredTo = found.deliveredTo;
    const tagKept = !deliveredTo.length || deliveredTo.some((a) => a.toLowerCase().includes(tag));
    const deleted = await remove(conn.call, found);
    const after = `${found.afterMs < 1000 ? 'within a second' : `after ${formatDuration(found.afterMs)}`}${deleted === true ? '; deleted it' : `; could not delete it (${deleted}): delete "${subjectOf(id)}" by hand`}`;
    if (inJunk) {
      const watchesJunk = m.mailboxes.some((n) => n.toLowerCase() === '\\junk' || n === found.folder.path);
      checks.push(
        check(
          'warn',
          'junk',
          `the message to ${address} arrived in ${found.folder.path}, not INBOX (${after})${watchesJunk ? '' : `; channels.imap.mailboxes does not include it, so replies filed there would be missed`}`,
          watchesJunk
            ? 'the provider files mail to the shopper as spam: mark it "not spam" or add a filter for the shopper address, or replies may be missed by a person reading the mailbox'
            : 'add "\\\\Junk" to channels.imap.mailboxes, and mark the message "not spam" or add a filter for the shopper address',
        ),
      );
    }
    if (!tagKept)
      checks.push(
        check(
          'warn',
          'plus-address',
          `the message arrived but was delivered to ${deliveredTo.join(', ')}, without the plus tag ${tag}: the provider or a forwarder rewrote the address`,
          'replies still match by their To header, but a forwarder that rewrites addresses may also rewrite those: have mail to the shopper delivered unchanged, or see docs/accounts.md on plus-addressing',
        ),
      );
    if (!checks.length) checks.push(check('ok', 'delivered', `sent to ${address} through ${where}, found in ${found.folder.path} ${after}`));
    return checks;
  } catch (e) {
    return [check('fail', 'imap', `sent to ${address}, but searching the mailbox failed: ${(e as Error).message}`, 'check channels.imap')];
  } finally {
    await conn.close();
  }
}

function subjectOf(id: string): string {
  return `respond-audit doctor: mail round trip ${id}`;
}

async function send(loaded: LoadedConfig, o: RoundTripOptions, msg: { address: string; messageId: string; id: string }): Promise<string> {
  const s = loaded.config.channels.smtp!;
  let accessToken: string | undefined;
  if (s.oauth2) {
    const { tokenSourceFor } = await import('../auth/oauth2.js');
    try {
      accessToken = await tokenSourceFor(s.oauth2, 'smtp').get();
    } catch (e) {
      throw Object.assign(new Error((e as Error).message), { code: 'EAUTH' });
    }
  }
  const { smtpTls } = await import('../submit/email.js');
  const transport = await o.adapters.smtpTransport({
    host: s.host,
    port: s.port,
    ...smtpTls(s),
    auth: accessToken ? { type: 'OAuth2', user: s.user, accessToken } : s.user ? { user: s.user, pass: s.pass ?? '' } : undefined,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
    name: msg.address.split('@')[1] || undefined,
  } as SMTPTransport.Options);
  try {
    const shopper = loaded.config.shopper.name;
    const info = await transport.sendMail({
      from: { name: shopper, address: msg.address },
      to: { name: shopper, address: msg.address },
      subject: subjectOf(msg.id),
      text: `This message checks respond-audit's mail setup (sending, plus-addressing, the mailbox and its Junk folder). It is deleted once seen; if it is still here, it is safe to delete.\n`,
      messageId: msg.messageId,
      // No out-of-office or list software should answer a test message.
      headers: { [DOCTOR_HEADER]: msg.id, 'Auto-Submitted': 'auto-generated' },
      envelope: { from: s.from ?? msg.address, to: [msg.address] },
    });
    return String(info.response ?? 'accepted').replace(/\s+/g, ' ').slice(0, 120);
  } finally {
    transport.close();
  }
}

function smtpFailure(e: unknown, where: string, address: string): Check {
  const err = e as { code?: string; command?: string; response?: string; responseCode?: number; message?: string };
  const said = (err.response ?? err.message ?? String(e)).replace(/\s+/g, ' ').slice(0, 300);
  if (err.code === 'EAUTH')
    return check('fail', 'smtp login', `SMTP login to ${where} was refused: ${said}`, 'check channels.smtp.user and the password, app password or oauth2 settings');
  if (err.code === 'EENVELOPE' && /RCPT/i.test(err.command ?? ''))
    return check(
      'fail',
      'smtp send',
      `SMTP server ${where} refused the recipient ${address}: ${said}`,
      'the provider may not accept plus-addresses (see the plus-addressing column in docs/accounts.md): without them replies cannot be matched to probes; use a provider or alias that accepts name+tag addresses',
    );
  if (err.code === 'EENVELOPE') return check('fail', 'smtp send', `SMTP server ${where} refused the sender: ${said}`, 'check channels.smtp.from and that the login may send as shopper.email');
  if (err.code === 'EMESSAGE') return check('fail', 'smtp send', `SMTP server ${where} refused the message: ${said}`, 'check that the login may send as shopper.email, and the provider\'s sending limits');
  return check('fail', 'smtp connect', `could not send through ${where}: ${said}`, 'check channels.smtp host, port and TLS settings');
}

interface Found {
  folder: ListResponse;
  uid: number;
  deliveredTo: string[];
  afterMs: number;
}

type Call = <T>(what: string, fn: (c: ImapFlow) => Promise<T>) => Promise<T>;

async function waitFor(call: Call, folders: ListResponse[], messageId: string, o: RoundTripOptions): Promise<Found | null> {
  const started = performance.now();
  const pollMs = o.pollMs ?? 3000;
  for (;;) {
    for (const folder of folders) {
      // Opening the folder again each round is what makes a server show new mail.
      const uids = await call(`SEARCH ${folder.path}`, async (c) => {
        await c.mailboxOpen(folder.path);
        return c.search({ header: { 'message-id': messageId } }, { uid: true });
      });
      const uid = Array.isArray(uids) ? uids[0] : undefined;
      if (uid === undefined) continue;
      const msg = await call(`FETCH ${folder.path}`, (c) => c.fetchOne(String(uid), { headers: ['delivered-to', 'x-original-to'] }, { uid: true }));
      const text = msg && msg.headers ? msg.headers.toString('utf8') : '';
      const deliveredTo = [...text.matchAll(/^(?:delivered-to|x-original-to):\s*(.+)$/gim)].map((x) => x[1]!.replace(/[<>]/g, '').trim());
      return { folder, uid, deliveredTo, afterMs: performance.now() - started };
    }
    const left = o.timeoutMs - (performance.now() - started);
    if (left <= 0 || o.signal?.aborted) return null;
    await new Promise((r) => setTimeout(r, Math.min(pollMs, left)));
  }
}

/** true, or why it could not be deleted. */
async function remove(call: Call, found: Found): Promise<true | string> {
  try {
    const ok = await call(`DELETE ${found.folder.path}`, async (c) => {
      await c.mailboxOpen(found.folder.path);
      return c.messageDelete(String(found.uid), { uid: true });
    });
    return ok ? true : 'the server did not delete it';
  } catch (e) {
    return (e as Error).message;
  }
}
