/**
 * Runs the classifier again over the replies the store kept (header block and text parts),
 * contacting nothing: after an upgrade, verdicts follow the new classifier while every
 * person's correction stands on top. Attribution is not redone (which inquiry a reply answers
 * comes from tokens and thread headers, which no classifier upgrade changes). Mail collected
 * before replies were kept is reported as such, never guessed at.
 */
import { contextFor, excerptOf, verdictDetails } from '../attribute/record-reply.js';
import { classifyEmail } from '../classify/email.js';
import { buildMessage } from '../classify/message.js';
import type { LoadedConfig } from '../config/load.js';
import { hasEventOfKind, keptMail, setObservationExcerpt, verdictEvents, type VerdictEventRow } from '../store/review-queries.js';
import type { Store } from '../store/store.js';
import type { ClassifierVerdict, ProbeRow } from '../store/types.js';
import { classifierVerdictOf, writeVerdict } from './verdict.js';

export interface VerdictText {
  kind: string | null;
  passAlong: boolean;
  campaignAware: boolean;
}

export interface ReclassifyChange {
  eventId: number;
  probeId: number | null;
  entryKey: string | null;
  occurredAt: number;
  /** The classifier's verdict before and after. */
  before: VerdictText;
  after: VerdictText;
  /** A person's correction stands over the new verdict (what counts did not change with it). */
  correctionKept: boolean;
  /** The new verdict finds a stop request the old one did not. */
  newStopRequest: boolean;
}

export interface ReclassifyResult {
  /** Verdict events looked at. */
  looked: number;
  reclassified: number;
  changes: ReclassifyChange[];
  /** Events whose mail was collected before replies were kept: left as they are. */
  notKept: number[];
  /** Events whose kept mail was cut at the size limits (reclassified from what was kept). */
  truncated: number[];
  written: boolean;
}

export interface ReclassifyOptions {
  since?: number;
  dryRun: boolean;
  /** Events per transaction: a crash keeps whole batches, and running again finishes the rest. */
  batch?: number;
}

export function reclassify(store: Store, loaded: LoadedConfig, o: ReclassifyOptions): ReclassifyResult {
  const result: ReclassifyResult = { looked: 0, reclassified: 0, changes: [], notKept: [], truncated: [], written: !o.dryRun };
  const probes = new Map<number, ProbeRow | null>();
  const probeOf = (id: number | null) => {
    if (id === null) return null;
    if (!probes.has(id)) probes.set(id, store.getProbe(id) ?? null);
    return probes.get(id)!;
  };
  const size = o.batch ?? 200;
  for (let afterId = 0; ; ) {
    const page = verdictEvents(store, { afterId, limit: size, ...(o.since !== undefined ? { since: o.since } : {}) });
    if (!page.length) break;
    afterId = page[page.length - 1]!.id;
    const work = () => {
      for (const e of page) one(e);
    };
    if (o.dryRun) work();
    else store.batch(work);
  }
  return result;

  function one(e: VerdictEventRow): void {
    result.looked++;
    if (!e.kept) {
      result.notKept.push(e.id);
      return;
    }
    const kept = keptMail(store, e.observationId)!;
    if (kept.truncated) result.truncated.push(e.id);
    const before = classifierVerdictOf(e);
    const probe = probeOf(before.probeId);
    const v = classifyEmail(buildMessage(kept.headerBlock, kept.parts), contextFor(loaded, probe));
    result.reclassified++;
    const eventKind = before.eventKind === 'unattributed' ? 'unattributed' : v.kind === 'human' ? 'human-reply' : v.kind;
    const after: ClassifierVerdict = { ...before, eventKind, kind: v.kind, passAlong: v.passAlong, campaignAware: v.campaignAware };
    const newStop = !!probe && e.probeId !== null && v.stopRequest && !hasEventOfKind(store, e.observationId, 'stop-request');
    const changed = before.kind !== after.kind || before.passAlong !== after.passAlong || before.campaignAware !== after.campaignAware;
    if (changed || newStop)
      result.changes.push({
        eventId: e.id,
        probeId: before.probeId,
        entryKey: probe?.entryKey ?? null,
        occurredAt: e.occurredAt,
        before: { kind: before.kind, passAlong: before.passAlong, campaignAware: before.campaignAware },
        after: { kind: after.kind, passAlong: after.passAlong, campaignAware: after.campaignAware },
        correctionKept: !!e.correction && changed,
        newStopRequest: newStop,
      });
    if (o.dryRun) return;
    const attributionReasons = Array.isArray(e.details['attributionReasons']) ? (e.details['attributionReasons'] as string[]) : [];
    writeVerdict(store, e, after, e.correction, loaded.config.sla, {
      reasons: [...attributionReasons, ...v.reasons],
      details: { ...verdictDetails(v), reclassifiedAt: store.clock.now() },
    });
    setObservationExcerpt(store, e.observationId, excerptOf(v));
    // A stop request the old classifier missed is honoured now; one it found and the new one
    // does not is kept: a do-not-contact is never lifted by a program.
    if (newStop && probe) {
      store.upsertEvent({
        observationId: e.observationId,
        probeId: probe.id,
        kind: 'stop-request',
        attribution: e.attribution,
        occurredAt: e.occurredAt,
        reasons: v.reasons.filter((r) => r.startsWith('stop request')),
        details: { ...e.details, ...verdictDetails(v) },
      });
      store.suppress(`site:${probe.siteId}`, `asked us to stop contacting them (reply from ${e.sender ?? 'unknown'}; found on reclassifying)`, e.observationId);
    }
  }
}
