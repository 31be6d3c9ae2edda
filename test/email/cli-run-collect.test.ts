/**
 * The CLI end to end on loopback: `run --only email` sends through the sandbox intake, the
 * front desk answers into the shopper's Dovecot mailbox, `collect` stores the events and
 * `status` shows what came back and what is still awaited.
 */
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { FrontDesk } from '../../src/sandbox/frontdesk.js';
import { imapAppendWriter } from '../../src/sandbox/mailbox-writer.js';
import { startMailIntake } from '../../src/sandbox/mail.js';
import { cli } from '../helpers/cli.js';
import { useDovecot } from '../helpers/dovecot.js';
import { emailSetup, replyEml } from './setup.js';

const dovecot = useDovecot();

describe('respond-audit run → collect → status (email)', () => {
  it('sends, collects the replies and shows them per probe', async () => {
    const u = dovecot.freshUser();
    const writer = imapAppendWriter({ host: dovecot.server.host, port: dovecot.server.imapPort, user: u.user, pass: u.pass });
    // People answer minutes later, not within seconds (a reply inside two minutes reads as a
    // machine's): the desk's clock runs half an hour ahead, so replies scripted 30 min after
    // the inquiry are delivered at once, dated 30 min after it.
    const HALF_HOUR = 30 * 60_000;
    const desk = new FrontDesk({
      clock: { now: () => systemClock.now() + HALF_HOUR },
      writer,
      organization: 'Lakeside Health',
      scripts: {
        'ortho@north.example.org': { from: 'North Ortho <ortho@north.example.org>', replies: [{ style: 'auto-ack', after: 0 }, { style: 'pass-along', after: HALF_HOUR }] },
        'cardio@north.example.org': { from: 'Cardio <cardio@north.example.org>', replies: [{ style: 'stop', after: HALF_HOUR }] },
      },
    });
    const intake = await startMailIntake({ clock: systemClock, onMessage: (m) => desk.onEmail(m) });
    try {
      const s = emailSetup({ smtp: { port: intake.port }, imap: { port: dovecot.server.imapPort, user: u.user, pass: u.pass } });
      s.store.close();
      const run = await cli(['run', 'configs/audit.yaml', '--only', 'email', '--json'], { cwd: s.dir, env: s.env });
      expect(run.code, run.stderr).toBe(0);
      expect(intake.received.map((m) => m.to[0]).sort()).toEqual(['cardio@north.example.org', 'ortho@north.example.org', 'ortho@south.example.org']);
      // Mail nothing can be matched to: kept, listed by status with why.
      await writer.deliver(replyEml({ from: 'news@shop.example.com', to: 'jordan@example.net', subject: 'Our sale', date: new Date(), body: 'Big sale today.' }), new Date());
      const col = await cli(['collect', 'configs/audit.yaml', '--json'], { cwd: s.dir, env: s.env });
      expect(col.code, col.stderr).toBe(0);
      expect(JSON.parse(col.stdout).sources[0]).toMatchObject({ source: 'imap', added: 4, attributed: 3, unattributed: 1 });
      const text = await cli(['status', 'configs/audit.yaml'], { cwd: s.dir, env: s.env });
      expect(text.stdout).toMatch(/Unattributed \(1\)\n.*unattributed from news@shop\.example\.com: Our sale/);
      const st = await cli(['status', 'configs/audit.yaml', '--json'], { cwd: s.dir, env: s.env });
      expect(JSON.parse(st.stdout).unattributed).toMatchObject([{ kind: 'unattributed', sender: 'news@shop.example.com', reasons: [expect.stringMatching(/no token, no thread header/)] }]);
      const open = JSON.parse(st.stdout).openProbes as Array<{ entry: string; received: Array<{ kind: string }>; awaiting: string[] }>;
      const byEntry = Object.fromEntries(open.map((p) => [p.entry, p]));
      expect(byEntry['north/ortho/email']!.received.map((e) => e.kind)).toEqual(['auto-ack', 'human-reply']);
      expect(byEntry['north/ortho/email']!.awaiting).toEqual(['follow-up']);
      expect(byEntry['north/cardio/email']!.received.map((e) => e.kind).sort()).toEqual(['human-reply', 'stop-request']);
      expect(byEntry['south/ortho/email']!.received).toEqual([]);
      // The stop request suppresses the site: the next run sends nothing to north.
      const again = await cli(['run', 'configs/audit.yaml', '--only', 'email', '--before-campaign', '--json'], { cwd: s.dir, env: s.env });
      expect(again.code, again.stderr).toBe(0);
      expect(intake.received.filter((m) => m.to[0]!.endsWith('@north.example.org'))).toHaveLength(2);
    } finally {
      await intake.close();
      await writer.close();
    }
  });
});
