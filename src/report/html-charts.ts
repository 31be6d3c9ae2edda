/**
 * Inline SVG charts for the HTML report: no script, no external resource, colours as
 * presentation attributes (the CSP allows no inline style attributes). Every label escaped.
 */
import type { ReportModel, SiteSection } from '../score/model.js';
import { esc } from './html-escape.js';

const W = 720;
const LABEL_W = 190;
const ROW_H = 24;

/** About how many characters of 12 px text fit in `px`; a longer name is cut with "…" (its whole name is the tooltip). */
function fitLabel(name: string, px: number): string {
  const max = Math.floor(px / 6.6);
  return name.length <= max ? name : `${name.slice(0, max - 1).trimEnd()}…`;
}

/** A site's name left of its bar, cut to fit the label column so it never runs off the chart. */
function siteLabel(name: string, y: number): string {
  const shown = fitLabel(name, LABEL_W - 12);
  return `<text x="${LABEL_W - 8}" y="${y + 15}" text-anchor="end" font-size="12">${shown !== name ? `<title>${esc(name)}</title>` : ''}${esc(shown)}</text>`;
}

export function gradeColour(g: number | null): string {
  if (g === null) return '#9aa3ad';
  return g >= 80 ? '#2e7d32' : g >= 60 ? '#b7791f' : '#c62828';
}

/** Horizontal bars: the grade of each site, with the threshold as a line. */
export function gradeChart(sites: readonly SiteSection[], failUnder: number | null): string {
  const h = sites.length * ROW_H + 30;
  const scale = (v: number) => LABEL_W + ((W - LABEL_W - 40) * v) / 100;
  const rows = sites.map((s, i) => {
    const y = 10 + i * ROW_H;
    const g = s.stats.grade;
    return (
      siteLabel(s.name, y) +
      (g === null
        ? `<text x="${LABEL_W + 4}" y="${y + 15}" font-size="12" fill="#6b7280">no grade yet</text>`
        : `<rect x="${LABEL_W}" y="${y + 3}" width="${(scale(g) - LABEL_W).toFixed(1)}" height="${ROW_H - 8}" fill="${gradeColour(g)}"/><text x="${(scale(g) + 4).toFixed(1)}" y="${y + 15}" font-size="12">${g}</text>`)
    );
  });
  const axis = [0, 25, 50, 75, 100].map((v) => `<line x1="${scale(v)}" x2="${scale(v)}" y1="6" y2="${h - 18}" stroke="#e5e7eb"/><text x="${scale(v)}" y="${h - 4}" font-size="10" text-anchor="middle" fill="#6b7280">${v}</text>`);
  // A pass mark of 0 is no mark: every grade meets it, so no line says otherwise.
  const line = failUnder !== null && failUnder > 0 ? `<line x1="${scale(failUnder)}" x2="${scale(failUnder)}" y1="4" y2="${h - 18}" stroke="#111827" stroke-dasharray="4 3"/>` : '';
  return svg(W, h, 'Grade per site', axis.join('') + rows.join('') + line);
}

const BUCKETS: Array<[keyof SiteSection['distribution'], string, string]> = [
  ['within1h', '≤ 1 h', '#2e7d32'],
  ['within1d', '1 h – 1 d', '#7cb342'],
  ['within3d', '1 – 3 d', '#f9a825'],
  ['later', '> 3 d', '#ef6c00'],
  ['never', 'never', '#c62828'],
  ['pending', 'pending', '#9aa3ad'],
];

/**
 * Stacked bars: how long the first response took, per site (web forms, email, texts), by the
 * clock or (`business`) counting only the hours each site was open.
 */
