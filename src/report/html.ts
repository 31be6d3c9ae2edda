/**
 * One self-contained HTML file a consultant can hand to a client: no script, no network
 * request (a strict Content-Security-Policy says so to the browser too), inline SVG charts.
 * Cover, contents, executive summary, first things to fix, findings, scorecards, trends,
 * per-site pages, method, glossary, and the evidence appendix (html-document.ts,
 * html-evidence.ts). Every piece of third-party text goes through esc(). Pure.
 */
import { createHash } from 'node:crypto';
import type { GroupStats } from '../score/aggregate.js';
import type { ReportModel, SiteSection } from '../score/model.js';
import { PARTS } from '../score/settings.js';
import { targetWords } from '../score/words.js';
import type { ProbeView } from './evidence.js';
import { durationWords, gradeBasisNote, gradeText, inquiryCount, percent, quantileText, REFERENCE_NOTE, referenceLines, ROW_HEADERS, ROW_LEGEND, rowText, thresholdText, when, type RowText } from './format.js';
import { distributionChart, gradeChart, trendChart } from './html-charts.js';
import { cssFor } from './html-css.js';
import { contentsHtml, coverHtml, fixHtml, glossaryHtml, siteFixHtml, type Brand } from './html-document.js';
import { appendixHtml } from './html-evidence.js';
import { anchor, esc } from './html-escape.js';
import { ACTION_OF, recommendations } from './recommendations.js';
import { REVIEW_STATE, reviewCountsLine, reviewItemText } from './review-text.js';
import { selectionLine, summaryLine } from './terminal.js';

export interface HtmlOptions {
  /** Probe timelines and evidence (from evidence.ts); none for a summary-only report. */
  probes?: readonly ProbeView[];
  redacted: boolean;
  /** reports.brand: client and auditor names, logo (a data: URI), accent colour. */
  brand?: Brand;
}

/** Nothing may load, run, submit or navigate; only our one stylesheet (by its hash) and data: images. */
export function cspFor(css: string): string {
  return `default-src 'none'; style-src 'sha256-${createHash('sha256').update(css).digest('base64')}'; img-src data:; base-uri 'none'; form-action 'none'`;
}

const COLUMNS: Array<keyof RowText> = ['probes', 'answered', 'first', 'human', 'inSla', 'passAlong', 'callback', 'followUp', 'phone', 'grade'];

function gradeClass(g: number | null, failUnder: number | null): string {
  if (g === null) return 'g-none';
  if (failUnder !== null && g < failUnder) return 'g-bad';
  return g >= 80 ? 'g-good' : g >= 60 ? 'g-warn' : 'g-bad';
}

