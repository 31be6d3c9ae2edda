/**
 * Alerts end to end through the CLI: a store built as the collectors write it, `report` run
 * against it, and what a webhook receiver on loopback and the SMTP intake got.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { BASE_CONFIG, BASE_ENV, BASE_INQUIRY } from '../fixtures/base-config.js';
import { cli, cliProcess } from '../helpers/cli.js';
import { startMailIntake } from '../helpers/smtp.js';
import { tempTree } from '../helpers/tmp.js';
import { Builder, DAY, HOUR, MIN, scenario } from '../report/fixture.js';
import { bodyText, startReceiver, type Receiver } from './receiver.js';

const closers: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

const NOTIFY = (extra = '') => `reports:
  notify:
    webhook:
      url: \${TEST_ALERT_WEBHOOK}
      timeout: 2s
    gradeDrop: 10
    failingAfter: 2
${extra}sites:
`;

function configWith(notify: string): string {
  return BASE_CONFIG.replace('safety:\n', 'safety:\n  allowLocal: true\n').replace('sites:\n', notify);
}

async function receiver(): Promise<Receiver> {
  const r = await startReceiver();
  closers.push(() => r.close());
  return r;
}

/** A project whose store holds the report tests' scenario, ten days old by the real clock. */
function scenarioProject(config: string) {
  const root = tempTree({ 'configs/audit.yaml': config, 'probes/new-inquiry.yaml': BASE_INQUIRY });
  const t0 = Math.floor(Date.now() / MIN) * MIN - 10 * DAY;
  const { b } = scenario(join(root, 'configs'), { file: 'respond-audit.db', t0 });
  closers.push(() => b.store.close());
  return { root, b, t0 };
}

const report = (root: string, hook: Receiver | null, ...args: string[]) =>
  cli(['report', ...args], { cwd: root, env: { ...BASE_ENV, ...(hook ? { TEST_ALERT_WEBHOOK: hook.url } : {}) } });

