/**
 * OAuth2 sign-in end to end: a real Dovecot validates bearer tokens through its oauth2 passdb
 * (RFC 7662 introspection) against the sandbox OAuth2 server, which the collector and the
 * SMTP submitter get their access tokens from with the refresh grant (RFC 6749). Expiry,
 * revocation, rotation, a slow and a failing token endpoint each get the behaviour they need.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenSource } from '../../src/auth/oauth2.js';
import { openImap } from '../../src/collect/imap-client.js';
import { loadConfigOrThrow } from '../../src/config/load.js';
import { startDovecot, type DovecotInstance } from '../../src/sandbox/dovecot.js';
import { maildirWriter } from '../../src/sandbox/mailbox-writer.js';
import { startSandboxOAuth, type SandboxOAuth } from '../../src/sandbox/oauth2.js';
import { makeEmailSubmitter } from '../../src/submit/email.js';
import { cli } from '../helpers/cli.js';
import { jobFor, recordingHooks, submitterDeps } from '../helpers/smtp.js';
import { tempTree } from '../helpers/tmp.js';
import { emailConfigYaml, INQUIRY, replyEml } from './setup.js';
import { fixedClock } from '../../src/clock.js';
import { Store } from '../../src/store/store.js';

const CLIENT = { clientId: 'respond-audit-test', clientSecret: 'client-secret-7d1c' };
let oauth: SandboxOAuth;
let rotating: SandboxOAuth;
const dovecots: DovecotInstance[] = [];

beforeAll(async () => {
  oauth = await startSandboxOAuth({ clients: [CLIENT] });
  rotating = await startSandboxOAuth({ clients: [CLIENT], rotateRefreshTokens: true });
});
afterAll(async () => {
  for (const d of dovecots) await d.destroy();
  await oauth?.close();
  await rotating?.close();
});

async function dovecot(server: SandboxOAuth, mechanisms: Array<'xoauth2' | 'oauthbearer'>) {
  const dv = await startDovecot({ oauth2: { introspectionUrl: server.introspectionUrl, mechanisms } });
  dovecots.push(dv);
  return dv;
}

/** A project whose IMAP channel signs in with OAuth2 against `server`. */
function project(dv: DovecotInstance, user: string, server: SandboxOAuth, extra = '') {
  const oauth2 = `    oauth2:
      provider: custom
      clientId: ${CLIENT.clientId}
      clientSecret: \${TEST_OAUTH_SECRET}
      refreshToken: \${TEST_OAUTH_REFRESH}
      tokenUrl: ${server.tokenUrl}
${extra}`;
  const yaml = emailConfigYaml({ imap: { port: dv.imapPort, user, pass: 'unused' } }).replace('    pass: ${TEST_IMAP_PASS}\n', oauth2);
  const dir = tempTree({ 'configs/audit.yaml': yaml, 'probes/new-inquiry.yaml': INQUIRY });
  return { dir, configPath: join(dir, 'configs/audit.yaml') };
}

