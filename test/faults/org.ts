/**
 * A small sandbox organization for the fault tests, with credentials the test chooses (so a
 * canary can sit in every one): a private Dovecot (the shopper's mailbox), the mail intake
 * with SMTP AUTH, the Twilio-compatible API, and the sandbox web site, whose front desk
 * answers mail and forms at once on the real clock. `workspace()` writes a config pointing
 * at all of it; every secret comes from the environment (`env`), never from the file.
 */
import { systemClock, type Clock } from '../../src/clock.js';
import { startDovecot, type DovecotInstance } from '../../src/sandbox/dovecot.js';
import { FrontDesk, type InboxScript } from '../../src/sandbox/frontdesk.js';
import { startMailIntake, type MailIntake } from '../../src/sandbox/mail.js';
import { imapAppendWriter, type MailboxWriter } from '../../src/sandbox/mailbox-writer.js';
import { startSandboxSite, type FormMount, type SandboxSite } from '../../src/sandbox/site.js';
import { startSandboxTwilio, type SandboxTwilio, type SandboxTwilioScenario } from '../../src/sandbox/twilio/index.js';
import { tempTree } from '../helpers/tmp.js';

export interface OrgCredentials {
  imapUser: string;
  imapPass: string;
  smtpUser: string;
  smtpPass: string;
  accountSid: string;
  authToken: string;
}

export interface SmallOrg {
  creds: OrgCredentials;
  dovecot: DovecotInstance;
  mail: MailIntake;
  twilio: SandboxTwilio;
  site: SandboxSite;
  desk: FrontDesk;
  writer: MailboxWriter;
  /** The secrets as the config reads them (${ORG_*}). */
  env: Record<string, string>;
  close(): Promise<void>;
}

export const INQUIRY = `subject: "Question about {serviceLine.name}"
askCallback: false
variants:
  - "Hello, I saw the {campaign.name} ad and would like an appointment for {serviceLine.name} at {site.name}. {shopper.name}"
`;

/** North answers everything (mail, form, phone, text); South only mail. */
export const DEFAULT_SCRIPTS: Record<string, InboxScript> = {
  'ortho@north.example.org': {
    from: 'North Orthopedics <ortho@north.example.org>',
    staff: 'Dana Whitfield, Patient Access',
    replies: [{ style: 'auto-ack', after: 0 }, { style: 'human', after: 0, campaignAware: true }],
  },
  'north/ortho/webform': { from: 'North Clinic <desk@north.example.org>', staff: 'Ana Ruiz', replies: [{ style: 'human', after: 0 }] },
  'ortho@south.example.org': { from: 'South Clinic <ortho@south.example.org>', replies: [{ style: 'auto-ack', after: 0 }] },
};

export const NORTH_LINE = '+13125550111';
export const NORTH_TEXT = '+13125550142';
export const SHOPPER_PHONES = ['+13125550101', '+13125550102'];

const PHONE: SandboxTwilioScenario = {
  lines: {
    [NORTH_LINE]: { ringSeconds: 2, greeting: 'North Orthopedics, this is Sam.' },
    [NORTH_TEXT]: { textReply: { after: 0, body: 'Hi! Yes, the Spring Knee Check screening is open. Reply with a day.' } },
  },
};

