/**
 * Not pestering anyone, proven by what the sandbox received (not by what the tool says it
 * did): quiet hours in each site's own timezone across DST changes, caps per entry point and
 * per day, the do-not-contact list, a reply asking to stop (it suppresses the whole site),
 * and `--dry-run`, which contacts nothing at all. Runs happen at chosen moments through
 * RESPOND_AUDIT_NOW, the way a nightly job would meet them.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { DEMO_CONFIG } from '../../src/commands/demo.js';
import { startDemoOrganization } from '../../src/sandbox/demo-org.js';
import { startMailIntake, type MailIntake } from '../../src/sandbox/mail.js';
import { startSandboxSite, type SandboxSite } from '../../src/sandbox/site.js';
import { startSandboxTwilio, type SandboxTwilio } from '../../src/sandbox/twilio/index.js';
import { cli, cliProcess } from '../helpers/cli.js';
import { tempTree } from '../helpers/tmp.js';
import { INQUIRY, orgWorkspace, startSmallOrg } from './org.js';
import { useStoreBackends, type StoreBackend } from '../helpers/store-backends.js';

const AC = 'AC' + '5e'.repeat(16);
const TOKEN = 'pester-token-1';
const H = 3_600_000;
const backends = useStoreBackends();
// The caps and the stop request come from the store's history: those suites run on both
// engines, each test on a fresh PostgreSQL database (RESPOND_AUDIT_STORE_URL) in the second.
let storeEnv: Record<string, string> = {};
function onEachStore(b: StoreBackend) {
  beforeEach(() => {
    storeEnv = b.name === 'postgres' ? { RESPOND_AUDIT_STORE_URL: b.fresh() } : {};
  });
  afterEach(() => {
    storeEnv = {};
  });
}
const at = (t: number) => ({ RESPOND_AUDIT_NOW: new Date(t).toISOString(), TW_SID: AC, TW_TOKEN: TOKEN, ...storeEnv });

let mail: MailIntake;
let twilio: SandboxTwilio;
let site: SandboxSite;
beforeAll(async () => {
  mail = await startMailIntake({ clock: systemClock });
  twilio = await startSandboxTwilio({ clock: systemClock, accountSid: AC, authToken: TOKEN });
  site = await startSandboxSite({ clock: systemClock, forms: [] });
});
afterAll(async () => {
  await Promise.all([mail?.close(), twilio?.close(), site?.close()]);
});

/** A config over the shared sandbox mail intake and Twilio API. */
function workspace(sites: string, o: { safety?: string; top?: string } = {}): string {
  return tempTree({
    'configs/audit.yaml': `version: 1
organization: Pester Test
timezone: America/Chicago
shopper:
  name: Jordan Avery
  email: jordan+{token}@shopper.test
  phones: ["+13125550101", "+13125550102"]
${o.top ?? ''}
channels:
  browser: { executablePath: /usr/bin/chromium, timeout: 15s }
  smtp: { host: 127.0.0.1, port: ${mail.port}, requireTLS: false }
  twilio: { accountSid: "\${TW_SID}", authToken: "\${TW_TOKEN}", apiBaseUrl: "${twilio.url}", record: false, pollInterval: 20ms }
safety:
  allowLocal: true
${o.safety ?? ''}
sites:
${sites}`,
    'probes/new-inquiry.yaml': INQUIRY,
  });
}

/** What the sandbox received since `mark()`: mail by recipient, texts and calls by number. */
function counter() {
  const m0 = mail.received.length;
  const t0 = twilio.sentMessages().length;
  const c0 = twilio.placedCalls().length;
  const s0 = site.received.length;
  return () => {
    const out: Record<string, number> = {};
    const add = (k: string) => (out[k] = (out[k] ?? 0) + 1);
    for (const m of mail.received.slice(m0)) for (const to of m.to) add(to);
    for (const t of twilio.sentMessages().slice(t0)) add(`sms:${t.to}`);
    for (const c of twilio.placedCalls().slice(c0)) add(`call:${c.to}`);
    for (const s of site.received.slice(s0)) add(`form:${s.path}`);
    return out;
  };
}

