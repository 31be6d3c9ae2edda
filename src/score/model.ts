/**
 * The report model: every figure every format shows, computed once. Renderers only lay it
 * out. Plain data (numbers, strings, arrays), so the JSON format is this model, versioned.
 */
import type { AuditConfig } from '../config/schema.js';
import type { ProbeFacts } from '../store/report-queries.js';
import type { ReviewSummary } from '../store/review-queries.js';
import { aggregateRows, ScoreTable, type GroupStats } from './aggregate.js';
import { gatherFindings, type Finding, type Labels } from './findings.js';
import { scoreProbe, type ProbeScore } from './probe.js';
import type { ScoreSettings } from './settings.js';
import { siteTrends, type SiteTrend } from './trends.js';

export const SCHEMA_VERSION = 1;

/** Published figures a reader can hold the organization's against. */
export const REFERENCES = [
  {
    id: 'hbr-2011',
    source: 'Oldroyd, McElheran & Elkington, "The Short Life of Online Sales Leads", Harvard Business Review, March 2011',
    sample: '2,241 U.S. companies, web-form leads',
    answeredWithinHour: 0.37,
    neverAnswered: 0.23,
    meanResponseHours: 42,
  },
] as const;

/** Who is who: names of sites and service lines (from the config, else the ids). */
export interface Directory {
  organization: string;
  /** IANA zone the organization's own times are shown in (default UTC). */
  timezone?: string | undefined;
  sites: Array<{ id: string; name: string; region?: string | undefined; unit?: string | undefined; timezone?: string | undefined; serviceLines: Array<{ id: string; name: string }> }>;
}

export function directoryFromConfig(config: AuditConfig): Directory {
  return {
    organization: config.organization,
    timezone: config.timezone,
    sites: config.sites.map((s) => ({ id: s.id, name: s.name, region: s.region, unit: s.unit, timezone: s.timezone ?? config.timezone, serviceLines: s.serviceLines.map((l) => ({ id: l.id, name: l.name })) })),
  };
}

export interface Group {
  id: string;
  name: string;
  stats: GroupStats;
}

/** First responses of a site's message probes, counted in time buckets (the distribution chart). */
export interface Distribution {
  within1h: number;
  within1d: number;
  within3d: number;
  later: number;
  never: number;
  pending: number;
}

export interface ChannelCell extends Group {
  channel: string;
  /** Entry point keys merged in this cell. */
  entryKeys: string[];
}

export interface SiteSection extends Group {
  /** IANA zone the site's times are shown in. */
  timezone: string;
  region: string | null;
  unit: string | null;
  distribution: Distribution;
  /** The same first responses timed in opening hours (present when sites have hours, settings.businessHours). */
  businessDistribution?: Distribution;
  serviceLines: Array<Group & { channels: ChannelCell[] }>;
}

export interface ThresholdBreach {
  /** "North Clinic" or "North Clinic / Orthopedics / email" */
  what: string;
  grade: number;
}

export interface ReportModel {
  schemaVersion: typeof SCHEMA_VERSION;
  generatedAt: number;
  organization: string;
  /** IANA zone of the organization: the report's own times (period, "as of") are shown in it. */
  timezone: string;
  selection: { runId: number | null; since: number | null; firstSentAt: number | null; lastSentAt: number | null; runs: number[] };
  settings: {
    sla: ScoreSettings['sla'];
    weights: ScoreSettings['weights'];
    campaign: string | null;
    failUnder: number | null;
    /** Some site has opening hours, so times are also shown counted in them (absent otherwise). */
    businessHours?: true;
  };
  references: typeof REFERENCES;
  overall: GroupStats;
  sites: SiteSection[];
  groups: { serviceLines: Group[]; channels: Group[]; regions: Group[]; units: Group[] };
  findings: Finding[];
  trends: SiteTrend[];
  /** Replies and calls in the period that no inquiry could be matched to. */
  unmatchedEvents: number;
  /** Verdicts behind these scores that people corrected or confirmed by hand, and those flagged for review. */
  review: ReviewSummary;
  threshold: { failUnder: number | null; breaches: ThresholdBreach[] };
}

export interface BuildInput {
  /** The probes of the trend scope (the report's probes plus earlier runs for trends). */
  facts: readonly ProbeFacts[];
  /** Only these probes are scored in the scorecards (default: all of `facts`). */
  include?: (f: ProbeFacts) => boolean;
  runs: ReadonlyArray<{ id: number; startedAt: number }>;
  directory: Directory;
  settings: ScoreSettings;
  generatedAt: number;
  selection: { runId: number | null; since: number | null };
  failUnder: number | null;
  unmatchedEvents?: number;
  review?: ReviewSummary;
}

