/**
 * What is worth an alert in a report, against what was last notified: new findings, grades
 * that dropped by more than `gradeDrop` since the last report, and entry points whose runs
 * keep failing ("degraded" before "failing", as monitoring tools do) or pass again. Pure:
 * the caller reads the last states from the store and records the new ones after a send.
 */
import { SEVERITY, probeIssues } from '../score/findings.js';
import type { ReportModel } from '../score/model.js';
import type { ProbeScore } from '../score/probe.js';
import type { ScoreSettings } from '../score/settings.js';
import type { NotifiedState } from '../store/alert-queries.js';

export type AlertKind = 'finding' | 'grade-drop' | 'degraded' | 'failing' | 'recovered';

export interface Alert {
  kind: AlertKind;
  subject: string;
  /** "North Clinic / Orthopedics / email" */
  where: string;
  /** The sentence, third-party words included (renderers redact and escape). */
  text: string;
}

export interface Thresholds {
  gradeDrop: number;
  failingAfter: number;
  newFindings: boolean;
}

export interface Evaluation {
  alerts: Alert[];
  /** Every subject's state now: what to record once the alerts are delivered. */
  states: NotifiedState[];
}

export type Health = 'ok' | 'degraded' | 'failing';

/** Findings this severe (never answered, on hold until the caller gave up, not sent…) fail a probe. */
const FAILING_SEVERITY = 3;

export function evaluateAlerts(
  m: ReportModel,
  scores: readonly ProbeScore[],
  settings: ScoreSettings,
  previous: ReadonlyMap<string, NotifiedState>,
  t: Thresholds,
): Evaluation {
  const alerts: Alert[] = [];
  const states: NotifiedState[] = [];
  const where = entryLabels(m);

  for (const f of m.findings) {
    const subject = `finding:${f.entryKey}:${f.code}`;
    if (t.newFindings && !previous.has(subject)) alerts.push({ kind: 'finding', subject, where: where.get(f.entryKey) ?? f.where, text: f.text });
    states.push({ subject, state: 'open', value: null });
  }

  const grade = (subject: string, label: string, now: number | null) => {
    if (now === null) return;
    const before = previous.get(subject)?.value;
    if (before !== undefined && before !== null && before - now > t.gradeDrop)
      alerts.push({ kind: 'grade-drop', subject, where: label, text: `${label}: grade ${fmt(before)} → ${fmt(now)} (down ${fmt(before - now)} points since the last report; alerts above ${fmt(t.gradeDrop)})` });
    states.push({ subject, state: 'grade', value: now });
  };
  for (const site of m.sites) {
    grade(`grade:site:${site.id}`, site.name, site.stats.grade);
    for (const line of site.serviceLines)
      for (const cell of line.channels) grade(`grade:cell:${site.id}/${line.id}/${cell.channel}`, `${site.name} / ${line.name} / ${cell.channel}`, cell.stats.grade);
  }

  for (const [entryKey, streak] of failingStreaks(scores, settings)) {
    const subject = `health:${entryKey}`;
    const label = where.get(entryKey) ?? entryKey;
    const now: Health = streak === 0 ? 'ok' : streak >= t.failingAfter ? 'failing' : 'degraded';
    const before = (previous.get(subject)?.state ?? 'ok') as Health;
    const runs = (n: number) => `${n} run${n === 1 ? '' : 's'}`;
    if (now === 'failing' && before !== 'failing')
      alerts.push({ kind: 'failing', subject, where: label, text: `${label}: failing, ${runs(streak)} in a row` });
    else if (now === 'degraded' && before === 'ok')
      alerts.push({ kind: 'degraded', subject, where: label, text: `${label}: degraded, failed the last ${runs(streak)} (failing after ${t.failingAfter})` });
    else if (now === 'ok' && before !== 'ok')
      alerts.push({ kind: 'recovered', subject, where: label, text: `${label}: recovered, passed its last run (was ${before})` });
    states.push({ subject, state: now, value: streak });
  }
  return { alerts, states };
}

/**
 * Per entry point, how many of its latest decided runs failed in a row. A run fails when one
 * of its probes has a severe finding; it passes when its decided probes have none; a run whose
 * probes are all still waiting (or unknown) is not decided and does not break a streak.
 */
export function failingStreaks(scores: readonly ProbeScore[], settings: ScoreSettings): Map<string, number> {
  const byEntry = new Map<string, Map<number, boolean | null>>();
  for (const p of scores) {
    const verdict = probeVerdict(p, settings);
    let runs = byEntry.get(p.facts.entryKey);
    if (!runs) byEntry.set(p.facts.entryKey, (runs = new Map()));
    const was = runs.get(p.facts.runId) ?? null;
    runs.set(p.facts.runId, was === false || verdict === false ? false : was === true || verdict === true ? true : null);
  }
  const out = new Map<string, number>();
  for (const [entryKey, runs] of byEntry) {
    const decided = [...runs.entries()].filter(([, ok]) => ok !== null).sort((a, b) => a[0] - b[0]);
    if (!decided.length) continue;
    let streak = 0;
    for (let i = decided.length - 1; i >= 0 && decided[i]![1] === false; i--) streak++;
    out.set(entryKey, streak);
  }
  return out;
}

/** true passed, false failed, null not decided yet. */
function probeVerdict(p: ProbeScore, s: ScoreSettings): boolean | null {
  const issues = probeIssues(p, s, false);
  if (issues.some((i) => SEVERITY[i.code] <= FAILING_SEVERITY)) return false;
  if (p.state === 'pending' || p.state === 'unknown') return null;
  return true;
}

function entryLabels(m: ReportModel): Map<string, string> {
  const out = new Map<string, string>();
  for (const site of m.sites)
    for (const line of site.serviceLines)
      for (const cell of line.channels)
        for (const key of cell.entryKeys)
          out.set(key, `${site.name} / ${line.name} / ${cell.channel}${cell.entryKeys.length > 1 ? ` (${key.split('/')[2]})` : ''}`);
  return out;
}

const fmt = (n: number) => String(Math.round(n * 10) / 10);