async function runAt(cwd: string, t: number, extra: string[] = []) {
  const r = await cli(['run', 'configs/audit.yaml', ...extra], { cwd, env: at(t) });
  expect(r.code, r.stderr + r.stdout).toBe(0);
  // On PostgreSQL nothing went to the config's SQLite file.
  if (storeEnv.RESPOND_AUDIT_STORE_URL) expect(existsSync(join(cwd, 'configs', 'respond-audit.db'))).toBe(false);
  return r;
}

describe('quiet hours (20:00-08:00) in each site\'s own timezone, across DST', () => {
  const SITES = (
    [
      ['chicago', 'America/Chicago', '+13125550301'],
      ['london', 'Europe/London', '+13125550302'],
      ['tokyo', 'Asia/Tokyo', '+13125550303'],
    ] as const
  )
    .map(
      ([id, tz, sms]) => `  - id: ${id}
    name: ${id} clinic
    timezone: ${tz}
    serviceLines:
      - id: ortho
        name: Orthopedics
        entryPoints:
          - { type: email, to: "ortho@${id}.example.org" }
          - { type: sms, number: "${sms}" }
`,
    )
    .join('');
  const reached = (r: Record<string, number>) =>
    ['chicago', 'london', 'tokyo'].filter((s) => r[`ortho@${s}.example.org`] || Object.keys(r).some((k) => k.startsWith('sms:') && k.endsWith(`030${['chicago', 'london', 'tokyo'].indexOf(s) + 1}`)));

  // [moment (UTC), sites outside their quiet hours then, why]
  const CASES: Array<[string, string[], string]> = [
    ['2027-03-13T13:30:00Z', ['london'], 'Chicago 07:30 CST (before US DST), London 13:30 GMT, Tokyo 22:30'],
    ['2027-03-15T13:30:00Z', ['chicago', 'london'], 'Chicago 08:30 CDT (after US DST: a fixed UTC-6 would say 07:30)'],
    ['2027-03-28T07:30:00Z', ['london', 'tokyo'], 'London 08:30 BST (its DST began at 01:00 UTC that day), Chicago 02:30, Tokyo 16:30'],
    ['2027-03-28T19:30:00Z', ['chicago'], 'London 20:30 BST (a fixed GMT would say 19:30), Chicago 14:30, Tokyo 04:30'],
    ['2027-11-08T13:30:00Z', ['london'], 'Chicago 07:30 CST (after US DST ended: a fixed UTC-5 would say 08:30)'],
  ];

  it.each(CASES)('at %s only %j are contacted (%s)', async (moment, expected) => {
    const cwd = workspace(SITES, { safety: '  quietHours: { start: "20:00", end: "08:00" }' });
    const got = counter();
    const r = await runAt(cwd, Date.parse(moment), ['--json']);
    const received = got();
    expect(reached(received).sort()).toEqual([...expected].sort());
    // Both channels of each open site, and nothing else.
    expect(Object.values(received).reduce((a, b) => a + b, 0)).toBe(expected.length * 2);
    const skipped = (JSON.parse(r.stdout).skipped as Array<{ entry: string; code: string }>).filter((s) => s.code === 'quiet-hours');
    expect(skipped.length).toBe((3 - expected.length) * 2);
  });
});

