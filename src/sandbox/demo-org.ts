/**
 * The sandbox organization `respond-audit demo` audits (configs/demo.yaml): a health system
 * of four sites whose behaviours cover every failure the seeds describe, plus a control
 * (Riverside) that does everything right. Everything runs on loopback on one shared clock:
 * people "answer hours or days later" by timestamps, not by waiting.
 */
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { Clock } from '../clock.js';
import { dovecotAvailable, startDovecot, type DovecotInstance } from './dovecot.js';
import { FrontDesk, type InboxScript } from './frontdesk.js';
import { startMemoryImap, type MemoryImap } from './imap-memory.js';
import { startMailIntake, type MailIntake } from './mail.js';
import { imapAppendWriter, type MailboxWriter } from './mailbox-writer.js';
import { startSandboxSite, type FormMount, type SandboxSite, type Submission } from './site.js';
import { CALL_TEMPLATE } from '../twilio/speech.js';
import { startSandboxTwilio, type SandboxTwilio, type SandboxTwilioScenario } from './twilio/index.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** Forms of the demo site, one per web-form entry point of configs/demo.yaml. */
const FORMS: FormMount[] = [
  { path: '/riverside/orthopedics/contact', style: 'ajax', title: 'Riverside Orthopedics: request an appointment', meta: { key: 'riverside/orthopedics/webform', serviceLine: 'Orthopedics', callback: 2 * HOUR, sitePhone: '+13125550110' } },
  { path: '/riverside/primary-care/contact', style: 'plain', title: 'Riverside Primary Care', meta: { key: 'riverside/primary-care/webform', serviceLine: 'Primary Care', callback: 3 * HOUR, sitePhone: '+13125550110' } },
  { path: '/north/orthopedics/contact', style: 'multistep', title: 'North Clinic Orthopedics', successText: 'Thank you! A scheduler will call you within one business day.', meta: { key: 'north/orthopedics/webform', serviceLine: 'Orthopedics' } },
  { path: '/lakeside/cardiology/contact', style: 'iframe', title: 'Lakeside Heart Center', meta: { key: 'lakeside/cardiology/webform', serviceLine: 'Cardiology' } },
  { path: '/east/orthopedics/contact', style: 'captcha', captcha: 'recaptcha', title: 'East Valley Orthopedics', meta: { key: 'east/orthopedics/webform', serviceLine: 'Orthopedics' } },
  { path: '/east/primary-care/contact', style: 'split', title: 'East Valley Primary Care', meta: { key: 'east/primary-care/webform', serviceLine: 'Primary Care' } },
];

/** Who answers mail and forms, and how. Keys: the inbox address, or the form's entry key. */
const INBOXES: Record<string, InboxScript> = {
  // The control: an auto-ack at once, a person who knows the campaign within the hour, and
  // a follow-up three days later.
  'riverside/orthopedics/webform': {
    from: 'Riverside Orthopedics <orthopedics@riverside.test>',
    staff: 'Dana Whitfield, Patient Access',
    replies: [
      { style: 'auto-ack', after: 1 * MIN },
      { style: 'human', after: 40 * MIN, campaignAware: true },
      { style: 'follow-up', after: 3 * DAY, campaignAware: true },
    ],
  },
  'cardiology@riverside.test': {
    from: 'Riverside Cardiology <cardiology@riverside.test>',
    staff: 'Marcus Lee, Scheduling',
    replies: [
      { style: 'human', after: 55 * MIN, campaignAware: true },
      { style: 'follow-up', after: 3 * DAY, campaignAware: true },
    ],
  },
  'riverside/primary-care/webform': {
    from: 'Riverside Primary Care <primarycare@riverside.test>',
    staff: 'Ana Ruiz',
    replies: [
      { style: 'auto-ack', after: 2 * MIN },
      { style: 'human', after: 90 * MIN, campaignAware: true },
      { style: 'follow-up', after: 3 * DAY + 2 * HOUR },
    ],
  },
  // North: a form that promises a callback that never comes (only an auto-ack), an inbox
  // nobody reads (no script at all: silence), and a phone line that holds forever.
  'north/orthopedics/webform': {
    from: 'North Clinic <no-reply@north-clinic.test>',
    replies: [{ style: 'auto-ack', after: 3 * MIN, text: 'Thank you for contacting North Clinic. A scheduler will call you within one business day.\n\nThis is an automated message; please do not reply.' }],
  },
  // Lakeside: a pass-along ("call our scheduling line") and a terse reply from someone who
  // does not know the service or the campaign.
  'orthopedics@lakeside.test': {
    from: 'Lakeside Hospital <orthopedics@lakeside.test>',
    staff: 'Front Desk',
    replies: [{ style: 'pass-along', after: 3 * HOUR }],
  },
  'lakeside/cardiology/webform': {
    from: 'Lakeside Hospital <info@lakeside.test>',
    replies: [{ style: 'terse', after: 5 * HOUR }],
  },
  // East Valley: an inbox checked only on Thursdays, and an answer with no follow-up.
  'cardiology@eastvalley.test': {
    from: 'East Valley Cardiology <cardiology@eastvalley.test>',
    staff: 'Pat Gomez',
    weekdays: [4],
    timezone: 'America/Chicago',
    replies: [{ style: 'human', after: 2 * HOUR }],
  },
  'east/primary-care/webform': {
    from: 'East Valley Clinic <frontdesk@eastvalley.test>',
    staff: 'Chris Novak',
    replies: [{ style: 'human', after: 5 * HOUR }],
  },
};

