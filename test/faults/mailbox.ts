/**
 * Many replies in a Dovecot mailbox, fast: probes recorded in the store as `run` would, and
 * replies to them written straight into the Maildir (one unique Message-ID each, so a test
 * can tell a reply stored twice from two replies).
 */
import type { DovecotInstance } from '../../src/sandbox/dovecot.js';
import { maildirWriter } from '../../src/sandbox/mailbox-writer.js';
import type { ProbeRow } from '../../src/store/types.js';
import { replyEml, sentProbe, type EmailSetup } from '../email/setup.js';

export const MAIL_OWNER = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;

export function seedProbes(s: EmailSetup, n: number, entryKey = 'south/ortho/email'): ProbeRow[] {
  return Array.from({ length: n }, () => sentProbe(s, { submittedAt: s.clock.now(), entryKey }));
}

let seq = 0;

/** Writes `perProbe` replies to each probe, spread over `mailboxes`; returns their Message-IDs. */
export async function deliverReplies(
  server: DovecotInstance,
  user: string,
  probes: ProbeRow[],
  perProbe: number,
  o: { t0: number; mailboxes?: string[] },
): Promise<string[]> {
  const w = maildirWriter(server.maildir(user), MAIL_OWNER);
  const boxes = o.mailboxes ?? ['INBOX'];
  const ids: string[] = [];
  for (const p of probes)
    for (let k = 0; k < perProbe; k++) {
      const n = ++seq;
      const id = `<r${n}.${p.token}@south.example.org>`;
      const date = new Date(o.t0 + 60_000 + n * 1000);
      const raw = replyEml({ from: 'desk@south.example.org', to: `jordan+${p.token}@example.net`, date, messageId: id, body: `Hi Jordan, this is reply ${n}. Friday at 3pm works for us.` });
      await w.deliver(raw, date, boxes[n % boxes.length]);
      ids.push(id.toLowerCase());
    }
  return ids;
}
