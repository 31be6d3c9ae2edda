/**
 * The sandbox organization's mail intake: a real smtp-server on loopback that receives what
 * email probes send, records each message (the sandbox's count of what it got), and hands
 * it to the front desk. Fault modes for the tests: refuse recipients, require a login, never
 * answer after the message data, or refuse the data.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { Clock } from '../clock.js';

export interface ReceivedMail {
  envelopeFrom: string;
  to: string[];
  raw: Buffer;
  receivedAt: number;
  messageId: string | null;
  subject: string;
  /** From / Reply-To of the message (where the organization would answer). */
  replyTo: string | null;
  fromName: string | null;
  text: string;
}

export interface MailIntakeOptions {
  clock: Clock;
  /** When set, AUTH is required with one of these user → password pairs. */
  users?: Record<string, string>;
  /** Return a reason to refuse a recipient with 550. */
  rejectRecipient?: (address: string) => string | undefined;
  /** hang-after-data: read the message, never answer (the client cannot know it arrived). */
  fault?: 'none' | 'hang-after-data' | 'refuse-data';
  onMessage?: (m: ReceivedMail) => void | Promise<void>;
}

export interface MailIntake {
  host: string;
  port: number;
  received: ReceivedMail[];
  /** SMTP sessions opened, whatever came of them (a dry run must leave it at 0). */
  readonly connections: number;
  close(): Promise<void>;
}

export async function startMailIntake(opts: MailIntakeOptions): Promise<MailIntake> {
  const received: ReceivedMail[] = [];
  let connections = 0;
  const server = new SMTPServer({
    logger: false,
    banner: 'sandbox mail intake',
    authOptional: !opts.users,
    disabledCommands: opts.users ? [] : ['AUTH'],
    allowInsecureAuth: true,
    size: 25 * 1024 * 1024,
    onConnect(_session, cb) {
      connections++;
      cb();
    },
    onAuth(auth, _session, cb) {
      if (opts.users && opts.users[auth.username ?? ''] === auth.password) return cb(null, { user: auth.username });
      return cb(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, cb) {
      const reason = opts.rejectRecipient?.(address.address);
      if (reason) return cb(Object.assign(new Error(reason), { responseCode: 550 }));
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        const raw = Buffer.concat(chunks);
        if (opts.fault === 'refuse-data') return cb(Object.assign(new Error('Message rejected as spam'), { responseCode: 554 }));
        const parsed = await simpleParser(raw).catch(() => null);
        const m: ReceivedMail = {
          envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          receivedAt: opts.clock.now(),
          messageId: parsed?.messageId ?? null,
          subject: parsed?.subject ?? '',
          replyTo: parsed?.replyTo?.value[0]?.address ?? parsed?.from?.value[0]?.address ?? null,
          fromName: parsed?.from?.value[0]?.name || null,
          text: parsed?.text ?? '',
        };
        received.push(m);
        if (opts.fault === 'hang-after-data') return; // never answers: the sender cannot tell
        try {
          await opts.onMessage?.(m);
        } catch {
          /* the front desk's trouble is not the sender's */
        }
        cb();
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.server.address() as { port: number }).port;
  return {
    host: '127.0.0.1',
    port,
    received,
    get connections() {
      return connections;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** A TCP server that accepts connections and never says anything (an IMAP or SMTP server that hangs). */
export async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
