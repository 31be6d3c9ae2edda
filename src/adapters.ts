/**
 * The outside systems the stages talk to, handed in like the clock: the browser that fills
 * forms and prints PDFs, the SMTP transport, the IMAP client and the Twilio client. A command
 * gets them from its context (`CommandContext.adapters`) and passes them down to the stage
 * that uses them, so each stage can be tested with a fake of what it does not test while the
 * integration tests keep the real servers. Each default builds the real one and loads its
 * library only when first used (Playwright, nodemailer, imapflow, twilio): start-up stays fast.
 */
import type { ImapFlow, ImapFlowOptions } from 'imapflow';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import type { SendMailOptions } from 'nodemailer';
import type { Browser } from 'playwright-core';
import type { LoadedConfig } from './config/load.js';
import type { BrowserConfig } from './submit/browser.js';
import type { TwilioClientOptions, TwilioCredentials, TwilioHandle } from './twilio/client.js';

/** What the email submitter needs of a transport (a nodemailer Transporter has it). */
export interface SmtpTransport {
  sendMail(mail: SendMailOptions): Promise<{ response?: string }>;
  /** Connects and logs in without sending (`doctor`). */
  verify(): Promise<unknown>;
  close(): void;
}

export interface Adapters {
  /** Starts (or connects to) the browser described by the config; the caller closes it. */
  launchBrowser(src: LoadedConfig | BrowserConfig | undefined, env: Record<string, string | undefined>): Promise<Browser>;
  /** One SMTP transport (the email submitter opens one per message and closes it). */
  smtpTransport(options: SMTPTransport.Options): Promise<SmtpTransport>;
  /** An IMAP client, not yet connected (src/collect/imap-client.ts connects it). */
  imapClient(options: ImapFlowOptions): Promise<ImapFlow>;
  /** The Twilio REST client (retries, sandbox rewrite and media downloads included). */
  twilioClient(creds: TwilioCredentials, options?: TwilioClientOptions): Promise<TwilioHandle>;
}

export const REAL_ADAPTERS: Adapters = {
  launchBrowser: async (src, env) => (await import('./submit/browser.js')).launchBrowser(src, env),
  smtpTransport: async (options) => (await import('nodemailer')).default.createTransport(options),
  imapClient: async (options) => new (await import('imapflow')).ImapFlow(options),
  twilioClient: async (creds, options) => (await import('./twilio/client.js')).createTwilioClient(creds, options),
};

/** The adapters to use: the given fakes, and the real ones for the rest. */
export function adaptersOf(given: Partial<Adapters> | undefined): Adapters {
  return given ? { ...REAL_ADAPTERS, ...given } : REAL_ADAPTERS;
}