export const DEMO_TWIML_BIN = 'https://handler.twilio.com/twiml/EHde30de30de30de30de30de30de30de30';

/** The phone lines and the "text us" number. */
function phoneScenario(): SandboxTwilioScenario {
  return {
    // The account's TwiML Bin holding respond-audit's call template (configs/demo.yaml phone.twimlBin).
    twimlBins: { [DEMO_TWIML_BIN]: CALL_TEMPLATE },
    campaign: 'Spring Knee Check',
    lines: {
      // Riverside: answered in two rings, an IVR that knows the campaign, a short hold.
      '+13125550111': {
        ringSeconds: 6,
        ivr: { prompt: 'Thank you for calling Riverside Orthopedics. Ask us about the Spring Knee Check free screening. For appointments, press 1.', digits: '1' },
        holdSeconds: 12,
        holdMusic: 'melody',
        greeting: 'Riverside Orthopedics, this is Dana, how can I help you?',
        agent: { kind: 'campaign-aware' },
        // Dana offered Tuesday and calls the shopper back at the number the shopper gave.
        callback: { after: 90 * 60_000, seconds: 60 },
      },
      // North: "please hold" until the caller gives up.
      '+13125550121': {
        ringSeconds: 9,
        holdSeconds: 600,
        holdMusic: 'chord',
        holdAnnouncement: 'Your call is important to us. Please continue to hold.',
        announceEvery: 45,
        greeting: 'North Clinic, please hold.',
        ivr: { prompt: 'Thank you for calling North Clinic. Please hold for the next available representative.' },
      },
      // Lakeside: an IVR that has never heard of the campaign, then a person after a hold.
      '+13125550131': {
        ringSeconds: 12,
        ivr: { prompt: 'Welcome to Lakeside Hospital. For billing, press 1. For appointments, press 2.', digits: '2' },
        holdSeconds: 40,
        holdMusic: 'tone',
        greeting: 'Lakeside scheduling, this is Robin speaking.',
        agent: { kind: 'pass-along', number: '+13125550199' },
      },
      // East Valley's "text us" number answers three hours later, and knows the offer.
      '+13125550142': {
        textReply: { after: 3 * HOUR, body: 'Hi! Thanks for texting East Valley. Yes, the Spring Knee Check free screening is open: reply with a day that suits you.' },
      },
    },
  };
}

export interface DemoOrganization {
  env: Record<string, string>;
  site: SandboxSite;
  mail: MailIntake;
  twilio: SandboxTwilio;
  frontDesk: FrontDesk;
  imapKind: 'dovecot' | 'in-process';
  /** Delivers every reply that is due by the clock. */
  deliverDue(): Promise<number>;
  close(): Promise<void>;
}

