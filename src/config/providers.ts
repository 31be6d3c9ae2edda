/**
 * Mail provider presets for `channels.imap.provider` / `channels.smtp.provider`: host, port,
 * TLS and the Junk folder's name (used when the server does not mark it special-use), with
 * what a user should know (plus-addressing, sending limits, sign-in). Anything set by hand in
 * the config wins over the preset. Values from each provider's published IMAP/SMTP settings.
 */
export const PROVIDERS = {
  gmail: {
    name: 'Gmail / Google Workspace',
    imap: { host: 'imap.gmail.com', port: 993, secure: true },
    smtp: { host: 'smtp.gmail.com', port: 465, secure: true },
    junkFolder: '[Gmail]/Spam',
    plusAddressing: 'yes (name+tag@gmail.com)',
    sendingLimit: 'about 500 recipients a day (Workspace: 2,000)',
    signIn: 'app password (needs 2-step verification) or OAuth2',
  },
  microsoft365: {
    name: 'Microsoft 365 (Exchange Online)',
    imap: { host: 'outlook.office365.com', port: 993, secure: true },
    smtp: { host: 'smtp.office365.com', port: 587, secure: false },
    junkFolder: 'Junk Email',
    plusAddressing: 'yes (on by default since 2022; an admin can turn it off)',
    sendingLimit: '10,000 recipients a day, 30 messages a minute',
    signIn: 'OAuth2 only for IMAP (password sign-in off since Oct 2022); SMTP AUTH may be disabled by the tenant',
  },
  'outlook.com': {
    name: 'Outlook.com / Hotmail',
    imap: { host: 'outlook.office365.com', port: 993, secure: true },
    smtp: { host: 'smtp-mail.outlook.com', port: 587, secure: false },
    junkFolder: 'Junk',
    plusAddressing: 'yes',
    sendingLimit: 'about 300 recipients a day',
    signIn: 'OAuth2 (password sign-in is being retired)',
  },
  fastmail: {
    name: 'Fastmail',
    imap: { host: 'imap.fastmail.com', port: 993, secure: true },
    smtp: { host: 'smtp.fastmail.com', port: 465, secure: true },
    junkFolder: 'Spam',
    plusAddressing: 'yes (also subdomain addressing)',
    sendingLimit: 'depends on the plan (thousands a day)',
    signIn: 'app password',
  },
  icloud: {
    name: 'iCloud Mail',
    imap: { host: 'imap.mail.me.com', port: 993, secure: true },
    smtp: { host: 'smtp.mail.me.com', port: 587, secure: false },
    junkFolder: 'Junk',
    plusAddressing: 'not documented by Apple: give each audit its own alias instead',
    sendingLimit: 'about 1,000 messages a day',
    signIn: 'app-specific password (needs two-factor authentication)',
  },
  yahoo: {
    name: 'Yahoo Mail',
    imap: { host: 'imap.mail.yahoo.com', port: 993, secure: true },
    smtp: { host: 'smtp.mail.yahoo.com', port: 465, secure: true },
    junkFolder: 'Bulk',
    plusAddressing: 'no "+": Yahoo offers disposable addresses (base-keyword@yahoo.com) instead',
    sendingLimit: 'about 500 messages a day',
    signIn: 'app password',
  },
  zoho: {
    name: 'Zoho Mail',
    imap: { host: 'imap.zoho.com', port: 993, secure: true },
    smtp: { host: 'smtp.zoho.com', port: 465, secure: true },
    junkFolder: 'Spam',
    plusAddressing: 'yes',
    sendingLimit: 'depends on the plan',
    signIn: 'app-specific password when two-factor authentication is on (EU accounts: imap.zoho.eu / smtp.zoho.eu)',
  },
} as const;

export type ProviderId = keyof typeof PROVIDERS;
export const PROVIDER_IDS = Object.keys(PROVIDERS) as ProviderId[];

/**
 * Fills, in place, what a `provider:` implies in the raw config's IMAP and SMTP channels,
 * before validation; keys the user set win. An unknown provider is left for the schema to refuse.
 */
export function applyProviderPresets(data: unknown): void {
  const channels = (data as { channels?: Record<string, unknown> } | undefined)?.channels;
  if (!channels || typeof channels !== 'object') return;
  for (const kind of ['imap', 'smtp'] as const) {
    const ch = channels[kind] as Record<string, unknown> | undefined;
    if (!ch || typeof ch !== 'object' || typeof ch.provider !== 'string' || !(ch.provider in PROVIDERS)) continue;
    const preset = PROVIDERS[ch.provider as ProviderId];
    for (const [k, v] of Object.entries(preset[kind])) if (ch[k] === undefined) ch[k] = v;
    if (kind === 'imap' && ch.junkFolder === undefined) ch.junkFolder = preset.junkFolder;
  }
}
