/**
 * What a consultant hands a client, through the CLI: a cover (client, auditor, period, scope,
 * date, logo), contents, "first things to fix" ranked by impact with a recommendation on each
 * finding, a glossary, and an evidence appendix with the exact text each inquiry sent; branded
 * from reports.brand, still one self-contained file under a strict CSP, config text escaped.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/html.js';
import { firstThingsToFix, recommendations } from '../../src/report/recommendations.js';
import { buildReport } from '../../src/score/model.js';
import { probeFacts, runsWithProbes } from '../../src/store/report-queries.js';
import { BASE_CONFIG, BASE_ENV, BASE_INQUIRY } from '../fixtures/base-config.js';
import { cli } from '../helpers/cli.js';
import { tempTree } from '../helpers/tmp.js';
import { DAY, DIRECTORY, HOUR, NOW, scenario, SETTINGS, TINY_PNG } from './fixture.js';

const BRAND = `reports:
  brand:
    client: "Lakeside <Health> & Partners"
    auditor: Crawford Response Consulting
    logo: brand/logo.png
    accent: "#0f766e"
`;

function project(brand = BRAND, files: Record<string, string | Buffer> = {}) {
  const root = tempTree({ 'configs/audit.yaml': BASE_CONFIG.replace('safety:\n', `${brand}safety:\n`), 'configs/brand/logo.png': TINY_PNG, 'probes/new-inquiry.yaml': BASE_INQUIRY, ...files });
  mkdirSync(join(root, 'reports'), { recursive: true });
  const t0 = Math.floor(Date.now() / 60_000) * 60_000 - 10 * DAY;
  const { b } = scenario(join(root, 'configs'), { file: 'respond-audit.db', t0 });
  // One more inquiry, stored the way `run` stores it: the subject and the exact text sent.
  const sent = b.probe('north/cardio/email', {
    at: t0 + 2 * HOUR,
    details: { subject: 'Question about Cardiology', body: 'Hello, I would like an appointment for Cardiology at North Clinic. <b>Jordan</b> Avery' },
  });
  b.event(sent, 'human-reply', t0 + 3 * HOUR, { excerpt: 'Hi Jordan, Tuesday at 10 works.' });
  b.store.close();
  return root;
}

function sections(html: string): string[] {
  return [...html.matchAll(/<(?:section|nav)[^>]* id="([^"]+)"/g)].map((x) => x[1]!);
}

describe('the report a consultant hands over', () => {
  it('has a cover, contents, first things to fix, a glossary and the evidence appendix, in that order', async () => {
    const root = project();
    const r = await cli(['report', '--format', 'html', '--out', 'reports/audit.html'], { cwd: root, env: BASE_ENV });
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(join(root, 'reports/audit.html'), 'utf8');
    const ids = sections(html);
    expect(ids.slice(0, 4)).toEqual(['cover', 'contents', 'summary', 'fix']);
    expect(ids).toEqual(expect.arrayContaining(['findings', 'scorecards', 'sites', 'method', 'glossary', 'appendix']));
    expect(ids.indexOf('glossary')).toBeLessThan(ids.indexOf('appendix'));
    // Every entry of the contents leads somewhere.
    const links = [...html.matchAll(/<nav class="toc"[\s\S]*?<\/nav>/g)][0]![0].match(/href="#([^"]+)"/g)!.map((h) => h.slice(7, -1));
    for (const id of links) expect(html, id).toContain(` id="${id}"`);

    // The cover: the client (escaped), who audited, the period, the scope, the date, the logo.
    const cover = /<section class="cover"[\s\S]*?<\/section>/.exec(html)![0];
    expect(cover).toContain('<h1>Lakeside &lt;Health&gt; &amp; Partners: response audit</h1>');
    expect(cover).toContain('<dt>Prepared by</dt><dd>Crawford Response Consulting</dd>');
    expect(cover).toMatch(/<dt>Period tested<\/dt><dd>\d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d<\/dd>/);
    expect(cover).toContain('<dt>Scope</dt><dd>2 sites, 2 service lines; 8 test inquiries by web form, email, phone line, text line</dd>');
    expect(cover).toContain(`<img class="logo" alt="Lakeside &lt;Health&gt; &amp; Partners logo" src="data:image/png;base64,${TINY_PNG.toString('base64')}">`);

    // Branded, and the CSP still admits exactly the stylesheet the page carries.
    const css = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    expect(css).toContain('--accent: #0f766e;');
    const hash = createHash('sha256').update(css).digest('base64');
    expect(html).toContain(`style-src &#39;sha256-${hash}&#39;`);

    // Each finding with something to do says what.
    expect(html).toContain(
      'North Clinic orthopedics phone line: kept on hold past the caller&#39;s patience of 3 min; the caller gave up<span class="todo">What to do: Staff the phone so a person answers within 30 s and hold stays under the caller&#39;s patience of 3 min.</span>',
    );
    // The appendix: where it went, when, and the exact text sent (escaped).
    const appendix = html.slice(html.indexOf('<section id="appendix">'));
    expect(appendix).toContain('<dt>inbox</dt><dd>cardio@north.example.org</dd>');
    expect(appendix).toContain('<dt>subject</dt><dd>Question about Cardiology</dd>');
    expect(appendix).toContain('<blockquote class="sent-text">Hello, I would like an appointment for Cardiology at North Clinic. &lt;b&gt;Jordan&lt;/b&gt; Avery</blockquote>');
    expect(appendix).toContain('<dt>number called</dt><dd>+13125550100</dd><dt>phone menu keys</dt><dd>wait 1 s, press 2</dd>');
    expect(html).toContain('<dt>Median</dt><dd>The middle value: half the inquiries were answered faster, half slower.</dd>');
  });

  it('ranks what to do by impact: severity times the test inquiries hit, per site', () => {
    const dir = tempTree();
    const { b } = scenario(dir);
    const m = buildReport({ facts: probeFacts(b.store), runs: runsWithProbes(b.store), directory: DIRECTORY, settings: SETTINGS, generatedAt: NOW, selection: { runId: null, since: null }, failUnder: 60 }).model;
    const recs = recommendations(m);
    expect(recs.map((r) => [r.siteId, r.action, r.impact])).toEqual([
      ['north', 'shared-queue', 8],
      ['north', 'staff-phone', 7],
      ['north', 'let-test-through', 6],
      ['north', 'own', 5],
      ['lakeside', 'follow-up', 3],
      // A tie keeps the findings' order (the phone menu's came first).
      ['north', 'campaign-ivr', 2],
      ['north', 'campaign-desk', 2],
    ]);
    // A result that never arrived is ours to fix, not the client's: no recommendation.
    expect(m.findings.some((f) => f.code === 'unknown')).toBe(true);
    expect(recs.flatMap((r) => r.findings).some((f) => f.code === 'unknown')).toBe(false);
    // Per site, the first three.
    expect(firstThingsToFix(m).map((s) => [s.siteName, s.actions.map((a) => a.action)])).toEqual([
      ['North Clinic', ['shared-queue', 'staff-phone', 'let-test-through']],
      ['Lakeside Hospital', ['follow-up']],
    ]);
    // Without findings there is nothing to fix, and the report says so.
    const clean = { ...m, findings: [] };
    expect(recommendations(clean)).toEqual([]);
    // The pass mark's dashed line is drawn for a real mark, not for 0 (which every grade meets).
    expect(renderHtml(m, { redacted: true })).toContain('stroke-dasharray="4 3"');
    expect(renderHtml({ ...m, settings: { ...m.settings, failUnder: 0 } }, { redacted: true })).not.toContain('stroke-dasharray');
    expect(renderHtml(clean, { redacted: true })).toContain('<section id="fix"><h2>First things to fix</h2><p>Nothing: every test inquiry was answered in time and owned.</p></section>');
  });

  it('Markdown and JSON carry the same ranked actions', async () => {
    const root = project();
    const md = await cli(['report', '--format', 'md'], { cwd: root, env: BASE_ENV });
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toMatch(/## First things to fix\n\n_Ranked by impact[^\n]*\n\n1\. \*\*North Clinic: Route web-form and email inquiries to a shared queue/);
    const j = await cli(['report', '--format', 'json'], { cwd: root, env: BASE_ENV });
    const recs = JSON.parse(j.stdout).recommendations as Array<{ siteId: string; action: string; findings: Array<{ code: string }> }>;
    expect(recs[0]).toMatchObject({ siteId: 'north', action: 'shared-queue', findings: [{ code: 'never-answered' }] });
  });

  it('refuses a logo that is not an image and an accent that is not a colour (exit 2)', async () => {
    const notImage = project(BRAND, { 'configs/brand/logo.png': '<svg onload="alert(1)"/>' });
    const r = await cli(['report', '--format', 'html'], { cwd: notImage, env: BASE_ENV });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`reports.brand.logo: ${join('configs', 'brand/logo.png')} is not a PNG or JPEG image`);
    const missing = project(BRAND.replace('brand/logo.png', 'brand/nope.png'));
    const m = await cli(['report', '--format', 'html'], { cwd: missing, env: BASE_ENV });
    expect(m.code).toBe(2);
    expect(m.stderr).toContain('reports.brand.logo: cannot read configs/brand/nope.png: no such file');
    const css = project(BRAND.replace('"#0f766e"', '"red; } body { display: none"'));
    const v = await cli(['validate'], { cwd: css, env: BASE_ENV });
    expect(v.code).toBe(2);
    expect(v.stderr).toMatch(/configs\/audit\.yaml:\d+:\d+ reports\.brand\.accent: must be a colour #rrggbb, e.g\. #0f766e/);
  });

  it('without a brand: the organization on the cover, the default accent, no logo', async () => {
    const root = project('');
    const r = await cli(['report', '--format', 'html', '--out', 'reports/plain.html'], { cwd: root, env: BASE_ENV });
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(join(root, 'reports/plain.html'), 'utf8');
    expect(html).toContain('<h1>Lakeside Health: response audit</h1>');
    expect(html).not.toContain('Prepared by');
    expect(html).not.toContain('class="logo"');
    expect(html).toContain('--accent: #1d4ed8;');
  });
});
