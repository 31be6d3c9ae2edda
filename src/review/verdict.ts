/**
 * A verdict event is the classifier's verdict with a person's standing correction on top. The
 * event row always holds what counts (so probe_facts, and with it every score, follows a
 * correction at once); details.classifier keeps what the classifier said, so a reclassification
 * can change that part and leave the person's part standing, and a withdrawn correction can
 * restore it. "Not a reply" detaches the event from its probe (kind unattributed, as mail that
 * answers no inquiry is); the probe it was attributed to stays in details.classifier.
 */
import { recomputeFollowUps } from '../attribute/follow-up.js';
import type { AuditConfig } from '../config/schema.js';
import { updateVerdictEvent, type VerdictEventRow } from '../store/review-queries.js';
import type { Store } from '../store/store.js';
import type { ClassifierVerdict, CorrectionRow, EventKind } from '../store/types.js';

const AS_EVENT_KIND: Record<'auto-ack' | 'human' | 'bounce', EventKind> = { 'auto-ack': 'auto-ack', human: 'human-reply', bounce: 'bounce' };

/** What the classifier said of an event: details.classifier once a person corrected it, else the row itself. */
export function classifierVerdictOf(e: Pick<VerdictEventRow, 'kind' | 'passAlong' | 'campaignAware' | 'probeId' | 'attribution' | 'details'>): ClassifierVerdict {
  const kept = e.details['classifier'] as ClassifierVerdict | undefined;
  if (kept && typeof kept === 'object' && typeof kept.eventKind === 'string') return kept;
  const kind = e.kind === 'auto-ack' ? 'auto-ack' : e.kind === 'human-reply' ? 'human' : e.kind === 'bounce' ? 'bounce' : verdictKindIn(e.details);
  return { eventKind: e.kind, kind, passAlong: e.passAlong, campaignAware: e.campaignAware, probeId: e.probeId, attribution: e.attribution };
}

function verdictKindIn(details: Record<string, unknown>): ClassifierVerdict['kind'] {
  const k = details['kind'];
  return k === 'auto-ack' || k === 'human' || k === 'bounce' ? k : null;
}

export type StandingCorrection = Pick<CorrectionRow, 'action' | 'kind' | 'passAlong' | 'campaignAware'>;

/** The event row's columns: the classifier's verdict, with the correction (if any) on top. */
export function effectiveVerdict(v: ClassifierVerdict, c: StandingCorrection | null) {
  if (c?.kind === 'not-a-reply') return { kind: 'unattributed' as EventKind, probeId: null, attribution: 'none' as const, passAlong: false, campaignAware: false };
  // Mail the classifier could not attribute stays unattributed whatever is said of its kind.
  if (v.eventKind === 'unattributed' || v.probeId === null)
    return { kind: 'unattributed' as EventKind, probeId: v.probeId, attribution: v.attribution, passAlong: false, campaignAware: false };
  const kind = c?.kind ?? v.kind ?? 'human';
  return {
    kind: AS_EVENT_KIND[kind],
    probeId: v.probeId,
    attribution: v.attribution,
    passAlong: c?.passAlong ?? v.passAlong,
    campaignAware: c?.campaignAware ?? v.campaignAware,
  };
}

const HUMAN_KINDS = new Set<EventKind>(['human-reply', 'callback', 'sms-reply']);

/**
 * Writes the event as the classifier verdict `v` with correction `c` on top, then recomputes
 * the follow-up flags of the probes it belonged to before and after. Call inside a transaction.
 */
export function writeVerdict(
  store: Store,
  e: VerdictEventRow,
  v: ClassifierVerdict,
  c: StandingCorrection | null,
  sla: Pick<AuditConfig['sla'], 'followUpAfter' | 'followUpWindow'>,
  extra: { reasons?: string[]; details?: Record<string, unknown> } = {},
): { kind: EventKind; probeId: number | null; passAlong: boolean; campaignAware: boolean } {
  const row = effectiveVerdict(v, c);
  const details: Record<string, unknown> = { ...e.details, ...extra.details, classifier: v };
  if (row.kind === 'unattributed' && v.kind) details['kind'] = v.kind;
  updateVerdictEvent(store, e.id, {
    ...row,
    // A follow-up is a later human contact: recomputed below for the probe's human contacts.
    followUp: HUMAN_KINDS.has(row.kind) && row.probeId === e.probeId ? e.followUp : false,
    reasons: extra.reasons ?? e.reasons,
    details,
  });
  for (const probeId of new Set([e.probeId, row.probeId])) {
    if (probeId === null) continue;
    const probe = store.getProbe(probeId);
    if (probe) recomputeFollowUps(store, probe, sla);
  }
  return row;
}
