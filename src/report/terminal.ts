/**
 * The terminal scorecard: per site a table of its service lines × channels, then the worst
 * findings in plain words, what could not be tested, trends and the reference figures.
 * Pure: colours come from the chalk instance handed in (level 0 gives plain text).
 */
import type { ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { GroupStats } from '../score/aggregate.js';
import type { ReportModel } from '../score/model.js';
import { escapeForTerminal } from '../review/terminal-escape.js';
import { reviewCountsLine, reviewItemText } from './review-text.js';
import { day, gradeText, quantileText, REFERENCE_NOTE, referenceLines, ROW_HEADERS, rowText, when, type RowText } from './format.js';

export interface TerminalOptions {
  c: ChalkInstance;
  /** Findings listed (the rest are counted). */
  maxFindings?: number;
}

const COLUMNS: Array<keyof RowText> = ['probes', 'answered', 'first', 'human', 'inSla', 'passAlong', 'callback', 'followUp', 'phone', 'grade'];

export function renderTerminal(m: ReportModel, o: TerminalOptions): string {
  const { c } = o;
  const out: string[] = [];
  const grade = (st: GroupStats) => colourGrade(c, st.grade, m.settings.failUnder, st);
  out.push(c.bold(`${m.organization}: response audit`));
  out.push(selectionLine(m));
  out.push('');
  out.push(`${c.bold('Overall grade')} ${grade(m.overall)}   ${summaryLine(m.overall)}`);
  for (const r of referenceLines(m.overall)) out.push(c.dim(`  ${r.label}: ${r.ours}  (reference ${r.theirs})`));
  if (referenceLines(m.overall).length) out.push(c.dim(`  reference: ${REFERENCE_NOTE}`));

  for (const site of m.sites) {
    out.push('');
    const where = [site.region, site.unit].filter(Boolean).join(' · ');
    out.push(`${c.bold(site.name)}  grade ${grade(site.stats)}${where ? c.dim(`  (${where})`) : ''}`);
    const rows: Array<{ line: string; channel: string; st: GroupStats; total: boolean }> = [];
    for (const line of site.serviceLines) {
      for (const cell of line.channels) rows.push({ line: line.name, channel: cell.channel, st: cell.stats, total: false });
      if (line.channels.length > 1) rows.push({ line: line.name, channel: 'all', st: line.stats, total: true });
    }
    if (site.serviceLines.length > 1) rows.push({ line: 'site', channel: '', st: site.stats, total: true });
    out.push(scoreTable(c, ['Service line', 'Channel'], rows.map((r) => ({ label: [r.line, r.channel], st: r.st, dim: r.total })), m.settings.failUnder));
  }

  const comparisons: Array<[string, ReportModel['groups']['serviceLines']]> = [
    ['Service line', m.groups.serviceLines],
    ['Channel', m.groups.channels],
    ['Region', m.groups.regions],
    ['Unit', m.groups.units],
  ];
  if (comparisons.some(([, g]) => g.length > 1)) {
    out.push('');
    out.push(c.bold('Compared'));
    const rows = comparisons.filter(([, g]) => g.length > 1).flatMap(([by, groups]) => groups.map((g) => ({ label: [by, g.name], st: g.stats, dim: false })));
    out.push(scoreTable(c, ['By', 'Group'], rows, m.settings.failUnder));
  }

  out.push('');
  out.push(c.bold('Worst findings'));
  const max = o.maxFindings ?? 10;
  if (!m.findings.length) out.push('  none: every probe was answered in time and owned');
  m.findings.slice(0, max).forEach((f, i) => out.push(`  ${i + 1}. ${f.severity <= 2 ? c.red(f.text) : f.severity <= 4 ? c.yellow(f.text) : f.text}`));
  if (m.findings.length > max) out.push(c.dim(`  … and ${m.findings.length - max} more (--format md or html lists them all)`));

  const regress = m.trends.filter((t) => t.points.length > 1);
  if (regress.length) {
    out.push('');
    out.push(c.bold('Trends (grade by run, oldest first)'));
    for (const t of regress) {
      const name = m.sites.find((s) => s.id === t.siteId)?.name ?? t.siteId;
      const series = t.points.map((p) => gradeText(p.grade)).join(' → ');
      const median = quantileText(t.points.at(-1)!.medianFirstResponse);
      out.push(`  ${name}: ${series}  (median 1st reply now ${median})${t.regressions.length ? '  ' + c.red('regression: ' + t.regressions.join('; ')) : ''}`);
    }
  }
  if (m.unmatchedEvents) {
    out.push('');
    out.push(c.dim(`${m.unmatchedEvents} replies or calls in the period could not be matched to an inquiry (see \`respond-audit status\`).`));
  }
  out.push('');
  out.push(reviewCountsLine(m));
  const shown = m.review.items.filter((it) => it.state !== 'confirmed').slice(0, max);
  for (const it of shown) out.push(`  ${it.state === 'corrected' ? '✎' : '?'} ${escapeForTerminal(reviewItemText(m, it)).replace(/\n/g, ' ')}`);
  if (m.threshold.failUnder !== null) {
    out.push('');
    if (m.threshold.breaches.length)
      out.push(c.red(`Below the threshold of ${m.threshold.failUnder}: `) + m.threshold.breaches.map((b) => `${b.what} (${b.grade})`).join(', '));
    else out.push(c.green(`Every grade is at or above the threshold of ${m.threshold.failUnder}.`));
  }
  return out.join('\n') + '\n';
}

// Borderless, one line per row: the tables stay readable in a 120-column terminal.
export const PLAIN_CHARS = {
  top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
  left: ' ', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '  ',
};

/** A scorecard table; columns that say nothing for any row (e.g. Phone at a site with no phone line) are left out. */
function scoreTable(c: ChalkInstance, labels: string[], rows: Array<{ label: string[]; st: GroupStats; dim: boolean }>, failUnder: number | null): string {
  const texts = rows.map((r) => rowText(r.st));
  const cols = COLUMNS.filter((k) => k === 'grade' || k === 'probes' || texts.some((t) => t[k] !== '—'));
  const head = [...labels, ...cols.map((k) => ROW_HEADERS[k])].map((h) => c.bold(h));
  const body = rows.map((r, i) => {
    const t = texts[i]!;
    const label = r.dim ? r.label.map((l) => c.dim(l)) : r.label;
    return [...label, ...cols.map((k) => (k === 'grade' ? colourGrade(c, r.st.grade, failUnder, r.st) : t[k]))];
  });
  const fast = narrowTable(head, body);
  if (fast !== null) return fast;
  const table = new Table({ head, chars: PLAIN_CHARS, style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 } });
  for (const r of body) table.push(r);
  return table.toString();
}

