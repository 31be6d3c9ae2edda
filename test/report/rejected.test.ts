/**
 * A web form the site refused (status `rejected`): the report shows it as refused by the site,
 * with the site's words, scores it as not tested, and its finding says so; an accepted form
 * beside it is unaffected.
 */
import { describe, expect, it } from 'vitest';
import { probeViews } from '../../src/report/evidence.js';
import { renderHtml } from '../../src/report/html.js';
import { buildReport } from '../../src/score/model.js';
import { probeFacts, runsWithProbes } from '../../src/store/report-queries.js';
import { tempTree } from '../helpers/tmp.js';
import { Builder, DIRECTORY, NOW, SETTINGS, T0 } from './fixture.js';

const REFUSAL = 'the site refused the submission (HTTP 200): Phone number: "Please enter a telephone number."';

describe('a rejected web form in the report', () => {
  it('is refused by the site, in its words, and not tested', () => {
    const dir = tempTree();
    const b = new Builder(dir);
    b.probe('north/ortho/webform', { at: T0 });
    const refused = b.probe('lakeside/ortho/webform', { at: T0, status: 'rejected', outcome: 'rejected', error: REFUSAL });
    const { model, scores } = buildReport({
      facts: probeFacts(b.store),
      runs: runsWithProbes(b.store),
      directory: DIRECTORY,
      settings: SETTINGS,
      generatedAt: NOW,
      selection: { runId: null, since: null },
      failUnder: 60,
    });
    const score = scores.find((s) => s.facts.id === refused)!;
    expect(score).toMatchObject({ tested: false, state: 'not-sent' });
    const views = probeViews(b.store, scores, SETTINGS, { redact: false, reportsDir: dir });
    const view = views.find((v) => v.id === refused)!;
    expect(view).toMatchObject({ state: 'rejected', submitted: false });
    expect(view.steps.map((s) => s.label)).toEqual(['submitted, but the site refused it: Phone number: "Please enter a telephone number."']);
    expect(view.issues.join(' ')).toContain('the site refused the submission: could not be tested (Phone number: "Please enter a telephone number.")');
    const html = renderHtml(model, { redacted: false, probes: views });
    expect(html).toContain('refused by the site');
    expect(html).toContain('Phone number: &quot;Please enter a telephone number.&quot;');
    expect(views.find((v) => v.id !== refused)).toMatchObject({ submitted: true });
  });
});
