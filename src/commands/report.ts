/**
 * `respond-audit report`: scorecards from the store in the format asked for. Exit 1 when a
 * grade falls below --fail-under (or reports.failUnder), for nightly CI.
 */
import { Chalk } from 'chalk';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseDuration } from '../config/duration.js';
import { BelowThresholdError, UsageError } from '../errors.js';
import { brandFromConfig } from '../report/brand.js';
import { probeViews } from '../report/evidence.js';
import { renderHtml } from '../report/html.js';
import { renderJson } from '../report/json.js';
import { renderJunit } from '../report/junit.js';
import { renderMarkdown } from '../report/markdown.js';
import { defaultReportName, pathInside } from '../report/paths.js';
import { renderTerminal } from '../report/terminal.js';
import { writeReport } from '../report/write.js';
import { buildReport, directoryFromConfig } from '../score/model.js';
import { settingsFromConfig } from '../score/settings.js';
import { MAX_TREND_RUNS } from '../score/trends.js';
import { countUnmatchedEvents, probeFacts, runsOfFacts, runsWithProbes } from '../store/report-queries.js';
import { reviewSummary } from '../store/review-queries.js';
import { Store, storeExists, storeLabel } from '../store/store.js';
import { notifyNeeds, sendAlerts } from '../notify/after-report.js';
import { loadForCommand, READS_STORE, type CommandContext } from './context.js';

export type ReportFormat = 'terminal' | 'md' | 'html' | 'pdf' | 'json' | 'junit';

export interface ReportOptions {
  config?: string;
  run?: string;
  since?: string;
  format?: ReportFormat;
  out?: string;
  failUnder?: string;
  /** commander's --no-redact sets this false. */
  redact?: boolean;
  /** commander's --no-notify sets this false: no alerts (reports.notify) are sent. */
  notify?: boolean;
  /** Print the alerts that would be sent (stderr); send and record nothing. */
  notifyPreview?: boolean;
}

