/**
 * Opening imapflow clients from the config, with a timeout around every call and errors
 * turned into DependencyError (exit 3) with a message that says what to check. imapflow's
 * logger is off: its debug output would otherwise be the one place a credential could leak.
 */
import type { ImapFlow, ImapFlowOptions } from 'imapflow';
import { REAL_ADAPTERS, type Adapters } from '../adapters.js';
import type { AuditConfig } from '../config/schema.js';
import { formatDuration } from '../config/duration.js';
import { tokenSourceFor } from '../auth/oauth2.js';
import { DependencyError } from '../errors.js';

export type ImapSettings = NonNullable<AuditConfig['channels']['imap']>;

export interface ImapConnection {
  client: ImapFlow;
  /** Runs one IMAP call with the configured timeout; a timeout closes the client. */
  call<T>(what: string, fn: (c: ImapFlow) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  readonly where: string;
}

export function imapWhere(s: ImapSettings): string {
  return `${s.host}:${s.port}`;
}

export interface OpenImapOptions {
  /** imapflow options over the ones the settings give. */
  extra?: Partial<ImapFlowOptions>;
  /** --debug lines (each IMAP call). */
  debug?: (text: string) => void;
  /** Told each OAuth2 access token, so output can mask it. */
  onSecret?: (v: string) => void;
  /** Builds the client (default: imapflow's); tests hand in a fake. */
  newClient?: Adapters['imapClient'];
}

export async function newImapClient(s: ImapSettings, o: OpenImapOptions = {}, accessToken?: string): Promise<ImapFlow> {
  const token = accessToken ?? s.accessToken;
  const auth = token ? { user: s.user, accessToken: token } : { user: s.user, pass: s.pass ?? '' };
  const client = await (o.newClient ?? REAL_ADAPTERS.imapClient)({
    host: s.host,
    port: s.port,
    secure: s.secure,
    auth,
    logger: false,
    emitLogs: false,
    qresync: true,
    disableAutoIdle: true,
    connectionTimeout: s.timeout,
    greetingTimeout: s.timeout,
    socketTimeout: Math.max(s.timeout, 60_000) * 2,
    clientInfo: { name: 'respond-audit' },
    ...o.extra,
  } as ImapFlowOptions);
  // Errors also arrive as events; without a listener Node would throw them at the process.
  client.on('error', () => undefined);
  return client;
}

/** Connects (with the timeout) and returns a connection whose every call is timed. */
export async function openImap(s: ImapSettings, o: OpenImapOptions = {}): Promise<ImapConnection> {
  if (!s.oauth2) return connectImap(s, o, undefined);
  // OAuth2: a token refused at login (revoked early, expired meanwhile) is refreshed once.
  const tokens = tokenSourceFor(s.oauth2, 'imap', o.onSecret ? { onSecret: o.onSecret } : {});
  try {
    return await connectImap(s, o, await tokens.get());
  } catch (e) {
    if (!(e as { authenticationFailed?: boolean }).authenticationFailed) throw e;
    tokens.invalidate();
    o.debug?.(`imap ${imapWhere(s)}: the OAuth2 token was refused; refreshing it once`);
    return connectImap(s, o, await tokens.get());
  }
}

async function connectImap(s: ImapSettings, o: OpenImapOptions, token: string | undefined): Promise<ImapConnection> {
  const debug = o.debug;
  const client = await newImapClient(s, o, token);
  const where = imapWhere(s);
  const conn: ImapConnection = {
    client,
    where,
    call: (what, fn) => (debug?.(`imap ${where}: ${what}`), timed(client, s, what, () => fn(client))),
    async close() {
      try {
        if (client.usable) await timed(client, s, 'LOGOUT', () => client.logout());
      } catch {
        /* closing anyway */
      } finally {
        client.close();
      }
    },
  };
  await conn.call('connect and log in', (c) => c.connect());
  return conn;
}

async function timed<T>(client: ImapFlow, s: ImapSettings, what: string, fn: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_r, reject) => {
    timer = setTimeout(() => {
      client.close();
      reject(
        new DependencyError(
          `IMAP server ${imapWhere(s)} did not answer ${what} within ${formatDuration(s.timeout)} (channels.imap.timeout); check the host, port and TLS setting, or raise the timeout`,
          'ETIMEOUT',
          'imap',
        ),
      );
    }, s.timeout);
  });
  try {
    return await Promise.race([fn(), timeout]);
  } catch (e) {
    throw asDependencyError(e, s, what);
  } finally {
    clearTimeout(timer);
  }
}

/** True for errors after which a fresh connection may succeed (the server dropped us). */
export function isConnectionDrop(e: unknown): boolean {
  const err = e as { code?: string; message?: string; cause?: { code?: string } };
  if (err?.cause && err.cause !== e && isConnectionDrop(err.cause)) return true;
  const code = err?.code ?? err?.cause?.code ?? '';
  return (
    ['NoConnection', 'ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'EConnectionClosed', 'ClosedAfterConnectTLS', 'ClosedAfterConnectText'].includes(code) ||
    /connection (not available|closed|lost)|socket (closed|hang up)|unexpected close/i.test(err?.message ?? '')
  );
}

function asDependencyError(e: unknown, s: ImapSettings, what: string): Error {
  if (e instanceof DependencyError) return e;
  const err = e as { code?: string; message?: string; authenticationFailed?: boolean; responseText?: string; serverResponseCode?: string };
  const where = imapWhere(s);
  let message: string;
  if (err?.authenticationFailed || err?.serverResponseCode === 'AUTHENTICATIONFAILED')
    message = s.oauth2
      ? `IMAP login to ${where} as ${s.user} refused the OAuth2 token, also after refreshing it; check channels.imap.user and that the app was granted mail access`
      : `IMAP login to ${where} as ${s.user} was refused; check channels.imap.user and the password or app password (accounts with two-factor sign-in need an app password or channels.imap.oauth2)`;
  else if (err?.code === 'ECONNREFUSED') message = `cannot connect to IMAP server ${where}: connection refused; is the server running and the port right?`;
  else if (err?.code === 'ENOTFOUND' || err?.code === 'EAI_AGAIN') message = `cannot resolve IMAP host ${s.host}; check channels.imap.host`;
  else if (err?.code === 'ETIMEOUT' || err?.code === 'ETIMEDOUT' || err?.code === 'GREETING_TIMEOUT' || err?.code === 'CONNECT_TIMEOUT')
    message = `IMAP server ${where} did not answer ${what} within ${formatDuration(s.timeout)} (channels.imap.timeout)`;
  else if (isConnectionDrop(e)) message = `the connection to IMAP server ${where} was lost during ${what}`;
  else message = `IMAP ${what} on ${where} failed: ${err?.responseText ?? err?.message ?? String(e)}`;
  const out = new DependencyError(message, err?.code ?? 'EIMAP', 'imap');
  (out as { cause?: unknown }).cause = e;
  if (err?.authenticationFailed || err?.serverResponseCode === 'AUTHENTICATIONFAILED') (out as { authenticationFailed?: boolean }).authenticationFailed = true;
  return out;
}
