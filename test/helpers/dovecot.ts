/**
 * A private Dovecot per test file (started in beforeAll) and a fresh user per test, so
 * tests never see each other's mail. Also: writing messages straight into a Maildir (any
 * INTERNALDATE, fast) and appending over IMAP (Dovecot clamps INTERNALDATEs more than a few
 * hours in the future to now, so tests date replies in the past).
 */
import { randomBytes } from 'node:crypto';
import { chownSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll } from 'vitest';
import { startDovecot, type DovecotInstance } from '../../src/sandbox/dovecot.js';

export interface TestMailUser {
  user: string;
  pass: string;
}

export interface DovecotFixture {
  readonly server: DovecotInstance;
  freshUser(): TestMailUser;
  client(u: TestMailUser): Promise<ImapFlow>;
  append(u: TestMailUser, raw: string | Buffer, date: Date, mailbox?: string): Promise<void>;
  /** Writes into Maildir cur/ (file mtime becomes INTERNALDATE). folder: '' for INBOX, 'Junk', … */
  writeMaildir(u: TestMailUser, raw: string | Buffer, date: Date, folder?: string): void;
}

export function useDovecot(): DovecotFixture {
  let server: DovecotInstance | undefined;
  let n = 0;
  beforeAll(async () => {
    server = await startDovecot();
  });
  afterAll(async () => {
    await server?.destroy();
  });
  const fx: DovecotFixture = {
    get server() {
      if (!server) throw new Error('dovecot not started (useDovecot must be called at the top of the file)');
      return server;
    },
    freshUser() {
      return fx.server.newUser(`shopper${++n}x`);
    },
    async client(u) {
      const c = new ImapFlow({ host: fx.server.host, port: fx.server.imapPort, secure: false, auth: { user: u.user, pass: u.pass }, logger: false, disableAutoIdle: true });
      c.on('error', () => undefined);
      await c.connect();
      return c;
    },
    async append(u, raw, date, mailbox = 'INBOX') {
      const c = await fx.client(u);
      try {
        // Special-use folders are created on first access; make sure it exists.
        if (mailbox !== 'INBOX') await c.mailboxCreate(mailbox).catch(() => undefined);
        await c.append(mailbox, raw, [], date);
      } finally {
        await c.logout();
      }
    },
    writeMaildir(u, raw, date, folder = '') {
      const root = join(fx.server.maildir(u.user), folder ? `.${folder}` : '');
      for (const d of ['', 'cur', 'new', 'tmp']) {
        mkdirSync(join(root, d), { recursive: true });
        if (process.getuid?.() === 0) chownSync(join(root, d), 65534, 65534);
      }
      const dir = join(root, 'cur');
      const name = `${Math.floor(date.getTime() / 1000)}.M${randomBytes(6).toString('hex')}.test:2,`;
      const file = join(dir, name);
      writeFileSync(file, raw);
      if (process.getuid?.() === 0) chownSync(file, 65534, 65534);
      utimesSync(file, date, date);
    },
  };
  return fx;
}