describe.each(backends)('caps ($name)', (backend) => {
  onEachStore(backend);
  const ONE_SITE = (n: number) => `  - id: north
    name: North Clinic
    serviceLines:
${Array.from({ length: n }, (_, i) => `      - { id: l${i}, name: Line ${i}, entryPoints: [{ type: email, to: "l${i}@north.example.org" }] }\n`).join('')}`;
  // Probes close after 30 minutes and are due every hour: only the caps hold them back.
  const FAST = '\nsla: { waitWindow: 30m }\nschedule: { every: 1h }';
  const T0 = Date.parse('2027-03-10T15:00:00Z');

  it('per entry point per day: at most 2 to one inbox in any 24 hours, resumed after', async () => {
    const cwd = workspace(ONE_SITE(1), { top: FAST, safety: '  caps: { perEntryPointPerDay: 2, perDay: 100 }' });
    const per: number[] = [];
    for (const t of [T0, T0 + 2 * H, T0 + 4 * H, T0 + 6 * H, T0 + 23 * H, T0 + 24 * H + 60_000]) {
      const got = counter();
      await runAt(cwd, t);
      per.push(got()['l0@north.example.org'] ?? 0);
    }
    expect(per).toEqual([1, 1, 0, 0, 0, 1]);
  });

  it('per day: at most 4 in all in any 24 hours, spread over the inboxes', async () => {
    const cwd = workspace(ONE_SITE(3), { top: FAST, safety: '  caps: { perEntryPointPerDay: 5, perDay: 4 }' });
    const all = counter();
    const per: number[] = [];
    for (const t of [T0, T0 + 2 * H, T0 + 4 * H, T0 + 20 * H, T0 + 24 * H + 60_000]) {
      const got = counter();
      await runAt(cwd, t);
      per.push(Object.values(got()).reduce((a, b) => a + b, 0));
    }
    // 3 at first, the 4th two hours later, nothing more that day; the day after, the cap again.
    expect(per).toEqual([3, 1, 0, 0, 3]);
    expect(Object.keys(all()).sort()).toEqual(['l0@north.example.org', 'l1@north.example.org', 'l2@north.example.org']);
  });
});

describe('the do-not-contact list', () => {
  it('an address, a domain, a number and a URL prefix on the list are never contacted, whatever the run', async () => {
    const blockedForm = site.mount({ path: '/blocked/contact', style: 'plain' });
    const siteDomainForm = site.mount({ path: '/north/other/contact', style: 'plain' });
    const cwd = workspace(
      `  - id: north
    name: North Clinic
    serviceLines:
      - id: ortho
        name: Orthopedics
        entryPoints:
          - { type: email, to: "ortho@north.example.org" }
          - { type: email, id: dana, to: "dana@north.example.org" }
          - { type: email, id: desk, to: "desk@blocked.example.org" }
          - { type: sms, number: "+13125550177" }
          - { type: phone, number: "+13125550178" }
          - { type: webform, url: "${blockedForm}" }
  - id: blocked
    name: Blocked Clinic
    domains: [blocked.example.org]
    serviceLines:
      - id: ortho
        name: Orthopedics
        entryPoints:
          - { type: webform, url: "${siteDomainForm}" }
`,
      { safety: `  doNotContact: ["dana@north.example.org", "@blocked.example.org", "+1 (312) 555-0177", "+13125550178", "${site.url}/blocked/"]` },
    );
    const got = counter();
    const requests = site.requests;
    for (const [t, flags] of [
      [Date.parse('2027-03-10T15:00:00Z'), []],
      [Date.parse('2027-03-20T15:00:00Z'), ['--before-campaign']],
      [Date.parse('2027-03-30T15:00:00Z'), ['--site', 'blocked,north', '--before-campaign']],
    ] as const) {
      const r = await runAt(cwd, t, [...flags, '--json']);
      const codes = (JSON.parse(r.stdout).skipped as Array<{ code: string }>).map((s) => s.code);
      expect(codes.filter((c) => c === 'do-not-contact')).toHaveLength(6);
    }
    // Only the one inbox not on the list, once per run; the site saw no request at all.
    expect(got()).toEqual({ 'ortho@north.example.org': 3 });
    expect(site.requests).toBe(requests);
  });
});

