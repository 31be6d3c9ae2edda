/**
 * `respond-audit browser-server`: one browser for many runners. Starts this machine's
 * Chrome/Chromium (found as `run` finds it) behind Playwright's own server
 * (`browserType.launchServer`, public API), prints the endpoint to put in
 * `channels.browser.wsEndpoint`, and serves until SIGINT/SIGTERM. Playwright's `run-server`
 * is the alternative, but it launches only Playwright's downloaded browsers unless started
 * `--unsafe`; this one uses the installed browser and this install's Playwright, so client
 * and server versions match by construction (a client of another major.minor is refused by
 * the server, and `run` says so: src/submit/browser.ts).
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createRequire } from 'node:module';
import { DependencyError, ExitCode, UsageError } from '../errors.js';
import { browserConfigOf, findLocalBrowser, LAUNCH_ARGS, type BrowserConfig } from '../submit/browser.js';
import { DEFAULT_CONFIG, READS_STORE, loadForCommand, type CommandContext } from './context.js';

export interface BrowserServerOptions {
  config?: string;
  port: string;
  host: string;
  path?: string;
  json?: boolean;
}

export async function browserServer(ctx: CommandContext, opts: BrowserServerOptions): Promise<number> {
  const port = Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError(`--port ${opts.port} is not a port number (0 picks a free one)`, 'EUSAGE');
  const wsPath = opts.path ?? `/${randomBytes(16).toString('hex')}`;
  if (!wsPath.startsWith('/') || /[\s?#]/.test(wsPath)) throw new UsageError(`--path ${opts.path} must start with / and hold no spaces, ? or #`, 'EUSAGE');
  // The browser settings of the config when there is one (executablePath, channel, headless);
  // without one, the browser `run` would find.
  const given = opts.config ?? (existsSync(resolve(ctx.cwd, DEFAULT_CONFIG)) ? DEFAULT_CONFIG : undefined);
  let cfg: BrowserConfig = browserConfigOf(undefined);
  if (given) cfg = browserConfigOf(loadForCommand(ctx, given, READS_STORE));
  if (cfg.wsEndpoint) throw new UsageError('channels.browser.wsEndpoint is set in this config: that is what clients use; start the server with a config (or none) that names the local browser', 'EUSAGE');
  const { chromium } = await import('playwright-core');
  const choice = findLocalBrowser(cfg, ctx.env, chromium);
  let server: Awaited<ReturnType<typeof chromium.launchServer>>;
  try {
    server = await chromium.launchServer({
      ...(choice.executablePath ? { executablePath: choice.executablePath } : { channel: choice.channel! }),
      headless: cfg.headless,
      args: LAUNCH_ARGS,
      host: opts.host,
      port,
      wsPath,
      timeout: 60_000,
    });
  } catch (e) {
    throw new DependencyError(`could not start the browser server (${choice.executablePath ?? `channel ${choice.channel}`} on ${opts.host}:${port}): ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`, 'EBROWSERLAUNCH', 'browser');
  }
  const playwright = (createRequire(import.meta.url)('playwright-core/package.json') as { version: string }).version;
  const endpoint = server.wsEndpoint();
  if (opts.json) ctx.io.jsonLine({ wsEndpoint: endpoint, playwright, browser: choice.executablePath ?? choice.channel, source: choice.source });
  else {
    ctx.io.line(`browser server: ${endpoint}`);
    ctx.io.line(`  browser ${choice.executablePath ?? choice.channel} (${choice.source}), Playwright ${playwright}`);
    ctx.io.line(`  clients: channels.browser.wsEndpoint: ${endpoint}`);
    ctx.io.line('  (the path is the only key: keep it private, or bind to 127.0.0.1 and reach it through an SSH tunnel)');
    ctx.io.line('  stop with Ctrl-C');
  }
  await new Promise<void>((done) => {
    if (ctx.signal.aborted) return done();
    ctx.signal.addEventListener('abort', () => done(), { once: true });
    // The browser exiting on its own (crash, killed) ends the server too.
    server.process().once('exit', () => done());
  });
  await server.close().catch(() => undefined);
  if (!opts.json) ctx.io.line('browser server stopped');
  return ExitCode.ok;
}