export async function startDemoOrganization(clock: Clock): Promise<DemoOrganization> {
  const pass = randomBytes(9).toString('base64url');
  const twilioToken = randomBytes(16).toString('hex');
  const accountSid = 'AC' + randomBytes(16).toString('hex');
  const started: Array<{ close(): Promise<void> }> = [];
  try {
    let imapHost = '127.0.0.1';
    let imapPort: number;
    let imapKind: DemoOrganization['imapKind'];
    let imapUser = 'shopper';
    let imapPass = pass;
    if (dovecotAvailable()) {
      const d: DovecotInstance = await startDovecot({ users: [{ user: 'shopper', pass }] });
      started.push({ close: () => d.destroy() });
      imapHost = d.host;
      imapPort = d.imapPort;
      imapKind = 'dovecot';
      // A user added as Dovecot starts may need a moment; a fresh user logs in at once.
      const u = d.newUser('shopper');
      imapUser = u.user;
      imapPass = u.pass;
    } else {
      const m: MemoryImap = await startMemoryImap({ user: 'shopper', pass });
      started.push(m);
      imapPort = m.port;
      imapKind = 'in-process';
    }
    const writer: MailboxWriter = imapAppendWriter({ host: imapHost, port: imapPort, user: imapUser, pass: imapPass });
    started.push(writer);
    const frontDesk = new FrontDesk({
      clock,
      writer,
      scripts: INBOXES,
      organization: 'Lakeside Health',
      campaign: { name: 'Spring Knee Check', keywords: ['knee', 'free screening'] },
      schedulingLine: '(312) 555-0199',
    });
    const twilio = await startSandboxTwilio({ clock, accountSid, authToken: twilioToken, scenario: phoneScenario() });
    started.push(twilio);
    const mail = await startMailIntake({ clock, onMessage: (m) => frontDesk.onEmail(m) });
    started.push(mail);
    const site = await startSandboxSite({ clock, forms: FORMS, onSubmission: (s) => void onForm(s, frontDesk, twilio) });
    started.push(site);
    return {
      env: {
        DEMO_SITE_URL: site.url,
        DEMO_SMTP_PORT: String(mail.port),
        DEMO_IMAP_PORT: String(imapPort),
        DEMO_IMAP_USER: imapUser,
        DEMO_IMAP_PASS: imapPass,
        DEMO_TWILIO_URL: twilio.url,
        DEMO_TWILIO_SID: accountSid,
        DEMO_TWILIO_TOKEN: twilioToken,
        DEMO_RECORD: String(audioToolsAvailable()),
      },
      site,
      mail,
      twilio,
      frontDesk,
      imapKind,
      deliverDue: () => frontDesk.deliverDue(),
      close: async () => {
        for (const s of started.reverse()) await s.close().catch(() => undefined);
      },
    };
  } catch (e) {
    for (const s of started.reverse()) await s.close().catch(() => undefined);
    throw e;
  }
}

/** A form submission reaches the front desk; where the form promised it, a person calls back. */
async function onForm(s: Submission, desk: FrontDesk, twilio: SandboxTwilio): Promise<void> {
  if (!s.accepted || s.spam) return;
  const meta = (s.meta ?? {}) as { key?: string; serviceLine?: string; callback?: number; sitePhone?: string };
  const values = Object.values(s.fields);
  const email = values.find((v) => /\+[a-z0-9]+@/i.test(v));
  if (!email || !meta.key) return;
  const first = s.fields['first_name'] ?? s.fields['firstname'] ?? '';
  const last = s.fields['last_name'] ?? s.fields['lastname'] ?? '';
  const name = (first || last ? `${first} ${last}` : (values.find((v) => /^[A-Z][a-z]+ [A-Z][a-z]+$/.test(v)) ?? 'there')).trim();
  await desk.onFormSubmission({ replyTo: email, shopperName: name, key: meta.key, serviceLine: meta.serviceLine, message: s.fields['message'] ?? '', receivedAt: s.at });
  if (meta.callback && meta.sitePhone) {
    const phone = values.map((v) => parsePhoneNumberFromString(v, 'US')).find((p) => p?.isValid());
    if (phone) twilio.scheduleCall({ from: meta.sitePhone, to: phone.number, at: s.at + meta.callback, seconds: 95 });
  }
}

function audioToolsAvailable(): boolean {
  return ['espeak-ng', 'sox'].every((t) => spawnSync(t, ['--version'], { stdio: 'ignore' }).status === 0);
}

export { DAY as DEMO_DAY };
