/** An audit config pointing at the test servers, and probes recorded as a `run` would. */
import { join } from 'node:path';
import { loadConfigOrThrow, type LoadedConfig } from '../../src/config/load.js';
import { Store } from '../../src/store/store.js';
import type { ProbeRow } from '../../src/store/types.js';
import { fixedClock, type Clock } from '../../src/clock.js';
import { tempTree } from '../helpers/tmp.js';

export interface EmailSetupOptions {
  imap?: { port: number; user: string; pass: string; timeout?: string; mailboxes?: string[] };
  smtp?: { port: number; user?: string; pass?: string };
  extra?: string;
  /** A PostgreSQL store (RESPOND_AUDIT_STORE_URL for the CLI) instead of the config's SQLite file. */
  storeUrl?: string;
}

export const INQUIRY = `subject: "Question about {serviceLine.name}"
variants:
  - "Hello, I saw the {campaign.name} ad and would like an appointment for {serviceLine.name} at {site.name}. {shopper.name}"
askCallback: false
`;

export function emailConfigYaml(o: EmailSetupOptions): string {
  const imap = o.imap
    ? `  imap:
    host: 127.0.0.1
    port: ${o.imap.port}
    secure: false
    user: ${o.imap.user}
    pass: \${TEST_IMAP_PASS}
    timeout: ${o.imap.timeout ?? '20s'}
    mailboxes: ${JSON.stringify(o.imap.mailboxes ?? ['INBOX', '\\Junk'])}
`
    : '';
  // Always present: the config rules want an SMTP channel for email entry points.
  const smtp = `  smtp:
    host: 127.0.0.1
    port: ${o.smtp?.port ?? 9}
    secure: false
    requireTLS: false
${o.smtp?.user ? `    user: ${o.smtp.user}\n    pass: \${TEST_SMTP_PASS}\n` : ''}  browser: {}
`;
  return `version: 1
organization: Lakeside Health
timezone: America/Chicago
shopper:
  name: Jordan Avery
  email: jordan+{token}@example.net
campaign:
  name: Spring Knee Check
  keywords: [free knee screening]
sla:
  followUpAfter: 24h
  followUpWindow: 7d
  waitWindow: 7d
channels:
${imap}${smtp}safety:
  allowLocal: true
  doNotContact: ["@blocked.example.org"]
sites:
  - id: north
    name: North Clinic
    domains: [north.example.org]
    serviceLines:
      - id: ortho
        name: Orthopedics
        entryPoints:
          - type: email
            to: ortho@north.example.org
          - type: webform
            url: http://127.0.0.1:9/contact
      - id: cardio
        name: Cardiology
        entryPoints:
          - type: email
            to: cardio@north.example.org
  - id: south
    name: South Clinic
    domains: [south.example.org]
    serviceLines:
      - id: ortho
        name: Orthopedics
        entryPoints:
          - type: email
            to: ortho@south.example.org
${o.extra ?? ''}`;
}

export interface EmailSetup {
  dir: string;
  configPath: string;
  env: Record<string, string>;
  loaded: LoadedConfig;
  store: Store;
  clock: Clock & { advance(ms: number): void; set(ms: number): void };
}

export function emailSetup(o: EmailSetupOptions, start = Date.parse('2026-03-02T15:00:00Z')): EmailSetup {
  const dir = tempTree({ 'configs/audit.yaml': emailConfigYaml(o), 'probes/new-inquiry.yaml': INQUIRY });
  const env: Record<string, string> = { TEST_IMAP_PASS: o.imap?.pass ?? 'unused', TEST_SMTP_PASS: o.smtp?.pass ?? 'unused' };
  if (o.storeUrl) env.RESPOND_AUDIT_STORE_URL = o.storeUrl;
  const configPath = join(dir, 'configs/audit.yaml');
  const loaded = loadConfigOrThrow(configPath, { cwd: dir, env });
  if (o.storeUrl) loaded.storePath = o.storeUrl;
  const clock = fixedClock(start);
  const store = new Store(loaded.storePath, clock);
  return { dir, configPath, env, loaded, store, clock };
}

let seq = 0;
/** Records a probe as `run` does: created `submitting`, then confirmed `submitted`. */
export function sentProbe(
  s: EmailSetup,
  o: { entryKey?: string; token?: string; submittedAt: number; messageId?: string; channel?: string },
): ProbeRow {
  const key = o.entryKey ?? 'north/ortho/email';
  const entry = s.loaded.entryPoints.find((e) => e.key === key)!;
  const token = o.token ?? `tok${(++seq).toString().padStart(3, '0')}${Math.random().toString(36).slice(2, 6)}`;
  const runId = s.store.startRun('run', s.configPath);
  const p = s.store.createProbe({
    token,
    runId,
    entryKey: key,
    siteId: entry.site.id,
    serviceLineId: entry.serviceLine.id,
    entryPointId: entry.id,
    channel: o.channel ?? entry.entryPoint.type,
    target: 'to' in entry.entryPoint ? entry.entryPoint.to : 'url' in entry.entryPoint ? entry.entryPoint.url : '',
    closesAt: o.submittedAt + s.loaded.config.sla.waitWindow,
    shopperName: 'Jordan Avery',
    shopperEmail: `jordan+${token}@example.net`,
  });
  s.store.updateProbe(p.id, { status: 'submitted', outcome: 'submitted', submittedAt: o.submittedAt, messageId: o.messageId ?? `<${token}.probe@example.net>` });
  return s.store.getProbe(p.id)!;
}

/** A reply as the organization would send it. */
export function replyEml(o: {
  from: string;
  to: string;
  subject?: string;
  body: string;
  date: Date;
  messageId?: string;
  inReplyTo?: string;
  headers?: Record<string, string>;
}): string {
  const h: string[] = [
    `From: ${o.from}`,
    `To: ${o.to}`,
    `Subject: ${o.subject ?? 'Re: Question about Orthopedics'}`,
    `Date: ${o.date.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: ${o.messageId ?? `<${Math.random().toString(36).slice(2)}@reply.example.org>`}`,
    ...(o.inReplyTo ? [`In-Reply-To: ${o.inReplyTo}`] : []),
    ...Object.entries(o.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
  ];
  return h.join('\r\n') + '\r\n\r\n' + o.body.replace(/\r?\n/g, '\r\n') + '\r\n';
}
