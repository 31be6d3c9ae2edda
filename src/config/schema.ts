/**
 * The audit config schema: the single source of truth. Types, defaults, validation and
 * the generated `configs/respond-audit.schema.json` all come from here; every key has a
 * description (shown by editors through the JSON Schema).
 */
import { PROVIDER_IDS, type ProviderId } from './providers.js';
import { z } from 'zod';
import { DURATION_PATTERN, parseDuration, parseSlaTarget } from './duration.js';

/** A duration such as `90s`, `2h`, `5d`; parsed to milliseconds. */
export const duration = (description: string) =>
  z
    .string()
    .regex(new RegExp(DURATION_PATTERN), { message: 'must be a duration such as 90s, 15m, 2h or 5d' })
    .transform((s) => parseDuration(s)!)
    .describe(description);

/** A target in wall-clock time (`2h`) or in the site's opening hours (`2 business hours`). */
const slaTarget = (description: string) =>
  z
    .string()
    .refine((s) => parseSlaTarget(s) !== undefined, {
      message: 'must be a duration such as 15m, 2h or 1d, or a time in opening hours such as "2 business hours" or "90 business minutes"',
    })
    .transform((s) => parseSlaTarget(s)!)
    .describe(description);

const localTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'must be a local time HH:MM (24 h)' });
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD' });
/** Opening hours are parsed by a rule (src/config/hours.ts) so the message says what is wrong. */
const openingHours = z
  .string()
  .describe('Opening hours in the site\'s timezone, e.g. "Mon-Fri 08:00-17:00" or "Mon-Thu 08:00-18:00, Fri 08:00-12:00, Sat closed"; without it the site counts as always open.');
const holidayList = z.array(
  z.union([isoDate, z.strictObject({ date: isoDate.describe('The closed date, YYYY-MM-DD.'), name: z.string().optional().describe('What the day is, e.g. Thanksgiving.') })]),
);
/**
 * A list of dates, or an iCalendar file (relative to the config) that loadConfig reads into
 * that list before the schema sees it (src/config/holiday-calendar.ts), so what is parsed is
 * always a list; a file name reaching the schema itself was never read, and says so.
 */
const holidays = z
  .union([
    z.string().regex(/\.(ics|ical|icalendar)$/i, { message: 'must be a list of dates or an iCalendar file (.ics)' }),
    holidayList,
  ])
  .transform((h, ctx) => {
    if (typeof h !== 'string') return h;
    ctx.addIssue({ code: 'custom', message: `${h}: the calendar file was not read (load the config with loadConfig)` });
    return z.NEVER;
  })
  .describe('Dates the site is closed all day, in its own timezone: a list (YYYY-MM-DD, or { date, name }), or an iCalendar file such as holidays.ics (all-day events; recurring ones too), relative to this config.');
const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, { message: 'must be lowercase letters, digits, - or _ (at most 64)' });
/** E.164 is checked by a rule (libphonenumber-js) so the message can say what is wrong. */
const phone = z.string().describe('A phone number in E.164 form, e.g. +15551234567');
/** A TCP port; also accepted as a string of digits so it can come from ${ENV}. */
const port = (fallback: number, description: string) =>
  z
    .union([z.number(), z.string().regex(/^\d+$/, { message: 'must be a port number' }).transform(Number)])
    .pipe(z.number().int().min(1).max(65535))
    .prefault(fallback)
    .describe(description);
/** A boolean; also accepted as "true"/"false" so it can come from ${ENV}. */
const flag = (fallback: boolean, description: string) =>
  z
    .union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')])
    .prefault(fallback)
    .describe(description);
const secret = (what: string) =>
  z.string().min(1).describe(`${what}. Only as \${ENV_NAME}: secrets come from the environment, never the file.`);

export const scheduleSchema = z
  .strictObject({
    every: duration('Cadence: probe each entry point once per this period (rotation spreads them over it).').optional(),
    at: z
      .string()
      .describe('Weekdays and local-time window in the site\'s timezone, e.g. "Tue-Thu 09:00-16:00" or "Mon,Wed 10:00-12:00".')
      .optional(),
  })
  .describe('When to probe; set at the top, on a site, a service line or an entry point (inherited downward).');

const successCheck = z
  .strictObject({
    text: z.string().optional().describe('Text the page shows after a successful submission.'),
    url: z.string().optional().describe('A substring or /regex/ of the URL after a successful submission.'),
    selector: z.string().optional().describe('A CSS selector that is visible after a successful submission.'),
  })
  .describe('How to recognise a successful submission (otherwise detected from the page).');

