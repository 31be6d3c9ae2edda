/**
 * The two ways an alert leaves: a POST to a webhook and an email through channels.smtp.
 * Errors never carry the webhook URL (its path is the credential).
 */
import nodemailer from 'nodemailer';
import { tokenSourceFor } from '../auth/oauth2.js';
import type { AuditConfig } from '../config/schema.js';

export type WebhookPost = (url: string, body: unknown, timeoutMs: number) => Promise<void>;
export type MailSend = (smtp: NonNullable<AuditConfig['channels']['smtp']>, mail: { from: string; to: string[]; subject: string; text: string }) => Promise<void>;

export const postWebhook: WebhookPost = async (url, body, timeoutMs) => {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    if (err.name === 'TimeoutError') throw new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`);
    throw new Error(`could not reach ${new URL(url).host}${err.cause?.code ? ` (${err.cause.code})` : ''}`);
  }
  const text = (await res.text().catch(() => '')).replace(/\s+/g, ' ').slice(0, 120);
  if (!res.ok) throw new Error(`${new URL(url).host} answered HTTP ${res.status}${text ? `: ${text}` : ''}`);
};

export const sendMail: MailSend = async (smtp, mail) => {
  const accessToken = smtp.oauth2 ? await tokenSourceFor(smtp.oauth2, 'smtp').get() : undefined;
  const loopback = smtp.host === 'localhost' || smtp.host === '::1' || smtp.host.startsWith('127.');
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    requireTLS: smtp.requireTLS && !smtp.secure,
    ignoreTLS: !smtp.requireTLS && !smtp.secure && loopback,
    auth: accessToken ? { type: 'OAuth2', user: smtp.user, accessToken } : smtp.user ? { user: smtp.user, pass: smtp.pass ?? '' } : undefined,
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
  } as never);
  try {
    await transport.sendMail({ from: mail.from, to: mail.to, subject: mail.subject, text: mail.text });
  } finally {
    transport.close();
  }
};
