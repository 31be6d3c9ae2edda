/**
 * The parts that make the HTML report a document a consultant hands over: the cover (client,
 * auditor, period, scope, logo), the contents, "first things to fix", the glossary. Every
 * piece of text from the config or the store goes through esc(). Pure.
 */
import type { ReportModel } from '../score/model.js';
import { channelWords } from '../score/findings.js';
import { day, inquiries } from './format.js';
import { anchor, esc } from './html-escape.js';
import { becauseText, firstThingsToFix, recommendations, type Recommendation } from './recommendations.js';

/** reports.brand, with the logo already read into a data: URI (src/report/brand.ts). */
export interface Brand {
  client?: string;
  auditor?: string;
  /** data:image/png;base64,… or data:image/jpeg;base64,… */
  logo?: string;
  accent?: string;
}

export function coverHtml(m: ReportModel, brand: Brand | undefined): string {
  const client = brand?.client ?? m.organization;
  const s = m.selection;
  const period = s.firstSentAt === null ? 'nothing sent yet' : `${day(s.firstSentAt, m.timezone)} to ${day(s.lastSentAt, m.timezone)}`;
  const lines = new Set(m.sites.flatMap((x) => x.serviceLines.map((l) => l.name)));
  const channels = [...new Set(m.groups.channels.map((c) => channelWords(c.id)))];
  const scope = `${m.sites.length} site${m.sites.length === 1 ? '' : 's'}, ${lines.size} service line${lines.size === 1 ? '' : 's'}; ${inquiries(m.overall.counts.probes)} by ${channels.length ? channels.join(', ') : 'no channel'}`;
  const dd = (k: string, v: string) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`;
  const logo = brand?.logo && /^data:image\/(png|jpeg);base64,[A-Za-z0-9+/=]+$/.test(brand.logo) ? `<img class="logo" alt="${esc(client)} logo" src="${brand.logo}">` : '';
  return (
    `<section class="cover" id="cover">${logo}<h1>${esc(`${client}: response audit`)}</h1>` +
    `<p class="subtitle">How ${esc(client)} answers the people who ask: web forms, email and phone, tested the way a prospect would.</p>` +
    `<dl class="facts">${dd('Client', client)}${brand?.auditor ? dd('Prepared by', brand.auditor) : ''}${dd('Period tested', period)}${dd('Scope', scope)}${m.settings.campaign ? dd('Campaign', m.settings.campaign) : ''}${dd('Report date', day(m.generatedAt, m.timezone))}</dl></section>`
  );
}

export function contentsHtml(m: ReportModel, o: { trends: boolean; appendix: boolean }): string {
  // The empty span takes the page number in the PDF (src/report/pdf.ts fills it on a second print).
  const item = (href: string, text: string, sub = '') => `<li><a href="#${href}">${esc(text)}</a><span class="pg" data-for="${esc(href)}"></span>${sub}</li>`;
  const sites = m.sites.length ? `<ol>${m.sites.map((s) => item(anchor('site', s.id), s.name)).join('')}</ol>` : '';
  return (
    `<nav class="toc" id="contents"><h2>Contents</h2><ol>` +
    item('summary', 'Executive summary') +
    item('fix', 'First things to fix') +
    item('findings', 'Findings') +
    item('scorecards', 'Scorecards') +
    (o.trends ? item('trends', 'Trends') : '') +
    item('sites', 'Sites', sites) +
    item('method', 'Method') +
    item('glossary', 'Glossary') +
    (o.appendix ? item('appendix', 'Appendix: what was tested, and the evidence') : '') +
    `</ol></nav>`
  );
}

function actionItem(r: Recommendation, withSite: string | null): string {
  return `<li class="rec"><b>${esc(withSite ? `${withSite}: ${r.text}` : r.text)}</b><span class="because">${esc(`Because: ${becauseText(r)}.`)}</span></li>`;
}

/** The organization's five most important actions, then each site's three. */
export function fixHtml(m: ReportModel): string {
  const all = recommendations(m);
  if (!all.length) return `<section id="fix"><h2>First things to fix</h2><p>Nothing: every test inquiry was answered in time and owned.</p></section>`;
  const name = new Map(m.sites.map((s) => [s.id, s.name]));
  return (
    `<section id="fix"><h2>First things to fix</h2><p class="note">Ranked by impact: how serious each problem is, times how many test inquiries it hit.</p>` +
    `<ol class="recs">${all
      .slice(0, 5)
      .map((r) => actionItem(r, name.get(r.siteId) ?? r.siteId))
      .join('')}</ol></section>`
  );
}

export function siteFixHtml(m: ReportModel, siteId: string): string {
  const site = firstThingsToFix(m).find((s) => s.siteId === siteId);
  if (!site) return '';
  return `<h3>First things to fix at ${esc(site.siteName)}</h3><ol class="recs">${site.actions.map((r) => actionItem(r, null)).join('')}</ol>`;
}

const GLOSSARY: Array<[string, string]> = [
  ['Test inquiry', 'One question sent, the way a prospect would, to one published way of asking (a web form, an email inbox, a phone or text line) at one time.'],
  ['First response', 'Anything that came back: an automatic acknowledgement, a reply from a person, a text or a callback.'],
  ['Automatic acknowledgement', 'A reply sent by a system ("we received your message"); it counts as a first response, not as a reply from a person.'],
  ['Reply from a person', 'An email, text or callback written or made by someone who read the inquiry.'],
  ['Passed on', 'A reply that hands the inquiry to another phone number or department instead of answering it.'],
  ['Called back', 'A person called the phone number the inquiry left.'],
  ['Followed up', 'Someone got in touch again a few days after the first answer.'],
  ["Caller's patience", 'How long the test caller waits on hold before hanging up; a call still on hold then was not answered.'],
  ['Opening hours', 'When a site is open, in its own timezone; "(x open)" after a time counts only the hours it was open.'],
  ['Median', 'The middle value: half the inquiries were answered faster, half slower.'],
  ['Wait window', 'How long each test inquiry is watched for answers; one still inside it with nothing back is "waiting", not a failure.'],
  ['Grade', 'A score from 0 to 100: the weighted share of test inquiries that met each target (see Method).'],
  ['Pass mark', 'The grade below which a site or group counts as failing, when one is set.'],
];

export function glossaryHtml(): string {
  return `<section id="glossary"><h2>Glossary</h2><dl class="glossary">${GLOSSARY.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl></section>`;
}
