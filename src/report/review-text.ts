/**
 * The words every format uses for the review state of the verdicts behind the scores: how
 * many were corrected or confirmed by hand, how many the classifier flagged that nobody has
 * reviewed, and one line per such verdict. Pure; each renderer escapes for its format.
 */
import type { ReportModel } from '../score/model.js';
import type { ReviewedVerdict } from '../store/review-queries.js';

/** "Verdicts corrected by hand: 2 · confirmed by hand: 1 · flagged by the classifier, not yet reviewed: 3" */
export function reviewCountsLine(m: ReportModel): string {
  const r = m.review;
  return [
    `Verdicts corrected by hand: ${r.corrected}`,
    ...(r.confirmed ? [`confirmed by hand: ${r.confirmed}`] : []),
    `flagged by the classifier, not yet reviewed: ${r.needsReview}${r.needsReview ? ' (respond-audit review)' : ''}`,
  ].join(' · ');
}

const VERDICT: Record<string, string> = { 'auto-ack': 'automatic', human: 'human', bounce: 'bounce', 'not-a-reply': 'not a reply' };

function verdictText(v: ReviewedVerdict['now']): string {
  const tags = [v.passAlong && 'pass-along', v.campaignAware && 'campaign-aware'].filter(Boolean);
  return `${VERDICT[v.kind ?? ''] ?? v.kind ?? '?'}${tags.length ? ` (${tags.join(', ')})` : ''}`;
}

export const REVIEW_STATE: Record<ReviewedVerdict['state'], string> = {
  corrected: 'corrected by hand',
  confirmed: 'confirmed by hand',
  'needs-review': 'needs review',
};

/** "North Clinic / ortho / email, event 12: automatic → human (corrected by hand: signed by a nurse)" */
export function reviewItemText(m: ReportModel, it: ReviewedVerdict): string {
  const site = m.sites.find((s) => s.id === it.siteId)?.name ?? it.siteId;
  const where = `${site} / ${it.entryKey.split('/').slice(1).join(' / ')}`;
  const change = it.state === 'corrected' ? `${verdictText(it.classifier)} → ${verdictText(it.now)}` : verdictText(it.now);
  const conf = it.state === 'needs-review' && it.confidence !== null ? `, confidence ${it.confidence.toFixed(2)}` : '';
  const by = it.reviewer ? ` by ${it.reviewer}` : '';
  return `${where}, event ${it.eventId}: ${change} (${REVIEW_STATE[it.state]}${by}${conf}${it.note ? `: ${it.note}` : ''})`;
}
