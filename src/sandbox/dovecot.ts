/**
 * A private Dovecot instance (no systemd, no system config): the real IMAP server for the
 * tests, the bench and the demo when Dovecot is installed. Each instance lives in its own
 * folder with its own ports; users come from a passwd-file that Dovecot re-reads when it
 * changes, so tests add a fresh user per test without a restart.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Dovecot refuses uid 0 for mail users; nobody/nogroup is always there. */
const MAIL_UID = 65534;
const MAIL_GID = 65534;

export interface DovecotUser {
  user: string;
  pass: string;
}

export interface DovecotInstance {
  host: string;
  imapPort: number;
  lmtpPort: number;
  dir: string;
  /** Adds a user with its own password (read from a passwd-file, which Dovecot may re-read late: add these before logging in). */
  addUser(user: string, pass: string): void;
  /** A fresh user that can log in at once (any new name with the instance's shared password). */
  newUser(prefix?: string): DovecotUser;
  /** The user's Maildir root (cur/ new/ tmp/; folders as .Name). */
  maildir(user: string): string;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and removes its folder. */
  destroy(): Promise<void>;
}

export function dovecotAvailable(): boolean {
  return spawnSync('dovecot', ['--version'], { stdio: 'ignore' }).status === 0;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface DovecotOptions {
  users?: DovecotUser[];
  dir?: string;
  /** Advertise only these capabilities (e.g. a server without CONDSTORE/QRESYNC/LIST-STATUS). */
  capabilities?: string;
  /**
   * Also accept OAuth2 bearer tokens (SASL XOAUTH2 and/or OAUTHBEARER), validated by Dovecot's
   * oauth2 passdb through RFC 7662 introspection at this URL (e.g. the sandbox OAuth2 server).
   */
  oauth2?: { introspectionUrl: string; mechanisms?: Array<'xoauth2' | 'oauthbearer'> };
}

export async function startDovecot(opts: DovecotOptions = {}): Promise<DovecotInstance> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'respond-audit-dovecot-'));
  chmodSync(dir, 0o755);
  for (const d of ['base', 'state', 'home']) mkdirSync(join(dir, d), { recursive: true, mode: 0o755 });
  const imapPort = await freePort();
  const lmtpPort = await freePort();
  const passwd = join(dir, 'passwd');
  if (!existsSync(passwd)) writeFileSync(passwd, '');
  const asRoot = process.getuid?.() === 0;
  // Users not in the passwd-file log in with this password (so tests need no re-read).
  const sharedPass = `shared-${randomBytes(8).toString('hex')}`;
  let userSeq = 0;
  const me = asRoot ? null : (process.env.USER ?? spawnSync('id', ['-un']).stdout.toString().trim());
  const conf = `
base_dir = ${dir}/base
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
info_log_path = ${dir}/dovecot.log
protocols = imap lmtp
shutdown_clients = yes
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login${opts.oauth2 ? ' ' + (opts.oauth2.mechanisms ?? ['xoauth2', 'oauthbearer']).join(' ') : ''}
mail_location = maildir:~/Maildir
first_valid_uid = 1
mail_uid = ${asRoot ? MAIL_UID : process.getuid?.()}
mail_gid = ${asRoot ? MAIL_GID : process.getgid?.()}
${me ? `default_internal_user = ${me}\ndefault_login_user = ${me}\ndefault_internal_group = ${me}` : ''}
${opts.oauth2 ? `passdb {
  driver = oauth2
  mechanisms = ${(opts.oauth2.mechanisms ?? ['xoauth2', 'oauthbearer']).join(' ')}
  args = ${dir}/oauth2.conf.ext
}
` : ''}passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%n ${passwd}
}
passdb {
  driver = static
  args = password=${sharedPass}
}
userdb {
  driver = passwd-file
  args = username_format=%n ${passwd}
  default_fields = home=${dir}/home/%n
}
userdb {
  driver = static
  args = uid=${asRoot ? MAIL_UID : process.getuid?.()} gid=${asRoot ? MAIL_GID : process.getgid?.()} home=${dir}/home/%n
}
namespace inbox {
  inbox = yes
  separator = .
  mailbox Junk {
    special_use = \\Junk
    auto = create
  }
  mailbox Sent {
    special_use = \\Sent
    auto = create
  }
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${imapPort}
  }
  inet_listener imaps {
    port = 0
  }
  ${me ? 'chroot =' : ''}
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = ${lmtpPort}
  }
  unix_listener lmtp {
    mode = 0600
  }
}
service anvil {
  ${me ? 'chroot =' : ''}
}
protocol imap {
  mail_max_userip_connections = 100
  ${opts.capabilities ? `imap_capability = ${opts.capabilities}` : ''}
}
`;
  const confPath = join(dir, 'dovecot.conf');
  writeFileSync(confPath, conf);
  if (opts.oauth2)
    writeFileSync(
      join(dir, 'oauth2.conf.ext'),
      `introspection_mode = post\nintrospection_url = ${opts.oauth2.introspectionUrl}\nusername_attribute = username\nactive_attribute = active\nactive_value = true\n`,
    );
  let child: ChildProcess | null = null;
  const makeHome = (user: string) => {
    const home = join(dir, 'home', user);
    for (const d of ['', 'Maildir', 'Maildir/cur', 'Maildir/new', 'Maildir/tmp']) {
      mkdirSync(join(home, d), { recursive: true, mode: 0o700 });
      if (asRoot) chownSync(join(home, d), MAIL_UID, MAIL_GID);
    }
    return home;
  };

  const instance: DovecotInstance = {
    host: '127.0.0.1',
    imapPort,
    lmtpPort,
    dir,
    addUser(user, pass) {
      if (/[:\n]/.test(user) || /[:\n]/.test(pass)) throw new Error('user and password must not contain ":" or newlines');
      const home = makeHome(user);
      appendFileSync(passwd, `${user}:{PLAIN}${pass}:${asRoot ? MAIL_UID : process.getuid?.()}:${asRoot ? MAIL_GID : process.getgid?.()}::${home}\n`);
    },
    newUser(prefix = 'shopper') {
      const user = `${prefix}${++userSeq}${randomBytes(3).toString('hex')}`;
      makeHome(user);
      return { user, pass: sharedPass };
    },
    maildir(user) {
      return join(dir, 'home', user, 'Maildir');
    },
    async start() {
      if (child) return;
      child = spawn('dovecot', ['-F', '-c', confPath], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr?.on('data', (d) => (stderr += d));
      const c = child;
      c.once('exit', () => {
        if (child === c) child = null;
      });
      await waitForPort(imapPort, 10_000, () => (child ? undefined : `dovecot exited: ${stderr.trim() || tail(join(dir, 'dovecot.log'))}`));
    },
    async stop() {
      const c = child;
      if (!c) return;
      child = null;
      const exited = new Promise<void>((r) => c.once('exit', () => r()));
      // Its per-connection processes too: a stop must cut open IMAP sessions like a crash would.
      const children = descendants(c.pid);
      c.kill('SIGTERM');
      const t = setTimeout(() => c.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
      for (const pid of children) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
      // The master's children may still hold the listeners for a moment.
      await waitForPortClosed(imapPort, 5000);
    },
    async destroy() {
      await instance.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  for (const u of opts.users ?? []) instance.addUser(u.user, u.pass);
  await instance.start();
  return instance;
}

/** Process ids below `pid` (this instance's own processes), from /proc. */
function descendants(pid: number | undefined): number[] {
  if (!pid) return [];
  const out: number[] = [];
  const walk = (p: number) => {
    let kids: string[] = [];
    try {
      kids = readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    } catch {
      return;
    }
    for (const k of kids.map(Number)) {
      out.push(k);
      walk(k);
    }
  };
  walk(pid);
  return out;
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-5).join('\n');
  } catch {
    return '';
  }
}

async function canConnect(port: number): Promise<boolean> {
  const { connect } = await import('node:net');
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

async function waitForPort(port: number, ms: number, failed: () => string | undefined): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const f = failed();
    if (f) throw new Error(f);
    if (await canConnect(port)) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`dovecot did not listen on 127.0.0.1:${port} within ${ms} ms`);
}

async function waitForPortClosed(port: number, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end && (await canConnect(port))) await new Promise((r) => setTimeout(r, 20));
}
