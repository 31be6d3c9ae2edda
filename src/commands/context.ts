/** What every command receives. Commands never read process.* or call process.exit. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Clock } from '../clock.js';
import type { Output } from '../cli/output.js';
import { UsageError } from '../errors.js';
import { loadConfigOrThrow, type LoadedConfig } from '../config/load.js';

export interface CommandContext {
  cwd: string;
  env: Record<string, string | undefined>;
  io: Output;
  clock: Clock;
  /** Aborted on SIGINT/SIGTERM: long commands stop cleanly at the next safe point. */
  signal: AbortSignal;
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
export function loadForCommand(ctx: CommandContext, given?: string): LoadedConfig {
  const loaded = loadConfigOrThrow(resolveConfigPath(ctx, given), { cwd: ctx.cwd, env: ctx.env });
  ctx.io.addSecrets(loaded.secrets);
  return loaded;
}
