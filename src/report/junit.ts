/**
 * JUnit XML, so CI systems show the audit natively: a <testsuite> per site, a <testcase>
 * per service line × channel, failed when its grade is below the threshold, skipped when
 * there is no grade yet (pending, or nothing could be tested). Pure.
 */
import type { ReportModel } from '../score/model.js';
import { gradeText, rowText, when } from './format.js';
import { reviewCountsLine, reviewItemText } from './review-text.js';

// XML 1.0 cannot carry most control characters even escaped: drop them.
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function xmlEscape(text: string): string {
  return text
    .replace(INVALID_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export function renderJunit(m: ReportModel): string {
  const threshold = m.threshold.failUnder;
  const iso = new Date(m.generatedAt).toISOString();
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  for (const site of m.sites) {
    const cases: string[] = [];
    let sFail = 0;
    let sSkip = 0;
    for (const line of site.serviceLines)
      for (const cell of line.channels) {
        const st = cell.stats;
        const t = rowText(st);
        const figures = `probes ${t.probes}; answered ${t.answered}; median 1st reply ${t.first}; median human ${t.human}; in SLA ${t.inSla}; passed on ${t.passAlong}; callback ${t.callback}; follow-up ${t.followUp}; phone ${t.phone}; grade ${t.grade}`;
        const findings = m.findings.filter((f) => f.siteId === site.id && f.serviceLineId === line.id && f.channel === cell.channel).map((f) => `- ${f.what}${f.of > 1 ? ` (${f.count} of ${f.of})` : ''}`);
        const reviewed = m.review.items
          .filter((it) => it.siteId === site.id && cell.entryKeys.includes(it.entryKey))
          .map((it) => `- ${reviewItemText(m, it)}`);
        findings.push(...reviewed);
        const name = `${line.name} · ${cell.channel}`;
        let body: string;
        if (st.grade === null) {
          sSkip++;
          body = `<skipped message="${xmlEscape(`no grade yet (${gradeText(null, st)})`)}"/>`;
        } else if (threshold !== null && st.grade < threshold) {
          sFail++;
          body = `<failure type="BelowThreshold" message="${xmlEscape(`grade ${st.grade} is below ${threshold}`)}">${xmlEscape([figures, ...findings].join('\n'))}</failure>`;
        } else body = '';
        cases.push(
          `    <testcase classname="${xmlEscape(`respond-audit.${site.id}.${line.id}`)}" name="${xmlEscape(name)}" time="0">` +
            (body ? `\n      ${body}` : '') +
            `\n      <system-out>${xmlEscape([figures, ...findings].join('\n'))}</system-out>\n    </testcase>`,
        );
      }
    tests += cases.length;
    failures += sFail;
    skipped += sSkip;
    suites.push(
      `  <testsuite name="${xmlEscape(site.name)}" tests="${cases.length}" failures="${sFail}" errors="0" skipped="${sSkip}" timestamp="${iso}" time="0">\n` +
        `    <properties>\n      <property name="grade" value="${xmlEscape(gradeText(site.stats.grade, site.stats))}"/>\n` +
        `      <property name="verdicts" value="${xmlEscape(reviewCountsLine(m))}"/>\n` +
        (threshold !== null ? `      <property name="failUnder" value="${threshold}"/>\n` : '') +
        `    </properties>\n${cases.join('\n')}\n  </testsuite>`,
    );
  }
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="${xmlEscape(`respond-audit: ${m.organization} (as of ${when(m.generatedAt)})`)}" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}" time="0">\n` +
    suites.join('\n') +
    `\n</testsuites>\n`
  );
}
