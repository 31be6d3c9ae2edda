/**
 * Malformed-config cases: each edits the base config (one string replaced by another, or
 * appended) and names the exact first issue expected: `line:col path: message`.
 */
/** Replace everything from `sites:` to the end. */
export const SITES_TO_END = '<sites-to-end>';

export interface Case {
  name: string;
  from?: string;
  to: string;
  env?: Record<string, string | undefined>;
  expect: string;
}

export const CASES: Case[] = [
  { name: 'unknown top-level key with suggestion', from: 'organization:', to: 'organisation:', expect: "configs/audit.yaml:1:1 organization: is required" },
  { name: 'unknown nested key with suggestion', from: '    concurrency: 2', to: '    concurency: 2', expect: "configs/audit.yaml:19:5 channels.browser.concurency: unknown key (did you mean \"concurrency\"?)" },
  { name: 'unknown key without suggestion', from: '    concurrency: 2', to: '    concurrency: 2\n    colour: red', expect: "configs/audit.yaml:20:5 channels.browser.colour: unknown key" },
  { name: 'organization missing', from: 'organization: Lakeside Health\n', to: '', expect: "configs/audit.yaml:1:1 organization: is required" },
  { name: 'organization wrong type', from: 'organization: Lakeside Health', to: 'organization: [a, b]', expect: "configs/audit.yaml:2:15 organization: must be a string (got a list)" },
  { name: 'organization empty', from: 'organization: Lakeside Health', to: 'organization: ""', expect: "configs/audit.yaml:2:15 organization: must not be empty" },
  { name: 'bad duration', from: 'firstResponse: 2h', to: 'firstResponse: two hours', expect: "configs/audit.yaml:9:18 sla.firstResponse: must be a duration such as 15m, 2h or 1d, or a time in opening hours such as \"2 business hours\" or \"90 business minutes\"" },
  { name: 'business hours target misspelt', from: 'firstResponse: 2h', to: 'firstResponse: 2 bussiness hours', expect: "configs/audit.yaml:9:18 sla.firstResponse: must be a duration such as 15m, 2h or 1d, or a time in opening hours such as \"2 business hours\" or \"90 business minutes\"" },
  { name: 'opening hours past 24:00', from: '    region: North\n', to: '    region: North\n    hours: "Mon-Fri 25:00-17:00"\n', expect: "configs/audit.yaml:38:12 sites[0].hours: \"25:00-17:00\": 25:00 is not a time of day (00:00 to 23:59)" },
  { name: 'opening hours unknown day', from: '        name: Cardiology\n', to: '        name: Cardiology\n        hours: "Mon-Thu 08:00-18:00, Fry 08:00-12:00"\n', expect: "configs/audit.yaml:53:16 sites[0].serviceLines[1].hours: \"Fry\" is not a weekday or weekday range (Mon, Tue, Wed, Thu, Fri, Sat, Sun; e.g. Mon-Fri)" },
  { name: 'holiday not a real date', from: '    region: North\n', to: '    region: North\n    holidays: ["2026-12-25", { date: "2026-02-30", name: Founders Day }]\n', expect: "configs/audit.yaml:38:38 sites[0].holidays[1].date: \"2026-02-30\" is not a real date" },
  { name: 'holiday wrong format', from: '    region: North\n', to: '    region: North\n    holidays: ["25/12/2026"]\n', expect: "configs/audit.yaml:38:16 sites[0].holidays[0]: must be a date YYYY-MM-DD" },
  { name: 'duration as number', from: 'holdPatience: 3m', to: 'holdPatience: 180', expect: "configs/audit.yaml:11:17 sla.holdPatience: must be a string (got 180)" },
  { name: 'version wrong', from: 'version: 1', to: 'version: 2', expect: "configs/audit.yaml:1:10 version: must be 1" },
  { name: 'unknown timezone', from: 'timezone: America/Chicago', to: 'timezone: Mars/Olympus', expect: "configs/audit.yaml:3:11 timezone: unknown timezone \"Mars/Olympus\"; use an IANA name like America/Chicago" },
  { name: 'unknown site timezone', from: 'timezone: America/New_York', to: 'timezone: New York', expect: "configs/audit.yaml:58:15 sites[1].timezone: unknown timezone \"New York\"; use an IANA name like America/Chicago" },
  { name: 'shopper email without token', from: 'email: jordan+{token}@example.net', to: 'email: jordan@example.net', expect: "configs/audit.yaml:6:10 shopper.email: must carry {token} for plus-addressing, e.g. jordan+{token}@example.net" },
  { name: 'shopper phone not E.164', from: '"+13125550101", ', to: '"312-555-0101", ', expect: "configs/audit.yaml:7:12 shopper.phones[0]: must be a valid phone number in E.164 form, e.g. +13125550100 (got \"312-555-0101\")" },
  { name: 'shopper phone invalid number', from: '"+13125550102"]', to: '"+15555550102"]', expect: "configs/audit.yaml:7:28 shopper.phones[1]: must be a valid phone number in E.164 form, e.g. +13125550100 (got \"+15555550102\")" },
  { name: 'campaign date format', from: 'starts: "2027-03-01"', to: 'starts: "March 1"', expect: "configs/audit.yaml:15:11 campaign.starts: must be a date YYYY-MM-DD" },
  { name: 'campaign ends before starts', from: 'ends: "2027-04-30"', to: 'ends: "2027-02-01"', expect: "configs/audit.yaml:16:9 campaign.ends: ends (2027-02-01) before it starts (2027-03-01)" },
  { name: 'campaign unreal date', from: 'ends: "2027-04-30"', to: 'ends: "2027-13-45"', expect: "configs/audit.yaml:16:9 campaign.ends: \"2027-13-45\" is not a real date" },
  { name: 'browser concurrency zero', from: 'concurrency: 2', to: 'concurrency: 0', expect: "configs/audit.yaml:19:18 channels.browser.concurrency: must be at least 1" },
  { name: 'browser concurrency not integer', from: 'concurrency: 2', to: 'concurrency: 1.5', expect: "configs/audit.yaml:19:18 channels.browser.concurrency: must be a whole number (got 1.5)" },
  { name: 'smtp port out of range', from: '    host: smtp.example.net', to: '    host: smtp.example.net\n    port: 70000', expect: "configs/audit.yaml:22:11 channels.smtp.port: must be at most 65535" },
  { name: 'inline secret', from: 'pass: ${TEST_SMTP_PASS}', to: 'pass: hunter2hunter2', expect: "configs/audit.yaml:23:11 channels.smtp.pass: secrets may not be written in the file; use ${ENV_NAME} and set it in the environment" },
  { name: 'missing env variable', from: '', to: '', env: { TEST_IMAP_PASS: undefined }, expect: "configs/audit.yaml:27:11 channels.imap.pass: environment variable TEST_IMAP_PASS is not set (needed here; set it in the environment, never in the file)" },
  { name: 'twilio missing authToken', from: '    authToken: ${TEST_TWILIO_TOKEN}\n', to: '', expect: "configs/audit.yaml:29:5 channels.twilio.authToken: is required" },
  { name: 'quiet hours bad time', from: 'start: "20:00"', to: 'start: "8pm"', expect: "configs/audit.yaml:32:24 safety.quietHours.start: must be a local time HH:MM (24 h)" },
  { name: 'quiet hours same start and end', from: 'end: "08:00"', to: 'end: "20:00"', expect: "configs/audit.yaml:32:38 safety.quietHours.end: quiet hours must not start and end at the same time" },
  { name: 'sites empty', from: SITES_TO_END, to: 'sites: []\n', expect: "configs/audit.yaml:34:8 sites: must have at least 1 item" },
  { name: 'site id uppercase', from: '  - id: north', to: '  - id: North', expect: "configs/audit.yaml:35:9 sites[0].id: must be lowercase letters, digits, - or _ (at most 64)" },
  { name: 'duplicate site id', from: '  - id: lakeside', to: '  - id: north', expect: "configs/audit.yaml:56:9 sites[1].id: duplicate site id \"north\" (also sites[0])" },
  { name: 'duplicate service line id', from: '      - id: cardio', to: '      - id: ortho', expect: "configs/audit.yaml:51:13 sites[0].serviceLines[1].id: duplicate service line id \"ortho\" in site \"north\"" },
  { name: 'duplicate entry point id', from: '            to: cardio@north.example.org', to: '            to: cardio@north.example.org\n          - type: email\n            to: cardio2@north.example.org', expect: "configs/audit.yaml:56:19 sites[0].serviceLines[1].entryPoints[1].type: duplicate entry point id \"email\" in north/cardio; give each entry point of the same type its own id" },
  { name: 'site name missing', from: '    name: North Clinic\n', to: '', expect: "configs/audit.yaml:35:5 sites[0].name: is required" },
  { name: 'service lines missing', from: '    serviceLines:\n      - id: ortho\n        name: Orthopedics\n        entryPoints:\n          - type: sms', to: '    lines:\n      - id: ortho\n        name: Orthopedics\n        entryPoints:\n          - type: sms', expect: "configs/audit.yaml:56:5 sites[1].serviceLines: is required" },
  { name: 'entry point unknown type', from: '          - type: webform', to: '          - type: chat', expect: "configs/audit.yaml:44:19 sites[0].serviceLines[0].entryPoints[0].type: unknown entry point type \"chat\"; use webform, email, phone or sms" },
  { name: 'entry point without type', from: '          - type: webform\n            url', to: '          - url', expect: "configs/audit.yaml:44:13 sites[0].serviceLines[0].entryPoints[0].type: is required: webform, email, phone or sms" },
  { name: 'webform url ftp', from: 'url: https://north.example.org/contact', to: 'url: ftp://north.example.org/contact', expect: "configs/audit.yaml:45:18 sites[0].serviceLines[0].entryPoints[0].url: must be an http(s) URL (ftp: is not allowed)" },
  { name: 'webform url javascript', from: 'url: https://north.example.org/contact', to: 'url: "javascript:alert(1)"', expect: "configs/audit.yaml:45:18 sites[0].serviceLines[0].entryPoints[0].url: must be an http(s) URL (javascript: is not allowed)" },
  { name: 'webform url file', from: 'url: https://north.example.org/contact', to: 'url: file:///etc/passwd', expect: "configs/audit.yaml:45:18 sites[0].serviceLines[0].entryPoints[0].url: must be an http(s) URL (file: is not allowed)" },
  { name: 'webform url data', from: 'url: https://north.example.org/contact', to: 'url: "data:text/html,hi"', expect: "configs/audit.yaml:45:18 sites[0].serviceLines[0].entryPoints[0].url: must be an http(s) URL (data: is not allowed)" },
  { name: 'webform url loopback without allowLocal', from: 'url: https://north.example.org/contact', to: 'url: http://127.0.0.1:8080/contact', expect: "configs/audit.yaml:45:18 sites[0].serviceLines[0].entryPoints[0].url: points at a loopback or private address (127.0.0.1); set safety.allowLocal: true for sandboxes and tests" },
  { name: 'webform url private network', from: 'url: https://north.example.org/contact', to: 'url: http://192.168.1.20/contact', expect: "configs/audit.yaml:45:18 sites[0].serviceLines[0].entryPoints[0].url: points at a loopback or private address (192.168.1.20); set safety.allowLocal: true for sandboxes and tests" },
  { name: 'webform url not a URL', from: 'url: https://north.example.org/contact', to: 'url: north contact page', expect: "configs/audit.yaml:45:18 sites[0].serviceLines[0].entryPoints[0].url: must be an http/https URL" },
  { name: 'webform unknown key', from: 'url: https://north.example.org/contact', to: 'url: https://north.example.org/contact\n            selector: "#form"', expect: "configs/audit.yaml:46:13 sites[0].serviceLines[0].entryPoints[0].selector: unknown key" },
  { name: 'email to not an address', from: 'to: ortho@north.example.org', to: 'to: ortho at north', expect: "configs/audit.yaml:47:17 sites[0].serviceLines[0].entryPoints[1].to: must be an email address (got \"ortho at north\")" },
  { name: 'phone number invalid', from: 'number: "+13125550100"', to: 'number: "555-0100"', expect: "configs/audit.yaml:49:21 sites[0].serviceLines[0].entryPoints[2].number: must be a valid phone number in E.164 form, e.g. +13125550100 (got \"555-0100\")" },
  { name: 'ivr digits invalid', from: 'digits: "ww2"', to: 'digits: "press 2"', expect: "configs/audit.yaml:50:28 sites[0].serviceLines[0].entryPoints[2].ivr.digits: must be DTMF digits 0-9 * # with w (0.5 s wait) or W (1 s wait)" },
  { name: 'sms number invalid', from: 'number: "+13125550150"', to: 'number: "+1312"', expect: "configs/audit.yaml:64:21 sites[1].serviceLines[0].entryPoints[0].number: must be a valid phone number in E.164 form, e.g. +13125550100 (got \"+1312\")" },
  { name: 'webform without browser channel', from: '  browser:\n    concurrency: 2\n', to: '', expect: "configs/audit.yaml:42:19 sites[0].serviceLines[0].entryPoints[0].type: a webform entry point needs channels.browser to be configured" },
  { name: 'email without smtp channel', from: '  smtp:\n    host: smtp.example.net\n    user: jordan@example.net\n    pass: ${TEST_SMTP_PASS}\n', to: '', expect: "configs/audit.yaml:42:19 sites[0].serviceLines[0].entryPoints[1].type: an email entry point needs channels.smtp to be configured" },
  { name: 'schedule window invalid', from: 'safety:', to: 'schedule:\n  at: "Someday 9-5"\nsafety:', expect: "configs/audit.yaml:32:7 schedule.at: \"Someday\" is not a weekday range like Mon-Fri or Tue,Thu" },
  { name: 'schedule every invalid', from: 'safety:', to: 'schedule:\n  every: weekly\nsafety:', expect: "configs/audit.yaml:32:10 schedule.every: must be a duration such as 90s, 15m, 2h or 5d" },
  { name: 'inquiry template missing with suggestion', from: '        name: Cardiology', to: '        name: Cardiology\n        inquiry: new-inquery', expect: "configs/audit.yaml:53:18 sites[0].serviceLines[1].inquiry: no inquiry template \"new-inquery\" in ../probes/ (did you mean \"new-inquiry\"?)" },
  { name: 'doNotContact not a list', from: 'doNotContact: ["@do-not-contact.example.org"]', to: 'doNotContact: "@do-not-contact.example.org"', expect: "configs/audit.yaml:33:17 safety.doNotContact: must be a list (got \"@do-not-contact.example.org\")" },
  { name: 'apiBaseUrl without allowLocal', from: '    authToken: ${TEST_TWILIO_TOKEN}', to: '    authToken: ${TEST_TWILIO_TOKEN}\n    apiBaseUrl: http://127.0.0.1:9999', expect: "configs/audit.yaml:31:17 channels.twilio.apiBaseUrl: is for the sandbox only: a loopback URL, with safety.allowLocal: true" },
  { name: 'duplicate key', from: 'timezone: America/Chicago', to: 'timezone: America/Chicago\ntimezone: UTC', expect: "configs/audit.yaml:4:1 duplicate key (each key may appear once)" },
  { name: 'forbidden __proto__ key', from: 'safety:', to: '__proto__:\n  polluted: true\nsafety:', expect: "configs/audit.yaml:31:1 __proto__: key \"__proto__\" is not allowed" },
  { name: 'YAML syntax error', from: 'organization: Lakeside Health', to: 'organization: "Lakeside Health', expect: "configs/audit.yaml:2:31 Missing closing \"quote" },
];
