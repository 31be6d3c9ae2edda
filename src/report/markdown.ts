/** The scorecard as Markdown, for a ticket or a client email. Pure. */
import type { GroupStats } from '../score/aggregate.js';
import type { ReportModel } from '../score/model.js';
import { gradeBasisNote, gradeText, quantileText, REFERENCE_NOTE, referenceLines, ROW_HEADERS, ROW_LEGEND, rowText, thresholdText, type RowText } from './format.js';
import { becauseText, recommendations } from './recommendations.js';
import { reviewCountsLine, reviewItemText } from './review-text.js';
import { selectionLine, summaryLine } from './terminal.js';

const COLUMNS: Array<keyof RowText> = ['probes', 'answered', 'first', 'human', 'inSla', 'passAlong', 'callback', 'followUp', 'phone', 'grade'];

/** Escapes text so Markdown shows it literally (no links, HTML, emphasis or table breaks). */
export function mdEscape(text: string): string {
  return text.replace(/\r?\n|\r/g, ' ').replace(/([\\`*_[\]<>#|~&])/g, '\\$1');
}

function table(labels: string[], rows: Array<{ label: string[]; st: GroupStats }>): string[] {
  const texts = rows.map((r) => rowText(r.st));
  const cols = COLUMNS.filter((k) => k === 'grade' || k === 'probes' || texts.some((t) => t[k] !== '—'));
  const head = [...labels, ...cols.map((k) => ROW_HEADERS[k])];
  const out = [`| ${head.map(mdEscape).join(' | ')} |`, `|${head.map((_, i) => (i < labels.length ? '---' : '--:')).join('|')}|`];
  rows.forEach((r, i) => out.push(`| ${[...r.label, ...cols.map((k) => texts[i]![k])].map(mdEscape).join(' | ')} |`));
  return out;
}

export function renderMarkdown(m: ReportModel): string {
  const out: string[] = [];
  out.push(`# ${mdEscape(m.organization)}: response audit`, '', mdEscape(selectionLine(m)), '');
  out.push(`**Overall grade: ${gradeText(m.overall.grade, m.overall)}**`, '');
  if (m.overall.counts.messages || m.overall.phone.calls) out.push(mdEscape(summaryLine(m.overall)), '');
  const refs = referenceLines(m.overall);
  if (refs.length) {
    out.push('| Measure | Here | Reference |', '|---|--:|--:|');
    for (const r of refs) out.push(`| ${mdEscape(r.label)} | ${mdEscape(r.ours)} | ${mdEscape(r.theirs)} |`);
    out.push('', `_Reference: ${mdEscape(REFERENCE_NOTE)}._`, '');
  }
  if (m.overall.counts.messages || m.overall.phone.calls) out.push(mdEscape(gradeBasisNote(m)), '');

  const recs = recommendations(m);
  if (recs.length) {
    out.push('## First things to fix', '', '_Ranked by impact: how serious each problem is, times how many test inquiries it hit._', '');
    const name = new Map(m.sites.map((x) => [x.id, x.name]));
    recs.slice(0, 10).forEach((r, i) => out.push(`${i + 1}. **${mdEscape(name.get(r.siteId) ?? r.siteId)}: ${mdEscape(r.text)}** Because: ${mdEscape(becauseText(r))}.`));
    out.push('');
  }

  out.push('## Worst findings', '');
  if (!m.findings.length) out.push('None: every test inquiry was answered in time and owned.');
  for (const f of m.findings.slice(0, 50)) out.push(`- ${mdEscape(f.text)}`);
  if (m.findings.length > 50) out.push(`- … and ${m.findings.length - 50} more`);
  out.push('');

  out.push('## Sites', '');
  for (const site of m.sites) {
    const where = [site.region, site.unit].filter(Boolean).join(' · ');
    out.push(`### ${mdEscape(site.name)}: grade ${gradeText(site.stats.grade, site.stats)}${where ? ` (${mdEscape(where)})` : ''}`, '');
    const rows: Array<{ label: string[]; st: GroupStats }> = [];
    for (const line of site.serviceLines) {
      for (const cell of line.channels) rows.push({ label: [line.name, cell.channel], st: cell.stats });
      if (line.channels.length > 1) rows.push({ label: [line.name, 'all'], st: line.stats });
    }
    if (site.serviceLines.length > 1) rows.push({ label: ['**site**', ''], st: site.stats });
    out.push(...table(['Service line', 'Channel'], rows).map((l) => l.replace('\\*\\*site\\*\\*', '**site**')), '');
  }

  const comparisons: Array<[string, ReportModel['groups']['serviceLines']]> = [
    ['Service line', m.groups.serviceLines],
    ['Channel', m.groups.channels],
    ['Region', m.groups.regions],
    ['Unit', m.groups.units],
  ];
  const compared = comparisons.filter(([, g]) => g.length > 1);
  if (compared.length) {
    out.push('## Compared', '');
    out.push(...table(['By', 'Group'], compared.flatMap(([by, groups]) => groups.map((g) => ({ label: [by, g.name], st: g.stats })))), '');
  }

  const trends = m.trends.filter((t) => t.points.length > 1);
  if (trends.length) {
    out.push('## Trends', '', '| Site | Grade by run (oldest first) | Median 1st reply now | Regression |', '|---|---|--:|---|');
    for (const t of trends) {
      const name = m.sites.find((s) => s.id === t.siteId)?.name ?? t.siteId;
      out.push(
        `| ${mdEscape(name)} | ${t.points.map((p) => gradeText(p.grade)).join(' → ')} | ${mdEscape(quantileText(t.points.at(-1)!.medianFirstResponse))} | ${t.regressions.length ? '⚠ ' + mdEscape(t.regressions.join('; ')) : ''} |`,
      );
    }
    out.push('');
  }
  out.push('## Verdicts reviewed by hand', '', mdEscape(reviewCountsLine(m)) + '.', '');
  const listed = m.review.items.slice(0, 100);
  for (const it of listed) out.push(`- ${mdEscape(reviewItemText(m, it))}`);
  if (listed.length) out.push('');
  const pass = thresholdText(m);
  if (pass) out.push(pass.breached ? `**${mdEscape(pass.text)}**` : mdEscape(pass.text), '');
  out.push('<details><summary>What the columns mean</summary>', '');
  for (const k of COLUMNS) out.push(`- **${ROW_HEADERS[k]}**: ${mdEscape(ROW_LEGEND[k])}`);
  out.push('', '</details>', '');
  return out.join('\n');
}
