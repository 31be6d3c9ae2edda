/**
 * `doctor`'s mail checks (what is asked, how an answer becomes ok / FAIL and the exit code)
 * with fakes of the IMAP client and the SMTP transport it does not test here. The real
 * servers are test/email's integration tests (Dovecot, the sandbox SMTP server).
 */
import type { ImapFlow, ImapFlowOptions } from 'imapflow';
import { describe, expect, it } from 'vitest';
import type { Adapters } from '../../src/adapters.js';
import { cli } from '../helpers/cli.js';
import { tempTree } from '../helpers/tmp.js';

const CONFIG = `organization: Test Org
timezone: America/Chicago
shopper:
  name: Jordan Avery
  email: jordan+{token}@shopper.test
channels:
  smtp: { host: smtp.shopper.test, port: 587, user: jordan@shopper.test, pass: "\${MAIL_PASS}" }
  imap: { host: imap.shopper.test, port: 993, user: jordan@shopper.test, pass: "\${MAIL_PASS}" }
sites:
  - id: s0
    name: Site 0
    serviceLines:
      - id: l0
        name: Line 0
        entryPoints:
          - type: email
            to: info@site.example.org
`;
const ENV = { MAIL_PASS: 'app-password-123' };

/** An IMAP client that records how it was built and used; `refuse` makes the login fail as imapflow does. */
function fakeImap(refuse: boolean) {
  const seen = { options: [] as ImapFlowOptions[], calls: [] as string[] };
  const imapClient: Adapters['imapClient'] = async (options) => {
    seen.options.push(options);
    const client = {
      on: () => client,
      connect: async () => {
        seen.calls.push('connect');
        if (refuse) throw Object.assign(new Error('Command failed'), { authenticationFailed: true, responseText: 'Invalid credentials' });
      },
      logout: async () => void seen.calls.push('logout'),
      close: () => void seen.calls.push('close'),
    };
    return client as unknown as ImapFlow;
  };
  return { imapClient, seen };
}

const smtpOk: Adapters['smtpTransport'] = async () => ({ sendMail: async () => ({}), verify: async () => true, close: () => undefined });

describe('doctor with the mail clients handed in', () => {
  it('logs in to IMAP with the configured account, logs out, and reports ok (exit 0)', async () => {
    const dir = tempTree({ 'configs/audit.yaml': CONFIG, 'probes/new-inquiry.yaml': 'subject: "Q"\nvariants: ["Hello"]\n' });
    const imap = fakeImap(false);
    const r = await cli(['doctor'], { cwd: dir, env: ENV, adapters: { imapClient: imap.imapClient, smtpTransport: smtpOk } });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/ok\s+imap: imap\.shopper\.test:993 accepts the login/);
    expect(r.stdout).toMatch(/ok\s+smtp: smtp\.shopper\.test:587 accepts the login/);
    expect(r.code).toBe(0);
    expect(imap.seen.options).toHaveLength(1);
    expect(imap.seen.options[0]).toMatchObject({ host: 'imap.shopper.test', port: 993, auth: { user: 'jordan@shopper.test', pass: 'app-password-123' } });
    expect(imap.seen.calls).toEqual(['connect', 'logout', 'close']);
  });

  it('a refused IMAP login is a FAIL with what to check, exit 3, and the password is never printed', async () => {
    const dir = tempTree({ 'configs/audit.yaml': CONFIG, 'probes/new-inquiry.yaml': 'subject: "Q"\nvariants: ["Hello"]\n' });
    const imap = fakeImap(true);
    const r = await cli(['doctor'], { cwd: dir, env: ENV, adapters: { imapClient: imap.imapClient, smtpTransport: smtpOk } });
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/FAIL imap: imap\.shopper\.test:993: Command failed/);
    expect(r.stdout).toMatch(/check host, port, TLS settings and the password variable/);
    expect(r.stdout + r.stderr).not.toContain('app-password-123');
    expect(imap.seen.calls).toEqual(['connect', 'close']);
  });
});
