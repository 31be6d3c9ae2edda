/**
 * The one way the program talks to Twilio: the real `twilio` SDK, with a RequestClient that
 * (a) retries 429 "Too Many Requests" honouring Retry-After (Twilio never processed those,
 * so even a call create is safe to repeat) and (b) for the sandbox only, sends requests for
 * https://api.twilio.com to `channels.twilio.apiBaseUrl` instead. Loaded lazily by the
 * commands that need it, so `--help` stays fast.
 */
import twilio from 'twilio';
import type RequestClientBase from 'twilio/lib/base/RequestClient.js';
import type * as ResponseModule from 'twilio/lib/http/response.js';
import { DependencyError } from '../errors.js';

type TwilioResponse<T> = ResponseModule.default<T>;

export const TWILIO_ORIGIN = 'https://api.twilio.com';

export interface TwilioCredentials {
  accountSid: string;
  authToken: string;
  /** Sandbox only (the config rules allow nothing but loopback here). */
  apiBaseUrl?: string | undefined;
}

export interface TwilioClientOptions {
  /** Waits between retries (tests pass one that records the delays). */
  sleep?: (ms: number) => Promise<void>;
  maxRetries?: number;
  /** Per-request timeout of REST calls. */
  timeoutMs?: number;
  /** Timeout of one media download (recordings are larger than REST answers: 60 s unless set). */
  mediaTimeoutMs?: number;
  /** Longest single wait we accept from Retry-After before giving up. */
  maxRetryAfterMs?: number;
  onRetry?: (info: { uri: string; attempt: number; delayMs: number }) => void;
  /** --debug: each request's method and path (the account SID in the path is masked). */
  debug?: (text: string) => void;
}

export interface TwilioHandle {
  client: twilio.Twilio;
  accountSid: string;
  /** GETs a media URL (recording .wav) with the account's credentials; 404 → undefined. */
  fetchMedia(url: string): Promise<Buffer | undefined>;
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Seconds (or an HTTP date) → milliseconds; undefined when absent or unreadable. */
export function retryAfterMs(value: unknown, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || v === null || v === '') return undefined;
  const n = Number(v);
  if (Number.isFinite(n)) return Math.max(0, n * 1000);
  const t = Date.parse(String(v));
  return Number.isFinite(t) ? Math.max(0, t - now) : undefined;
}

function backoffMs(attempt: number): number {
  return Math.min(30_000, 500 * 2 ** (attempt - 1));
}

export function rewriteUri(uri: string, apiBaseUrl: string | undefined): string {
  if (!apiBaseUrl) return uri;
  if (!uri.startsWith(TWILIO_ORIGIN))
    // A sandbox config must never reach a real Twilio host (or any other).
    throw new DependencyError(`refusing to send a sandbox request to ${new URL(uri).origin}`, 'ESANDBOX', 'twilio');
  return apiBaseUrl.replace(/\/+$/, '') + uri.slice(TWILIO_ORIGIN.length);
}

class AuditRequestClient extends twilio.RequestClient {
  constructor(
    private readonly apiBaseUrl: string | undefined,
    private readonly o: Required<Pick<TwilioClientOptions, 'sleep' | 'maxRetries' | 'maxRetryAfterMs'>> & TwilioClientOptions,
  ) {
    super({ timeout: o.timeoutMs ?? 30_000, keepAlive: false });
  }

  override async request<TData>(opts: RequestClientBase.RequestOptions<TData>): Promise<TwilioResponse<TData>> {
    const uri = rewriteUri(opts.uri, this.apiBaseUrl);
    for (let attempt = 1; ; attempt++) {
      this.o.debug?.(`twilio: ${opts.method.toUpperCase()} ${maskedPath(opts.uri)}${attempt > 1 ? ` (attempt ${attempt})` : ''}`);
      const res = await super.request({ ...opts, uri, headers: { ...opts.headers } });
      this.o.debug?.(`twilio: ${res.statusCode} for ${opts.method.toUpperCase()} ${maskedPath(opts.uri)}`);
      if (res.statusCode !== 429 || attempt > this.o.maxRetries) return res;
      const delayMs = retryAfterMs(res.headers?.['retry-after']) ?? backoffMs(attempt);
      if (delayMs > this.o.maxRetryAfterMs) return res;
      this.o.onRetry?.({ uri: opts.uri, attempt, delayMs });
      await this.o.sleep(delayMs);
    }
  }
}

/** The path of a Twilio URL without the account SID (a credential) or query values. */
export function maskedPath(uri: string): string {
  try {
    return new URL(uri).pathname.replace(/\/Accounts\/[^/]+/, '/Accounts/…');
  } catch {
    return '(unreadable URL)';
  }
}

export function createTwilioClient(creds: TwilioCredentials, opts: TwilioClientOptions = {}): TwilioHandle {
  const o = { sleep: realSleep, maxRetries: 6, maxRetryAfterMs: 120_000, ...opts };
  const httpClient = new AuditRequestClient(creds.apiBaseUrl, o);
  const client = twilio(creds.accountSid, creds.authToken, { httpClient, accountSid: creds.accountSid, autoRetry: false });
  const auth = 'Basic ' + Buffer.from(`${creds.accountSid}:${creds.authToken}`).toString('base64');
  return {
    client,
    accountSid: creds.accountSid,
    async fetchMedia(url) {
      const target = rewriteUri(url, creds.apiBaseUrl);
      for (let attempt = 1; ; attempt++) {
        const res = await fetch(target, { headers: { authorization: auth }, signal: AbortSignal.timeout(o.mediaTimeoutMs ?? 60_000) });
        if (res.status === 404) return undefined;
        if (res.status === 429 && attempt <= o.maxRetries) {
          await o.sleep(retryAfterMs(res.headers.get('retry-after')) ?? backoffMs(attempt));
          continue;
        }
        if (!res.ok) throw new DependencyError(`Twilio media ${res.status} for ${maskedPath(url)}`, 'ETWILIO', 'twilio');
        return Buffer.from(await res.arrayBuffer());
      }
    },
  };
}

/** Is this a Twilio REST error (RestException) with one of these HTTP statuses? */
export function restStatus(e: unknown): number | undefined {
  const s = (e as { status?: unknown })?.status;
  return typeof s === 'number' && (e as { code?: unknown }).code !== undefined ? s : undefined;
}
