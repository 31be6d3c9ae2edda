/**
 * An in-process IMAP server (hoodiecrow-imap: memory only, one account) for a zero-setup
 * demo on machines without Dovecot. Not the reference server of the tests: no QRESYNC, no
 * LIST-STATUS, old code. The demo uses Dovecot when `dovecotAvailable()`, else this.
 */
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';

export interface MemoryImap {
  host: string;
  port: number;
  user: string;
  pass: string;
  close(): Promise<void>;
}

interface HoodiecrowServer {
  listen(port: number, host: string, cb: () => void): void;
  close(cb?: () => void): void;
  server?: { address(): AddressInfo };
  address?: () => AddressInfo;
}

export async function startMemoryImap(opts: { user?: string; pass?: string } = {}): Promise<MemoryImap> {
  const require = createRequire(import.meta.url);
  const hoodiecrow = require('hoodiecrow-imap') as (o: unknown) => HoodiecrowServer;
  const user = opts.user ?? 'shopper';
  const pass = opts.pass ?? 'sandbox-pass';
  const server = hoodiecrow({
    plugins: ['ID', 'SASL-IR', 'AUTH-PLAIN', 'NAMESPACE', 'IDLE', 'ENABLE', 'CONDSTORE', 'LITERALPLUS', 'UNSELECT', 'SPECIAL-USE', 'UIDPLUS'],
    id: { name: 'respond-audit sandbox', version: '1' },
    users: { [user]: { password: pass } },
    storage: {
      INBOX: { messages: [] },
      '': { separator: '/', folders: { Junk: { 'special-use': '\\Junk', messages: [] } } },
    },
    debug: false,
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = (server.server?.address() ?? server.address?.()) as AddressInfo;
  return {
    host: '127.0.0.1',
    port: addr.port,
    user,
    pass,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
