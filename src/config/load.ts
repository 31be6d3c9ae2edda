/**
 * Loads an audit config: YAML with positions, ${ENV} secrets, the zod schema, the rules,
 * and the inquiry templates. Returns every issue at once; never throws for bad input.
 */
import { profileOf, type ShopperProfile } from './profile.js';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type { z } from 'zod';
import { ConfigError, type ConfigIssue } from '../errors.js';
import { interpolateEnv, pathKey, WHOLE_REF } from './env.js';
import { loadInquiries, type Inquiry } from './inquiry.js';
import type { PathSeg } from './positions.js';
import { applyProviderPresets } from './providers.js';
import { RULES, type RuleContext, type RuleIssue } from './rules.js';
import { SECRET_PATHS, configSchema, type AuditConfig, type EntryPoint, type ServiceLine, type Site } from './schema.js';
import { zodIssue } from './zod-issues.js';
import { readYamlFile } from './yaml-file.js';
import { readHolidayFiles } from './holiday-files.js';

export interface ResolvedEntryPoint {
  /** `site/serviceLine/entryPoint`: the stable key the store uses. */
  key: string;
  site: Site;
  serviceLine: ServiceLine;
  entryPoint: EntryPoint;
  id: string;
  timezone: string;
  inquiry: Inquiry;
  /** The shopper's optional profile, defaults applied (src/config/profile.ts). */
  profile: ShopperProfile;
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
  /**
   * What the command will use of the config's ${ENV}-fed parts; default everything. A
   * reference the command does not need may be unset (`report` needs no SMTP password).
   */
  needs?: ConfigNeeds;
}

export interface ConfigNeeds {
  /** The channels whose settings it uses (others may hold unset references); `*` for all. */
  channels: readonly string[];
  /** Whether it uses the sites' targets (URLs, addresses, numbers). */
  targets: boolean;
  /** Whether it sends alerts (reports.notify); default no. */
  notify?: boolean;
}

/** Whether an unset ${ENV} reference at `path` is no problem for a command with these needs. */
function notNeededBy(needs: ConfigNeeds | undefined): (path: readonly PathSeg[]) => boolean {
  if (!needs) return () => false;
  return (path) => (path[0] === 'channels' && !needs.channels.includes('*') && !needs.channels.includes(String(path[1]))) || (path[0] === 'sites' && !needs.targets) || (path[0] === 'reports' && path[1] === 'notify' && !needs.notify);
}

export type LoadResult = { ok: true; loaded: LoadedConfig } | { ok: false; issues: ConfigIssue[] };

export function loadConfig(file: string, opts: LoadOptions): LoadResult {
  const full = isAbsolute(file) ? file : resolve(opts.cwd, file);
  const shownAs = relative(opts.cwd, full) || full;
  const f = readYamlFile(full, shownAs);
  if ('issues' in f) return { ok: false, issues: f.issues };

  const env = interpolateEnv(f.data, opts.env, SECRET_PATHS, notNeededBy(opts.needs));
  applyProviderPresets(env.value);
  // A value left as `${NAME}` that its field refuses (a port, a flag) falls back to its default.
  const unsetAt = new Set(env.unset.map((u) => pathKey(u.path)));
  const isUnset = (path: readonly PathSeg[]) => path.some((_, i) => unsetAt.has(pathKey(path.slice(0, i + 1))));
  if (unsetAt.size) dropRefused(env.value, isUnset);
  const issues: ConfigIssue[] = env.missing.map((m) =>
    f.issue(m.path, `environment variable ${m.name} is not set (needed here; set it in the environment, never in the file)`),
  );

  issues.push(...readHolidayFiles(env.value, dirname(full), opts.cwd, f.issue));
  const parsed = configSchema.safeParse(env.value);
  let config: AuditConfig;
  if (!parsed.success) {
    // A missing ${ENV} already has its own issue; the empty value it left is not another.
    const missing = new Set(env.missing.map((m) => pathKey(m.path)));
    const zodIssues = parsed.error.issues.filter((i) => !missing.has(pathKey(i.path as PathSeg[])));
    issues.push(...zodIssues.flatMap((i) => zodIssue(i, f.issue, env.value, configSchema)));
    // Every problem at once: the schema's findings are set aside and the rest is checked too
    // (an unknown key must not hide a bad URL, nor a bad duration a bad phone number).
    const repaired = withoutBadValues(env.value, parsed.error.issues);
    if (!repaired) return { ok: false, issues: sortIssues(issues) };
    const seen = new Set(issues.map((i) => i.path));
    const dir = dirname(full);
    const probesDir = resolve(dir, repaired.config.probes.dir);
    const inquiryNames = [...loadInquiries(probesDir, opts.cwd).inquiries.keys()];
    for (const r of runRules(repaired.config, { configDir: dir, probesDir, inquiryNames, envRefPaths: env.refPaths })) {
      const issue = f.issue(r.path, r.message, { severity: 'error' });
      if ((r.severity ?? 'error') === 'error' && !seen.has(issue.path)) issues.push(issue);
    }
    return { ok: false, issues: sortIssues(issues) };
  } else config = parsed.data;
  const dir = dirname(full);
  const probesDir = resolve(dir, config.probes.dir);
  const templates = loadInquiries(probesDir, opts.cwd);
  issues.push(...templates.issues);
  for (const kind of ['imap', 'smtp'] as const) {
    const o = config.channels[kind]?.oauth2;
    if (o?.refreshTokenFile) o.refreshTokenFile = resolve(dir, o.refreshTokenFile);
  }
  for (const r of runRules(config, { configDir: dir, probesDir, inquiryNames: [...templates.inquiries.keys()], envRefPaths: env.refPaths }))
    if (!(r.code && config.silence.includes(r.code)) && !isUnset(r.path)) issues.push(f.issue(r.path, r.message, { severity: r.severity ?? 'error' }));
  const storePassword = storeUrlPassword(f.data, config.store.url);
  if (storePassword.issue) issues.push(f.issue(['store', 'url'], storePassword.issue));
  else if (storePassword.secret) env.secrets.push(storePassword.secret);
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
          profile: profileOf(config.shopper),
        });
      }
  return {
    ok: true,
    loaded: {
      file: full,
      shownAs,
      dir,
      config,
      storePath: config.store.url ?? resolve(dir, config.store.path),
      probesDir,
      reportsDir: resolve(dir, config.reports.dir),
      inquiries: templates.inquiries,
      entryPoints,
      warnings: issues.filter((i) => i.severity === 'warning'),
      secrets: env.secrets,
    },
  };
}

