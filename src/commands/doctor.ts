/**
 * `respond-audit doctor [config]`: are the tool's own dependencies ready? Twilio credentials
 * and shopper numbers, the browser, SMTP and IMAP (connect and log in only). Contacts no
 * site. Exit 3 when a dependency is unreachable or refuses the credentials. With --round-trip,
 * also a message to the shopper's own plus-address and back (src/doctor/round-trip.ts).
 */
import { adaptersOf, type Adapters } from '../adapters.js';
import type { LoadedConfig } from '../config/load.js';
import { formatDuration, parseDuration } from '../config/duration.js';
import { DEFAULT_ROUND_TRIP_TIMEOUT_MS } from '../doctor/round-trip.js';
import { ExitCode, UsageError } from '../errors.js';
import type { Check } from '../twilio/doctor-checks.js';
import { loadForCommand, type CommandContext } from './context.js';

export interface DoctorOptions {
  config?: string;
  json?: boolean;
  /** Also send a message to the shopper's own plus-address and wait for it over IMAP. */
  roundTrip?: boolean;
  /** How long the round trip waits for the message (a duration: 2m, 90s); implies roundTrip. */
  roundTripTimeout?: string;
}

export async function doctor(ctx: CommandContext, opts: DoctorOptions): Promise<number> {
  let timeoutMs = DEFAULT_ROUND_TRIP_TIMEOUT_MS;
  if (opts.roundTripTimeout !== undefined) {
    const ms = parseDuration(opts.roundTripTimeout);
    if (ms === undefined || ms <= 0) throw new UsageError(`--round-trip-timeout ${opts.roundTripTimeout}: must be a duration such as 90s or 2m`);
    timeoutMs = ms;
  }
  const roundTrip = !!opts.roundTrip || opts.roundTripTimeout !== undefined;
  const loaded = loadForCommand(ctx, opts.config);
  const adapters = adaptersOf(ctx.adapters);
  const checks: Check[] = [];
  const guard = async (name: string, fn: () => Promise<Check[]>) => {
    try {
      checks.push(...(await fn()));
    } catch (e) {
      checks.push({ name, status: 'fail', detail: (e as Error).message, unreachable: true });
    }
  };
  await guard('twilio', async () => (await import('../twilio/doctor-checks.js')).twilioChecks(loaded, adapters));
  await guard('browser', () => browserCheck(ctx, loaded, adapters));
  await guard('smtp', () => smtpCheck(loaded, adapters));
  await guard('imap', () => imapCheck(loaded, adapters));
  if (roundTrip) {
    // Only over logins that work: a refused login is already reported above.
    const broken = checks.filter((c) => (c.name === 'smtp' || c.name === 'imap') && c.status === 'fail').map((c) => c.name);
    if (broken.length) checks.push({ name: 'round trip', status: 'warn', detail: `not tried: the ${broken.join(' and ')} check failed` });
    else {
      if (!opts.json) ctx.io.info(`round trip: sending a test message to the shopper's own address, waiting up to ${formatDuration(timeoutMs)}…`);
      await guard('round trip', async () =>
        (await import('../doctor/round-trip.js')).roundTripCheck(loaded, { adapters, timeoutMs, signal: ctx.signal, debug: (t) => ctx.io.debug(t) }),
      );
    }
  }
  const failed = checks.filter((c) => c.status === 'fail');
  // Every failure here is a dependency that will not work as configured.
  const code = failed.length ? ExitCode.unreachable : ExitCode.ok;
  if (opts.json) {
    ctx.io.json({ ok: code === 0, checks });
    return code;
  }
  const mark = { ok: ctx.io.c.green('ok  '), warn: ctx.io.c.yellow('warn'), fail: ctx.io.c.red('FAIL') };
  for (const c of checks) {
    ctx.io.line(`${mark[c.status]} ${c.name}: ${c.detail}`);
    if (c.fix && c.status !== 'ok') ctx.io.line(`     → ${c.fix}`);
  }
  if (!checks.length) ctx.io.line('nothing to check: the config uses no channel with a connection');
  ctx.io.line(failed.length ? `${failed.length} problem${failed.length === 1 ? '' : 's'} found` : 'all checks passed');
  return code;
}

