/**
 * The JSON format: the report model as it is (schemaVersion 1), with ISO timestamps added
 * beside the epoch-millisecond ones for readers. The shape is documented in docs/reports.md.
 */
import type { ReportModel } from '../score/model.js';

export function renderJson(m: ReportModel): string {
  return JSON.stringify({ ...m, generatedAtIso: new Date(m.generatedAt).toISOString() }, null, 2) + '\n';
}