export function distributionChart(sites: readonly SiteSection[], o: { business?: boolean } = {}): string {
  const of = (s: SiteSection) => (o.business ? s.businessDistribution : s.distribution);
  const shown = sites.filter((s) => of(s) && total(of(s)!) > 0);
  const h = shown.length * ROW_H + 40;
  const rows = shown.map((s, i) => {
    const y = 10 + i * ROW_H;
    const d = of(s)!;
    const n = total(d);
    let x = LABEL_W;
    const parts = BUCKETS.map(([k, label, colour]) => {
      const v = d[k];
      if (!v) return '';
      const w = ((W - LABEL_W - 20) * v) / n;
      const r = `<rect x="${x.toFixed(1)}" y="${y + 3}" width="${w.toFixed(1)}" height="${ROW_H - 8}" fill="${colour}"><title>${esc(`${label}: ${v} of ${n}`)}</title></rect>`;
      x += w;
      return r;
    });
    return `${siteLabel(s.name, y)}${parts.join('')}`;
  });
  const legendY = h - 12;
  const legend = BUCKETS.map(([, label, colour], i) => `<rect x="${LABEL_W + i * 85}" y="${legendY - 9}" width="10" height="10" fill="${colour}"/><text x="${LABEL_W + i * 85 + 14}" y="${legendY}" font-size="11">${esc(label)}</text>`);
  const title = o.business ? 'Time to first response per site, in opening hours' : 'Time to first response per site';
  return shown.length ? svg(W, h, title, rows.join('') + legend.join('')) : '';
}

function total(d: SiteSection['distribution']): number {
  return d.within1h + d.within1d + d.within3d + d.later + d.never + d.pending;
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22'];

/** Lines: each site's grade run after run (up to ten sites; the table lists them all). */
export function trendChart(m: ReportModel): string {
  const trends = m.trends.filter((t) => t.points.length > 1).slice(0, PALETTE.length);
  if (!trends.length) return '';
  const runIds = [...new Set(trends.flatMap((t) => t.points.map((p) => p.runId)))].sort((a, b) => a - b);
  const h = 240;
  const left = 40;
  const right = W - 170;
  const top = 12;
  const bottom = h - 30;
  const x = (runId: number) => (runIds.length === 1 ? left : left + ((right - left) * runIds.indexOf(runId)) / (runIds.length - 1));
  const y = (g: number) => bottom - ((bottom - top) * g) / 100;
  const grid = [0, 50, 100].map((v) => `<line x1="${left}" x2="${right}" y1="${y(v)}" y2="${y(v)}" stroke="#e5e7eb"/><text x="${left - 6}" y="${y(v) + 4}" font-size="10" text-anchor="end" fill="#6b7280">${v}</text>`);
  const xs = runIds.map((r) => `<text x="${x(r).toFixed(1)}" y="${h - 12}" font-size="10" text-anchor="middle" fill="#6b7280">#${r}</text>`);
  const lines = trends.map((t, i) => {
    const pts = t.points.filter((p) => p.grade !== null);
    const colour = PALETTE[i]!;
    const name = m.sites.find((s) => s.id === t.siteId)?.name ?? t.siteId;
    const path = pts.map((p) => `${x(p.runId).toFixed(1)},${y(p.grade!).toFixed(1)}`).join(' ');
    const dots = pts.map((p) => `<circle cx="${x(p.runId).toFixed(1)}" cy="${y(p.grade!).toFixed(1)}" r="3" fill="${p.regressions.length ? '#c62828' : colour}"><title>${esc(`${name}, run #${p.runId}: ${p.grade}`)}</title></circle>`);
    return `<polyline points="${path}" fill="none" stroke="${colour}" stroke-width="2"/>${dots.join('')}<rect x="${right + 16}" y="${top + i * 18}" width="10" height="10" fill="${colour}"/><text x="${right + 30}" y="${top + i * 18 + 9}" font-size="11">${esc(fitLabel(name, 150))}</text>`;
  });
  return svg(W, h, 'Grade per run', grid.join('') + xs.join('') + lines.join(''));
}

function svg(w: number, h: number, title: string, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="${esc(title)}" font-family="system-ui, sans-serif"><title>${esc(title)}</title>${body}</svg>`;
}