export function renderHtml(m: ReportModel, o: HtmlOptions): string {
  const fu = m.settings.failUnder;
  const g = (st: GroupStats) => `<span class="grade ${gradeClass(st.grade, fu)}">${esc(gradeText(st.grade, st))}</span>`;
  const title = `${m.organization}: response audit`;
  const probesBySite = new Map<string, ProbeView[]>();
  for (const p of o.probes ?? []) probesBySite.set(p.siteId, [...(probesBySite.get(p.siteId) ?? []), p]);

  const table = (labels: string[], rows: Array<{ label: string[]; st: GroupStats; total?: boolean }>) => {
    const texts = rows.map((r) => rowText(r.st));
    const cols = COLUMNS.filter((k) => k === 'grade' || k === 'probes' || texts.some((t) => t[k] !== '—'));
    return (
      `<table class="scores"><thead><tr>${labels.map((l) => `<th class="l">${esc(l)}</th>`).join('')}${cols.map((k) => `<th title="${esc(ROW_LEGEND[k])}">${esc(ROW_HEADERS[k])}</th>`).join('')}</tr></thead><tbody>` +
      rows
        .map(
          (r, i) =>
            `<tr${r.total ? ' class="total"' : ''}>${r.label.map((l, j) => `<td class="l" data-label="${esc(labels[j]!)}">${esc(l)}</td>`).join('')}${cols.map((k) => `<td data-label="${esc(ROW_HEADERS[k])}">${k === 'grade' ? g(r.st) : esc(texts[i]![k])}</td>`).join('')}</tr>`,
        )
        .join('') +
      `</tbody></table>`
    );
  };

  const css = cssFor(o.brand?.accent);
  const hasTrends = m.trends.some((t) => t.points.length > 1);
  const out: string[] = [];
  out.push(
    `<!doctype html><html lang="en"><head><meta charset="utf-8">`,
    `<meta http-equiv="Content-Security-Policy" content="${esc(cspFor(css))}">`,
    `<meta name="referrer" content="no-referrer"><meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<meta name="generator" content="respond-audit"><title>${esc(title)}</title><style>${css}</style></head><body>`,
    coverHtml(m, o.brand),
    `<header><p class="sel">${esc(selectionLine(m))}</p></header>`,
    contentsHtml(m, { trends: hasTrends, appendix: (o.probes ?? []).length > 0 }),
  );

  // Executive summary
  const ov = m.overall;
  const kpi = (value: string, label: string, cls = '') => `<div class="kpi"><b class="${cls}">${esc(value)}</b><span>${esc(label)}</span></div>`;
  const refs = referenceLines(ov);
  out.push(
    `<section id="summary"><h2>Executive summary</h2>`,
    `<div class="kpis">${kpi(gradeText(ov.grade, ov), 'overall grade (0–100)', `grade ${gradeClass(ov.grade, fu)}`)}` +
      kpi(String(ov.counts.probes), inquiryCount(ov).replace(/^\d+ /, '')) +
      refs.map((r) => kpi(r.ours, `${r.label} (reference: ${r.theirs})`)).join('') +
      (ov.counts.messages ? kpi(quantileText(ov.firstHuman.median), 'median time to a reply from a person') : '') +
      (ov.phone.calls ? kpi(percent(ov.phone.answerRate), `test calls answered by a person; median hold ${quantileText(ov.phone.medianHold)}`) : '') +
      `</div>`,
    `<p>${esc(summaryLine(ov))}</p>`,
    refs.length ? `<p class="note">Reference figures: ${esc(REFERENCE_NOTE)}.</p>` : '',
    ov.counts.messages || ov.phone.calls ? `<p class="note basis">${esc(gradeBasisNote(m))}</p>` : '',
  );
  if (m.findings.length) out.push(`<h3>What needs attention first</h3><ol class="findings">${m.findings.slice(0, 5).map((f) => `<li class="sev-${f.severity}">${esc(f.text)}</li>`).join('')}</ol>`);
  const top = recommendations(m)[0];
  if (top) out.push(`<p><b>The one thing to do first:</b> ${esc(top.text)} <a href="#fix">(more)</a></p>`);
  const pass = thresholdText(m);
  if (pass) out.push(pass.breached ? `<p class="regress">${esc(pass.text)}</p>` : `<p>${esc(pass.text)}</p>`);
  out.push(`<figure>${gradeChart(m.sites, fu)}<figcaption>Grade per site${fu !== null && fu > 0 ? ' (dashed line: the pass mark)' : ''}.</figcaption></figure>`);
  const dist = distributionChart(m.sites);
  const bizDist = m.settings.businessHours ? distributionChart(m.sites, { business: true }) : '';
  if (dist) out.push(`<figure>${dist}<figcaption>How long the first response to web forms, emails and texts took, per site${bizDist ? ', by the clock' : ''}.</figcaption></figure>`);
  // Beside it, the same responses counted only while each site was open: a reply on Monday morning to a Friday-evening form is slow by the clock, not by the opening hours.
  if (bizDist) out.push(`<figure>${bizDist}<figcaption>The same first responses counted only in each site's opening hours (a site without hours counts every hour).</figcaption></figure>`);
  out.push(`</section>`);
  out.push(fixHtml(m));

  // Findings, each with what to do about it
  const todo = new Map(recommendations(m).map((r) => [`${r.siteId}\u0000${r.action}`, r.text]));
  const findingItem = (f: (typeof m.findings)[number]) => {
    const action = ACTION_OF[f.code];
    const rec = action ? todo.get(`${f.siteId}\u0000${action}`) : undefined;
    return `<li class="sev-${f.severity}">${esc(f.text)}${rec ? `<span class="todo">${esc(`What to do: ${rec}`)}</span>` : ''}</li>`;
  };
  out.push(`<section id="findings"><h2>Findings</h2>`);
  out.push(m.findings.length ? `<ol class="findings">${m.findings.slice(0, 300).map(findingItem).join('')}</ol>` : '<p>None: every test inquiry was answered in time and owned.</p>');
  if (m.findings.length > 300) out.push(`<p class="note">… and ${m.findings.length - 300} more (the JSON format lists them all).</p>`);
  if (m.unmatchedEvents) out.push(`<p class="note">${esc(m.unmatchedEvents)} replies or calls in the period could not be matched to an inquiry.</p>`);
  out.push(`<h3 id="review">Verdicts reviewed by hand</h3><p>${esc(reviewCountsLine(m))}.</p>`);
  if (m.review.items.length)
    out.push(`<ul class="review">${m.review.items.map((it) => `<li class="rv-${esc(it.state)}"><b>${esc(REVIEW_STATE[it.state])}</b> ${esc(reviewItemText(m, it))}</li>`).join('')}</ul>`);
  out.push(`</section>`);

  // Scorecards
  out.push(`<section id="scorecards"><h2>Scorecards</h2>`, table(['Site'], m.sites.map((s) => ({ label: [s.name], st: s.stats }))));
  for (const [by, groups] of [
    ['Service line', m.groups.serviceLines],
    ['Channel', m.groups.channels],
    ['Region', m.groups.regions],
    ['Unit', m.groups.units],
  ] as const)
    if (groups.length > 1) out.push(`<h3>By ${esc(by.toLowerCase())}</h3>`, table([by], groups.map((x) => ({ label: [x.name], st: x.stats }))));
  out.push(`</section>`);

  // Trends
  const trends = m.trends.filter((t) => t.points.length > 1);
  if (trends.length) {
    out.push(`<section id="trends"><h2>Trends</h2><figure>${trendChart(m)}<figcaption>Grade per site, run after run (red dots: a regression).</figcaption></figure>`);
    out.push(`<table><thead><tr><th class="l">Site</th><th class="l">Grade by run (oldest first)</th><th>Median 1st reply now</th><th class="l">Regression</th></tr></thead><tbody>`);
    for (const t of trends) {
      const name = m.sites.find((s) => s.id === t.siteId)?.name ?? t.siteId;
      out.push(`<tr><td class="l">${esc(name)}</td><td class="l">${esc(t.points.map((p) => gradeText(p.grade)).join(' → '))}</td><td>${esc(quantileText(t.points.at(-1)!.medianFirstResponse))}</td><td class="l regress">${esc(t.regressions.join('; '))}</td></tr>`);
    }
    out.push(`</tbody></table></section>`);
  }

  out.push(`<section id="sites"><h2>Sites</h2>`);
  for (const site of m.sites) out.push(siteSection(m, site, probesBySite.get(site.id) ?? [], table, g));
  out.push(`</section>`);
  out.push(methodSection(m, o.redacted), glossaryHtml(), appendixHtml(m, probesBySite));
  out.push(`<footer class="note"><p>Generated by respond-audit at ${esc(when(m.generatedAt, m.timezone))}. Report format version ${m.schemaVersion}.</p></footer></body></html>`);
  return out.join('\n') + '\n';
}