// cli-table3 merges its options into every cell: with 800 entry points that was 0.4 s of a
// 100,000-probe report. Where every character is one column wide (what the scorecards hold:
// ASCII, Latin-1 letters, dashes, the middle dot) the same layout is a pad and a join; any
// other text (wide or combining characters, emoji, line breaks) still goes through cli-table3.
// (Exported for the test that holds it to cli-table3.) Layout as cli-table3 draws it with PLAIN_CHARS and no padding: a leading space, cells padded
// to their column's width (at least 1), two spaces between columns.
// eslint-disable-next-line no-control-regex -- ANSI colour codes are what this strips
const SGR = /\u001b\[(?:\d*;){0,5}\d*m/g;

export function narrowTable(head: string[], body: string[][]): string | null {
  const rows = [head, ...body];
  const plain = rows.map((r) => r.map((cell) => cell.replace(SGR, '')));
  const widths = head.map(() => 1);
  for (const r of plain)
    for (let i = 0; i < r.length; i++) {
      const text = r[i]!;
      if (!oneColumnEach(text) || r.length !== head.length) return null;
      if (text.length > widths[i]!) widths[i] = text.length;
    }
  return rows.map((r, ri) => ' ' + r.map((cell, i) => cell + ' '.repeat(widths[i]! - plain[ri]![i]!.length)).join('  ')).join('\n');
}

/** Printable ASCII, Latin-1 letters and signs (not ©, ®, soft hyphen), and a few punctuation marks. */
function oneColumnEach(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c <= 0x7e) continue;
    if (c >= 0xa0 && c <= 0xff && c !== 0xa9 && c !== 0xad && c !== 0xae) continue;
    if (c === 0x2013 || c === 0x2014 || c === 0x2018 || c === 0x2019 || c === 0x201c || c === 0x201d || c === 0x2026 || c === 0x2192) continue;
    return false;
  }
  return true;
}

export function selectionLine(m: ReportModel): string {
  const runs = m.selection.runs.length;
  const scope = m.selection.runId !== null ? `run #${m.selection.runId}` : m.selection.since !== null ? `since ${day(m.selection.since)}` : 'all runs';
  const span = m.selection.firstSentAt === null ? 'no probes' : `sent ${day(m.selection.firstSentAt)} – ${day(m.selection.lastSentAt)}`;
  return `${scope} · ${m.overall.counts.probes} probes in ${runs} run${runs === 1 ? '' : 's'} · ${span} · as of ${when(m.generatedAt)}`;
}

export function summaryLine(st: GroupStats): string {
  const parts: string[] = [];
  const t = rowText(st);
  if (st.counts.messages) parts.push(`answered ${t.answered}`, `median first reply ${t.first}`, `median human reply ${t.human}`);
  if (st.phone.calls) parts.push(`phone answered ${t.phone.split(' · ')[0]}`);
  if (st.counts.pending) parts.push(`${st.counts.pending} pending`);
  return parts.join(' · ');
}

export function colourGrade(c: ChalkInstance, g: number | null, failUnder: number | null, st?: GroupStats): string {
  const text = gradeText(g, st);
  if (g === null) return c.dim(text);
  if (failUnder !== null && g < failUnder) return c.bold.red(text);
  return g >= 80 ? c.green(text) : g >= 60 ? c.yellow(text) : c.red(text);
}