async function browserCheck(ctx: CommandContext, loaded: LoadedConfig, adapters: Adapters): Promise<Check[]> {
  const b = loaded.config.channels.browser;
  if (!b && !loaded.entryPoints.some((e) => e.entryPoint.type === 'webform')) return [];
  if (b?.wsEndpoint) {
    // Our own browser server is no site: connecting proves the endpoint and the version match.
    const { redact } = await import('../submit/browser.js');
    try {
      const browser = await adapters.launchBrowser(loaded, ctx.env);
      const version = browser.version();
      await browser.close();
      return [{ name: 'browser', status: 'ok', detail: `remote Playwright server ${redact(b.wsEndpoint)}: ${version}, Playwright versions match` }];
    } catch (e) {
      return [{ name: 'browser', status: 'fail', detail: (e as Error).message, fix: 'start it with `respond-audit browser-server` on the browser host (docs/scaling.md)', unreachable: true }];
    }
  }
  const { findBrowser } = await import('../submit/browser.js');
  try {
    const found = findBrowser(b, ctx.env);
    return [{ name: 'browser', status: 'ok', detail: `${found.executablePath ?? found.channel} (${found.source})` }];
  } catch (e) {
    return [{ name: 'browser', status: 'fail', detail: (e as Error).message, unreachable: true }];
  }
}

/**
 * Hosts reserved for examples (RFC 2606 / RFC 6761): the scaffold's placeholders. Never
 * looked up: the check says what to put there instead.
 */
const PLACEHOLDER_HOST = /(^|\.)(example\.(com|net|org)|example|invalid)$/i;

function placeholder(kind: 'smtp' | 'imap', host: string): Check[] | null {
  if (!PLACEHOLDER_HOST.test(host.replace(/\.$/, ''))) return null;
  return [
    {
      name: kind,
      status: 'fail',
      detail: `channels.${kind}.host is a placeholder (${host}), not looked up`,
      fix: `set channels.${kind}.host to your mail provider's ${kind.toUpperCase()} server, or \`provider: gmail\` (microsoft365, outlook.com, fastmail, icloud, yahoo, zoho): see docs/accounts.md`,
      unreachable: true,
    },
  ];
}

async function smtpCheck(loaded: LoadedConfig, adapters: Adapters): Promise<Check[]> {
  const s = loaded.config.channels.smtp;
  if (!s) return [];
  const fake = placeholder('smtp', s.host);
  if (fake) return fake;
  let accessToken: string | undefined;
  if (s.oauth2) {
    const { tokenSourceFor } = await import('../auth/oauth2.js');
    try {
      accessToken = await tokenSourceFor(s.oauth2, 'smtp').get();
    } catch (e) {
      return [{ name: 'smtp', status: 'fail', detail: (e as Error).message, fix: 'check channels.smtp.oauth2 (client id, secret and refresh token variables)', unreachable: true }];
    }
  }
  const transport = await adapters.smtpTransport({
    host: s.host, port: s.port, ...(await import('../submit/email.js')).smtpTls(s),
    ...(accessToken ? { auth: { type: 'OAuth2', user: s.user, accessToken } } : s.user ? { auth: { user: s.user, pass: s.pass ?? '' } } : {}),
    connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 15_000,
  });
  try {
    await transport.verify();
    return [{ name: 'smtp', status: 'ok', detail: `${s.host}:${s.port} accepts the login` }];
  } catch (e) {
    return [{ name: 'smtp', status: 'fail', detail: `${s.host}:${s.port}: ${(e as Error).message}`, fix: 'check host, port, TLS settings and the password variable', unreachable: true }];
  } finally {
    transport.close();
  }
}

async function imapCheck(loaded: LoadedConfig, adapters: Adapters): Promise<Check[]> {
  const m = loaded.config.channels.imap;
  if (!m) return [];
  const fake = placeholder('imap', m.host);
  if (fake) return fake;
  if (m.oauth2) {
    // The collector's own path: a token from the refresh grant, refreshed once if refused.
    const { openImap } = await import('../collect/imap-client.js');
    try {
      await (await openImap(m, { newClient: adapters.imapClient })).close();
      return [{ name: 'imap', status: 'ok', detail: `${m.host}:${m.port} accepts the OAuth2 token of ${m.user}` }];
    } catch (e) {
      return [{ name: 'imap', status: 'fail', detail: (e as Error).message, fix: 'check channels.imap.oauth2 (client id, secret and refresh token variables)', unreachable: true }];
    }
  }
  const client = await adapters.imapClient({
    host: m.host, port: m.port, secure: m.secure, logger: false,
    auth: m.accessToken ? { user: m.user, accessToken: m.accessToken } : { user: m.user, pass: m.pass ?? '' },
    connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 15_000,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.logout();
    return [{ name: 'imap', status: 'ok', detail: `${m.host}:${m.port} accepts the login` }];
  } catch (e) {
    return [{ name: 'imap', status: 'fail', detail: `${m.host}:${m.port}: ${(e as Error).message}`, fix: 'check host, port, TLS settings and the password variable', unreachable: true }];
  } finally {
    client.close();
  }
}
