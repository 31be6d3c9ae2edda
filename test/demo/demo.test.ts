/**
 * The demo end to end: `respond-audit demo` itself, then what it found per site and
 * service line, read back from its store and its JSON scorecard.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DateTime } from 'luxon';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';
import type { EventRow, ProbeRow } from '../../src/store/types.js';
import { ROOT, cliProcess } from '../helpers/cli.js';
import { brokenWords, overflows } from '../helpers/layout.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** The simulated clock runs on during the run: allow for the seconds a form or call takes. */
const TOLERANCE = 3 * MIN;

interface Site {
  id: string;
  stats: { grade: number | null };
}

let report: { sites: Site[]; overall: { grade: number } };
let probes: Map<string, ProbeRow>;
let events: Map<string, EventRow[]>;
let stderr = '';
let htmlPath = '';
let storePath = '';
let out = '';

beforeAll(async () => {
  // Kept for every test of the file (tempTree removes its trees after each test).
  out = mkdtempSync(join(tmpdir(), 'respond-audit-demo-'));
  htmlPath = join(out, 'demo.html');
  storePath = join(out, 'demo.db');
  const r = await cliProcess(['demo', '--json', '--out', htmlPath, '--store', storePath], { cwd: ROOT, timeoutMs: 240_000 });
  stderr = r.stderr;
  expect(r.code, r.stderr).toBe(0);
  report = JSON.parse(r.stdout);
  const store = new Store(storePath);
  probes = new Map(store.listProbes().map((p) => [p.entryKey, p]));
  events = new Map([...probes].map(([k, p]) => [k, store.eventsForProbe(p.id)]));
  store.close();
}, 300_000);

afterAll(() => {
  if (out) rmSync(out, { recursive: true, force: true });
});

const ev = (key: string, kind: string) => (events.get(key) ?? []).filter((e) => e.kind === kind);
const after = (key: string, e: EventRow) => e.occurredAt - probes.get(key)!.submittedAt!;
const near = (actual: number, expected: number) => expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(TOLERANCE);

