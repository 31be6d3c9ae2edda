/**
 * What a reader of issue 17 found contradicting itself, pinned number AND wording in every
 * format: a phone line that met its target listed as a finding, a caller who gave up counted
 * as answered, hold longer than the caller's patience, a CAPTCHA-blocked form "submitted",
 * two counts for one thing, mean beside median with no word on the grade, "threshold of 0",
 * jargon (probe, In SLA, classifier sums) and times in UTC instead of the site's zone.
 */
import { Chalk } from 'chalk';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { probeViews, readerReasons } from '../../src/report/evidence.js';
import { renderHtml } from '../../src/report/html.js';
import { renderJson } from '../../src/report/json.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderTerminal } from '../../src/report/terminal.js';
import { buildReport, type Directory } from '../../src/score/model.js';
import { probeFacts, runsWithProbes } from '../../src/store/report-queries.js';
import { tempTree } from '../helpers/tmp.js';
import { DIRECTORY, NOW, scenario, SETTINGS, T0, TINY_PNG } from './fixture.js';

/** North Clinic in Chicago, Lakeside in Berlin, the organization in New York. */
const ZONED: Directory = {
  ...DIRECTORY,
  timezone: 'America/New_York',
  sites: DIRECTORY.sites.map((s) => ({ ...s, timezone: s.id === 'north' ? 'America/Chicago' : 'Europe/Berlin' })),
};

function formats(o: { failUnder?: number | null; directory?: Directory } = {}) {
  const dir = tempTree();
  mkdirSync(join(dir, 'artifacts/tokA'), { recursive: true });
  writeFileSync(join(dir, 'artifacts/tokA/screenshot.png'), TINY_PNG);
  const { b } = scenario(dir, { screenshot: 'artifacts/tokA/screenshot.png' });
  const { model, scores } = buildReport({
    facts: probeFacts(b.store),
    runs: runsWithProbes(b.store),
    directory: o.directory ?? DIRECTORY,
    settings: SETTINGS,
    generatedAt: NOW,
    selection: { runId: null, since: null },
    failUnder: o.failUnder === undefined ? 60 : o.failUnder,
  });
  const views = probeViews(b.store, scores, SETTINGS, { redact: true, reportsDir: dir });
  const html = renderHtml(model, { redacted: true, probes: views });
  return {
    model,
    views,
    html,
    /** What a reader sees of the HTML: text only, no tags, ids or class names. */
    htmlText: visibleText(html),
    md: renderMarkdown(model),
    term: renderTerminal(model, { c: new Chalk({ level: 0 }) }),
    json: JSON.parse(renderJson(model)),
  };
}

