/**
 * The report model: every figure every format shows, computed once. Renderers only lay it
 * out. Plain data (numbers, strings, arrays), so the JSON format is this model, versioned.
 */
import type { AuditConfig } from '../config/schema.js';
import type { ProbeFacts } from '../store/report-queries.js';
import { aggregate, type GroupStats } from './aggregate.js';
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
  sites: Array<{ id: string; name: string; region?: string | undefined; unit?: string | undefined; serviceLines: Array<{ id: string; name: string }> }>;
}

export function directoryFromConfig(config: AuditConfig): Directory {
  return {
    organization: config.organization,
    sites: config.sites.map((s) => ({ id: s.id, name: s.name, region: s.region, unit: s.unit, serviceLines: s.serviceLines.map((l) => ({ id: l.id, name: l.name })) })),
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
  region: string | null;
  unit: string | null;
  distribution: Distribution;
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
  selection: { runId: number | null; since: number | null; firstSentAt: number | null; lastSentAt: number | null; runs: number[] };
  settings: { sla: ScoreSettings['sla']; weights: ScoreSettings['weights']; campaign: string | null; failUnder: number | null };
  references: typeof REFERENCES;
  overall: GroupStats;
  sites: SiteSection[];
  groups: { serviceLines: Group[]; channels: Group[]; regions: Group[]; units: Group[] };
  findings: Finding[];
  trends: SiteTrend[];
  /** Replies and calls in the period that no inquiry could be matched to. */
  unmatchedEvents: number;
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

  // Sites in config order, then any site only the store knows (removed from the config since).
  const bySite = groupBy(scores, (p) => p.facts.siteId);
  const siteIds = [...dir.sites.map((x) => x.id).filter((id) => bySite.has(id)), ...[...bySite.keys()].filter((id) => !siteInfo.has(id)).sort()];
  const sites: SiteSection[] = siteIds.map((siteId) => {
    const list = bySite.get(siteId)!;
    const info = siteInfo.get(siteId);
    const byLine = groupBy(list, (p) => p.facts.serviceLineId);
    const lineOrder = [...(info?.serviceLines.map((l) => l.id) ?? []).filter((id) => byLine.has(id)), ...[...byLine.keys()].filter((id) => !info?.serviceLines.some((l) => l.id === id)).sort()];
    return {
      id: siteId,
      name: labels.site(siteId),
      region: info?.region ?? null,
      unit: info?.unit ?? null,
      stats: aggregate(list, s),
      distribution: distribution(list),
      serviceLines: lineOrder.map((lineId) => {
        const lineList = byLine.get(lineId)!;
        const byChannel = groupBy(lineList, (p) => p.facts.channel);
        return {
          id: lineId,
          name: labels.serviceLine(siteId, lineId),
          stats: aggregate(lineList, s),
          channels: sortChannels([...byChannel.keys()]).map((channel) => {
            const cell = byChannel.get(channel)!;
            return { id: channel, name: channel, channel, entryKeys: [...new Set(cell.map((p) => p.facts.entryKey))].sort(), stats: aggregate(cell, s) };
          }),
        };
      }),
    };
  });

  const groupsOf = (key: (p: ProbeScore) => string | null, name: (k: string) => string, order?: string[]): Group[] => {
    const m = new Map<string, ProbeScore[]>();
    for (const p of scores) {
      const k = key(p);
      if (k === null) continue;
      let l = m.get(k);
      if (!l) m.set(k, (l = []));
      l.push(p);
    }
    const keys = order ? [...order.filter((k) => m.has(k)), ...[...m.keys()].filter((k) => !order.includes(k)).sort()] : [...m.keys()].sort();
    return keys.map((k) => ({ id: k, name: name(k), stats: aggregate(m.get(k)!, s) }));
  };
  const regionOf = (p: ProbeScore) => siteInfo.get(p.facts.siteId)?.region ?? null;
  const unitOf = (p: ProbeScore) => siteInfo.get(p.facts.siteId)?.unit ?? null;
  const groups = {
    serviceLines: groupsOf((p) => p.facts.serviceLineId, lineName, [...lineNames.keys()]),
    channels: groupsOf((p) => p.facts.channel, (k) => k, CHANNEL_ORDER),
    regions: groupsOf(regionOf, (k) => k),
    units: groupsOf(unitOf, (k) => k),
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

  let first: number | null = null;
  let last: number | null = null;
  const runIds = new Set<number>();
  for (const p of scores) {
    const t = p.facts.sentAt;
    if (first === null || t < first) first = t;
    if (last === null || t > last) last = t;
    runIds.add(p.facts.runId);
  }

  const model: ReportModel = {
    schemaVersion: SCHEMA_VERSION,
    generatedAt: input.generatedAt,
    organization: dir.organization,
    selection: { ...input.selection, firstSentAt: first, lastSentAt: last, runs: [...runIds].sort((a, b) => a - b) },
    settings: { sla: s.sla, weights: s.weights, campaign: s.campaign, failUnder },
    references: REFERENCES,
    overall: aggregate(scores, s),
    sites,
    groups,
    findings: gatherFindings(scores, s, labels),
    trends: siteTrends(all, input.runs, s, siteIds),
    unmatchedEvents: input.unmatchedEvents ?? 0,
    threshold: { failUnder, breaches },
  };
  return { model, scores };
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    let l = m.get(k);
    if (!l) m.set(k, (l = []));
    l.push(it);
  }
  return m;
}

function sortChannels(channels: string[]): string[] {
  return channels.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}
const rank = (c: string) => (CHANNEL_ORDER.indexOf(c) + 1 || 99);

const HOUR = 3_600_000;
function distribution(list: readonly ProbeScore[]): Distribution {
  const d: Distribution = { within1h: 0, within1d: 0, within3d: 0, later: 0, never: 0, pending: 0 };
  for (const p of list) {
    if (!p.tested || p.kind !== 'message' || !p.firstResponse) continue;
    const ms = p.firstResponse.ms;
    if (ms === null) {
      if (p.state === 'pending') d.pending++;
      else d.never++;
    }
    else if (ms <= HOUR) d.within1h++;
    else if (ms <= 24 * HOUR) d.within1d++;
    else if (ms <= 72 * HOUR) d.within3d++;
    else d.later++;
  }
  return d;
}
