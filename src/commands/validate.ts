import { relative } from 'node:path';
import { formatIssue } from '../errors.js';
import { loadConfig } from '../config/load.js';
import { resolveConfigPath, type CommandContext } from './context.js';

export interface ValidateOptions {
  config?: string;
  json?: boolean;
}

export interface ValidateSummary {
  ok: boolean;
  sites: number;
  serviceLines: number;
  entryPoints: number;
  channels: string[];
  issues: Array<{ file: string; line: number; col: number; path: string; message: string; severity: string }>;
}

export async function validate(ctx: CommandContext, opts: ValidateOptions): Promise<number> {
  const file = resolveConfigPath(ctx, opts.config);
  const r = loadConfig(file, { cwd: ctx.cwd, env: ctx.env });
  if (!r.ok) {
    if (opts.json) ctx.io.json({ ok: false, issues: r.issues } satisfies Partial<ValidateSummary>);
    else for (const i of r.issues) ctx.io.info(formatIssue(i));
    const n = r.issues.filter((i) => i.severity === 'error').length;
    if (!opts.json) ctx.io.info(`${n} problem${n === 1 ? '' : 's'} in ${shownConfig(r.issues, relative(ctx.cwd, file) || file)}`);
    return 2;
  }
  const { config, warnings } = r.loaded;
  const channels = Object.entries(config.channels)
    .filter(([, v]) => v !== undefined)
    .map(([k]) => k);
  const summary: ValidateSummary = {
    ok: true,
    sites: config.sites.length,
    serviceLines: config.sites.reduce((n, s) => n + s.serviceLines.length, 0),
    entryPoints: r.loaded.entryPoints.length,
    channels,
    issues: warnings,
  };
  if (opts.json) {
    ctx.io.json(summary);
    return 0;
  }
  for (const w of warnings) ctx.io.info(formatIssue(w));
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  ctx.io.line(
    `ok: ${plural(summary.sites, 'site')}, ${plural(summary.serviceLines, 'service line')}, ${plural(summary.entryPoints, 'entry point')}, ${plural(channels.length, 'channel')} configured`,
  );
  return 0;
}

/** The config's name as its issues show it (the first may be in a file it refers to, such as a holiday calendar). */
function shownConfig(issues: readonly { file: string }[], file: string): string {
  return issues.find((i) => !/\.(ics|ical|icalendar)$/i.test(i.file))?.file ?? file;
}
