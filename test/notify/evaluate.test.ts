/** What is worth an alert, decided without sending: streaks, thresholds, and the words. */
import { describe, expect, it } from 'vitest';
import { evaluateAlerts, failingStreaks, type Alert } from '../../src/notify/evaluate.js';
import { alertMessage, escapeMrkdwn, MAX_LINES, slackPayload } from '../../src/notify/message.js';
import { buildReport } from '../../src/score/model.js';
import type { NotifiedState } from '../../src/store/alert-queries.js';
import { probeFacts, runsWithProbes } from '../../src/store/report-queries.js';
import { tempTree } from '../helpers/tmp.js';
import { Builder, DAY, DIRECTORY, HOUR, MIN, NOW, SETTINGS } from '../report/fixture.js';

function built(b: Builder) {
  return buildReport({ facts: probeFacts(b.store), runs: runsWithProbes(b.store), directory: DIRECTORY, settings: SETTINGS, generatedAt: NOW, selection: { runId: null, since: null }, failUnder: null });
}
const states = (list: NotifiedState[]) => new Map(list.map((s) => [s.subject, s]));
const T = { gradeDrop: 10, failingAfter: 2, newFindings: true };

describe('failingStreaks', () => {
  it('counts the latest failed runs; a run still waiting neither breaks nor extends it; a pass ends it', () => {
    const b = new Builder(tempTree());
    const key = 'north/ortho/email';
    b.probe(key, { at: NOW - 9 * DAY, run: 1 }); // never answered: failed
    b.run(2, NOW - 8 * DAY);
    b.probe(key, { at: NOW - 8 * DAY, run: 2, status: 'not-sent', outcome: 'refused' }); // failed
    b.run(3, NOW - HOUR);
    b.probe(key, { at: NOW - HOUR, run: 3 }); // pending: not decided
    const r = built(b);
    expect(failingStreaks(r.scores, SETTINGS).get(key)).toBe(2);
    b.run(4, NOW - 2 * DAY);
    const ok = b.probe(key, { at: NOW - 2 * DAY, run: 4 });
    b.event(ok, 'human-reply', NOW - 2 * DAY + 20 * MIN, { excerpt: 'Yes, Monday at 9 works.' });
    expect(failingStreaks(built(b).scores, SETTINGS).get(key)).toBe(0);
    b.store.close();
  });
});

describe('evaluateAlerts', () => {
  it('alerts a grade drop only above gradeDrop, and always records the new grade', () => {
    const b = new Builder(tempTree());
    const ok = b.probe('lakeside/ortho/email', { at: NOW - 2 * DAY });
    b.event(ok, 'human-reply', NOW - 2 * DAY + 20 * MIN, { campaignAware: true, followUp: false });
    const r = built(b);
    const grade = r.model.sites.find((s) => s.id === 'lakeside')!.stats.grade!;
    const first = evaluateAlerts(r.model, r.scores, SETTINGS, new Map(), T);
    expect(first.alerts.filter((a) => a.kind === 'grade-drop')).toEqual([]);
    expect(first.states).toContainEqual({ subject: 'grade:site:lakeside', state: 'grade', value: grade });
    const at = (before: number) => evaluateAlerts(r.model, r.scores, SETTINGS, states([{ subject: 'grade:site:lakeside', state: 'grade', value: before }]), T).alerts.filter((a) => a.kind === 'grade-drop');
    expect(at(grade + 10)).toEqual([]);
    expect(at(grade + 10.5)).toMatchObject([{ subject: 'grade:site:lakeside', where: 'Lakeside Hospital', text: expect.stringContaining(`grade ${grade + 10.5} → ${grade}`) }]);
    b.store.close();
  });

  it('goes straight to failing with failingAfter 1, and tells each state once', () => {
    const b = new Builder(tempTree());
    b.probe('north/ortho/webform', { at: NOW - DAY, status: 'not-sent', outcome: 'refused' });
    const r = built(b);
    const one = { ...T, failingAfter: 1, newFindings: false };
    const first = evaluateAlerts(r.model, r.scores, SETTINGS, new Map(), one);
    expect(first.alerts.map((a) => a.kind)).toEqual(['failing']);
    expect(evaluateAlerts(r.model, r.scores, SETTINGS, states(first.states), one).alerts).toEqual([]);
    // newFindings: false still records the findings, so turning it on later does not flood.
    expect(first.states.some((s) => s.subject.startsWith('finding:north/ortho/webform:'))).toBe(true);
    b.store.close();
  });
});

describe('alert messages', () => {
  it('escape mrkdwn and stop after MAX_LINES, counting the rest', () => {
    expect(escapeMrkdwn('a & <b> <!here>')).toBe('a &amp; &lt;b&gt; &lt;!here&gt;');
    const alerts: Alert[] = Array.from({ length: MAX_LINES + 3 }, (_, i) => ({ kind: 'finding', subject: `s${i}`, where: 'x', text: `finding ${i} <b>` }));
    const msg = alertMessage('Lakeside <Health>', alerts, true);
    expect(msg.subject).toBe(`respond-audit: ${MAX_LINES + 3} alerts for Lakeside <Health>`);
    expect(msg.lines.at(-1)).toBe('… and 3 more (see the report)');
    const p = slackPayload(msg);
    expect(p.text).toBe(`respond-audit: ${MAX_LINES + 3} alerts for Lakeside &lt;Health&gt;`);
    expect(p.blocks[1]!.text.text.split('\n')).toHaveLength(MAX_LINES + 1);
    expect(JSON.stringify(p)).not.toMatch(/<b>|<Health>/);
  });
});
