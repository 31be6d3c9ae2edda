/** Store queries of the phone and SMS channel (the store's own file stays channel-neutral). */
import { sql } from './connection.js';
import { jsonNum } from './dialect.js';
import type { Store } from './store.js';
import type { EventRow, ProbeRow } from './types.js';

/** Phone probes that were placed but whose call result is missing or waits for its recording. */
export function callsAwaitingResult(store: Store, since: number): Array<{ probe: ProbeRow; pendingEventId: number | null }> {
  const rows = sql(store).statement(
      `SELECT p.id AS "probeId", e.id AS "eventId" FROM probes p
         LEFT JOIN events e ON e.probe_id = p.id AND e.kind = 'call'
       WHERE p.channel = 'phone' AND p.external_id IS NOT NULL AND p.status IN ('submitted', 'unknown') AND p.planned_at >= ?
         AND (e.id IS NULL OR ${jsonNum(sql(store), 'e.details', 'recordingPending')} = 1 OR ${jsonNum(sql(store), 'e.details', 'answerPending')} = 1 OR ${jsonNum(sql(store), 'e.details', 'final')} = 0)`,
    )
    .all(since) as Array<{ probeId: number; eventId: number | null }>;
  return rows.map((r) => ({ probe: store.getProbe(r.probeId)!, pendingEventId: r.eventId }));
}

/** Phone and SMS probes that expect contact on shopper numbers (for callback attribution). */
export function probesWithShopperPhone(store: Store, since: number): ProbeRow[] {
  return (sql(store).statement(
      `SELECT id FROM probes WHERE shopper_phone IS NOT NULL AND status IN ('submitted', 'unknown') AND submitted_at IS NOT NULL
         AND submitted_at >= ? ORDER BY submitted_at, id`,
    )
    .all(since) as Array<{ id: number }>).map((r) => store.getProbe(r.id)!);
}

/** Human contacts (callbacks, texts, replies) already recorded for a probe, earliest first. */
export function humanContacts(store: Store, probeId: number): EventRow[] {
  return store.eventsForProbe(probeId).filter((e) => ['callback', 'sms-reply', 'human-reply'].includes(e.kind));
}
