/**
 * A local OAuth2 authorization server for the tests and the sandbox: the token endpoint's
 * refresh grant (RFC 6749 section 6) and token introspection (RFC 7662), which Dovecot's
 * oauth2 passdb and the sandbox SMTP server ask to validate an access token. It can expire
 * tokens, revoke a refresh token, rotate refresh tokens on every use (as Microsoft's
 * identity platform does), answer slowly, or fail, so the client's handling of each is tested.
 *
 * Sources of what it reproduces:
 * - RFC 6749 (OAuth 2.0) section 6 (refresh grant request), 5.1 (token response: access_token,
 *   token_type, expires_in, optional new refresh_token), 5.2 (errors invalid_client,
 *   invalid_grant, unsupported_grant_type) and 2.3.1 (client auth by Basic or body fields);
 * - RFC 7662 (token introspection) sections 2.1-2.2: POST token=…, answer {active, username,
 *   client_id, exp}, and {active: false} for an unknown or expired token;
 * - Microsoft identity platform, "Refresh tokens" and the v2.0 token endpoint docs: a new
 *   refresh token comes with each refresh (rotateRefreshTokens);
 * - Dovecot 2.3's oauth2 passdb docs (doc.dovecot.org, "OAuth2"): introspection_mode = post
 *   with username_attribute / active_attribute / active_value, as src/sandbox/dovecot.ts sets.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

export interface SandboxOAuthOptions {
  clients: OAuthClient[];
  /** Lifetime of an access token, seconds (default 3600). */
  accessTokenSeconds?: number;
  /** Issue a new refresh token with every refresh and retire the old one. */
  rotateRefreshTokens?: boolean;
  now?: () => number;
}

export interface SandboxOAuth {
  url: string;
  tokenUrl: string;
  introspectionUrl: string;
  /** A refresh token for `user`, issued to `clientId`. */
  grant(clientId: string, user: string): string;
  revoke(refreshToken: string): void;
  /** Expires every access token issued so far (as if an hour had passed). */
  expireAccessTokens(): void;
  /** Delay (ms) before the token endpoint answers. */
  slowTokenEndpoint(ms: number): void;
  /** The token endpoint answers 503 until set back to false. */
  failTokenEndpoint(fail: boolean): void;
  /** Requests seen: token grants and introspections. */
  counts: { requests: number; refresh: number; introspect: number; refused: number };
  close(): Promise<void>;
}

interface AccessToken {
  user: string;
  clientId: string;
  expiresAt: number;
}

export async function startSandboxOAuth(opts: SandboxOAuthOptions): Promise<SandboxOAuth> {
  const now = opts.now ?? Date.now;
  const lifetime = (opts.accessTokenSeconds ?? 3600) * 1000;
  const refreshTokens = new Map<string, { user: string; clientId: string }>();
  const accessTokens = new Map<string, AccessToken>();
  const counts = { requests: 0, refresh: 0, introspect: 0, refused: 0 };
  let delay = 0;
  let failing = false;
  const sockets = new Set<Socket>();
  const token = (prefix: string) => `${prefix}.${randomBytes(18).toString('base64url')}`;

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => json(res, 500, { error: 'server_error', error_description: String(e) }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://oauth');
    const body = new URLSearchParams(await readBody(req));
    if (req.method === 'POST' && url.pathname === '/token') {
      counts.requests++;
      if (delay) await new Promise((r) => setTimeout(r, delay));
      if (failing) return json(res, 503, { error: 'temporarily_unavailable' });
      counts.refresh++;
      // Client authentication: HTTP Basic (RFC 6749 2.3.1) or client_id/client_secret in the body.
      const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
      const [id, secret] = basic
        ? Buffer.from(basic[1]!, 'base64').toString().split(':').map(decodeURIComponent)
        : [body.get('client_id') ?? '', body.get('client_secret') ?? ''];
      const client = opts.clients.find((c) => c.clientId === id && c.clientSecret === secret);
      if (!client) return refuse(res, 401, 'invalid_client', 'client authentication failed');
      if (body.get('grant_type') !== 'refresh_token') return refuse(res, 400, 'unsupported_grant_type', 'only refresh_token is supported here');
      const rt = body.get('refresh_token') ?? '';
      const held = refreshTokens.get(rt);
      if (!held || held.clientId !== client.clientId) return refuse(res, 400, 'invalid_grant', 'the refresh token is invalid, expired or revoked');
      const access = token('at');
      accessTokens.set(access, { user: held.user, clientId: client.clientId, expiresAt: now() + lifetime });
      const reply: Record<string, unknown> = { access_token: access, token_type: 'Bearer', expires_in: Math.round(lifetime / 1000), scope: body.get('scope') ?? 'mail' };
      if (opts.rotateRefreshTokens) {
        refreshTokens.delete(rt);
        const next = token('rt');
        refreshTokens.set(next, held);
        reply.refresh_token = next;
      }
      return json(res, 200, reply);
    }
    if (req.method === 'POST' && url.pathname === '/introspect') {
      counts.introspect++;
      const t = accessTokens.get(body.get('token') ?? '');
      if (!t || t.expiresAt <= now()) return json(res, 200, { active: false });
      return json(res, 200, { active: true, username: t.user, client_id: t.clientId, token_type: 'Bearer', exp: Math.floor(t.expiresAt / 1000) });
    }
    json(res, 404, { error: 'not_found' });
  }

  function refuse(res: ServerResponse, status: number, error: string, description: string): void {
    counts.refused++;
    json(res, status, { error, error_description: description });
  }

  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    tokenUrl: `${url}/token`,
    introspectionUrl: `${url}/introspect`,
    grant(clientId, user) {
      const rt = token('rt');
      refreshTokens.set(rt, { user, clientId });
      return rt;
    },
    revoke: (rt) => void refreshTokens.delete(rt),
    expireAccessTokens() {
      for (const t of accessTokens.values()) t.expiresAt = Math.min(t.expiresAt, now() - 1);
    },
    slowTokenEndpoint: (ms) => void (delay = ms),
    failTokenEndpoint: (f) => void (failing = f),
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
