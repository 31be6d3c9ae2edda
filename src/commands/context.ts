/** What every command receives. Commands never read process.* or call process.exit. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Adapters } from '../adapters.js';
import type { Clock } from '../clock.js';
import type { Output } from '../cli/output.js';
import { UsageError } from '../errors.js';
import { isPostgresUrl, storeLabel } from '../store/store.js';
import { loadConfigOrThrow, type ConfigNeeds, type LoadedConfig } from '../config/load.js';

/** What reading the store needs of a config: no channel, no target (`report`, `status`). */
export const READS_STORE: ConfigNeeds = { channels: [], targets: false };
/** What planning needs: the targets it prints, no channel's credentials (`plan`, `run --dry-run`). */
export const PLANS: ConfigNeeds = { channels: [], targets: true };
/** Every part but the alerts (reports.notify): the default, so only commands that notify need the webhook's variable. */
export const ALL_BUT_ALERTS: ConfigNeeds = { channels: ['*'], targets: true };
/** Every part, the alerts included (`run --collect-for`, which notifies). */
export const EVERYTHING: ConfigNeeds = { ...ALL_BUT_ALERTS, notify: true };

export interface CommandContext {
  cwd: string;
  env: Record<string, string | undefined>;
  io: Output;
  clock: Clock;
  /** Aborted on SIGINT/SIGTERM: long commands stop cleanly at the next safe point. */
  signal: AbortSignal;
  /**
   * The browser launcher, SMTP transport, IMAP and Twilio clients, handed down to the stage
   * that uses each; absent (or for the ones not given), the real ones (src/adapters.ts).
   */
  adapters?: Partial<Adapters>;
}

export const DEFAULT_CONFIG = 'configs/audit.yaml';

export function resolveConfigPath(ctx: CommandContext, given?: string): string {
  const p = resolve(ctx.cwd, given ?? DEFAULT_CONFIG);
  if (!existsSync(p))
    throw new UsageError(
      given
        ? `config ${given} does not exist`
        : `no config at ${DEFAULT_CONFIG}; pass a path, or create one with \`respond-audit init\``,
      'ENOCONFIG',
    );
  return p;
}

/** Loads the config (exit 2 with every issue when invalid), printing its warnings. */
export function loadForCommand(ctx: CommandContext, given?: string, needs?: ConfigNeeds): LoadedConfig {
  const loaded = loadConfigOrThrow(resolveConfigPath(ctx, given), { cwd: ctx.cwd, env: ctx.env, needs: needs ?? ALL_BUT_ALERTS });
  // RESPOND_AUDIT_STORE puts the store elsewhere (a CI cache folder, a scratch copy).
  if (ctx.env.RESPOND_AUDIT_STORE) loaded.storePath = resolve(ctx.cwd, ctx.env.RESPOND_AUDIT_STORE);
  // RESPOND_AUDIT_STORE_URL: a PostgreSQL store (a CI secret); it wins over both.
  const url = ctx.env.RESPOND_AUDIT_STORE_URL;
  if (url) {
    if (!isPostgresUrl(url)) throw new UsageError('RESPOND_AUDIT_STORE_URL must be a postgres:// URL, e.g. postgres://audit@db.example.org:5432/respond_audit', 'ESTOREURL');
    loaded.storePath = url;
    const password = passwordOf(url);
    if (password) loaded.secrets.push(password);
  }
  ctx.io.addSecrets(loaded.secrets);
  const c = loaded.config;
  ctx.io.debug(
    `config ${loaded.shownAs}: ${c.sites.length} site(s), ${loaded.entryPoints.length} entry point(s); channels ${Object.keys(c.channels).filter((k) => c.channels[k as keyof typeof c.channels]).join(', ') || 'none'}; store ${storeLabel(loaded.storePath)}; ${loaded.secrets.length} secret value(s) will be masked`,
  );
  return loaded;
}

function passwordOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return '';
  }
}