export async function startSmallOrg(o: { creds: OrgCredentials; scripts?: Record<string, InboxScript>; clock?: Clock; forms?: FormMount[] }): Promise<SmallOrg> {
  const clock = o.clock ?? systemClock;
  const { creds } = o;
  const closers: Array<() => Promise<void>> = [];
  try {
    const dovecot = await startDovecot({ users: [{ user: creds.imapUser, pass: creds.imapPass }] });
    closers.push(() => dovecot.destroy());
    const writer = imapAppendWriter({ host: dovecot.host, port: dovecot.imapPort, user: creds.imapUser, pass: creds.imapPass });
    closers.push(() => writer.close());
    const desk = new FrontDesk({ clock, writer, scripts: o.scripts ?? DEFAULT_SCRIPTS, organization: 'Lakeside Health', campaign: { name: 'Spring Knee Check', keywords: ['knee'] } });
    const mail = await startMailIntake({ clock, users: { [creds.smtpUser]: creds.smtpPass }, onMessage: (m) => desk.onEmail(m) });
    closers.push(() => mail.close());
    const twilio = await startSandboxTwilio({ clock, accountSid: creds.accountSid, authToken: creds.authToken, scenario: structuredClone(PHONE) });
    closers.push(() => twilio.close());
    const site = await startSandboxSite({
      clock,
      forms: o.forms ?? [{ path: '/north/ortho/contact', style: 'plain', meta: { key: 'north/ortho/webform', serviceLine: 'Orthopedics' } }],
      onSubmission: (s) => {
        const key = (s.meta as { key?: string } | undefined)?.key;
        const email = Object.values(s.fields).find((v) => /\+[a-z0-9]+@/i.test(v));
        if (!s.accepted || !key || !email) return;
        void desk.onFormSubmission({ replyTo: email, shopperName: 'Jordan Avery', key, serviceLine: 'Orthopedics', receivedAt: s.at });
      },
    });
    closers.push(() => site.close());
    const env = {
      ORG_IMAP_PASS: creds.imapPass,
      ORG_SMTP_PASS: creds.smtpPass,
      ORG_TWILIO_SID: creds.accountSid,
      ORG_TWILIO_TOKEN: creds.authToken,
    };
    return {
      creds,
      dovecot,
      mail,
      twilio,
      site,
      desk,
      writer,
      env,
      close: async () => {
        for (const c of closers.reverse()) await c().catch(() => undefined);
      },
    };
  } catch (e) {
    for (const c of closers.reverse()) await c().catch(() => undefined);
    throw e;
  }
}

/** The config of an audit of the small organization (webform, email, phone and sms at North; email at South). */
export function orgConfig(org: SmallOrg, o: { safety?: string; top?: string } = {}): string {
  return `version: 1
organization: Lakeside Health
timezone: America/Chicago
shopper:
  name: Jordan Avery
  email: jordan.avery+{token}@shopper.test
  phones: ${JSON.stringify(SHOPPER_PHONES)}
campaign:
  name: Spring Knee Check
  keywords: [knee]
${o.top ?? ''}
channels:
  browser: { executablePath: /usr/bin/chromium, concurrency: 2, timeout: 20s }
  smtp:
    host: 127.0.0.1
    port: ${org.mail.port}
    requireTLS: false
    user: ${org.creds.smtpUser}
    pass: \${ORG_SMTP_PASS}
  imap:
    host: 127.0.0.1
    port: ${org.dovecot.imapPort}
    secure: false
    user: ${org.creds.imapUser}
    pass: \${ORG_IMAP_PASS}
    timeout: 10s
    mailboxes: [INBOX]
  twilio:
    accountSid: \${ORG_TWILIO_SID}
    authToken: \${ORG_TWILIO_TOKEN}
    apiBaseUrl: ${org.twilio.url}
    record: false
    ringTimeout: 30s
    pollInterval: 20ms
safety:
  allowLocal: true
${o.safety ?? ''}
sites:
  - id: north
    name: North Clinic
    domains: [north.example.org]
    phones: ["+13125550110"]
    serviceLines:
      - id: ortho
        name: Orthopedics
        entryPoints:
          - type: webform
            url: ${org.site.url}/north/ortho/contact
          - type: email
            to: ortho@north.example.org
          - type: phone
            number: "${NORTH_LINE}"
          - type: sms
            number: "${NORTH_TEXT}"
  - id: south
    name: South Clinic
    domains: [south.example.org]
    serviceLines:
      - id: ortho
        name: Orthopedics
        entryPoints:
          - type: email
            to: ortho@south.example.org
`;
}

export function orgWorkspace(org: SmallOrg, o: { safety?: string; top?: string } = {}): string {
  return tempTree({ 'configs/audit.yaml': orgConfig(org, o), 'probes/new-inquiry.yaml': INQUIRY });
}