describe('alerts (reports.notify) by webhook', () => {
  it('sends the current findings once: a second identical report sends nothing', async () => {
    const hook = await receiver();
    const { root } = scenarioProject(configWith(NOTIFY()));
    const first = await report(root, hook);
    expect(first.code).toBe(0);
    expect(hook.received).toHaveLength(1);
    const got = hook.received[0]!;
    expect(got.contentType).toMatch(/^application\/json/);
    expect(typeof got.body.text).toBe('string');
    const text = bodyText(got);
    expect(text).toContain('*New findings');
    expect(text).toContain('North Clinic orthopedics email: no reply after 10 days');
    expect(text).toContain("kept on hold past the caller's patience");
    expect(first.stderr).toMatch(/sent \d+ alerts by webhook/);

    const second = await report(root, hook);
    expect(second.code).toBe(0);
    expect(hook.attempts).toBe(1);
    expect(second.stderr).not.toMatch(/alert/);
  });

  it('two reports at once on one store send the alerts once: the second waits for the first to record them', async () => {
    const hook = await receiver();
    hook.delayMs = 1200; // the first report is still sending when the second evaluates (timeout 2 s)
    const { root } = scenarioProject(configWith(NOTIFY()));
    const env = { ...BASE_ENV, TEST_ALERT_WEBHOOK: hook.url };
    const [a, b] = await Promise.all([cliProcess(['report'], { cwd: root, env }), cliProcess(['report'], { cwd: root, env })]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(hook.attempts).toBe(1);
    expect([a.stderr, b.stderr].filter((e) => /sent \d+ alerts by webhook/.test(e))).toHaveLength(1);
  });

  it('alerts once when a grade drops by more than gradeDrop since the last report', async () => {
    const hook = await receiver();
    const { root, b, t0 } = scenarioProject(configWith(NOTIFY('    newFindings: false\n')));
    expect((await report(root, hook)).code).toBe(0);
    // No finding alerts (newFindings: false) and no grade to compare with yet: only the
    // entry points whose first run failed (degraded).
    expect(hook.received).toHaveLength(1);
    expect(bodyText(hook.received[0]!)).not.toMatch(/Grade drops|New findings/);
    // A second night: Lakeside's email goes unanswered twice.
    b.run(2, t0 + DAY);
    b.probe('lakeside/ortho/email', { at: t0 + DAY, run: 2 });
    b.probe('lakeside/ortho/email', { at: t0 + DAY + HOUR, run: 2 });
    const r = await report(root, hook);
    expect(r.code).toBe(0);
    expect(hook.received).toHaveLength(2);
    const text = bodyText(hook.received[1]!);
    expect(text).toContain('*Grade drops');
    expect(text).toMatch(/Lakeside Hospital \/ Orthopedics \/ email: grade \d+(\.\d)? → \d+(\.\d)? \(down \d+/);
    expect(text).not.toContain('North Clinic');
    expect((await report(root, hook)).code).toBe(0);
    expect(hook.attempts).toBe(2);
  });

  it('an entry point failing runs in a row is degraded, then failing; then it recovers', async () => {
    const hook = await receiver();
    const root = tempTree({ 'configs/audit.yaml': configWith(NOTIFY('    newFindings: false\n')), 'probes/new-inquiry.yaml': BASE_INQUIRY });
    const b = new Builder(join(root, 'configs'), 'respond-audit.db');
    closers.push(() => b.store.close());
    const t0 = Date.now() - 5 * DAY;
    const blocked = (n: number) => {
      b.run(n, t0 + n * HOUR);
      b.probe('north/ortho/webform', { at: t0 + n * HOUR, run: n, status: 'not-sent', outcome: 'refused', error: 'the page answered 503' });
    };
    blocked(1);
    await report(root, hook);
    expect(hook.received).toHaveLength(1);
    expect(bodyText(hook.received[0]!)).toMatch(/\*Degraded \(1\):\*\n• North Clinic \/ Orthopedics \/ webform: degraded, failed the last 1 run \(failing after 2\)/);
    await report(root, hook);
    expect(hook.received).toHaveLength(1);

    blocked(2);
    await report(root, hook);
    expect(hook.received).toHaveLength(2);
    expect(bodyText(hook.received[1]!)).toContain('North Clinic / Orthopedics / webform: failing, 2 runs in a row');
    blocked(3);
    await report(root, hook);
    expect(hook.received).toHaveLength(2);

    b.run(4, t0 + 4 * HOUR);
    const ok = b.probe('north/ortho/webform', { at: t0 + 4 * HOUR, run: 4 });
    b.event(ok, 'human-reply', t0 + 4 * HOUR + 20 * MIN, { excerpt: 'Happy to help, we have slots on Monday.' });
    await report(root, hook);
    expect(hook.received).toHaveLength(3);
    expect(bodyText(hook.received[2]!)).toContain('North Clinic / Orthopedics / webform: recovered, passed its last run (was failing)');
    await report(root, hook);
    expect(hook.received).toHaveLength(3);
  });

  it('a failing webhook is a warning: the exit code stands, nothing is recorded, the next report retries', async () => {
    const hook = await receiver();
    const { root } = scenarioProject(configWith(NOTIFY()));
    hook.answer = 500;
    const failed = await report(root, hook, '--fail-under', '0');
    expect(failed.code).toBe(0);
    expect(failed.stderr).toMatch(/warning: alerts by webhook were not sent \(127\.0\.0\.1:\d+ answered HTTP 500: internal_error\); the report is unaffected and the next report tries again/);
    expect(failed.stdout).toContain('Lakeside Health: response audit');
    // Below the threshold the report still exits 1, not something else.
    expect((await report(root, hook, '--fail-under', '60')).code).toBe(1);

    hook.answer = 'hang';
    const hung = await report(root, hook);
    expect(hung.code).toBe(0);
    expect(hung.stderr).toMatch(/alerts by webhook were not sent \(no answer within 2 s\)/);

    hook.answer = 200;
    const retried = await report(root, hook);
    expect(retried.code).toBe(0);
    expect(hook.received).toHaveLength(1);
    expect(bodyText(hook.received[0]!)).toContain('North Clinic orthopedics email: no reply after 10 days');
  });

  it('never shows or stores the webhook URL', async () => {
    const hook = await receiver();
    const { root } = scenarioProject(configWith(NOTIFY()));
    hook.answer = 500;
    const outputs = [await report(root, hook, '--notify-preview'), await report(root, hook), await cli(['--debug', 'report'], { cwd: root, env: { ...BASE_ENV, TEST_ALERT_WEBHOOK: hook.url } })];
    hook.answer = 200;
    outputs.push(await cli(['--debug', 'report', '--format', 'json'], { cwd: root, env: { ...BASE_ENV, TEST_ALERT_WEBHOOK: hook.url } }));
    expect(hook.received).toHaveLength(1);
    for (const o of outputs) {
      expect(o.stdout + o.stderr).not.toContain('s3cretW3bhookT0ken');
      expect(o.stdout + o.stderr).not.toContain(hook.url);
    }
    const db = readFileSync(join(root, 'configs/respond-audit.db'));
    expect(db.includes('s3cretW3bhookT0ken')).toBe(false);
    const raw = new Database(join(root, 'configs/respond-audit.db'), { readonly: true });
    closers.push(() => void raw.close());
    const rows = raw.prepare('SELECT channel, subject, state, value FROM notify_state').all() as Array<Record<string, unknown>>;
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toContain('s3cret');
  });

  it('--notify-preview prints what would be sent and records nothing; --no-notify sends nothing', async () => {
    const hook = await receiver();
    const { root } = scenarioProject(configWith(NOTIFY()));
    const preview = await report(root, hook, '--notify-preview', '--format', 'json');
    expect(preview.code).toBe(0);
    expect(JSON.parse(preview.stdout)).toMatchObject({ organization: 'Lakeside Health' });
    expect(preview.stderr).toContain('notify preview (webhook): would send');
    expect(preview.stderr).toContain('- North Clinic orthopedics email: no reply after 10 days');
    expect(hook.attempts).toBe(0);
    // --no-notify needs no webhook variable at all.
    const skipped = await report(root, null, '--no-notify');
    expect(skipped.code).toBe(0);
    expect(hook.attempts).toBe(0);
    // Without --no-notify the variable is needed: exit 2 naming it.
    const missing = await report(root, null);
    expect(missing.code).toBe(2);
    expect(missing.stderr).not.toContain('give a webhook');
    expect(missing.stderr).toMatch(/configs\/audit\.yaml:\d+:\d+ reports\.notify\.webhook\.url: environment variable TEST_ALERT_WEBHOOK is not set/);
    expect((await report(root, hook)).code).toBe(0);
    expect(hook.received).toHaveLength(1);
  });

  it('redacts staff details and escapes what the organization wrote for Slack', async () => {
    const hook = await receiver();
    const root = tempTree({ 'configs/audit.yaml': configWith(NOTIFY()), 'probes/new-inquiry.yaml': BASE_INQUIRY });
    const b = new Builder(join(root, 'configs'), 'respond-audit.db');
    closers.push(() => b.store.close());
    b.probe('north/ortho/webform', { at: Date.now() - DAY, status: 'not-sent', outcome: '<!channel> call Dr. Maria Lopez at 312-555-0199 & <https://evil.example.com|click>' });
    expect((await report(root, hook)).code).toBe(0);
    const text = bodyText(hook.received[0]!);
    expect(text).toContain('&lt;!channel&gt; call Dr. [name] at [phone] &amp; &lt;https://evil.example.com|click&gt;');
    expect(text).not.toMatch(/<!channel>|Maria|555-0199|<https/);
  });
});

describe('alerts by email', () => {
  const emailConfig = (port: number) =>
    configWith(`reports:
  notify:
    email:
      to: [ops@lakeside.example.org]
      from: audit@example.net
sites:
`).replace('    host: smtp.example.net\n', `    host: 127.0.0.1\n    port: ${port}\n    requireTLS: false\n`);

  it('a refusing SMTP server is a warning, and nothing is recorded', async () => {
    const intake = await startMailIntake({ clock: systemClock, fault: 'refuse-data' });
    closers.push(() => intake.close());
    const { root } = scenarioProject(emailConfig(intake.port));
    const r = await cli(['report'], { cwd: root, env: BASE_ENV });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: alerts by email were not sent \(.+\); the report is unaffected and the next report tries again/);
    expect(r.stdout + r.stderr).not.toContain(BASE_ENV.TEST_SMTP_PASS);
    const preview = await cli(['report', '--notify-preview'], { cwd: root, env: BASE_ENV });
    expect(preview.stderr).toContain('notify preview (email): would send');
  });

  it('go through channels.smtp to reports.notify.email.to, once', async () => {
    const intake = await startMailIntake({ clock: systemClock, users: { 'jordan@example.net': BASE_ENV.TEST_SMTP_PASS } });
    closers.push(() => intake.close());
    const config = emailConfig(intake.port);
    const { root } = scenarioProject(config);
    const r = await cli(['report'], { cwd: root, env: BASE_ENV });
    expect(r.stderr).toMatch(/sent \d+ alerts by email/);
    expect(r.code).toBe(0);
    expect(intake.received).toHaveLength(1);
    const mail = intake.received[0]!;
    expect(mail.to).toEqual(['ops@lakeside.example.org']);
    expect(mail.subject).toMatch(/^respond-audit: \d+ alerts for Lakeside Health$/);
    expect(mail.text).toContain('- North Clinic orthopedics email: no reply after 10 days');
    expect((await cli(['report'], { cwd: root, env: BASE_ENV })).code).toBe(0);
    expect(intake.received).toHaveLength(1);
  });
});

describe('reports.notify validation', () => {
  const validate = (config: string) =>
    cli(['validate', 'configs/audit.yaml'], { cwd: tempTree({ 'configs/audit.yaml': config, 'probes/new-inquiry.yaml': BASE_INQUIRY }), env: { ...BASE_ENV, TEST_ALERT_WEBHOOK: 'https://hooks.example.com/services/x' } });

  it('accepts a webhook from ${ENV}', async () => {
    const r = await validate(configWith(NOTIFY()));
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
  });

  it('refuses a written URL, a bad threshold, and email without a sender, naming file, line and field (exit 2)', async () => {
    const written = await validate(configWith(NOTIFY()).replace('${TEST_ALERT_WEBHOOK}', 'https://hooks.example.com/services/T0/B0/inline'));
    expect(written.code).toBe(2);
    expect(written.stderr).toMatch(/configs\/audit\.yaml:\d+:\d+ reports\.notify\.webhook\.url: secrets may not be written in the file/);
    expect(written.stderr).not.toContain('/services/T0/B0/inline');

    const threshold = await validate(configWith(NOTIFY()).replace('failingAfter: 2', 'failingAfter: 0'));
    expect(threshold.code).toBe(2);
    expect(threshold.stderr).toMatch(/configs\/audit\.yaml:\d+:\d+ reports\.notify\.failingAfter: /);

    const email = await validate(configWith('reports:\n  notify:\n    email:\n      to: [not-an-address]\nsites:\n').replace('    user: jordan@example.net\n    pass: ${TEST_SMTP_PASS}\n', ''));
    expect(email.code).toBe(2);
    expect(email.stderr).toMatch(/reports\.notify\.email\.to\[0\]: "not-an-address" is not an email address/);
    expect(email.stderr).toMatch(/reports\.notify\.email: needs a from address/);

    const empty = await validate(configWith('reports:\n  notify:\n    gradeDrop: 5\nsites:\n'));
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/reports\.notify: give a webhook, an email, or both/);
  });
});