describe('IMAP with OAuth2 (Dovecot oauth2 passdb)', () => {
  for (const mech of ['xoauth2', 'oauthbearer'] as const) {
    it(`collect signs in with a token from the refresh grant (${mech.toUpperCase()}); the tokens reach neither output nor store`, async () => {
      const dv = await dovecot(oauth, [mech]);
      const u = dv.newUser();
      const refresh = oauth.grant(CLIENT.clientId, u.user);
      const w = maildirWriter(dv.maildir(u.user), process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined);
      await w.deliver(replyEml({ from: 'desk@north.example.org', to: 'jordan+abc12345@example.net', body: 'We can see you Tuesday.', date: new Date('2026-03-02T16:00:00Z') }), new Date('2026-03-02T16:00:00Z'));
      const p = project(dv, u.user, oauth);
      const before = oauth.counts.refresh;
      const env = { TEST_OAUTH_SECRET: CLIENT.clientSecret, TEST_OAUTH_REFRESH: refresh, TEST_SMTP_PASS: 'x' };
      const r = await cli(['collect', 'configs/audit.yaml', '--debug'], { cwd: p.dir, env });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/imap: looked at 1, 1 new/);
      expect(oauth.counts.refresh).toBe(before + 1);
      const store = readFileSync(join(p.dir, 'configs/respond-audit.db')).toString('latin1');
      for (const secret of [refresh, CLIENT.clientSecret]) {
        expect(r.stdout + r.stderr).not.toContain(secret);
        expect(store).not.toContain(secret);
      }
      expect(r.stdout + r.stderr).not.toMatch(/at\.[A-Za-z0-9_-]{20,}/);
      expect(store).not.toMatch(/at\.[A-Za-z0-9_-]{20,}/);
    });
  }

  it('a token refused at login (expired early) is refreshed once; the next connection reuses the fresh one', async () => {
    const dv = await dovecot(oauth, ['xoauth2', 'oauthbearer']);
    const u = dv.newUser();
    const p = project(dv, u.user, oauth);
    const loaded = loadConfigOrThrow(p.configPath, { cwd: p.dir, env: { TEST_OAUTH_SECRET: CLIENT.clientSecret, TEST_OAUTH_REFRESH: oauth.grant(CLIENT.clientId, u.user), TEST_SMTP_PASS: 'x' } });
    const s = loaded.config.channels.imap!;
    const start = oauth.counts.refresh;
    await (await openImap(s)).close();
    expect(oauth.counts.refresh).toBe(start + 1);
    await (await openImap(s)).close();
    expect(oauth.counts.refresh).toBe(start + 1);
    oauth.expireAccessTokens();
    await (await openImap(s)).close();
    expect(oauth.counts.refresh).toBe(start + 2);
  });

  it('doctor proves the OAuth2 login the collector will use', async () => {
    const dv = await dovecot(oauth, ['oauthbearer']);
    const u = dv.newUser();
    const p = project(dv, u.user, oauth);
    const r = await cli(['doctor', 'configs/audit.yaml', '--json'], { cwd: p.dir, env: { TEST_OAUTH_SECRET: CLIENT.clientSecret, TEST_OAUTH_REFRESH: oauth.grant(CLIENT.clientId, u.user), TEST_SMTP_PASS: 'x' } });
    const checks = (JSON.parse(r.stdout) as { checks: Array<{ name: string; status: string; detail: string }> }).checks;
    expect(checks.find((c) => c.name === 'imap')).toMatchObject({ status: 'ok', detail: `127.0.0.1:${dv.imapPort} accepts the OAuth2 token of ${u.user}` });
  });

  it('a revoked refresh token: collect exits 3 saying to sign in again', async () => {
    const dv = await dovecot(oauth, ['xoauth2']);
    const u = dv.newUser();
    const refresh = oauth.grant(CLIENT.clientId, u.user);
    oauth.revoke(refresh);
    const p = project(dv, u.user, oauth);
    const r = await cli(['collect', 'configs/audit.yaml'], { cwd: p.dir, env: { TEST_OAUTH_SECRET: CLIENT.clientSecret, TEST_OAUTH_REFRESH: refresh, TEST_SMTP_PASS: 'x' } });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/refused to refresh the IMAP token \(invalid_grant: .*\); the refresh token was revoked or has expired: sign in again/);
    expect(r.stderr).not.toContain(refresh);
  });

  it('a rotating provider: the new refresh token is written where the config points, and the next run starts from it', async () => {
    const dv = await dovecot(rotating, ['xoauth2']);
    const u = dv.newUser();
    const first = rotating.grant(CLIENT.clientId, u.user);
    const p = project(dv, u.user, rotating, '      refreshTokenFile: oauth-refresh-token\n');
    const env = { TEST_OAUTH_SECRET: CLIENT.clientSecret, TEST_OAUTH_REFRESH: first, TEST_SMTP_PASS: 'x' };
    const a = await cli(['collect', 'configs/audit.yaml'], { cwd: p.dir, env });
    expect(a.code, a.stderr).toBe(0);
    const file = join(p.dir, 'configs/oauth-refresh-token');
    const second = readFileSync(file, 'utf8').trim();
    expect(second).not.toBe(first);
    // The first token is retired by this provider: only the saved one lets the next run in.
    const b = await cli(['collect', 'configs/audit.yaml'], { cwd: p.dir, env });
    expect(b.code, b.stderr).toBe(0);
    expect(readFileSync(file, 'utf8').trim()).not.toBe(second);
  });

  it('a slow token endpoint times out, a failing one is named; neither is retried in a loop', async () => {
    const src = (timeout: number) =>
      new TokenSource({ provider: 'custom', clientId: CLIENT.clientId, clientSecret: CLIENT.clientSecret, refreshToken: oauth.grant(CLIENT.clientId, 'x'), tenant: 'common', tokenUrl: oauth.tokenUrl, timeout }, 'imap');
    oauth.slowTokenEndpoint(1500);
    try {
      await expect(src(300).get()).rejects.toThrow(/^the OAuth2 token endpoint 127\.0\.0\.1:\d+ did not answer within 0 s; the IMAP login needs a fresh access token$/);
    } finally {
      oauth.slowTokenEndpoint(0);
    }
    oauth.failTokenEndpoint(true);
    const before = oauth.counts.requests;
    try {
      await expect(src(5000).get()).rejects.toThrow(/refused to refresh the IMAP token \(temporarily_unavailable\); try again later/);
    } finally {
      oauth.failTokenEndpoint(false);
    }
    expect(oauth.counts.requests).toBe(before + 1);
  });
});

