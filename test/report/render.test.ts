import { Chalk } from 'chalk';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { probeViews } from '../../src/report/evidence.js';
import { cspFor, renderHtml } from '../../src/report/html.js';
import { cssFor } from '../../src/report/html-css.js';

const CSP = cspFor(cssFor());
import { renderJson } from '../../src/report/json.js';
import { renderJunit } from '../../src/report/junit.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderTerminal } from '../../src/report/terminal.js';
import { buildReport } from '../../src/score/model.js';
import { probeFacts, runsWithProbes } from '../../src/store/report-queries.js';
import { tempTree } from '../helpers/tmp.js';
import { DIRECTORY, NOW, scenario, SETTINGS, TINY_PNG } from './fixture.js';

function built(opts: { hostile?: boolean; failUnder?: number | null } = {}) {
  const dir = tempTree();
  mkdirSync(join(dir, 'artifacts/tokA'), { recursive: true });
  writeFileSync(join(dir, 'artifacts/tokA/screenshot.png'), TINY_PNG);
  const { b } = scenario(dir, { hostile: opts.hostile, screenshot: 'artifacts/tokA/screenshot.png' });
  const r = buildReport({
    facts: probeFacts(b.store),
    runs: runsWithProbes(b.store),
    directory: DIRECTORY,
    settings: SETTINGS,
    generatedAt: NOW,
    selection: { runId: null, since: null },
    failUnder: opts.failUnder === undefined ? 60 : opts.failUnder,
    unmatchedEvents: 1,
  });
  const views = (redact: boolean) => probeViews(b.store, r.scores, SETTINGS, { redact, reportsDir: dir });
  return { ...r, views, store: b.store };
}

describe('renderers (pure, fixed clock)', () => {
  it('terminal: snapshot without colour; colour only when the chalk instance has it', async () => {
    const { model } = built();
    const plain = renderTerminal(model, { c: new Chalk({ level: 0 }) });
    expect(plain).not.toContain('\u001b[');
    await expect(plain).toMatchFileSnapshot('__snapshots__/report.terminal.txt');
    expect(renderTerminal(model, { c: new Chalk({ level: 1 }) })).toContain('\u001b[31m');
  });

  it('markdown: snapshot, third-party-ish text escaped', async () => {
    const { model } = built();
    const md = renderMarkdown(model);
    await expect(md).toMatchFileSnapshot('__snapshots__/report.md');
    expect(md).toContain('- North Clinic orthopedics email: no reply after 10 days (1 of 2 inquiries)');
  });

  it('json: versioned, documented shape', async () => {
    const { model } = built();
    const text = renderJson(model);
    await expect(text).toMatchFileSnapshot('__snapshots__/report.json');
    const j = JSON.parse(text);
    expect(j.schemaVersion).toBe(1);
    expect(j.generatedAtIso).toBe(new Date(NOW).toISOString());
    expect(Object.keys(j)).toEqual(['schemaVersion', 'generatedAt', 'organization', 'timezone', 'selection', 'settings', 'references', 'overall', 'sites', 'groups', 'findings', 'trends', 'unmatchedEvents', 'review', 'threshold', 'recommendations', 'generatedAtIso']);
    expect(j.sites[0].serviceLines[0].channels.map((c: { channel: string }) => c.channel)).toEqual(['webform', 'email', 'phone']);
  });

  it('junit: a suite per site, a case per service line × channel, failed below the threshold; valid XML', async () => {
    const { model } = built();
    const xml = renderJunit(model);
    await expect(xml).toMatchFileSnapshot('__snapshots__/report.junit.xml');
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml);
    const suites = doc.testsuites.testsuite;
    expect(suites.map((s: { name: string }) => s.name)).toEqual(['North Clinic', 'Lakeside Hospital']);
    const north = suites[0];
    expect(north.testcase.map((t: { name: string }) => t.name)).toEqual(['Orthopedics · webform', 'Orthopedics · email', 'Orthopedics · phone', 'Cardiology · webform']);
    expect(north.failures).toBe('2'); // email 0, phone 44 (< 60); webform 86 passes; cardiology skipped
    expect(north.testcase[1].failure['message']).toBe('grade 0 is below 60');
    expect(north.testcase[3].skipped).toBeDefined();
    // Without a threshold nothing fails.
    const none = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(renderJunit(built({ failUnder: null }).model));
    expect(none.testsuites.failures).toBe('0');
  });

  it('html: self-contained, strict CSP, timelines with redacted evidence; snapshot', async () => {
    const { model, views } = built();
    const html = renderHtml(model, { redacted: true, probes: views(true) });
    await expect(html).toMatchFileSnapshot('__snapshots__/report.html');
    expect(html).toContain(`content="${CSP.replace(/'/g, '&#39;')}"`);
    expect(CSP).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; img-src data:/);
    // Nothing to load or follow: links stay inside the page, images are data: URIs. The form's
    // address is shown as text in the evidence appendix, never as a link.
    expect(html).not.toMatch(/<script|(?:href|src|action)="(?!#|data:image\/)|style="/);
    expect(html).toContain('<dt>form page</dt><dd>https://north.example.org/contact</dd>');
    expect(html).toContain('src="data:image/png;base64,');
    // Redacted: the staff member's name, number and address do not appear; the finding does.
    expect(html).not.toMatch(/Maria|Lopez|555-0199|maria\.lopez|Ann Smith|555-0142/);
    expect(html).toContain('[phone]');
    expect(html).toContain('[redacted]@north.example.org');
    const open = renderHtml(model, { redacted: false, probes: views(false) });
    expect(open).toContain('maria.lopez@north.example.org');
    expect(open).toContain('(312) 555-0199');
  });
});
