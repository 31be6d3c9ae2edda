/** What `respond-audit init` writes: a commented config and an inquiry template that validate as they are. */
export const SCAFFOLD_CONFIG = `# yaml-language-server: $schema=./respond-audit.schema.json
# respond-audit audit config. Reference: docs/configuration.md ("Config reference").
# Check it with:  npx respond-audit validate configs/audit.yaml
version: 1

# The organization being audited, and the timezone used where a site names none.
organization: Example Health
timezone: America/Chicago

# The mystery shopper. {token} makes each probe's address unique (plus-addressing),
# so every reply is attributed exactly. Phone numbers (Twilio) form a pool.
shopper:
  name: Jordan Avery
  email: jordan.avery+{token}@example.net
  phones: []            # e.g. ["+13125550101", "+13125550102"] (Twilio numbers you own)

# Service levels the scorecard measures against (durations: 90s, 15m, 2h, 5d).
sla:
  firstResponse: 1h     # any response, even automatic
  humanResponse: 1d     # a person's reply
  callback: 1d          # a call back when the inquiry gave a phone number
  followUpAfter: 24h    # a later human contact this long after the first is a follow-up
  followUpWindow: 7d    # how long follow-ups are looked for
  phoneAnswer: 30s      # the phone is answered within this time
  holdPatience: 3m      # the caller hangs up after this long on hold
  waitWindow: 7d        # a probe waits this long for replies

# The campaign the people answering should know about.
campaign:
  name: Spring Knee Check
  keywords: [knee, free screening]
  starts: "2027-03-01"
  ends: "2027-04-30"

# Connections. Secrets only as \${ENV_NAME}, set in the environment, never written here.
channels:
  browser:
    concurrency: 2      # forms filled at once
  smtp:
    # provider: gmail   # or microsoft365, outlook.com, fastmail, icloud, yahoo, zoho: fills host, port, TLS
    host: smtp.example.net
    port: 587
    user: jordan.avery@example.net
    # pass: \${RESPOND_AUDIT_SMTP_PASS}
  imap:
    # provider: gmail   # fills host, port, TLS and the Junk folder's name
    host: imap.example.net
    port: 993
    user: jordan.avery@example.net
    # pass: \${RESPOND_AUDIT_IMAP_PASS}
    mailboxes: [INBOX, "\\\\Junk"]
  # twilio:
  #   accountSid: \${TWILIO_ACCOUNT_SID}
  #   authToken: \${TWILIO_AUTH_TOKEN}
  #   record: false     # recording consent rules differ by jurisdiction

# Rules that keep the audit from pestering anyone. Start with dryRun: true.
safety:
  dryRun: true
  quietHours: { start: "19:00", end: "08:00" }   # in each site's own timezone
  caps: { perEntryPointPerDay: 1, perDay: 50, callsPerDay: 10 }
  callSpendCap: 5
  doNotContact: []      # addresses, @domains, numbers, URL prefixes

# Where results are kept (relative to this file).
store:
  path: respond-audit.db

# Default cadence: each entry point once a week, on weekday working hours.
schedule:
  every: 7d
  at: "Mon-Fri 09:00-16:00"

# Sites (places or operating units) → service lines → entry points.
sites:
  - id: north
    name: North Clinic
    region: North
    unit: Clinics
    domains: [north.example.org]
    serviceLines:
      - id: orthopedics
        name: Orthopedics
        entryPoints:
          - type: webform
            url: https://north.example.org/orthopedics/contact
            fields: auto        # or a map of CSS selector -> value
          - type: email
            to: orthopedics@north.example.org
          # - type: phone
          #   number: "+13125550100"
          #   ivr: { digits: "ww2", expect: ["Spring Knee Check"] }
`;

export const SCAFFOLD_INQUIRY = `# An inquiry template: what the shopper says. Placeholders: {shopper.name},
# {shopper.firstName}, {shopper.lastName}, {shopper.email}, {shopper.phone}, {site.name},
# {serviceLine.name}, {campaign.name}, {organization}.
subject: "Question about {serviceLine.name} at {site.name}"
# Variants rotate, so an organization does not receive the same text twice in a row.
variants:
  - |
    Hello, I saw your {campaign.name} information and I would like to know how to get an
    appointment for {serviceLine.name} at {site.name}. What are the next steps?
    Thank you, {shopper.name}
  - |
    Hi, I'm interested in {serviceLine.name} at {site.name} and wanted to ask about
    availability in the next few weeks. Could someone get back to me?
    Best regards, {shopper.name}
# Short texts for sms entry points.
sms:
  - "Hi, this is {shopper.firstName}. How can I book {serviceLine.name} at {site.name}?"
# Give the shopper's phone number and ask for a call back.
askCallback: true
`;
