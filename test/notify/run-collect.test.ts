/**
 * `run --collect-for` is the nightly recipe's one command: after collecting it sends the
 * alerts too. Loopback only: the sandbox SMTP intake, a private Dovecot, a webhook receiver.
 */
import { appendFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { startMailIntake } from '../../src/sandbox/mail.js';
import { cli } from '../helpers/cli.js';
import { useDovecot } from '../helpers/dovecot.js';
import { emailSetup } from '../email/setup.js';
import { bodyText, startReceiver } from './receiver.js';

const dovecot = useDovecot();
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

describe('run --collect-for', () => {
  it('sends the alerts after collecting, once; --no-notify skips them', async () => {
    const hook = await startReceiver();
    closers.push(() => hook.close());
    // South's inbox refuses the inquiry: not sent, a failed run and a finding.
    const intake = await startMailIntake({ clock: systemClock, rejectRecipient: (a) => (a.endsWith('@south.example.org') ? 'mailbox unavailable' : undefined) });
    closers.push(() => intake.close());
    const u = dovecot.freshUser();
    const s = emailSetup({
      smtp: { port: intake.port },
      imap: { port: dovecot.server.imapPort, user: u.user, pass: u.pass },
    });
    s.store.close();
    appendFileSync(s.configPath, 'reports:\n  notify:\n    webhook:\n      url: ${TEST_ALERT_WEBHOOK}\n    failingAfter: 2\n');
    const env = { ...s.env, TEST_ALERT_WEBHOOK: hook.url };
    const run = await cli(['run', 'configs/audit.yaml', '--only', 'email', '--collect-for', '1s'], { cwd: s.dir, env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/sent \d+ alerts by webhook/);
    expect(hook.received).toHaveLength(1);
    const text = bodyText(hook.received[0]!);
    expect(text).toContain('South Clinic / Orthopedics / email: degraded, failed the last 1 run (failing after 2)');
    expect(text).toMatch(/New findings \(1\):\*\n• South Clinic orthopedics email: could not be tested/);
    expect(run.stdout + run.stderr).not.toContain(hook.url);

    const report = await cli(['report', 'configs/audit.yaml'], { cwd: s.dir, env });
    expect(report.code).toBe(0);
    expect(hook.attempts).toBe(1);

    // Commands that do not notify need no webhook variable.
    const quiet = await cli(['run', 'configs/audit.yaml', '--only', 'email', '--before-campaign', '--collect-for', '1s', '--no-notify'], { cwd: s.dir, env: s.env });
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(hook.attempts).toBe(1);
    expect((await cli(['collect', 'configs/audit.yaml'], { cwd: s.dir, env: s.env })).code).toBe(0);
    const needed = await cli(['run', 'configs/audit.yaml', '--only', 'email', '--collect-for', '1s'], { cwd: s.dir, env: s.env });
    expect(needed.code).toBe(2);
    expect(needed.stderr).toContain('reports.notify.webhook.url: environment variable TEST_ALERT_WEBHOOK is not set');
  });
});