type TableFn = (labels: string[], rows: Array<{ label: string[]; st: GroupStats; total?: boolean }>) => string;

function siteSection(m: ReportModel, site: SiteSection, probes: ProbeView[], table: TableFn, g: (st: GroupStats) => string): string {
  const out: string[] = [];
  const where = [site.region, site.unit].filter(Boolean).join(' · ');
  out.push(`<section class="site" id="${anchor('site', site.id)}"><h3 class="site-title">${esc(site.name)}: grade ${g(site.stats)}</h3>${where ? `<p class="muted">${esc(where)}</p>` : ''}`);
  const rows: Array<{ label: string[]; st: GroupStats; total?: boolean }> = [];
  for (const line of site.serviceLines) {
    for (const cell of line.channels) rows.push({ label: [line.name, cell.channel], st: cell.stats });
    if (line.channels.length > 1) rows.push({ label: [line.name, 'all'], st: line.stats, total: true });
  }
  out.push(table(['Service line', 'Channel'], rows));
  const findings = m.findings.filter((f) => f.siteId === site.id);
  if (findings.length) out.push(`<h4>Findings</h4><ol class="findings">${findings.slice(0, 50).map((f) => `<li class="sev-${f.severity}">${esc(f.text)}</li>`).join('')}</ol>`);
  out.push(siteFixHtml(m, site.id));
  if (probes.length) out.push(`<p class="note">What was sent and what came back, inquiry by inquiry: <a href="#${anchor('evidence', site.id)}">appendix</a>.</p>`);
  out.push(`</section>`);
  return out.join('\n');
}