export interface BuiltReport {
  model: ReportModel;
  /** Scores of the report's probes (for the HTML evidence pages). */
  scores: ProbeScore[];
}

const CHANNEL_ORDER = ['webform', 'email', 'phone', 'sms'];

export function buildReport(input: BuildInput): BuiltReport {
  const s = input.settings;
  const all = input.facts.map((f) => scoreProbe(f, s));
  const scores = input.include ? all.filter((p) => input.include!(p.facts)) : all;
  const dir = input.directory;
  const siteInfo = new Map(dir.sites.map((x) => [x.id, x]));
  const labels: Labels = {
    site: (id) => siteInfo.get(id)?.name ?? id,
    serviceLine: (siteId, id) => siteInfo.get(siteId)?.serviceLines.find((l) => l.id === id)?.name ?? lineName(id),
  };
  const lineNames = new Map<string, string>();
  for (const site of dir.sites) for (const l of site.serviceLines) if (!lineNames.has(l.id)) lineNames.set(l.id, l.name);
  function lineName(id: string) {
    return lineNames.get(id) ?? id;
  }

  // One pass files each scored probe's row under its site, service line, cell (site × line ×
  // channel) and the comparison groups; every figure is then summed from a ScoreTable by row.
  const table = new ScoreTable(all);
  const rows: number[] = [];
  for (let i = 0; i < all.length; i++) if (!input.include || input.include(all[i]!.facts)) rows.push(i);
  interface CellRows { rows: number[]; entryKeys: Set<string> }
  interface LineRows { rows: number[]; cells: Map<string, CellRows> }
  interface SiteRows { rows: number[]; lines: Map<string, LineRows> }
  const bySite = new Map<string, SiteRows>();
  const byServiceLine = new Map<string, number[]>();
  const byChannel = new Map<string, number[]>();
  const byRegion = new Map<string, number[]>();
  const byUnit = new Map<string, number[]>();
  // Where each distinct (site, line, channel, entry point) files its rows, found once.
  type Target = { site: number[]; line: number[]; cell: number[]; serviceLine: number[]; channel: number[]; region: number[] | null; unit: number[] | null };
  // By entry key (site/line/entry point), then channel: two lookups, no key string per probe.
  const targets = new Map<string, Map<string, Target>>();
  let first: number | null = null;
  let last: number | null = null;
  const runIds = new Set<number>();
  for (const i of rows) {
    const f = all[i]!.facts;
    let channels = targets.get(f.entryKey);
    if (!channels) targets.set(f.entryKey, (channels = new Map()));
    let t = channels.get(f.channel);
    if (!t) {
      let site = bySite.get(f.siteId);
      if (!site) bySite.set(f.siteId, (site = { rows: [], lines: new Map() }));
      let line = site.lines.get(f.serviceLineId);
      if (!line) site.lines.set(f.serviceLineId, (line = { rows: [], cells: new Map() }));
      let cell = line.cells.get(f.channel);
      if (!cell) line.cells.set(f.channel, (cell = { rows: [], entryKeys: new Set() }));
      cell.entryKeys.add(f.entryKey);
      const group = (m: Map<string, number[]>, k: string | null) => {
        if (k === null) return null;
        let l = m.get(k);
        if (!l) m.set(k, (l = []));
        return l;
      };
      const info = siteInfo.get(f.siteId);
      t = {
        site: site.rows,
        line: line.rows,
        cell: cell.rows,
        serviceLine: group(byServiceLine, f.serviceLineId)!,
        channel: group(byChannel, f.channel)!,
        region: group(byRegion, info?.region ?? null),
        unit: group(byUnit, info?.unit ?? null),
      };
      channels.set(f.channel, t);
    }
    t.site.push(i);
    t.line.push(i);
    t.cell.push(i);
    t.serviceLine.push(i);
    t.channel.push(i);
    t.region?.push(i);
    t.unit?.push(i);
    const sent = f.sentAt;
    if (first === null || sent < first) first = sent;
    if (last === null || sent > last) last = sent;
    runIds.add(f.runId);
  }

  // Sites in config order, then any site only the store knows (removed from the config since).
  const siteIds = [...dir.sites.map((x) => x.id).filter((id) => bySite.has(id)), ...[...bySite.keys()].filter((id) => !siteInfo.has(id)).sort()];
  const sites: SiteSection[] = siteIds.map((siteId) => {
    const site = bySite.get(siteId)!;
    const info = siteInfo.get(siteId);
    const byLine = site.lines;
    const lineOrder = [...(info?.serviceLines.map((l) => l.id) ?? []).filter((id) => byLine.has(id)), ...[...byLine.keys()].filter((id) => !info?.serviceLines.some((l) => l.id === id)).sort()];
    return {
      id: siteId,
      name: labels.site(siteId),
      timezone: info?.timezone ?? dir.timezone ?? 'UTC',
      region: info?.region ?? null,
      unit: info?.unit ?? null,
      stats: aggregateRows(table, site.rows, s),
      distribution: distribution(table, site.rows, table.firstMs),
      ...(table.business ? { businessDistribution: distribution(table, site.rows, table.business.firstMs) } : {}),
      serviceLines: lineOrder.map((lineId) => {
        const line = byLine.get(lineId)!;
        return {
          id: lineId,
          name: labels.serviceLine(siteId, lineId),
          stats: aggregateRows(table, line.rows, s),
          channels: sortChannels([...line.cells.keys()]).map((channel) => {
            const cell = line.cells.get(channel)!;
            return { id: channel, name: channel, channel, entryKeys: [...cell.entryKeys].sort(), stats: aggregateRows(table, cell.rows, s) };
          }),
        };
      }),
    };
  });

  const groupsOf = (m: Map<string, number[]>, name: (k: string) => string, order?: string[]): Group[] => {
    const keys = order ? [...order.filter((k) => m.has(k)), ...[...m.keys()].filter((k) => !order.includes(k)).sort()] : [...m.keys()].sort();
    return keys.map((k) => ({ id: k, name: name(k), stats: aggregateRows(table, m.get(k)!, s) }));
  };
  const groups = {
    serviceLines: groupsOf(byServiceLine, lineName, [...lineNames.keys()]),
    channels: groupsOf(byChannel, (k) => k, CHANNEL_ORDER),
    regions: groupsOf(byRegion, (k) => k),
    units: groupsOf(byUnit, (k) => k),
  };

  const failUnder = input.failUnder;
  const breaches: ThresholdBreach[] = [];
  if (failUnder !== null) {
    for (const site of sites) {
      if (site.stats.grade !== null && site.stats.grade < failUnder) breaches.push({ what: site.name, grade: site.stats.grade });
      for (const line of site.serviceLines)
        for (const cell of line.channels)
          if (cell.stats.grade !== null && cell.stats.grade < failUnder)
            breaches.push({ what: `${site.name} / ${line.name} / ${cell.channel}`, grade: cell.stats.grade });
    }
  }

  const model: ReportModel = {
    schemaVersion: SCHEMA_VERSION,
    generatedAt: input.generatedAt,
    organization: dir.organization,
    timezone: dir.timezone ?? 'UTC',
    selection: { ...input.selection, firstSentAt: first, lastSentAt: last, runs: [...runIds].sort((a, b) => a - b) },
    settings: { sla: s.sla, weights: s.weights, campaign: s.campaign, failUnder, ...(s.calendars ? { businessHours: true as const } : {}) },
    references: REFERENCES,
    overall: aggregateRows(table, rows, s),
    sites,
    groups,
    findings: gatherFindings(scores, s, labels),
    trends: siteTrends(all, input.runs, s, siteIds, table),
    unmatchedEvents: input.unmatchedEvents ?? 0,
    review: input.review ?? { corrected: 0, confirmed: 0, needsReview: 0, items: [] },
    threshold: { failUnder, breaches },
  };
  return { model, scores };
}

function sortChannels(channels: string[]): string[] {
  return channels.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}
const rank = (c: string) => (CHANNEL_ORDER.indexOf(c) + 1 || 99);

const HOUR = 3_600_000;
/** Buckets of first-response times: `times` is the wall-clock series or the opening-hours one. */
function distribution(table: ScoreTable, rows: readonly number[], times: Float64Array): Distribution {
  const d: Distribution = { within1h: 0, within1d: 0, within3d: 0, later: 0, never: 0, pending: 0 };
  for (const i of rows) {
    if (!table.isTimedMessage(i)) continue;
    const ms = times[i]!;
    if (ms !== ms) {
      if (table.isPending(i)) d.pending++;
      else d.never++;
    }
    else if (ms <= HOUR) d.within1h++;
    else if (ms <= 24 * HOUR) d.within1d++;
    else if (ms <= 72 * HOUR) d.within3d++;
    else d.later++;
  }
  return d;
}