describe('respond-audit demo', () => {
  it('says plainly that it is a simulation, and writes the HTML report', () => {
    expect(stderr).toMatch(/a SIMULATION/);
    expect(stderr).toMatch(/no real organization is contacted/);
    expect(existsSync(htmlPath)).toBe(true);
    expect(readFileSync(htmlPath, 'utf8')).toContain('Riverside Medical Center');
  });

  it('the phone evidence says what the person who answered said, and whether they knew the campaign and owned it', () => {
    const html = readFileSync(htmlPath, 'utf8');
    expect(html).toMatch(/<dt>the person knew the campaign<\/dt><dd>yes<\/dd><dt>the person owned the inquiry<\/dt><dd>yes: offered or booked<\/dd>/);
    expect(html).toMatch(/<dt>the person owned the inquiry<\/dt><dd>no: passed it along<\/dd>/);
    expect(html).toMatch(/<dt>what the person said<\/dt><dd>[^<]*call our scheduling line at /);
  });

  it('probes every entry point once', () => {
    expect(probes.size).toBe(14);
    expect(probes.get('east/orthopedics/webform')).toMatchObject({ status: 'not-sent', outcome: 'blocked' });
    for (const [key, p] of probes) if (key !== 'east/orthopedics/webform') expect(p.status, `${key}: ${p.outcome ?? ''} ${p.error ?? ''}`).toBe('submitted');
  });

  it('the control answers fast, knows the campaign, calls back and follows up', () => {
    const k = 'riverside/orthopedics/webform';
    const [ack] = ev(k, 'auto-ack');
    near(after(k, ack!), 1 * MIN);
    const human = ev(k, 'human-reply');
    expect(human).toHaveLength(2);
    near(after(k, human[0]!), 40 * MIN);
    expect(human[0]).toMatchObject({ campaignAware: true, passAlong: false, followUp: false, attribution: 'exact' });
    near(after(k, human[1]!), 3 * DAY);
    expect(human[1]!.followUp).toBe(true);
    const [callback] = ev(k, 'callback');
    near(after(k, callback!), 2 * HOUR);
    expect(callback!.attribution).toBe('exact');

    const mail = 'riverside/cardiology/email';
    near(after(mail, ev(mail, 'human-reply')[0]!), 55 * MIN);
    expect(ev(mail, 'human-reply').map((e) => e.followUp)).toEqual([false, true]);

    const [call] = ev('riverside/orthopedics/phone', 'call');
    expect(call!.details).toMatchObject({ reached: true, gaveUp: false });
    expect(call!.details['secondsToAnswer']).toBeLessThanOrEqual(10); // two rings
    expect(call!.details['ivrCampaignReady']).toBe(true);
    // The call spoke: the person who answered knew the campaign and owned the inquiry, in their own words.
    expect(call!.details['speech']).toEqual({ mode: 'speaks' });
    expect(call!.details['answer']).toMatchObject({ asked: true, campaignAware: true, owned: true, passAlong: false });
    expect(call!.campaignAware).toBe(true);
    // ...and called back at the probe's own pool number: attributed exactly.
    const [phoneBack] = ev('riverside/orthopedics/phone', 'callback');
    expect(phoneBack!.attribution).toBe('exact');
    near(after('riverside/orthopedics/phone', phoneBack!), 90 * MIN);
  });

  it('North: a promised callback never comes, an inbox nobody reads, a hold until the caller gives up', () => {
    const form = 'north/orthopedics/webform';
    expect(ev(form, 'auto-ack')).toHaveLength(1);
    expect(ev(form, 'human-reply')).toEqual([]);
    expect(ev(form, 'callback')).toEqual([]);
    expect(events.get('north/cardiology/email')).toEqual([]);
    const [call] = ev('north/primary-care/phone', 'call');
    expect(call!.details).toMatchObject({ gaveUp: true });
  });

  it('Lakeside: a pass-along, a terse uninformed reply, an IVR without the campaign', () => {
    const [pass] = ev('lakeside/orthopedics/email', 'human-reply');
    expect(pass).toMatchObject({ passAlong: true });
    near(after('lakeside/orthopedics/email', pass!), 3 * HOUR);
    const [terse] = ev('lakeside/cardiology/webform', 'human-reply');
    expect(terse).toMatchObject({ campaignAware: false, passAlong: false });
    near(after('lakeside/cardiology/webform', terse!), 5 * HOUR);
    const [call] = ev('lakeside/primary-care/phone', 'call');
    expect(call!.details).toMatchObject({ reached: true, ivrCampaignReady: false, gaveUp: false });
    // Robin sends the caller to the scheduling line.
    expect(call!.details['answer']).toMatchObject({ asked: true, passAlong: true, owned: false });
    expect(Math.abs((call!.details['secondsOnHold'] as number) - 40)).toBeLessThanOrEqual(3);
  });

  it('East Valley: a CAPTCHA, an inbox read only on Thursdays, an answer with no follow-up, a text reply', () => {
    const [thursday] = ev('east/cardiology/email', 'human-reply');
    expect(DateTime.fromMillis(thursday!.occurredAt, { zone: 'America/Chicago' }).weekday).toBe(4);
    const replies = ev('east/primary-care/webform', 'human-reply');
    expect(replies).toHaveLength(1);
    near(after('east/primary-care/webform', replies[0]!), 5 * HOUR);
    const [sms] = ev('east/primary-care/sms', 'sms-reply');
    near(after('east/primary-care/sms', sms!), 3 * HOUR);
    expect(sms!.campaignAware).toBe(true);
  });

  it('grades the control best and the silent site worst', () => {
    const grade = (id: string) => report.sites.find((s) => s.id === id)!.stats.grade!;
    const order = [...report.sites].sort((a, b) => b.stats.grade! - a.stats.grade!).map((s) => s.id);
    expect(order[0]).toBe('riverside');
    expect(order.at(-1)).toBe('north');
    expect(grade('riverside')).toBeGreaterThanOrEqual(90);
    expect(grade('north')).toBeLessThan(40);
  });

  it('its report contradicts itself nowhere (issue 17), in HTML, Markdown, terminal and JSON', async () => {
    const env: Record<string, string | undefined> = { RESPOND_AUDIT_STORE: storePath };
    for (const k of Object.keys(process.env)) if (k.startsWith('DEMO_')) env[k] = undefined;
    const md = (await cliProcess(['report', 'configs/demo.yaml', '--format', 'md'], { cwd: ROOT, env })).stdout;
    const term = (await cliProcess(['report', 'configs/demo.yaml'], { cwd: ROOT, env })).stdout;
    const html = readFileSync(htmlPath, 'utf8');
    const text = html
      .replace(/<style>[\s\S]*?<\/style>|<title>[\s\S]*?<\/title>/g, '')
      .replace(/<[^>]+>/g, ' ')
      .replace(/&#39;/g, "'")
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&')
      .replace(/\s+/g, ' ');
    const json = report as unknown as {
      overall: { counts: { probes: number; tested: number }; phone: { calls: number; answered: number; answerRate: number } };
      findings: Array<{ code: string; entryKey: string; text: string }>;
      sites: Array<{ id: string; timezone: string }>;
    };
    // North's line picked up in seconds (its 30 s target met) and then held the caller until they gave up.
    expect(json.findings.filter((f) => f.entryKey === 'north/primary-care/phone').map((f) => f.code)).toEqual(['gave-up']);
    expect(json.overall.phone).toMatchObject({ calls: 3, answered: 2 });
    expect(json.overall.counts).toMatchObject({ probes: 14, tested: 13 });
    for (const t of [text, md, term]) {
      expect(t).toContain("North Clinic primary care phone line: kept on hold past the caller's patience of 3 min; the caller gave up");
      expect(t).not.toMatch(/to answer \(target/);
      expect(t).toContain('test calls answered 67%');
      expect(t).toContain('14 test inquiries (1 could not be tested) in 1 run');
      expect(t).not.toMatch(/threshold of 0|\bprobes?\b|sum to|\(weight|\bUTC\b/i);
      expect(t).not.toMatch(/In SLA|1st\/hum/);
      expect(t).toMatch(/as of \d{4}-\d\d-\d\d \d\d:\d\d C[SD]T/);
      expect(t.split('The grade uses neither').length - 1).toBe(1);
    }
    expect(text).toContain('not answered: the caller gave up on hold · grade 0');
    expect(html).toContain('<b class="">14</b><span>test inquiries (1 could not be tested)</span>');
    // The CAPTCHA-blocked form: never "inquiry submitted", its screenshot is of a form not submitted.
    const blocked = text.slice(text.indexOf('Orthopedics · web form test inquiry', text.indexOf("Times are East Valley Clinic's local time")));
    const article = blocked.slice(0, blocked.indexOf('test inquiry', 40));
    expect(article).toContain('not sent');
    expect(article).toContain('form opened, not submitted: a CAPTCHA blocked it');
    expect(article).not.toMatch(/inquiry submitted|after submitting/);
    // Lakeside is in New York, the others in Chicago.
    expect(json.sites.find((x) => x.id === 'lakeside')!.timezone).toBe('America/New_York');
    expect(text).toMatch(/Times are Lakeside Hospital's local time \(America\/New_York\)\. [^]*? \d\d:\d\d E[SD]T call placed/);
  });

  it('its report fits a desktop and a phone: nothing past the page or out of its card', async () => {
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--disable-background-networking', '--no-first-run', '--disable-dev-shm-usage'] });
    try {
      for (const width of [1280, 390]) {
        const page = await browser.newPage({ viewport: { width, height: 900 } });
        await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load' });
        expect(await overflows(page), `${width} px`).toEqual([]);
        expect(await brokenWords(page), `${width} px`).toEqual([]);
        await page.close();
      }
    } finally {
      await browser.close();
    }
  });

  it('report and status on configs/demo.yaml afterwards need no DEMO_* variable (they use no channel or target)', async () => {
    const env: Record<string, string | undefined> = { RESPOND_AUDIT_STORE: storePath };
    for (const k of Object.keys(process.env)) if (k.startsWith('DEMO_')) env[k] = undefined;
    const status = await cliProcess(['status', 'configs/demo.yaml'], { cwd: ROOT, env });
    expect([status.code, status.stderr]).toEqual([0, '']);
    expect(status.stdout).toMatch(/^  #1 run \w{3} \d+ \w{3} \d\d:\d\d C[SD]T /m);
    expect(status.stdout).not.toMatch(/\d\dZ\b|T\d\d:\d\d:/);
    const report = await cliProcess(['report', 'configs/demo.yaml', '--format', 'json'], { cwd: ROOT, env });
    expect([0, 1]).toContain(report.code);
    expect(report.stderr).not.toMatch(/environment variable/);
    expect((JSON.parse(report.stdout) as { sites: unknown[] }).sites).toHaveLength(4);
  });
});