export async function reportCommand(ctx: CommandContext, opts: ReportOptions): Promise<number> {
  const format = opts.format ?? 'terminal';
  const runId = opts.run === undefined ? undefined : positiveInt(opts.run, '--run');
  if (runId !== undefined && opts.since !== undefined) throw new UsageError('give either --run or --since, not both');
  const sinceMs = opts.since === undefined ? undefined : parseDuration(opts.since);
  if (opts.since !== undefined && sinceMs === undefined) throw new UsageError(`--since ${opts.since}: expected a duration such as 7d, 30d or 12h`);
  const failUnderFlag = opts.failUnder === undefined ? undefined : Number(opts.failUnder);
  if (failUnderFlag !== undefined && !(Number.isFinite(failUnderFlag) && failUnderFlag >= 0 && failUnderFlag <= 100))
    throw new UsageError(`--fail-under ${opts.failUnder}: expected a grade from 0 to 100`);

  // Alerts reflect the current state, so a report of one past run (--run) sends none.
  const notifying = opts.notify !== false && runId === undefined;
  let loaded = loadForCommand(ctx, opts.config, notifying ? notifyNeeds(READS_STORE, null) : READS_STORE);
  if (notifying && loaded.config.reports.notify?.email) loaded = loadForCommand(ctx, opts.config, notifyNeeds(READS_STORE, loaded));
  if (!storeExists(loaded.storePath))
    throw new UsageError(`no results yet: the store ${storeLabel(loaded.storePath)} does not exist. Run \`respond-audit run\` first.`, 'ENOSTORE');
  const now = ctx.clock.now();
  const since = sinceMs === undefined ? undefined : now - sinceMs;
  const failUnder = failUnderFlag ?? loaded.config.reports.failUnder ?? null;
  const settings = settingsFromConfig(loaded.config, now);

  const store = new Store(loaded.storePath, ctx.clock, { mustExist: true });
  let rendered: { text: string; built: ReturnType<typeof buildReport> };
  try {
    let runs;
    let facts;
    if (runId !== undefined) {
      runs = runsWithProbes(store, since === undefined ? {} : { since });
      const at = runs.findIndex((r) => r.id === runId);
      if (at < 0) throw new UsageError(`run #${runId} has no probes in this store (see \`respond-audit status\`)`, 'ENORUN');
      // The run's own scorecard, with the runs before it for the trends.
      runs = runs.slice(Math.max(0, at + 1 - MAX_TREND_RUNS), at + 1);
      facts = probeFacts(store, { runIds: runs.map((r) => r.id) });
    } else {
      facts = probeFacts(store, since === undefined ? {} : { since });
      runs = runsOfFacts(store, facts);
    }
    const built = buildReport({
      facts,
      ...(runId !== undefined ? { include: (f) => f.runId === runId } : {}),
      runs,
      directory: directoryFromConfig(loaded.config),
      settings,
      generatedAt: now,
      selection: { runId: runId ?? null, since: since ?? null },
      failUnder,
      unmatchedEvents: countUnmatchedEvents(store, since),
      review: reviewSummary(store, runId !== undefined ? { runId } : since !== undefined ? { since } : {}),
    });
    const m = built.model;
    const redact = opts.redact !== false;
    let text: string;
    switch (format) {
      case 'terminal':
        text = renderTerminal(m, { c: opts.out ? new Chalk({ level: 0 }) : ctx.io.c });
        break;
      case 'md':
        text = renderMarkdown(m);
        break;
      case 'json':
        text = renderJson(m);
        break;
      case 'junit':
        text = renderJunit(m);
        break;
      case 'html':
      case 'pdf': {
        const probes = probeViews(store, built.scores, settings, { redact, reportsDir: loaded.reportsDir, ivrDigits: ivrDigitsOf(loaded) });
        // Recordings and whole transcripts go beside the report, linked from its appendix.
        const { writeEvidenceFiles } = await import('../report/evidence-files.js');
        const files = writeEvidenceFiles(m, probes, outputPath(ctx, format, opts.out, loaded.reportsDir, m.organization, now)!, { scrub: (t) => ctx.io.scrub(t) });
        if (files) ctx.io.debug(`report: ${files} evidence file(s) written beside the report`);
        text = renderHtml(m, { redacted: redact, probes, brand: brandFromConfig(loaded.config, loaded.dir, ctx.cwd) });
        break;
      }
      default: {
        // Commander only passes the listed choices; a caller of this function gets a usage error.
        const unknown: never = format;
        throw new UsageError(`--format ${String(unknown)}: expected terminal, md, html, pdf, json or junit`);
      }
    }
    rendered = { text, built };
  } finally {
    store.close();
  }

  const m = rendered.built.model;
  const target = outputPath(ctx, format, opts.out, loaded.reportsDir, m.organization, now);
  if (format === 'pdf') {
    const { printPdf } = await import('../report/pdf.js');
    const client = loaded.config.reports.brand?.client ?? m.organization;
    await printPdf(rendered.text, target!, loaded, ctx.env, { footer: `${client}: response audit`, adapters: ctx.adapters });
  } else if (target) writeReport(target, ctx.io.scrub(rendered.text));
  else ctx.io.line(rendered.text.replace(/\n$/, ''));
  if (target) ctx.io.info(`wrote ${format} report to ${target}`);
  ctx.io.debug(`report: ${format}, ${m.sites.length} site(s), ${m.findings.length} finding(s), ${target ? `written to ${target}` : 'printed to stdout'}${opts.redact === false ? ', not redacted' : ', staff details redacted'}`);

  if (notifying && loaded.config.reports.notify)
    await sendAlerts(ctx, loaded, { redact: opts.redact !== false, preview: !!opts.notifyPreview, built: { model: m, scores: rendered.built.scores, settings } });
  else if (opts.notifyPreview) ctx.io.info(runId !== undefined ? 'notify preview: a report of one run (--run) sends no alerts' : 'notify preview: no alerts configured (reports.notify) or --no-notify given');

  const breaches = m.threshold.breaches;
  if (breaches.length) {
    const list = breaches.slice(0, 10).map((b) => `${b.what} (${b.grade})`).join(', ');
    throw new BelowThresholdError(`${breaches.length} grade${breaches.length === 1 ? '' : 's'} below ${failUnder}: ${list}${breaches.length > 10 ? ', …' : ''}`);
  }
  return 0;
}

/** The menu keys of each phone entry point that has them, for the evidence appendix. */
function ivrDigitsOf(loaded: { entryPoints: ReadonlyArray<{ key: string; entryPoint: { type: string; ivr?: { digits?: string | undefined } | undefined } }> }): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of loaded.entryPoints) if (e.entryPoint.type === 'phone' && e.entryPoint.ivr?.digits) out.set(e.key, e.entryPoint.ivr.digits);
  return out;
}

/** Where to write, or undefined for stdout. html and pdf always go to a file. */
function outputPath(ctx: CommandContext, format: ReportFormat, out: string | undefined, reportsDir: string, organization: string, now: number): string | undefined {
  const name = defaultReportName(organization, now, format);
  if (out !== undefined) {
    if (out.includes('\0')) throw new UsageError('--out: the path contains a NUL byte');
    const full = resolve(ctx.cwd, out);
    const isDir = /[/\\]$/.test(out) || (existsSync(full) && statSync(full).isDirectory());
    return isDir ? pathInside(full, name) : full;
  }
  return format === 'html' || format === 'pdf' ? pathInside(reportsDir, name) : undefined;
}

function positiveInt(v: string, flag: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${flag} ${v}: expected a run number such as 12`);
  return n;
}