function methodSection(m: ReportModel, redacted: boolean): string {
  const w = m.settings.weights;
  const sla = m.settings.sla;
  const part: Record<(typeof PARTS)[number], string> = {
    responded: 'share of web forms, emails and texts that got any response',
    speed: 'share with a first response within sla.firstResponse',
    human: 'share with a reply from a person within sla.humanResponse',
    ownership: 'not passed along to another number or department; and, when the inquiry gave a phone number, a callback within sla.callback (mean of the two)',
    followUp: 'share of answered inquiries someone followed up on',
    campaign: 'replies and phone menus that know the current campaign',
    phone: 'test calls a person answered (the caller did not give up on hold), and answered within sla.phoneAnswer (mean of the two)',
  };
  return (
    `<section id="method"><h2>Method</h2>` +
    `<p>The grade is the weighted mean of the parts below that apply to a group (a part with nothing to measure, such as phone for a site without a phone line, is left out and the other weights share its place). Configure the weights under <code>scoring.weights</code>.</p>` +
    `<table><thead><tr><th class="l">Part</th><th>Weight</th><th class="l">Measures</th></tr></thead><tbody>${PARTS.map((p) => `<tr><td class="l">${esc(p)}</td><td>${esc(w[p])}</td><td class="l">${esc(part[p])}</td></tr>`).join('')}</tbody></table>` +
    `<p>Service levels: first response ${esc(targetWords(sla.firstResponse, sla.business?.firstResponse))}; reply from a person ${esc(targetWords(sla.humanResponse, sla.business?.humanResponse))}; callback ${esc(durationWords(sla.callback))}; phone answered within ${esc(durationWords(sla.phoneAnswer))}; follow-up between ${esc(durationWords(sla.followUpAfter))} after the first reply and ${esc(durationWords(sla.followUpWindow))} after the inquiry; the caller hangs up after ${esc(durationWords(sla.holdPatience))} on hold; each test inquiry waits ${esc(durationWords(sla.waitWindow))} for answers unless it says otherwise. Times are in each site's local time.</p>` +
    `<p>Waiting and never answered: a test inquiry still inside its wait window with nothing back is <em>waiting</em>, not a failure; past it, it is <em>never answered</em>. Times to a response are Kaplan–Meier estimates: every test inquiry counts for as long as it was watched, so one sent an hour ago neither drags the median up nor disappears. A median shown as “&gt; x” was not reached: fewer than half were answered within the x watched. Test inquiries that could not be sent (a CAPTCHA, for example) or whose submission is unconfirmed are listed as findings and left out of the figures.</p>` +
    `<p>${redacted ? 'Staff names, phone numbers and email addresses in reply excerpts are redacted; signatures and quoted text are left out.' : 'Reply excerpts are shown unredacted (--no-redact).'} All text from replies is shown as text: nothing in it can run or load.</p>` +
    `<p>Reference: ${esc(REFERENCE_NOTE)}: 37% of companies answered within an hour, 23% never answered, and those that answered took 42 hours on average.</p></section>`
  );
}
