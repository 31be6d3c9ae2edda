/**
 * Email probes over SMTP (nodemailer). From and Reply-To are the shopper's plus-address
 * carrying the probe's token; the Message-ID we generate is recorded so thread replies
 * attribute exactly. A refusal or timeout before the server accepted the message data is
 * `not-sent` with the reason; a failure after the message data went out is `unknown` (the
 * organization may have it), never `submitted`.
 */
import { randomBytes } from 'node:crypto';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import { adaptersOf } from '../adapters.js';
import { doNotContactMatch } from '../config/targets.js';
import { tokenSourceFor } from '../auth/oauth2.js';
import { DependencyError, UsageError } from '../errors.js';
import type { SubmitResult, Submitter, SubmitterDeps, SubmitterFactory } from './types.js';

export interface EmailSubmitterOptions {
  connectionTimeoutMs: number;
  /** Waiting for any one server reply (greeting, each command, the final 250 after the data). */
  socketTimeoutMs: number;
}

const DEFAULTS: EmailSubmitterOptions = { connectionTimeoutMs: 30_000, socketTimeoutMs: 60_000 };

export const createEmailSubmitter: SubmitterFactory = async (deps) => makeEmailSubmitter(deps);

export function newMessageId(token: string, shopperEmail: string): string {
  const domain = shopperEmail.split('@')[1]?.toLowerCase() || 'respond-audit.invalid';
  return `<${token.toLowerCase()}.${randomBytes(6).toString('hex')}@${domain}>`;
}

export async function makeEmailSubmitter(deps: SubmitterDeps, options: Partial<EmailSubmitterOptions> = {}): Promise<Submitter> {
  const smtp = deps.loaded.config.channels.smtp;
  if (!smtp) throw new UsageError('email entry points need channels.smtp in the config', 'ENOSMTP');
  const o = { ...DEFAULTS, ...options };
  const { smtpTransport } = adaptersOf(deps.adapters);
  return {
    channel: 'email',
    async submit(job, hooks): Promise<SubmitResult> {
      if (job.target.entryPoint.type !== 'email') throw new Error(`email submitter got a ${job.target.entryPoint.type} entry point`);
      const to = job.target.entryPoint.to;
      const rule = doNotContactMatch(to, deps.loaded.config.safety.doNotContact);
      if (rule) return { status: 'not-sent', outcome: 'skipped', error: `${to} is on the do-not-contact list (${rule}); nothing was sent` };
      const messageId = newMessageId(job.probe.token, job.shopper.email);
      // The SMTP dialogue tells us whether the message data left: after the server's 354
      // a failure may still mean the organization received it.
      let dataStarted = false;
      const watch = (meta: unknown, ...args: unknown[]) => {
        const m = meta as { tnx?: string } | undefined;
        const text = typeof args[0] === 'string' ? args[0] : '';
        if (m?.tnx === 'server' && /^354\b/.test(text)) dataStarted = true;
      };
      const logger = { trace: () => undefined, debug: watch, info: watch, warn: () => undefined, error: () => undefined, fatal: () => undefined, level: () => undefined };
      const tokens = smtp.oauth2 ? tokenSourceFor(smtp.oauth2, 'smtp') : null;
      const transportWith = (accessToken: string | undefined) => smtpTransport({
        host: smtp.host,
        port: smtp.port,
        ...smtpTls(smtp),
        auth: accessToken ? { type: 'OAuth2', user: smtp.user, accessToken } : smtp.user ? { user: smtp.user, pass: smtp.pass ?? '' } : undefined,
        connectionTimeout: o.connectionTimeoutMs,
        greetingTimeout: o.socketTimeoutMs,
        socketTimeout: o.socketTimeoutMs,
        logger: logger as never,
        debug: true,
        name: job.shopper.email.split('@')[1] || undefined,
      } as SMTPTransport.Options);
      hooks.progress(`sending to ${to}`);
      deps.debug?.(`smtp ${smtp.host}:${smtp.port}: sending ${messageId} to ${to}${smtp.user ? ` (login as ${smtp.user})` : ''}`);
      const send = async (accessToken: string | undefined) => {
        const transport = await transportWith(accessToken);
        try {
          return await transport.sendMail({
            from: { name: job.shopper.name, address: job.shopper.email },
            replyTo: { name: job.shopper.name, address: job.shopper.email },
            to,
            subject: job.message.subject,
            text: job.message.body,
            messageId,
            date: new Date(deps.clock.now()),
            envelope: { from: smtp.from ?? job.shopper.email, to: [to] },
          });
        } finally {
          transport.close();
        }
      };
      try {
        let info;
        try {
          info = await send(tokens ? await tokens.get() : undefined);
        } catch (e) {
          // OAuth2: a token refused at login (nothing was sent yet) is refreshed once.
          if (!tokens || dataStarted || (e as { code?: string }).code !== 'EAUTH') throw e;
          tokens.invalidate();
          deps.debug?.(`smtp ${smtp.host}:${smtp.port}: the OAuth2 token was refused; refreshing it once`);
          info = await send(await tokens.get());
        }
        const submittedAt = deps.clock.now();
        deps.debug?.(`smtp ${smtp.host}:${smtp.port}: accepted ${messageId} (${String((info as { response?: string }).response ?? '').slice(0, 80)})`);
        hooks.confirmed({ submittedAt, messageId });
        return {
          status: 'submitted',
          outcome: 'submitted',
          submittedAt,
          messageId,
          details: { smtpResponse: String((info as { response?: string }).response ?? '').slice(0, 200) },
        };
      } catch (e) {
        if (e instanceof DependencyError) return { status: 'not-sent', outcome: 'refused', error: e.message };
        return failure(e, dataStarted, `${smtp.host}:${smtp.port}`, to, messageId);
      }
    },
    async close() {},
  };
}