describe.each(backends)('a reply asking to stop ($name)', (backend) => {
  onEachStore(backend);
  it('suppresses every entry point of that site (form, mail, phone, text) on later runs; other sites go on', { timeout: 120_000 }, async () => {
    const org = await startSmallOrg({
      creds: { imapUser: 'shopper', imapPass: 'imap-pass-2', smtpUser: 'jordan', smtpPass: 'smtp-pass-2', accountSid: 'AC' + 'cd'.repeat(16), authToken: 'token-5678' },
      scripts: {
        'ortho@north.example.org': { from: 'North Orthopedics <ortho@north.example.org>', replies: [{ style: 'stop', after: 0, text: 'Please stop contacting us. Remove this address from your list.' }] },
        'ortho@south.example.org': { from: 'South Clinic <ortho@south.example.org>', replies: [{ style: 'human', after: 0 }] },
      },
    });
    try {
      const cwd = orgWorkspace(org);
      const counts = () => ({
        form: org.site.received.length,
        northMail: org.mail.received.filter((m) => m.to.includes('ortho@north.example.org')).length,
        southMail: org.mail.received.filter((m) => m.to.includes('ortho@south.example.org')).length,
        calls: org.twilio.counts.callsPlaced,
        texts: org.twilio.counts.messagesSent,
      });
      const first = await cli(['run', 'configs/audit.yaml'], { cwd, env: { ...org.env, ...storeEnv } });
      expect(first.code, first.stderr + first.stdout).toBe(0);
      expect(counts()).toEqual({ form: 1, northMail: 1, southMail: 1, calls: 1, texts: 1 });
      const col = await cli(['collect', 'configs/audit.yaml', '--json'], { cwd, env: { ...org.env, ...storeEnv } });
      expect(col.code, col.stderr).toBe(0);
      const st = await cli(['status', 'configs/audit.yaml', '--json'], { cwd, env: { ...org.env, ...storeEnv } });
      expect(st.stdout).toMatch(/stop-request/);
      // Nine days later every probe's wait window is over: only the suppression holds North back.
      const later = { ...org.env, ...storeEnv, RESPOND_AUDIT_NOW: new Date(Date.now() + 9 * 24 * H).toISOString() };
      const again = await cli(['run', 'configs/audit.yaml', '--json'], { cwd, env: later });
      expect(again.code, again.stderr).toBe(0);
      const skipped = JSON.parse(again.stdout).skipped as Array<{ entry: string; code: string }>;
      expect(skipped.filter((s) => s.code === 'suppressed').map((s) => s.entry).sort()).toEqual([
        'north/ortho/email',
        'north/ortho/phone',
        'north/ortho/sms',
        'north/ortho/webform',
      ]);
      expect(counts()).toEqual({ form: 1, northMail: 1, southMail: 2, calls: 1, texts: 1 });
      if (backend.name === 'postgres') expect(existsSync(join(cwd, 'configs', 'respond-audit.db'))).toBe(false);
    } finally {
      await org.close();
    }
  });
});

describe('--dry-run', () => {
  it('contacts nothing at all: the demo organization\'s site, mail intake and phone API count zero requests', { timeout: 120_000 }, async () => {
    const org = await startDemoOrganization(systemClock);
    try {
      const cwd = mkdtempSync(join(tmpdir(), 'respond-audit-dry-'));
      const env = { ...org.env, RESPOND_AUDIT_STORE: join(cwd, 'demo.db') };
      const runs = [
        ['run', DEMO_CONFIG, '--dry-run'],
        ['run', DEMO_CONFIG, '--dry-run', '--before-campaign', '--json'],
        ['run', DEMO_CONFIG, '--dry-run', '--collect-for', '1h'],
        ['plan', DEMO_CONFIG, '--days', '3'],
      ];
      for (const args of runs) {
        const r = await cliProcess(args, { cwd, env });
        expect(r.code, r.stderr).toBe(0);
        if (args.includes('--json')) expect(JSON.parse(r.stdout).due.length).toBe(14);
      }
      expect({ site: org.site.requests, mail: org.mail.connections, phone: org.twilio.counts.total }).toEqual({ site: 0, mail: 0, phone: 0 });
      // The counters do count: one real email run reaches the intake.
      const real = await cliProcess(['run', DEMO_CONFIG, '--only', 'email', '--site', 'riverside'], { cwd, env });
      expect(real.code, real.stderr).toBe(0);
      expect(org.mail.connections).toBeGreaterThan(0);
    } finally {
      await org.close();
    }
  });
});
