/**
 * Loads an audit config: YAML with positions, ${ENV} secrets, the zod schema, the rules,
 * and the inquiry templates. Returns every issue at once; never throws for bad input.
 */
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { ConfigError, type ConfigIssue } from '../errors.js';
import { interpolateEnv, pathKey } from './env.js';
import { loadInquiries, type Inquiry } from './inquiry.js';
import type { PathSeg } from './positions.js';
import { RULES } from './rules.js';
import { SECRET_PATHS, configSchema, type AuditConfig, type EntryPoint, type ServiceLine, type Site } from './schema.js';
import { zodIssue } from './zod-issues.js';
import { readYamlFile } from './yaml-file.js';

export interface ResolvedEntryPoint {
  /** `site/serviceLine/entryPoint`: the stable key the store uses. */
  key: string;
  site: Site;
  serviceLine: ServiceLine;
  entryPoint: EntryPoint;
  id: string;
  timezone: string;
  inquiry: Inquiry;
}

export interface LoadedConfig {
  file: string;
  /** As shown in messages (relative to cwd). */
  shownAs: string;
  dir: string;
  config: AuditConfig;
  storePath: string;
  probesDir: string;
  reportsDir: string;
  inquiries: Map<string, Inquiry>;
  entryPoints: ResolvedEntryPoint[];
  warnings: ConfigIssue[];
  /** Values substituted from the environment; logs and reports scrub them. */
  secrets: string[];
}

export interface LoadOptions {
  cwd: string;
  env: Record<string, string | undefined>;
}

export type LoadResult = { ok: true; loaded: LoadedConfig } | { ok: false; issues: ConfigIssue[] };

export function loadConfig(file: string, opts: LoadOptions): LoadResult {
  const full = isAbsolute(file) ? file : resolve(opts.cwd, file);
  const shownAs = relative(opts.cwd, full) || full;
  const f = readYamlFile(full, shownAs);
  if ('issues' in f) return { ok: false, issues: f.issues };

  const env = interpolateEnv(f.data, opts.env, SECRET_PATHS);
  const issues: ConfigIssue[] = env.missing.map((m) =>
    f.issue(m.path, `environment variable ${m.name} is not set (needed here; set it in the environment, never in the file)`),
  );

  const parsed = configSchema.safeParse(env.value);
  if (!parsed.success) {
    // A missing ${ENV} already has its own issue; the empty value it left is not another.
    const missing = new Set(env.missing.map((m) => pathKey(m.path)));
    const zodIssues = parsed.error.issues.filter((i) => !missing.has(pathKey(i.path as PathSeg[])));
    issues.push(...zodIssues.flatMap((i) => zodIssue(i, f.issue, env.value, configSchema)));
    return { ok: false, issues: sortIssues(issues) };
  }
  const config = parsed.data;
  const dir = dirname(full);
  const probesDir = resolve(dir, config.probes.dir);
  const templates = loadInquiries(probesDir, opts.cwd);
  issues.push(...templates.issues);
  for (const rule of RULES) {
    for (const r of rule(config, { configDir: dir, probesDir, inquiryNames: [...templates.inquiries.keys()], envRefPaths: new Set([...env.refPaths]) }))
      issues.push(f.issue(r.path, r.message, { severity: r.severity ?? 'error' }));
  }
  const errors = issues.filter((i) => i.severity === 'error');
  if (errors.length) return { ok: false, issues: sortIssues(issues) };

  const entryPoints: ResolvedEntryPoint[] = [];
  for (const site of config.sites)
    for (const serviceLine of site.serviceLines)
      for (const entryPoint of serviceLine.entryPoints) {
        const id = entryPoint.id ?? entryPoint.type;
        const inquiryName = entryPoint.inquiry ?? serviceLine.inquiry ?? config.probes.default;
        entryPoints.push({
          key: `${site.id}/${serviceLine.id}/${id}`,
          site,
          serviceLine,
          entryPoint,
          id,
          timezone: site.timezone ?? config.timezone,
          inquiry: templates.inquiries.get(inquiryName)!,
        });
      }
  return {
    ok: true,
    loaded: {
      file: full,
      shownAs,
      dir,
      config,
      storePath: resolve(dir, config.store.path),
      probesDir,
      reportsDir: resolve(dir, config.reports.dir),
      inquiries: templates.inquiries,
      entryPoints,
      warnings: issues.filter((i) => i.severity === 'warning'),
      secrets: env.secrets,
    },
  };
}

/** Like loadConfig, but throws ConfigError (exit 2) with every issue. */
export function loadConfigOrThrow(file: string, opts: LoadOptions): LoadedConfig {
  const r = loadConfig(file, opts);
  if (!r.ok) throw new ConfigError(r.issues);
  return r.loaded;
}

function sortIssues(issues: ConfigIssue[]): ConfigIssue[] {
  return issues.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col);
}

export { pathKey };