/**
 * The store URL's password may only come from the environment: a `${NAME}` in its place (the
 * value is then masked like every secret) or PGPASSWORD. One written in the file is refused.
 */
function storeUrlPassword(raw: unknown, url: string | undefined): { issue?: string; secret?: string } {
  if (!url) return {};
  const written = (raw as { store?: { url?: unknown } } | null)?.store?.url;
  const userinfo = typeof written === 'string' ? /^[a-z]+:\/\/([^@/]*)@/i.exec(written)?.[1] : undefined;
  const given = userinfo?.includes(':') ? userinfo.slice(userinfo.indexOf(':') + 1) : '';
  if (!given) return {};
  if (!WHOLE_REF.test(given))
    return { issue: 'the password is written in the file: remove it and set PGPASSWORD in the environment, or write ${NAME} in its place' };
  try {
    return { secret: decodeURIComponent(new URL(url).password) };
  } catch {
    return { issue: 'is not a valid URL' };
  }
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

/**
 * The config with what the schema refused taken out (unknown keys, and each value it refused,
 * or the mapping holding a required one), parsed again until it passes: what is left can be
 * checked by the rules. Array elements are never removed (the paths of the rest would shift):
 * null when a repair would need that, or after a few rounds.
 */
function withoutBadValues(value: unknown, first: readonly z.core.$ZodIssue[]): { config: AuditConfig } | null {
  const data = structuredClone(value);
  let problems = first;
  for (let round = 0; round < 6; round++) {
    for (const i of problems) {
      const path = i.path as PathSeg[];
      if (i.code === 'unrecognized_keys') {
        const holder = valueAt(data, path);
        if (!holder || typeof holder !== 'object') return null;
        for (const k of i.keys) delete (holder as Record<string, unknown>)[k];
        continue;
      }
      // A refused value goes; a mapping missing a required value goes with it (from round 2).
      const cut = round === 0 || valueAt(data, path) !== undefined ? path : path.slice(0, -1);
      if (!deleteAt(data, cut)) return null;
    }
    const again = configSchema.safeParse(data);
    if (again.success) return { config: again.data };
    problems = again.error.issues;
  }
  return null;
}

function valueAt(data: unknown, path: readonly PathSeg[]): unknown {
  let v = data;
  for (const seg of path) {
    if (!v || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[seg as string | number];
  }
  return v;
}

/**
 * Deletes the mapping key at the end of `path` (never an array element: the paths of the rest
 * would shift). False when there is no such key to delete.
 */
function deleteAt(data: unknown, path: readonly PathSeg[]): boolean {
  const last = path[path.length - 1];
  if (last === undefined || typeof last === 'number') return false;
  const holder = valueAt(data, path.slice(0, -1));
  if (!holder || typeof holder !== 'object' || Array.isArray(holder)) return false;
  delete (holder as Record<string, unknown>)[last];
  return true;
}

/** The cross-field rules, in their order. */
function runRules(config: AuditConfig, ctx: Omit<RuleContext, 'envRefPaths'> & { envRefPaths: Iterable<string> }): RuleIssue[] {
  const c: RuleContext = { ...ctx, envRefPaths: new Set(ctx.envRefPaths) };
  return RULES.flatMap((rule) => rule(config, c));
}

/** Removes, in place, the values left as `${NAME}` that their fields refuse, so their defaults apply. */
function dropRefused(value: unknown, isUnset: (path: readonly PathSeg[]) => boolean): void {
  for (let round = 0; round < 3; round++) {
    const r = configSchema.safeParse(value);
    if (r.success) return;
    let changed = false;
    for (const i of r.error.issues) if (isUnset(i.path as PathSeg[]) && deleteAt(value, i.path as PathSeg[])) changed = true;
    if (!changed) return;
  }
}