const common = {
  id: id.optional().describe('Unique within the service line; defaults to the type (webform, email, phone, sms).'),
  inquiry: z.string().optional().describe('Inquiry template name in probes/ (overrides the service line\'s).'),
  schedule: scheduleSchema.optional(),
  enabled: z.boolean().default(true).describe('Set false to keep the entry point in the config but never probe it.'),
};

export const webformEntrySchema = z.strictObject({
  type: z.literal('webform'),
  ...common,
  url: z.string().describe('The page holding the form (http or https).'),
  fields: z
    .union([z.literal('auto'), z.record(z.string(), z.string())])
    .default('auto')
    .describe('`auto` finds fields from labels, names, autocomplete, placeholders; or a map of CSS selector → value (placeholders allowed) that overrides it.'),
  submit: z.string().optional().describe('CSS selector of the submit button (default: detected).'),
  success: successCheck.optional(),
  script: z.string().optional().describe('A Playwright script in probes/ (e.g. probes/acme-form.ts) for forms auto-fill cannot handle.'),
  frame: z.string().optional().describe('CSS selector of the iframe holding the form (default: searched).'),
  dwell: duration('Minimum time on the page before the submit click, for this form (default: channels.browser.dwell).').optional(),
  answers: z
    .record(z.string().trim().min(1, { message: 'a question must have words' }), z.string().trim().min(1, { message: 'an answer must not be empty' }))
    .optional()
    .describe('Answers to questions the shopper cannot know (a quiz, a "security question"): question words → answer, e.g. "colour is the sky": blue. A box whose question holds those words, in that order, gets the answer.'),
});

export const emailEntrySchema = z.strictObject({
  type: z.literal('email'),
  ...common,
  to: z.string().describe('The published inbox address.'),
});