function visibleText(html: string): string {
  return html
    .replace(/<style>[\s\S]*?<\/style>/, '')
    .replace(/<title>[\s\S]*?<\/title>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&gt;/g, '>')
    .replace(/&lt;/g, '<')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

const count = (text: string, s: string) => text.split(s).length - 1;

describe('the report a reader can trust (issue 17)', () => {
  it('a phone line that met its answer target is not a finding; the caller who gave up is', () => {
    const f = formats();
    // The call was picked up in 12 s against a 30 s target.
    expect(f.model.findings.map((x) => x.code)).not.toContain('slow-answer');
    for (const text of [f.htmlText, f.md, f.term]) {
      expect(text).not.toMatch(/took 12 s to answer/);
      expect(text).toContain("North Clinic orthopedics phone line: kept on hold past the caller's patience of 3 min; the caller gave up");
    }
    expect(f.json.findings.find((x: { code: string }) => x.code === 'gave-up').what).toBe("kept on hold past the caller's patience of 3 min; the caller gave up");
  });

  it('a caller who gave up on hold is not answered: the state, the grade and "% test calls answered" agree', () => {
    const f = formats();
    const call = f.views.find((v) => v.channel === 'phone')!;
    expect(call.state).toBe('never');
    expect(call.grade).toBe(0);
    expect(f.htmlText).toContain(`test inquiry ${call.token} · not answered: the caller gave up on hold · grade 0`);
    expect(f.htmlText).toContain('answered by a person no: the line picked up, but nobody came before the caller gave up');
    expect(f.json.overall.phone).toMatchObject({ calls: 1, answered: 0, pickedUp: 1, answerRate: 0 });
    expect(f.htmlText).toContain('0% test calls answered by a person');
    for (const text of [f.htmlText, f.md, f.term]) {
      expect(text).toContain('test calls answered 0%');
      expect(text).not.toMatch(/(?:test calls|phone) answered 100%/);
    }
  });

  it('hold is never shown longer than the caller\'s patience beside "gave up"', () => {
    const f = formats();
    // 400 s of hold music were recorded; the caller's patience is 3 min.
    expect(f.json.overall.phone.medianHold).toEqual({ ms: null, atLeastMs: 3 * 60_000 });
    for (const text of [f.htmlText, f.md, f.term]) {
      expect(text).toMatch(/0% · \\?> 3 min/);
      expect(text).not.toMatch(/7 min/);
    }
    expect(f.htmlText).toContain("on hold more than 3 min (the caller's patience), then the caller gave up");
  });

  it('a form blocked by a CAPTCHA is never "submitted", and its screenshot is not "after submitting"', () => {
    const f = formats();
    const blocked = f.views.find((v) => v.state === 'not-sent')!;
    expect(blocked.submitted).toBe(false);
    expect(blocked.screenshot).toMatch(/^data:image\/png;base64,/);
    expect(blocked.steps.map((s) => s.label)).toEqual(['form opened, not submitted: a CAPTCHA blocked it']);
    const article = f.html.slice(f.html.indexOf(`id="probe-${blocked.id}"`), f.html.indexOf('</article>', f.html.indexOf(`id="probe-${blocked.id}"`)));
    expect(visibleText(article)).toContain('form opened, not submitted: a CAPTCHA blocked it');
    expect(article).toContain('Screenshot of the form (not submitted)');
    expect(article).not.toMatch(/inquiry submitted|after submitting/);
    // The submitted web form keeps both.
    const sent = f.views.find((v) => v.channel === 'webform' && v.submitted)!;
    const sentArticle = f.html.slice(f.html.indexOf(`id="probe-${sent.id}"`));
    expect(sentArticle.slice(0, sentArticle.indexOf('</article>'))).toMatch(/inquiry submitted[\s\S]*Screenshot of the form after submitting/);
  });

  it('the header and the summary give one count in one word', () => {
    const f = formats();
    // 7 test inquiries: 5 went out, 1 was blocked by a CAPTCHA, 1 is unconfirmed; 1 still waits.
    expect(f.json.overall.counts).toMatchObject({ probes: 7, tested: 5, pending: 1 });
    const phrase = '7 test inquiries (2 could not be tested, 1 still waiting for an answer)';
    for (const text of [f.htmlText, f.md, f.term]) expect(text).toContain(`all runs · ${phrase} in 1 run`);
    expect(f.html).toContain(`<b class="">7</b><span>test inquiries (2 could not be tested, 1 still waiting for an answer)</span>`);
    expect(f.htmlText).not.toMatch(/\b5 inquiries tested|\d+ probes\b/);
  });

  it('says once that times are medians and which figure the grade uses', () => {
    const f = formats();
    const note = 'The grade uses neither: it counts the share answered within each target (a first response within 1 h, a reply from a person within 24 h, a call answered within 30 s).';
    for (const text of [f.htmlText, f.md, f.term]) {
      expect(count(text, note)).toBe(1);
      expect(text).toContain('Times shown are medians');
      expect(text).toContain('mean time to first response, of those answered (HBR reports a mean)');
    }
  });

  it('no meaningless "threshold of 0"; a real pass mark is said in every format', () => {
    const zero = formats({ failUnder: 0 });
    for (const text of [zero.htmlText, zero.md, zero.term]) expect(text).not.toMatch(/threshold|pass mark/);
    expect(zero.html).not.toContain('dashed line');
    const sixty = formats({ failUnder: 60 });
    for (const text of [sixty.htmlText, sixty.md, sixty.term]) expect(text).toMatch(/Below the pass mark of 60: North Clinic \(40\)/);
    expect(sixty.json.threshold).toMatchObject({ failUnder: 60 });
  });

  it('speaks the reader\'s words: no "probe", no "In SLA 1st/hum.", no classifier weights or sums', () => {
    const f = formats();
    for (const text of [f.htmlText, f.md, f.term]) {
      expect(text).not.toMatch(/\bprobes?\b/i);
      expect(text).not.toMatch(/In SLA|1st\/hum|Phone ans\.|pend\.|untested/);
      expect(text).not.toMatch(/sum to|or more means|\(weight/);
      expect(text).toContain('On time: first / person');
    }
    expect(f.htmlText).toContain("sent to the test inquiry's address (token tok7x)");
    expect(f.htmlText).toContain('subject is a reply: points to a person');
    expect(readerReasons(['signals sum to 3.1; 2.5 or more means automatic', 'Auto-Submitted: auto-replied (weight +1.1)', 'given only to this open probe'])).toEqual([
      'Auto-Submitted: auto-replied',
      'given only to this open test inquiry',
    ]);
  });

  it('shows every time in the site\'s timezone, with its abbreviation', () => {
    const f = formats({ directory: ZONED });
    expect(f.json.timezone).toBe('America/New_York');
    expect(f.json.sites.map((s: { timezone: string }) => s.timezone)).toEqual(['America/Chicago', 'Europe/Berlin']);
    // NOW is 2027-03-11 14:00 UTC: 09:00 in New York (EST until 14 March).
    for (const text of [f.htmlText, f.md, f.term]) expect(text).toContain('as of 2027-03-11 09:00 EST');
    // T0 = 2027-03-01 14:00 UTC: 08:00 in Chicago, 15:00 in Berlin.
    expect(T0).toBe(Date.UTC(2027, 2, 1, 14, 0));
    expect(f.htmlText).toContain('2027-03-01 08:00 CST inquiry submitted');
    expect(f.htmlText).toContain('2027-03-01 15:00 CET inquiry submitted');
    expect(f.htmlText).toContain("Times are North Clinic's local time (America/Chicago).");
    for (const text of [f.htmlText, f.md, f.term]) expect(text).not.toMatch(/\bUTC\b/);
  });
});
