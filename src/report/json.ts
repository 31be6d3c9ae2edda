/**
 * The JSON format: the report model as it is (schemaVersion 1), with ISO timestamps added
 * beside the epoch-millisecond ones for readers. The shape is documented in docs/reports.md.
 */
import type { ReportModel } from '../score/model.js';
import { recommendations } from './recommendations.js';

export function renderJson(m: ReportModel): string {
  // What to do, ranked by impact; each names the findings it answers by entry point and code.
  const recs = recommendations(m).map((r) => ({ siteId: r.siteId, action: r.action, text: r.text, impact: r.impact, findings: r.findings.map((f) => ({ entryKey: f.entryKey, code: f.code })) }));
  return JSON.stringify({ ...m, recommendations: recs, generatedAtIso: new Date(m.generatedAt).toISOString() }, null, 2) + '\n';
}
