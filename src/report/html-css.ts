/**
 * The HTML report's only stylesheet (hashed into the CSP; no style attributes anywhere). The
 * accent colour comes from reports.brand.accent, which the schema only lets be #rrggbb.
 */
export function cssFor(accent?: string): string {
  const a = accent && /^#[0-9a-fA-F]{6}$/.test(accent) ? accent : DEFAULT_ACCENT;
  return CSS.replace(':root {', `:root { --accent: ${a};`);
}

const DEFAULT_ACCENT = '#1d4ed8';

const CSS = `
:root { color-scheme: light; --fg: #111827; --muted: #6b7280; --line: #e5e7eb; --bad: #c62828; --warn: #b7791f; --good: #2e7d32; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); margin: 0 auto; max-width: 1100px; padding: 24px; }
h1 { font-size: 26px; margin: 0 0 4px; } h2 { font-size: 20px; margin: 32px 0 8px; border-bottom: 2px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 16px; margin: 20px 0 6px; } .muted, .sel { color: var(--muted); }
a { color: var(--accent); }
section.cover { border-top: 6px solid var(--accent); padding: 28px 0 12px; }
section.cover h1 { font-size: 30px; } .cover .subtitle { font-size: 16px; color: var(--muted); margin: 4px 0 20px; }
img.logo { display: block; max-width: 220px; max-height: 90px; margin-bottom: 18px; }
dl.facts, dl.glossary, dl.sent { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 4px 16px; margin: 8px 0; }
dl.facts dt, dl.glossary dt, dl.sent dt { color: var(--muted); } dl.glossary dt { font-weight: 600; color: var(--fg); } dd { margin: 0; }
nav.toc ol { margin: 4px 0; padding-left: 22px; } nav.toc a { text-decoration: none; } nav.toc .pg { float: right; font-variant-numeric: tabular-nums; }
ol.recs li { margin: 6px 0; } ol.recs .because, ol.findings .todo { display: block; font-size: 12px; color: var(--muted); }
ol.findings .todo { color: var(--fg); }
h2 { border-bottom-color: var(--accent); } h3.site-title { font-size: 18px; margin-top: 28px; } h4 { font-size: 14px; margin: 14px 0 4px; }
blockquote.sent-text { border-left-color: var(--accent); }
.kpis { display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); gap: 10px; margin: 12px 0; }
.kpi { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
.kpi b { display: block; font-size: 24px; } .kpi span { color: var(--muted); font-size: 12px; }
.grade { font-weight: 700; } .g-good { color: var(--good); } .g-warn { color: var(--warn); } .g-bad { color: var(--bad); } .g-none { color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: 8px 0 14px; font-size: 13px; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 6px; text-align: right; vertical-align: top; }
th { font-weight: 600; hyphens: manual; } td { font-variant-numeric: tabular-nums; }
th:first-child, td:first-child, th.l, td.l { text-align: left; } tr.total td { font-weight: 600; background: #f9fafb; }
ol.findings li { margin: 2px 0; } li.sev-1, li.sev-2 { color: var(--bad); } li.sev-3, li.sev-4 { color: var(--warn); }
figure { margin: 12px 0; } figure svg { display: block; max-width: 100%; height: auto; } figcaption { color: var(--muted); font-size: 12px; }
.regress { color: var(--bad); font-weight: 600; }
section.site + section.site { break-before: page; }
article.probe { border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px; margin: 10px 0; break-inside: avoid; }
article.probe header { display: flex; justify-content: space-between; gap: 12px; flex-wrap: wrap; }
ol.timeline { list-style: none; padding: 0; margin: 6px 0; border-left: 3px solid var(--line); }
ol.timeline li { padding: 2px 0 4px 12px; position: relative; }
ol.timeline li::before { content: ""; position: absolute; left: -7px; top: 8px; width: 11px; height: 11px; border-radius: 50%; background: #9aa3ad; }
ol.timeline li.k-human-reply::before, ol.timeline li.k-sms-reply::before, ol.timeline li.k-callback::before { background: var(--good); }
ol.timeline li.k-follow-up::before { background: #1d4ed8; } ol.timeline li.k-auto-ack::before { background: #b0bec5; }
ol.timeline li.k-bounce::before, ol.timeline li.k-stop-request::before { background: var(--bad); }
.t { color: var(--muted); font-variant-numeric: tabular-nums; } .note { font-size: 12px; color: var(--muted); }
blockquote { margin: 4px 0 4px 0; padding: 6px 10px; background: #f9fafb; border-left: 3px solid #cbd5e1; white-space: pre-wrap; overflow-wrap: anywhere; font-size: 13px; }
ul.issues { margin: 4px 0; padding-left: 18px; color: var(--bad); }
dl.call { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 6px 0; } dl.call dt { color: var(--muted); }
img.shot { max-width: 100%; max-height: 360px; border: 1px solid var(--line); margin-top: 6px; }
details summary { cursor: pointer; color: var(--muted); }
article.probe, .note, dl.call dd, dl dd { overflow-wrap: anywhere; }
/* A phone: each scorecard row becomes a small card of "column: value" lines, never a table wider than the screen. */
@media screen and (max-width: 640px) {
  body { padding: 14px; }
  table.scores thead { display: none; }
  table.scores, table.scores tbody, table.scores tr, table.scores td { display: block; width: 100%; }
  table.scores tr { border: 1px solid var(--line); border-radius: 8px; margin: 8px 0; padding: 4px 10px; }
  table.scores td { display: flex; justify-content: space-between; gap: 12px; border: 0; padding: 2px 0; text-align: right; }
  table.scores td::before { content: attr(data-label); color: var(--muted); text-align: left; }
  table.scores td.l:first-child { font-weight: 600; }
}
@media print { body { max-width: none; padding: 0; font-size: 11px; } h2, h3, h4 { break-after: avoid; }
  section.cover { break-after: page; min-height: 60vh; } nav.toc { break-after: page; }
  section#sites, section#method, section#appendix { break-before: page; }
  table { font-size: 9.5px; } th, td { padding: 3px 3px; } tr { break-inside: avoid; }
  .kpis { grid-template-columns: repeat(4, minmax(0, 1fr)); } .kpi b { font-size: 18px; } }
`;
