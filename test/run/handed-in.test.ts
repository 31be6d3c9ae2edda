/**
 * `run` (planning, the probe lifecycle in the store, the submitters) against fakes of the
 * outside systems it does not test here: a Twilio client and an SMTP transport that record
 * what they were asked. The integration tests (test/phone, test/email) keep the real servers.
 */
import { describe, expect, it } from 'vitest';
import type { Adapters, SmtpTransport } from '../../src/adapters.js';
import { Store } from '../../src/store/store.js';
import type { TwilioHandle } from '../../src/twilio/client.js';
import { cli } from '../helpers/cli.js';
import { configWith } from '../plan/helpers.js';

// A Tuesday, 10:00 in Chicago: inside any quiet-hours rule's open time.
const ENV = { SID: 'ACx', TOKEN: 'tok', RESPOND_AUDIT_NOW: '2027-03-09T16:00:00Z' };

/** A Twilio client whose messages.create records each text and answers with a SID. */
function recordingTwilio() {
  const texts: Array<{ to: string; from: string; body: string }> = [];
  const clients: unknown[] = [];
  const twilioClient: Adapters['twilioClient'] = async (creds) => {
    clients.push(creds.accountSid);
    const client = {
      messages: {
        create: async (p: { to: string; from: string; body: string }) => {
          texts.push(p);
          return { sid: `SM${String(texts.length).padStart(32, '0')}`, dateCreated: new Date(Date.parse(ENV.RESPOND_AUDIT_NOW) + 1000) };
        },
        list: async () => [],
      },
    };
    return { client: client as unknown as TwilioHandle['client'], accountSid: creds.accountSid, fetchMedia: async () => undefined };
  };
  return { twilioClient, texts, clients };
}

/** An SMTP transport that records each message and accepts it as a server would. */
function recordingSmtp() {
  const sent: Array<{ from: unknown; to: unknown; messageId: unknown; subject: unknown }> = [];
  let closed = 0;
  const smtpTransport: Adapters['smtpTransport'] = async () =>
    ({
      sendMail: async (m) => {
        sent.push({ from: m.from, to: m.to, messageId: m.messageId, subject: m.subject });
        return { response: '250 2.0.0 Ok: queued' };
      },
      verify: async () => true,
      close: () => void closed++,
    }) satisfies SmtpTransport;
  return { smtpTransport, sent, closed: () => closed };
}

describe('run with the outside systems handed in', () => {
  it('plans the texts and sends each through the Twilio client it is given, once, from a pool number', async () => {
    const { root, loaded } = configWith({
      sites: 2,
      linesPerSite: 2,
      entry: (s, l) => `          - type: sms\n            number: "+1312556${s}${l}01"\n`,
    });
    const twilio = recordingTwilio();
    const r = await cli(['run', '--json'], { cwd: root, env: ENV, adapters: { twilioClient: twilio.twilioClient } });
    expect(r.stderr).not.toMatch(/could not start|error/i);
    expect(r.code).toBe(0);
    expect(twilio.clients).toEqual(['ACx']);
    expect(twilio.texts.map((t) => t.to).sort()).toEqual(['+13125560001', '+13125560101', '+13125561001', '+13125561101']);
    for (const t of twilio.texts) expect(['+13125550101', '+13125550102', '+13125550103']).toContain(t.from);
    const store = new Store(loaded.storePath);
    try {
      const probes = store.listProbes();
      expect(probes).toHaveLength(4);
      expect(probes.every((p) => p.status === 'submitted' && /^SM\d{32}$/.test(p.externalId ?? ''))).toBe(true);
    } finally {
      store.close();
    }
    // The plan remembers what was sent: a second run right after has nothing due.
    const again = await cli(['run', '--json'], { cwd: root, env: ENV, adapters: { twilioClient: twilio.twilioClient } });
    expect(again.code).toBe(0);
    expect(twilio.texts).toHaveLength(4);
  });

  it('sends each email through the SMTP transport it is given, from the probe\'s plus-address', async () => {
    const { root, loaded } = configWith({
      sites: 1,
      linesPerSite: 2,
      entry: (s, l) => `          - type: email\n            to: l${l}@s${s}.example.org\n`,
    });
    const smtp = recordingSmtp();
    const r = await cli(['run', '--only', 'email'], { cwd: root, env: ENV, adapters: { smtpTransport: smtp.smtpTransport } });
    expect(r.code).toBe(0);
    expect(smtp.sent.map((m) => m.to).sort()).toEqual(['l0@s0.example.org', 'l1@s0.example.org']);
    expect(smtp.closed()).toBe(2);
    const store = new Store(loaded.storePath);
    try {
      for (const m of smtp.sent) {
        const probe = store.probeByMessageId(String(m.messageId));
        expect(probe?.status).toBe('submitted');
        expect(m.from).toEqual({ name: 'Jordan Avery', address: `jordan+${probe!.token}@example.net` });
      }
    } finally {
      store.close();
    }
  });
});
