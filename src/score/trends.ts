/**
 * Per site, the grade and the median time to first response run after run, with
 * regressions called out: the grade fell by REGRESSION_POINTS or more, or the median first
 * response grew by half and by at least an hour (or stopped being reached) since the
 * previous run that measured it.
 */
import { aggregateRows, ScoreTable } from './aggregate.js';
import type { Quantile } from './km.js';
import type { ProbeScore } from './probe.js';
import type { ScoreSettings } from './settings.js';
import { durationWords } from './words.js';

export const REGRESSION_POINTS = 10;
export const MAX_TREND_RUNS = 12;
const HOUR = 3_600_000;

export interface TrendPoint {
  runId: number;
  startedAt: number;
  probes: number;
  grade: number | null;
  medianFirstResponse: Quantile;
  /** Why this run is worse than the previous one (empty when it is not). */
  regressions: string[];
}

export interface SiteTrend {
  siteId: string;
  points: TrendPoint[];
  /** The regressions of the latest run. */
  regressions: string[];
}

export function siteTrends(
  scores: readonly ProbeScore[],
  runs: ReadonlyArray<{ id: number; startedAt: number }>,
  s: ScoreSettings,
  siteIds: readonly string[],
  /** The same scores as a table (buildReport has it already). */
  table: ScoreTable = new ScoreTable(scores),
): SiteTrend[] {
  const recent = runs.slice(-MAX_TREND_RUNS);
  const runIndex = new Map(recent.map((r, i) => [r.id, i]));
  // Rows of `scores` per site and run.
  const buckets = new Map<string, number[][]>();
  for (let row = 0; row < scores.length; row++) {
    const f = scores[row]!.facts;
    const i = runIndex.get(f.runId);
    if (i === undefined) continue;
    let perRun = buckets.get(f.siteId);
    if (!perRun) buckets.set(f.siteId, (perRun = recent.map(() => [])));
    perRun[i]!.push(row);
  }
  const out: SiteTrend[] = [];
  for (const siteId of siteIds) {
    const perRun = buckets.get(siteId);
    if (!perRun) continue;
    const points: TrendPoint[] = [];
    let prev: TrendPoint | null = null;
    perRun.forEach((list, i) => {
      if (!list.length) return;
      const g = aggregateRows(table, list, s);
      const point: TrendPoint = {
        runId: recent[i]!.id,
        startedAt: recent[i]!.startedAt,
        probes: list.length,
        grade: g.grade,
        medianFirstResponse: g.firstResponse.median,
        regressions: [],
      };
      if (prev) point.regressions = compare(prev, point);
      if (point.grade !== null) prev = point;
      points.push(point);
    });
    out.push({ siteId, points, regressions: points.at(-1)?.regressions ?? [] });
  }
  return out;
}

function compare(a: TrendPoint, b: TrendPoint): string[] {
  const out: string[] = [];
  if (a.grade !== null && b.grade !== null && a.grade - b.grade >= REGRESSION_POINTS)
    out.push(`grade fell from ${a.grade} to ${b.grade} since run #${a.runId}`);
  const ma = a.medianFirstResponse.ms;
  const mb = b.medianFirstResponse;
  if (ma !== null) {
    if (mb.ms === null && mb.atLeastMs !== null && mb.atLeastMs > ma)
      out.push(`median first response went from ${durationWords(ma)} to more than ${durationWords(mb.atLeastMs)}`);
    else if (mb.ms !== null && mb.ms >= ma * 1.5 && mb.ms - ma >= HOUR)
      out.push(`median first response rose from ${durationWords(ma)} to ${durationWords(mb.ms)}`);
  }
  return out;
}
