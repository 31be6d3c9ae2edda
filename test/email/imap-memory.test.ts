/** The demo's fallback IMAP server (hoodiecrow, in process) works with the collector. */
import { describe, expect, it } from 'vitest';
import { ImapCollector } from '../../src/collect/imap.js';
import { startMemoryImap } from '../../src/sandbox/imap-memory.js';
import { imapAppendWriter } from '../../src/sandbox/mailbox-writer.js';
import { emailSetup, replyEml, sentProbe } from './setup.js';

describe('in-process IMAP server (hoodiecrow)', () => {
  it('collects INBOX and Junk replies once', async () => {
    const imap = await startMemoryImap();
    try {
      const s = emailSetup({ imap: { port: imap.port, user: imap.user, pass: imap.pass } });
      const p = sentProbe(s, { submittedAt: s.clock.now() });
      const w = imapAppendWriter({ host: imap.host, port: imap.port, user: imap.user, pass: imap.pass });
      const at = (h: number) => new Date(s.clock.now() + h * 3_600_000);
      const mail = (h: number) => replyEml({ from: 'desk@north.example.org', to: `jordan+${p.token}@example.net`, date: at(h), body: `Hi Jordan, Friday at ${h} pm works. Would that suit you?` });
      await w.deliver(mail(1), at(1));
      await w.deliver(mail(2), at(2), 'Junk');
      await w.close();
      const c = new ImapCollector({ loaded: s.loaded, store: s.store, clock: s.clock, env: s.env, log: () => undefined, signal: new AbortController().signal });
      expect((await c.collectOnce()).added).toBe(2);
      expect((await c.collectOnce()).added).toBe(0);
      await c.close();
      expect(s.store.eventsForProbe(p.id).map((e) => e.kind)).toEqual(['human-reply', 'human-reply']);
    } finally {
      await imap.close();
    }
  });
});
