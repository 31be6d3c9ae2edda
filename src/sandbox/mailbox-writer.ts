/**
 * How the sandbox puts a reply into the shopper's mailbox with the time it "arrived":
 * IMAP APPEND with an INTERNALDATE (any server; Dovecot clamps dates more than a few hours
 * in the future to now, so simulated clocks should run in the past), or a file written
 * straight into a local Maildir whose mtime becomes the INTERNALDATE (Dovecot; any date).
 */
import { randomBytes } from 'node:crypto';
import { chownSync, mkdirSync, renameSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';

export interface MailboxWriter {
  /** mailbox: 'INBOX' (default) or 'Junk'. */
  deliver(raw: string | Buffer, internalDate: Date, mailbox?: string): Promise<void>;
  close(): Promise<void>;
}

export function imapAppendWriter(o: { host: string; port: number; secure?: boolean; user: string; pass: string }): MailboxWriter {
  let client: ImapFlow | null = null;
  const connect = async () => {
    if (client?.usable) return client;
    client = new ImapFlow({ host: o.host, port: o.port, secure: o.secure ?? false, auth: { user: o.user, pass: o.pass }, logger: false, disableAutoIdle: true });
    client.on('error', () => undefined);
    await client.connect();
    return client;
  };
  return {
    async deliver(raw, internalDate, mailbox = 'INBOX') {
      const c = await connect();
      if (mailbox !== 'INBOX') await c.mailboxCreate(mailbox).catch(() => undefined);
      await c.append(mailbox, raw, [], internalDate);
    },
    async close() {
      const c = client;
      client = null;
      if (c?.usable) await c.logout().catch(() => undefined);
    },
  };
}

/** Writes into `<maildir>/[.Folder/]new` (tmp → new, as MTAs do); owner uid/gid for Dovecot. */
export function maildirWriter(maildir: string, owner?: { uid: number; gid: number }): MailboxWriter {
  return {
    async deliver(raw, internalDate, mailbox = 'INBOX') {
      const root = mailbox.toUpperCase() === 'INBOX' ? maildir : join(maildir, `.${mailbox}`);
      for (const d of ['', 'cur', 'new', 'tmp']) {
        mkdirSync(join(root, d), { recursive: true });
        if (owner) chownSync(join(root, d), owner.uid, owner.gid);
      }
      const name = `${Math.floor(internalDate.getTime() / 1000)}.M${randomBytes(8).toString('hex')}.sandbox`;
      const tmp = join(root, 'tmp', name);
      writeFileSync(tmp, raw);
      if (owner) chownSync(tmp, owner.uid, owner.gid);
      utimesSync(tmp, internalDate, internalDate);
      renameSync(tmp, join(root, 'new', name));
    },
    async close() {},
  };
}