export const phoneEntrySchema = z.strictObject({
  type: z.literal('phone'),
  ...common,
  number: phone,
  ivr: z
    .strictObject({
      digits: z
        .string()
        .regex(/^[0-9*#wW]*$/, { message: 'must be DTMF digits 0-9 * # with w (0.5 s wait) or W (1 s wait)' })
        .optional()
        .describe('DTMF path through the IVR, e.g. "ww1w3" (w = half-second wait).'),
      expect: z.array(z.string()).default([]).describe('Phrases the IVR prompt should contain (the campaign message).'),
    })
    .optional()
    .describe('The phone menu: digits to press and phrases it should say.'),
});

export const smsEntrySchema = z.strictObject({
  type: z.literal('sms'),
  ...common,
  number: phone,
});

export const entryPointSchema = z.discriminatedUnion('type', [
  webformEntrySchema,
  emailEntrySchema,
  phoneEntrySchema,
  smsEntrySchema,
]);

export const serviceLineSchema = z.strictObject({
  id,
  name: z.string().min(1).describe('What is offered, as the public knows it (e.g. Orthopedics).'),
  inquiry: z.string().optional().describe('Inquiry template name in probes/ (default: probes.default).'),
  schedule: scheduleSchema.optional(),
  hours: openingHours.optional().describe('Opening hours of this service line when they differ from the site\'s (same form as the site\'s hours).'),
  holidays: holidays.optional().describe('Closed dates of this service line, added to the site\'s.'),
  entryPoints: z.array(entryPointSchema).min(1).describe('Published ways to ask about this service line.'),
});

export const siteSchema = z.strictObject({
  id,
  name: z.string().min(1).describe('The site as the public knows it (North Clinic).'),
  region: z.string().optional().describe('Geography, for comparisons across regions.'),
  unit: z.string().optional().describe('Operating unit, for comparisons across units.'),
  timezone: z.string().optional().describe('IANA timezone of the site (quiet hours, windows); default: the top-level timezone.'),
  domains: z.array(z.string()).default([]).describe('Mail domains the site replies from (lower-confidence attribution).'),
  phones: z.array(phone).default([]).describe('Known numbers the site calls or texts from (callback attribution).'),
  schedule: scheduleSchema.optional(),
  hours: openingHours.optional(),
  holidays: holidays.optional(),
  serviceLines: z.array(serviceLineSchema).min(1).describe('What is offered at this site, each with its entry points.'),
});

const providerSchema = z
  .enum(PROVIDER_IDS as [ProviderId, ...ProviderId[]])
  .optional()
  .describe(`Mail provider preset (${PROVIDER_IDS.join(', ')}): fills host, port and TLS; anything set here by hand wins.`);

const oauth2Schema = z
  .strictObject({
    provider: z.enum(['google', 'microsoft', 'custom']).describe('Whose token endpoint: google, microsoft, or custom (give tokenUrl).'),
    clientId: z.string().min(1).describe('The OAuth2 client (application) id.'),
    clientSecret: secret('OAuth2 client secret (public clients have none)').optional(),
    refreshToken: secret('OAuth2 refresh token of the shopper\'s mailbox'),
    tenant: z.string().default('common').describe('Microsoft: the directory (tenant) id or domain; default common.'),
    tokenUrl: z.string().optional().describe('Token endpoint for provider custom (or a sandbox on loopback, with safety.allowLocal).'),
    scope: z.string().optional().describe('Scopes to ask for on refresh; default the provider\'s mail scope.'),
    refreshTokenFile: z
      .string()
      .optional()
      .describe('Where a rotated refresh token is written (mode 600), relative to the config; without it a new one is kept for this process only.'),
    timeout: duration('Timeout of a token refresh.').prefault('15s'),
  })
  .describe('Sign in with OAuth2: the access token is fetched from the refresh token and refreshed before it expires.');

const smtpSchema = z.strictObject({
  provider: providerSchema,
  host: z.string().describe('SMTP server host (filled by `provider` when given).'),
  port: port(587, 'SMTP port (587 STARTTLS, 465 TLS).'),
  secure: z.boolean().default(false).describe('TLS from the start (port 465); otherwise STARTTLS when offered.'),
  requireTLS: z.boolean().default(true).describe('Refuse to send without TLS (turn off only for loopback servers).'),
  user: z.string().optional().describe('SMTP user name.'),
  pass: secret('SMTP password or app password').optional(),
  oauth2: oauth2Schema.optional(),
  from: z.string().optional().describe('Envelope sender; default: the shopper\'s plus-address.'),
});

const imapSchema = z.strictObject({
  provider: providerSchema,
  host: z.string().describe('IMAP server host (filled by `provider` when given).'),
  port: port(993, 'IMAP port (993 TLS, 143 plain/STARTTLS).'),
  secure: z.boolean().default(true).describe('TLS from the start (port 993).'),
  user: z.string().describe('Mailbox user name.'),
  pass: secret('IMAP password or app password').optional(),
  accessToken: secret('OAuth2 access token (instead of pass), used as given; prefer oauth2, which refreshes it').optional(),
  oauth2: oauth2Schema.optional(),
  mailboxes: z
    .array(z.string())
    .default(['INBOX', '\\Junk'])
    .describe('Mailboxes to watch; `\\Junk` means the special-use Junk/Spam folder, wherever the server keeps it.'),
  junkFolder: z
    .string()
    .optional()
    .describe('The Junk folder\'s name, for servers that do not mark it special-use (filled by `provider`).'),
  timeout: duration('Timeout for every IMAP command.').prefault('60s'),
});

const twilioSchema = z.strictObject({
  accountSid: secret('Twilio Account SID'),
  authToken: secret('Twilio Auth Token'),
  apiBaseUrl: z.string().optional().describe('Sandbox only: a Twilio-compatible API on loopback (requires safety.allowLocal).'),
  record: flag(false, 'Record test calls (consent rules differ by jurisdiction; off by default).'),
  ratePerMinute: z.number().min(0).default(0.014).describe('Estimated cost per call minute (USD), for the spend cap.'),
  smsRate: z.number().min(0).default(0.0079).describe('Estimated cost per text (USD).'),
  ringTimeout: duration('Give up when nobody answers within this time.').prefault('30s'),
  pollInterval: duration('How often to poll a call in progress.').prefault('2s'),
});

/** What a test call says (docs/phone.md): needs the TwiML Bin holding respond-audit's call template. */
const phoneCallSchema = z.strictObject({
  twimlBin: z
    .string()
    .optional()
    .describe(
      "URL of the TwiML Bin holding respond-audit's call template (docs/phone.md), e.g. https://handler.twilio.com/twiml/EH…. Without it a call only listens, and says so.",
    ),
  voice: z.string().default('Polly.Joanna').describe('<Say> voice of the shopper: man, woman, alice, Polly.<Name>[-Neural|-Generative] or Google.<language>-<name>.'),
  language: z.string().default('en-US').describe('<Say> and <Gather> language (BCP-47, e.g. en-US, es-MX).'),
  announce: z.string().min(1).optional().describe('A disclosure spoken before the inquiry when a person answers, for audits whose client asks for one.'),
  listen: duration('How long the shopper waits for the answer to begin after asking.').prefault('8s'),
  voicemail: z
    .enum(['hang-up', 'leave'])
    .default('hang-up')
    .describe('On a voicemail box (a line without a menu): hang up, or leave the inquiry and the call-back number.'),
});

const browserSchema = z.strictObject({
  executablePath: z.string().optional().describe('Chrome/Chromium binary; default: detected (/usr/bin/chromium, Google Chrome, Playwright\'s).'),
  channel: z.string().optional().describe('Playwright browser channel, e.g. "chrome" for an installed Google Chrome.'),
  wsEndpoint: z.string().optional().describe('Connect to a remote Playwright server / browser grid instead of launching.'),
  concurrency: z.number().int().min(1).max(32).default(2).describe('Forms filled at once (one browser, several contexts).'),
  headless: z.boolean().default(true).describe('Run the browser without a window.'),
  timeout: duration('Time allowed for one form from load to outcome.').prefault('60s'),
  dwell: duration(
    'Minimum time on a form page before the submit click, as a person would take (time-trap anti-spam: Drupal Honeypot 5 s, spatie/laravel-honeypot 1 s). Default 6s; filling counts toward it; never more than half the time left.',
  ).optional(),
});

const notifySchema = z
  .strictObject({
    webhook: z
      .strictObject({
        url: secret('Incoming-webhook URL (Slack, or anything taking Slack\'s `{ text, blocks }` JSON); it holds the credential'),
        timeout: duration('Give up on the webhook after this long (retried by the next report).').prefault('10s'),
      })
      .optional()
      .describe('Post alerts to a Slack-compatible incoming webhook.'),
    email: z
      .strictObject({
        to: z.array(z.string()).min(1).describe('Who receives alert emails.'),
        from: z.string().optional().describe('From address; default channels.smtp.from, else channels.smtp.user.'),
      })
      .optional()
      .describe('Send alerts by email through channels.smtp.'),
    gradeDrop: z.number().min(0).max(100).default(10).describe('Alert when a site\'s or entry point\'s grade drops by more than this many points since the last report.'),
    failingAfter: z
      .number()
      .int()
      .min(1)
      .default(3)
      .describe('An entry point failing this many runs in a row is "failing"; fewer is "degraded". A recovery notice follows when it passes again.'),
    newFindings: z.boolean().default(true).describe('Alert on findings that were not there at the last notice.'),
  })
  .describe('Alerts sent by `report` (and `run --collect-for`): new findings, grade drops, failing entry points and their recovery; never twice for the same state.');

/** Warnings a config may silence (top-level `silence:`), each for a deliberate choice. */
export const SILENCEABLE_WARNINGS = ['no-imap'] as const;
export type SilenceableWarning = (typeof SILENCEABLE_WARNINGS)[number];

export const configSchema = z
  .strictObject({
    $schema: z.string().optional().describe('JSON Schema reference for editors.'),
    version: z.literal(1).default(1).describe('Config format version.'),
    organization: z.string().min(1).describe('The organization being audited.'),
    timezone: z.string().default('UTC').describe('Default IANA timezone for sites (e.g. America/Chicago).'),
    silence: z
      .array(z.enum(SILENCEABLE_WARNINGS))
      .default([])
      .describe('Warnings of `validate` turned off because the choice is deliberate: no-imap (replies are not collected by email).'),
    shopper: z
      .strictObject({
        name: z.string().min(1).describe('The shopper\'s full name, as typed into forms and signed in emails.'),
        email: z
          .string()
          .describe('Shopper address template carrying {token} for plus-addressing, e.g. jordan+{token}@example.net.'),
        phones: z.array(phone).default([]).describe('Pool of shopper numbers (Twilio); one per open probe of a site makes callbacks exact.'),
        personas: z
          .array(
            z.strictObject({
              name: z.string().min(1),
              email: z.string().optional().describe('Address template with {token} for this persona (default: shopper.email).'),
            }),
          )
          .default([])
          .describe('Optional alternative identities rotated across probes.'),
        // The richer profile for `fields: auto` (docs/web-forms.md, "The shopper profile"):
        // each part is optional; a form's optional box for a part without a value stays empty.
        company: z.string().min(1).optional().describe('Company / organization typed where a form asks; default none (the box stays empty).'),
        jobTitle: z.string().min(1).optional().describe('Job title / position; default none.'),
        postalCode: z.string().min(1).optional().describe('ZIP / postal code; default none.'),
        city: z.string().min(1).optional().describe('City / town; default none.'),
        state: z
          .string()
          .min(1)
          .optional()
          .describe('State / province / region, e.g. IL or Illinois (US abbreviations are matched to names in dropdowns); default none.'),
        contactMethod: z
          .enum(['phone', 'email', 'text'])
          .optional()
          .describe('Answer to "preferred contact method"; default phone when the inquiry asks for a call back and a number is given, else email.'),
        preferredTime: localTime
          .default('10:00')
          .describe('Preferred time (HH:MM) for time boxes and "best time to call" (morning before 12:00, afternoon before 17:00, else evening).'),
        customerStatus: z
          .enum(['new', 'existing'])
          .default('new')
          .describe('Answer to "new or existing patient / customer"; default new (a prospect asking for the first time).'),
        dateOfBirth: isoDate
          .optional()
          .describe('Date of birth (YYYY-MM-DD); default none: an optional DOB box stays empty, a required one stops the probe before sending (never the appointment date).'),
      })
      .describe('Who the mystery shopper is.'),
    sla: z
      .strictObject({
        firstResponse: slaTarget('Any response (even automatic) within this time; "2 business hours" counts only the site\'s opening hours.').prefault('1h'),
        humanResponse: slaTarget('A person\'s reply within this time; "8 business hours" counts only the site\'s opening hours.').prefault('1d'),
        callback: duration('A call back within this time when the inquiry gave a phone number.').prefault('1d'),
        followUpAfter: duration('A later human contact at least this long after the first counts as a follow-up.').prefault('24h'),
        followUpWindow: duration('Follow-ups are looked for until this long after submission.').prefault('7d'),
        phoneAnswer: duration('The phone is answered within this time.').prefault('30s'),
        holdPatience: duration('The caller hangs up after this long on hold.').prefault('3m'),
        waitWindow: duration('A probe waits this long for replies before it is closed.').prefault('7d'),
      })
      .prefault({})
      // Targets stay milliseconds (every reader of sla.* does arithmetic on them); which are
      // counted in opening hours is said once, in sla.business.
      .transform(({ firstResponse, humanResponse, ...rest }) => ({
        ...rest,
        firstResponse: firstResponse.ms,
        humanResponse: humanResponse.ms,
        business: { firstResponse: firstResponse.business, humanResponse: humanResponse.business },
      }))
      .describe('Service levels the scorecard measures against.'),
    campaign: z
      .strictObject({
        name: z.string().min(1).describe('Campaign name, as the public sees it.'),
        keywords: z.array(z.string()).default([]).describe('Words of the offer that an informed reply mentions.'),
        starts: isoDate.optional().describe('First day of the campaign (YYYY-MM-DD).'),
        ends: isoDate.optional().describe('Last day of the campaign (YYYY-MM-DD).'),
      })
      .optional()
      .describe('The current campaign the organization should know about.'),
    channels: z
      .strictObject({
        smtp: smtpSchema.optional().describe('Outgoing mail for email probes.'),
        imap: imapSchema.optional().describe('The shopper\'s mailbox watched for replies.'),
        twilio: twilioSchema.optional().describe('Phone calls, texts and callback logs.'),
        browser: browserSchema.optional().describe('The browser that fills web forms.'),
      })
      .prefault({})
      .describe('Connections. Secrets only as ${ENV_NAME}.'),
    safety: z
      .strictObject({
        dryRun: z.boolean().default(false).describe('Plan and print, contact nothing.'),
        quietHours: z
          .strictObject({ start: localTime, end: localTime })
          .optional()
          .describe('No probes between these local times, in each site\'s own timezone (e.g. 20:00 to 08:00).'),
        caps: z
          .strictObject({
            perEntryPointPerDay: z.number().int().min(0).default(1).describe('Probes to one entry point per day.'),
            perDay: z.number().int().min(0).default(100).describe('Probes in all per day.'),
            callsPerDay: z.number().int().min(0).default(20).describe('Test calls per day.'),
          })
          .prefault({})
          .describe('Caps on how much is sent (per entry point per day, in all per day, calls per day).'),
        maxProbesPerRun: z.number().int().min(0).optional().describe('Budget for one run (rotation leaves the rest for later).'),
        callSpendCap: z.number().min(0).default(5).describe('Estimated call + text spend allowed per day (USD).'),
        doNotContact: z
          .array(z.string())
          .default([])
          .describe('Addresses, domains (@example.org), numbers or URL prefixes never to contact.'),
        allowLocal: z.boolean().default(false).describe('Allow loopback and private-network targets (sandbox and tests only).'),
      })
      .prefault({})
      .describe('Rules that keep the audit from pestering anyone.'),
    store: z
      .strictObject({
        path: z.string().default('respond-audit.db').describe('SQLite file, relative to the config.'),
        url: z
          .string()
          .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL, e.g. postgres://audit@db.example.org:5432/respond_audit')
          .optional()
          .describe(
            'A PostgreSQL store instead of the SQLite file: postgres://user@host:port/database. The password only from the environment (PGPASSWORD, or ${NAME} in the URL). RESPOND_AUDIT_STORE_URL overrides it.',
          ),
      })
      .prefault({})
      .describe('Where runs, probes and replies are kept.'),
    probes: z
      .strictObject({
        dir: z.string().default('../probes').describe('Folder of inquiry templates, relative to the config.'),
        default: z.string().default('new-inquiry').describe('Template used when a service line names none.'),
      })
      .prefault({})
      .describe('Inquiry templates.'),
    reports: z
      .strictObject({
        dir: z.string().default('../reports').describe('Where reports and evidence are written, relative to the config.'),
        failUnder: z.number().min(0).max(100).optional().describe('Exit 1 when any grade is below this.'),
        brand: z
          .strictObject({
            client: z.string().min(1).max(200).optional().describe('The client named on the cover and in the title (default: organization).'),
            auditor: z.string().min(1).max(200).optional().describe('Who carried out the audit ("Prepared by" on the cover).'),
            logo: z.string().min(1).optional().describe('A PNG or JPEG logo for the cover, relative to the config; embedded in the report (at most 400 KB).'),
            accent: z
              .string()
              .regex(/^#[0-9a-fA-F]{6}$/, { message: 'must be a colour #rrggbb, e.g. #0f766e' })
              .optional()
              .describe('Accent colour of the HTML and PDF report (#rrggbb): the cover band, headings\' rules, links.'),
          })
          .optional()
          .describe('Branding of the HTML and PDF report.'),
        notify: notifySchema.optional(),
      })
      .prefault({})
      .describe('Reports.'),
    scoring: z
      .strictObject({
        weights: z
          .strictObject({
            responded: z.number().min(0).default(25),
            speed: z.number().min(0).default(20),
            human: z.number().min(0).default(15),
            ownership: z.number().min(0).default(15),
            followUp: z.number().min(0).default(10),
            campaign: z.number().min(0).default(5),
            phone: z.number().min(0).default(10),
          })
          .prefault({})
          .describe('Relative weights of the 0-100 grade\'s parts.'),
      })
      .prefault({})
      .describe('How the grade is computed.'),
    phone: phoneCallSchema.prefault({}).describe('What test calls say: the inquiry when a person answers, voicemail, disclosure.'),
    schedule: scheduleSchema.optional(),
    sites: z.array(siteSchema).min(1).describe('Places or operating units → service lines → entry points.'),
  })
  .describe('respond-audit audit config');

export type AuditConfigInput = z.input<typeof configSchema>;
export type AuditConfig = z.output<typeof configSchema>;
export type Site = AuditConfig['sites'][number];
export type ServiceLine = Site['serviceLines'][number];
export type EntryPoint = ServiceLine['entryPoints'][number];
export type Channel = EntryPoint['type'];
export type Schedule = z.output<typeof scheduleSchema>;
/** The entry-point types, read off the schema's discriminated union (one list, not two). */
export const CHANNELS: readonly Channel[] = entryPointSchema.options.map((o) => o.shape.type.value);

/** Paths (dotted, with [] for arrays) whose values must be ${ENV} references. */
export const SECRET_PATHS = [
  'channels.smtp.pass',
  'channels.imap.pass',
  'channels.imap.accessToken',
  'channels.imap.oauth2.clientSecret',
  'channels.imap.oauth2.refreshToken',
  'channels.smtp.oauth2.clientSecret',
  'channels.smtp.oauth2.refreshToken',
  'channels.twilio.accountSid',
  'channels.twilio.authToken',
  'reports.notify.webhook.url',
];

export function toJsonSchema(): unknown {
  return z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any', target: 'draft-7' });
}