describe('SMTP with OAuth2 (XOAUTH2)', () => {
  it('sends with a token from the refresh grant; a refused token is refreshed once before anything is sent', async () => {
    const received: string[] = [];
    const server = new SMTPServer({
      authMethods: ['XOAUTH2'],
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      onAuth(auth, _session, done) {
        void fetch(oauth.introspectionUrl, { method: 'POST', body: new URLSearchParams({ token: auth.accessToken ?? '' }) })
          .then((r) => r.json() as Promise<{ active: boolean; username?: string }>)
          .then((t) => (t.active && t.username === auth.username ? done(null, { user: auth.username }) : done(Object.assign(new Error('Invalid token'), { responseCode: 535 }))));
      },
      onData(stream, _session, done) {
        let text = '';
        stream.on('data', (d: Buffer) => (text += d));
        stream.on('end', () => (received.push(text), done()));
      },
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.server.address() as { port: number }).port;
    try {
      const user = 'jordan.avery@example.net';
      const yaml = emailConfigYaml({ smtp: { port } }).replace(
        '    requireTLS: false\n',
        `    requireTLS: false\n    user: ${user}\n    oauth2:\n      provider: custom\n      clientId: ${CLIENT.clientId}\n      clientSecret: \${TEST_OAUTH_SECRET}\n      refreshToken: \${TEST_OAUTH_REFRESH}\n      tokenUrl: ${oauth.tokenUrl}\n`,
      );
      const dir = tempTree({ 'configs/audit.yaml': yaml, 'probes/new-inquiry.yaml': INQUIRY });
      const env = { TEST_OAUTH_SECRET: CLIENT.clientSecret, TEST_OAUTH_REFRESH: oauth.grant(CLIENT.clientId, user) };
      const loaded = loadConfigOrThrow(join(dir, 'configs/audit.yaml'), { cwd: dir, env });
      const clock = fixedClock(Date.parse('2026-03-02T15:00:00Z'));
      const store = new Store(loaded.storePath, clock);
      const sub = await makeEmailSubmitter(submitterDeps(loaded, clock, env));
      const start = oauth.counts.refresh;
      const a = await sub.submit(jobFor(store, loaded, 'north/ortho/email', 'oauthsmtp1'), recordingHooks());
      expect(a).toMatchObject({ status: 'submitted' });
      const afterFirst = oauth.counts.refresh;
      expect(afterFirst).toBeGreaterThan(start);
      oauth.expireAccessTokens();
      const b = await sub.submit(jobFor(store, loaded, 'north/ortho/email', 'oauthsmtp2'), recordingHooks());
      expect(b).toMatchObject({ status: 'submitted' });
      // The refused token was replaced before the message went out, and each went out once.
      expect(oauth.counts.refresh).toBeGreaterThan(afterFirst);
      expect(received).toHaveLength(2);
      store.close();
      expect(existsSync(loaded.storePath)).toBe(true);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
