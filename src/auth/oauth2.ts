/**
 * OAuth2 access tokens for IMAP and SMTP (XOAUTH2 / OAUTHBEARER), from a refresh token:
 * fetched with the refresh grant (RFC 6749 section 6), kept until shortly before they expire,
 * refreshed once more when the server refuses one (revoked early, clock skew). A provider that
 * rotates refresh tokens (Microsoft's identity platform returns a new one with each refresh)
 * has the new one kept for this process and, where the config names a file, written there
 * (mode 600) so the next run starts from it. Tokens are registered as secrets for masking and
 * never logged.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { DependencyError } from '../errors.js';

export interface OAuth2Settings {
  provider: 'google' | 'microsoft' | 'custom';
  clientId: string;
  clientSecret?: string | undefined;
  refreshToken: string;
  tenant: string;
  tokenUrl?: string | undefined;
  scope?: string | undefined;
  refreshTokenFile?: string | undefined;
  timeout: number;
}

/** The providers' documented token endpoints and the mail scopes a refresh asks for. */
export function tokenEndpoint(s: OAuth2Settings, kind: 'imap' | 'smtp'): { url: string; scope: string | undefined } {
  if (s.tokenUrl) return { url: s.tokenUrl, scope: s.scope };
  if (s.provider === 'google') return { url: 'https://oauth2.googleapis.com/token', scope: s.scope };
  if (s.provider === 'microsoft')
    return {
      url: `https://login.microsoftonline.com/${encodeURIComponent(s.tenant)}/oauth2/v2.0/token`,
      scope: s.scope ?? (kind === 'imap' ? 'https://outlook.office.com/IMAP.AccessAsUser.All offline_access' : 'https://outlook.office.com/SMTP.Send offline_access'),
    };
  throw new DependencyError('oauth2.provider custom needs oauth2.tokenUrl', 'EOAUTHCONFIG', kind);
}

export interface TokenSourceDeps {
  now?: () => number;
  /** Called with every token value, so logs and reports can mask it. */
  onSecret?: (value: string) => void;
}

/** Refresh this long before the stated expiry. */
const EARLY_MS = 60_000;

export class TokenSource {
  private access: { token: string; expiresAt: number } | null = null;
  private refreshToken: string;
  private inflight: Promise<string> | null = null;
  refreshes = 0;

  constructor(
    private readonly s: OAuth2Settings,
    private readonly kind: 'imap' | 'smtp',
    private readonly deps: TokenSourceDeps = {},
  ) {
    // A token rotated by an earlier run, where the config points (else the configured one).
    const saved = s.refreshTokenFile && existsSync(s.refreshTokenFile) ? readFileSync(s.refreshTokenFile, 'utf8').trim() : '';
    this.refreshToken = saved || s.refreshToken;
    if (saved) deps.onSecret?.(saved);
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  /** A valid access token: the cached one, or a fresh one. */
  async get(): Promise<string> {
    if (this.access && this.access.expiresAt - EARLY_MS > this.now()) return this.access.token;
    this.inflight ??= this.refresh().finally(() => (this.inflight = null));
    return this.inflight;
  }

  /** The server refused the token: the next get() refreshes. */
  invalidate(): void {
    this.access = null;
  }

  private async refresh(): Promise<string> {
    const { url, scope } = tokenEndpoint(this.s, this.kind);
    const where = new URL(url).host;
    const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: this.refreshToken, client_id: this.s.clientId });
    if (this.s.clientSecret) body.set('client_secret', this.s.clientSecret);
    if (scope) body.set('scope', scope);
    let res: Response;
    try {
      res = await fetch(url, { method: 'POST', body, headers: { accept: 'application/json' }, signal: AbortSignal.timeout(this.s.timeout) });
    } catch (e) {
      const timedOut = (e as Error).name === 'TimeoutError';
      throw new DependencyError(
        `the OAuth2 token endpoint ${where} ${timedOut ? `did not answer within ${Math.round(this.s.timeout / 1000)} s` : `cannot be reached (${(e as Error).message})`}; the ${this.kind.toUpperCase()} login needs a fresh access token`,
        timedOut ? 'ETIMEOUT' : 'EOAUTHUNREACHABLE',
        this.kind,
      );
    }
    const data = (await res.json().catch(() => ({}))) as { access_token?: string; expires_in?: number; refresh_token?: string; error?: string; error_description?: string };
    if (!res.ok || !data.access_token) {
      const why = data.error ? `${data.error}${data.error_description ? `: ${data.error_description}` : ''}` : `HTTP ${res.status}`;
      const fix =
        data.error === 'invalid_grant'
          ? 'the refresh token was revoked or has expired: sign in again to get a new one (docs/accounts.md)'
          : data.error === 'invalid_client'
            ? 'check oauth2.clientId and the client secret variable'
            : 'try again later';
      throw new DependencyError(`the OAuth2 token endpoint ${where} refused to refresh the ${this.kind.toUpperCase()} token (${why}); ${fix}`, 'EOAUTH', this.kind);
    }
    this.refreshes++;
    this.deps.onSecret?.(data.access_token);
    if (data.refresh_token && data.refresh_token !== this.refreshToken) {
      this.refreshToken = data.refresh_token;
      this.deps.onSecret?.(data.refresh_token);
      if (this.s.refreshTokenFile) {
        const tmp = `${this.s.refreshTokenFile}.tmp`;
        writeFileSync(tmp, data.refresh_token + '\n', { mode: 0o600 });
        renameSync(tmp, this.s.refreshTokenFile);
      }
    }
    const lifetime = (Number(data.expires_in) > 0 ? Number(data.expires_in) : 3600) * 1000;
    this.access = { token: data.access_token, expiresAt: this.now() + lifetime };
    return data.access_token;
  }
}

const sources = new WeakMap<object, TokenSource>();

/**
 * The token source of one config's oauth2 settings: one per settings object, so the collector,
 * its IDLE connection and doctor share a token instead of each refreshing.
 */
export function tokenSourceFor(s: OAuth2Settings, kind: 'imap' | 'smtp', deps?: TokenSourceDeps): TokenSource {
  let t = sources.get(s);
  if (!t) {
    t = new TokenSource(s, kind, deps);
    sources.set(s, t);
  }
  return t;
}