function failure(e: unknown, dataStarted: boolean, where: string, to: string, messageId: string): SubmitResult {
  const err = e as { code?: string; command?: string; response?: string; responseCode?: number; message?: string };
  const response = (err.response ?? err.message ?? String(e)).replace(/\s+/g, ' ').slice(0, 300);
  const timedOut = err.code === 'ETIMEDOUT' || /timeout/i.test(err.message ?? '');
  // The server answered the data with a refusal: it did not take the message.
  if (err.code === 'EMESSAGE' && err.responseCode && err.responseCode >= 400)
    return { status: 'not-sent', outcome: 'refused', error: `SMTP server ${where} refused the message: ${response}` };
  if (dataStarted)
    return {
      status: 'unknown',
      outcome: timedOut ? 'timeout' : 'failed',
      messageId,
      error: `the message data was sent to ${where} but the server never confirmed it (${response}); the organization may or may not have received it`,
    };
  if (err.code === 'EAUTH') return { status: 'not-sent', outcome: 'refused', error: `SMTP login to ${where} was refused (${response}); check channels.smtp.user and the password or app password` };
  if (err.code === 'EENVELOPE')
    return { status: 'not-sent', outcome: 'refused', error: `SMTP server ${where} refused ${err.command === 'RCPT TO' ? `the recipient ${to}` : 'the sender'}: ${response}` };
  if (err.code === 'ETLS' || /STARTTLS/i.test(response))
    return { status: 'not-sent', outcome: 'refused', error: `SMTP server ${where} offered no usable TLS and channels.smtp.requireTLS is on: ${response}` };
  if (timedOut) return { status: 'not-sent', outcome: 'timeout', error: `SMTP server ${where} did not answer in time (${response})` };
  return { status: 'not-sent', outcome: 'unreachable', error: `could not reach SMTP server ${where}: ${response}` };
}

/**
 * TLS as the submitter uses it (doctor's checks use the same, so they prove what a probe
 * will meet): STARTTLS when required; a loopback server without requireTLS is spoken to in
 * plain text (the sandbox's self-signed certificate is not a provider's).
 */
export function smtpTls(smtp: { host: string; secure: boolean; requireTLS: boolean }): { secure: boolean; requireTLS: boolean; ignoreTLS: boolean } {
  return { secure: smtp.secure, requireTLS: smtp.requireTLS && !smtp.secure, ignoreTLS: !smtp.requireTLS && !smtp.secure && isLoopback(smtp.host) };
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}
