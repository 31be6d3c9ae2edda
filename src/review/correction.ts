/**
 * What a person says of a verdict, as `review set` and the interactive review take it:
 * `kind=human`, `passAlong=no`, `campaignAware=yes`, `not-a-reply`, `ok` (the verdict is
 * right), `clear` (withdraw my correction). Stored in the corrections log with when, why and
 * who, then written onto the event (verdict.ts), in one transaction.
 */
import type { LoadedConfig } from '../config/load.js';
import { UsageError } from '../errors.js';
import { addCorrection, verdictEvents, type VerdictEventRow } from '../store/review-queries.js';
import type { Store } from '../store/store.js';
import type { CorrectedKind, CorrectionRow } from '../store/types.js';
import { classifierVerdictOf, effectiveVerdict, writeVerdict } from './verdict.js';

export interface CorrectionInput {
  /** 'set': change the fields given; 'confirm': the verdict is right as it is; 'clear': withdraw the standing correction. */
  action: 'set' | 'confirm' | 'clear';
  kind?: CorrectedKind;
  passAlong?: boolean;
  campaignAware?: boolean;
}

const KINDS: Record<string, CorrectedKind> = {
  'auto-ack': 'auto-ack', auto: 'auto-ack', automatic: 'auto-ack', human: 'human', 'human-reply': 'human', person: 'human',
  bounce: 'bounce', 'not-a-reply': 'not-a-reply',
};
const YES = new Set(['yes', 'y', 'true', '1']);
const NO = new Set(['no', 'n', 'false', '0']);
const FIELDS: Record<string, 'kind' | 'passAlong' | 'campaignAware'> = {
  kind: 'kind', passalong: 'passAlong', 'pass-along': 'passAlong', campaignaware: 'campaignAware', 'campaign-aware': 'campaignAware',
};

export const CORRECTION_SYNTAX =
  'kind=auto-ack|human|bounce, passAlong=yes|no, campaignAware=yes|no, not-a-reply, ok (the verdict is right) or clear (withdraw the correction)';

/** Parses the words of a correction; throws a UsageError saying what it takes. */
export function parseCorrection(words: readonly string[]): CorrectionInput {
  const out: CorrectionInput = { action: 'set' };
  if (!words.length) throw new UsageError(`say what the verdict should be: ${CORRECTION_SYNTAX}`);
  for (const raw of words) {
    const w = raw.trim();
    const lower = w.toLowerCase();
    if (lower === 'ok' || lower === 'confirm') out.action = 'confirm';
    else if (lower === 'clear') out.action = 'clear';
    else if (lower === 'not-a-reply') out.kind = 'not-a-reply';
    else {
      const eq = w.indexOf('=');
      const field = eq > 0 ? FIELDS[lower.slice(0, eq)] : undefined;
      const value = lower.slice(eq + 1);
      if (!field) throw new UsageError(`"${w}": expected ${CORRECTION_SYNTAX}`);
      if (field === 'kind') {
        const k = KINDS[value];
        if (!k) throw new UsageError(`"${w}": kind is auto-ack, human, bounce or not-a-reply`);
        out.kind = k;
      } else if (YES.has(value) || NO.has(value)) out[field] = YES.has(value);
      else throw new UsageError(`"${w}": ${field} is yes or no`);
    }
  }
  const fields = out.kind !== undefined || out.passAlong !== undefined || out.campaignAware !== undefined;
  if (out.action !== 'set' && fields) throw new UsageError(`${out.action === 'clear' ? 'clear' : 'ok'} stands alone: give it without other changes`);
  if (out.kind === 'not-a-reply' && (out.passAlong !== undefined || out.campaignAware !== undefined))
    throw new UsageError('not-a-reply takes no pass-along or campaign-aware: the reply no longer counts for any inquiry');
  return out;
}

export interface CorrectionMeta {
  note: string | null;
  reviewer: string | null;
  at: number;
}

export interface CorrectionOutcome {
  eventId: number;
  /** The log row written. */
  correction: CorrectionRow;
  before: { kind: string; passAlong: boolean; campaignAware: boolean; probeId: number | null };
  after: { kind: string; passAlong: boolean; campaignAware: boolean; probeId: number | null };
}

/** The verdict event with this id, or a UsageError saying why it cannot be reviewed. */
export function reviewableEvent(store: Store, eventId: number): VerdictEventRow {
  const e = verdictEvents(store, { eventId })[0];
  if (!e) throw new UsageError(`event ${eventId} is not an emailed reply's verdict (see \`respond-audit review --all --json\` for the ids)`, 'ENOEVENT');
  return e;
}

/** Records the correction and writes it onto the event, in one transaction. */
export function applyCorrection(store: Store, loaded: LoadedConfig, eventId: number, input: CorrectionInput, meta: CorrectionMeta): CorrectionOutcome {
  return store.tx(() => {
    const e = reviewableEvent(store, eventId);
    const v = classifierVerdictOf(e);
    const standing = e.correction;
    if (v.probeId === null && input.action !== 'clear')
      throw new UsageError(`event ${eventId} was matched to no inquiry, so no correction of it would change a score; \`respond-audit status\` lists such mail`);
    let row: Omit<CorrectionRow, 'id'>;
    const base = { observationId: e.observationId, probeId: v.probeId, note: meta.note, reviewer: meta.reviewer, at: meta.at, classifier: v };
    if (input.action === 'clear') {
      if (!standing) throw new UsageError(`event ${eventId} has no correction to clear`);
      row = { ...base, action: 'clear', kind: null, passAlong: null, campaignAware: null };
    } else {
      // Fields given replace the standing correction's; the rest of it stands.
      const merged = {
        kind: input.kind ?? (input.action === 'set' && (input.passAlong !== undefined || input.campaignAware !== undefined) && standing?.kind === 'not-a-reply' ? null : standing?.kind ?? null),
        passAlong: input.passAlong ?? standing?.passAlong ?? null,
        campaignAware: input.campaignAware ?? standing?.campaignAware ?? null,
      };
      if (merged.kind === 'not-a-reply') {
        merged.passAlong = null;
        merged.campaignAware = null;
      }
      const plain = effectiveVerdict(v, null);
      const now = effectiveVerdict(v, { action: 'correct', ...merged });
      const same = plain.kind === now.kind && plain.probeId === now.probeId && plain.passAlong === now.passAlong && plain.campaignAware === now.campaignAware;
      row = { ...base, action: same ? 'confirm' : 'correct', ...(same ? { kind: null, passAlong: null, campaignAware: null } : merged) };
    }
    const id = addCorrection(store, row);
    const after = writeVerdict(store, e, v, row.action === 'clear' ? null : row, loaded.config.sla);
    return {
      eventId,
      correction: { ...row, id },
      before: { kind: e.kind, passAlong: e.passAlong, campaignAware: e.campaignAware, probeId: e.probeId },
      after: { kind: after.kind, passAlong: after.passAlong, campaignAware: after.campaignAware, probeId: after.probeId },
    };
  });
}
