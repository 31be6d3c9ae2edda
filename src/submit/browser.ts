/**
 * Finding and starting the browser that fills forms (and prints PDF reports): the configured
 * executablePath, else an installed Chrome/Chromium, else Playwright's own download; or a
 * remote Playwright server when `channels.browser.wsEndpoint` is set. Playwright is imported
 * lazily so commands that never open a browser do not pay for loading it.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import type { LoadedConfig } from '../config/load.js';
import type { AuditConfig } from '../config/schema.js';
import { DependencyError } from '../errors.js';

export type BrowserConfig = NonNullable<AuditConfig['channels']['browser']>;

/** From docs/facts.md: quieter, faster start, no background traffic, no /dev/shm exhaustion in containers. */
export const LAUNCH_ARGS = ['--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-dev-shm-usage'];

export const DEFAULT_BROWSER: BrowserConfig = { concurrency: 2, headless: true, timeout: 60_000 };

export interface BrowserChoice {
  executablePath?: string;
  channel?: string;
  /** Where it came from, for `doctor` and messages: config, CHROME_PATH, a system path, playwright. */
  source: string;
}

export interface FindOptions {
  exists?: (path: string) => boolean;
  platform?: NodeJS.Platform;
  /** Playwright's own Chromium, when it has been downloaded (`npx playwright install chromium`). */
  playwrightPath?: () => string | undefined;
}

const HOW_TO_GET_ONE =
  'Install one: `apt-get install chromium` (Debian/Ubuntu) or Google Chrome (https://www.google.com/chrome/), ' +
  'then, if it is not in a standard place, set channels.browser.executablePath (or channel: chrome) in the config; ' +
  'or set channels.browser.wsEndpoint to use a remote Playwright server.';

export function systemBrowserPaths(platform: NodeJS.Platform, env: Record<string, string | undefined>): string[] {
  if (platform === 'darwin')
    return [
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      '/Applications/Chromium.app/Contents/MacOS/Chromium',
      join(homedir(), 'Applications/Google Chrome.app/Contents/MacOS/Google Chrome'),
      '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
    ];
  if (platform === 'win32')
    return [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA]
      .filter((d): d is string => !!d)
      .flatMap((d) => [join(d, 'Google/Chrome/Application/chrome.exe'), join(d, 'Chromium/Application/chrome.exe')]);
  return [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/snap/bin/chromium',
    '/opt/google/chrome/chrome',
  ];
}

/** Which browser to launch; throws DependencyError (exit 3) saying how to get one. */
export function findBrowser(cfg: BrowserConfig | undefined, env: Record<string, string | undefined>, opts: FindOptions = {}): BrowserChoice {
  const exists = opts.exists ?? existsSync;
  if (cfg?.executablePath) {
    if (!exists(cfg.executablePath))
      throw new DependencyError(
        `channels.browser.executablePath ${cfg.executablePath} does not exist. Point it at a Chrome/Chromium binary, or remove it to detect one. ${HOW_TO_GET_ONE}`,
        'ENOBROWSER',
        'browser',
      );
    return { executablePath: cfg.executablePath, source: 'config' };
  }
  if (cfg?.channel) return { channel: cfg.channel, source: `channel ${cfg.channel}` };
  if (env.CHROME_PATH && exists(env.CHROME_PATH)) return { executablePath: env.CHROME_PATH, source: 'CHROME_PATH' };
  const candidates = systemBrowserPaths(opts.platform ?? process.platform, env);
  const found = candidates.find((p) => exists(p));
  if (found) return { executablePath: found, source: 'system' };
  const own = opts.playwrightPath?.();
  if (own && exists(own)) return { executablePath: own, source: 'playwright' };
  throw new DependencyError(
    `No Chrome or Chromium browser found (looked at ${candidates.join(', ')}${own ? `, ${own}` : ''}). ${HOW_TO_GET_ONE}`,
    'ENOBROWSER',
    'browser',
  );
}

/** The local browser to launch, Playwright's own download counted as a last resort (`run`, `browser-server`). */
export function findLocalBrowser(cfg: BrowserConfig, env: Record<string, string | undefined>, chromium: { executablePath(): string }): BrowserChoice {
  return findBrowser(cfg, env, {
    playwrightPath: () => {
      try {
        return chromium.executablePath();
      } catch {
        return undefined;
      }
    },
  });
}

export function browserConfigOf(src: LoadedConfig | BrowserConfig | undefined): BrowserConfig {
  if (!src) return DEFAULT_BROWSER;
  if ('config' in src) return src.config.channels.browser ?? DEFAULT_BROWSER;
  return src;
}

/**
 * Launches (or connects to) the browser. Used by the web-form submitter and by the report
 * command for PDF. The caller closes it.
 */
export async function launchBrowser(src: LoadedConfig | BrowserConfig | undefined, env: Record<string, string | undefined>): Promise<Browser> {
  const cfg = browserConfigOf(src);
  const { chromium } = await import('playwright-core');
  if (cfg.wsEndpoint) {
    try {
      return await chromium.connect(cfg.wsEndpoint, { timeout: 30_000 });
    } catch (e) {
      const mismatch = versionMismatch(e);
      if (mismatch)
        throw new DependencyError(
          `the Playwright server at channels.browser.wsEndpoint (${redact(cfg.wsEndpoint)}) runs Playwright ${mismatch.server}, ` +
            `and this respond-audit uses ${mismatch.client}: a server and its clients must share major.minor. ` +
            `Run \`respond-audit browser-server\` from this same install on the browser host, or install playwright-core@${mismatch.client.replace(/^v/, '')} there.`,
          'EBROWSERVERSION',
          'browser',
        );
      throw new DependencyError(
        `cannot connect to the Playwright server at channels.browser.wsEndpoint (${redact(cfg.wsEndpoint)}): ${firstLine(e)}. ` +
          'Start one with `respond-audit browser-server` on the browser host, or remove wsEndpoint to launch a local browser.',
        'EBROWSERCONNECT',
        'browser',
      );
    }
  }
  const choice = findLocalBrowser(cfg, env, chromium);
  try {
    return await chromium.launch({
      ...(choice.executablePath ? { executablePath: choice.executablePath } : { channel: choice.channel }),
      headless: cfg.headless,
      args: LAUNCH_ARGS,
      timeout: 60_000,
    });
  } catch (e) {
    throw new DependencyError(
      `could not start the browser (${choice.executablePath ?? `channel ${choice.channel}`}, from ${choice.source}): ${firstLine(e)}. ${HOW_TO_GET_ONE}`,
      'EBROWSERLAUNCH',
      'browser',
    );
  }
}

/**
 * Playwright's server refuses a client of another major.minor before the WebSocket opens
 * (HTTP 428, "Playwright version mismatch: - server version: v1.x - client version: v1.y").
 */
export function versionMismatch(e: unknown): { server: string; client: string } | null {
  const m = e instanceof Error ? e.message : String(e);
  const server = /server version:\s*(v?[\d.]+)/i.exec(m)?.[1];
  const client = /client version:\s*(v?[\d.]+)/i.exec(m)?.[1];
  if (!/version mismatch/i.test(m) || !server || !client) return null;
  const v = (x: string) => (x.startsWith('v') ? x : `v${x}`);
  return { server: v(server), client: v(client) };
}

function firstLine(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return (m.split('\n').find((l) => l.trim()) ?? m).trim();
}

/** A grid URL may carry a token in its query: never print it. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.search) u.search = '?…';
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return '(invalid URL)';
  }
}
