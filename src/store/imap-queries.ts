/** Queries the email side (IMAP collector, attribution, status) needs beyond store.ts. */
import { sql } from './connection.js';
import type { ProbeRow } from './types.js';
import type { Store } from './store.js';

/** The first moment any probe started: mail older than that cannot answer one. */
export function earliestProbeStart(store: Store): number | null {
  const r = sql(store).statement("SELECT MIN(COALESCE(submitting_at, planned_at)) AS t FROM probes WHERE status != 'planned'").get() as { t: number | null };
  return r.t;
}

/** Message-IDs compare case-insensitively here (some relays change case). */
export function probeByMessageIdAnyCase(store: Store, messageId: string): ProbeRow | undefined {
  const r = sql(store).statement('SELECT id FROM probes WHERE lower(message_id) = lower(?) LIMIT 1').get(messageId) as { id: number } | undefined;
  return r ? store.getProbe(r.id) : undefined;
}

/** A probe's human contacts (reply, callback, text), with just what follow-up flags need. */
export function humanContacts(store: Store, probeId: number): Array<{ id: number; occurredAt: number; followUp: boolean }> {
  const rows = sql(store)
    .statement("SELECT id, occurred_at, follow_up FROM events WHERE probe_id = ? AND kind IN ('human-reply', 'callback', 'sms-reply') ORDER BY occurred_at, id")
    .raw()
    .all(probeId) as Array<[number, number, number]>;
  return rows.map(([id, occurredAt, followUp]) => ({ id, occurredAt, followUp: followUp === 1 }));
}

export function setEventFollowUp(store: Store, eventId: number, followUp: boolean): void {
  sql(store).statement('UPDATE events SET follow_up = ? WHERE id = ?').run(followUp ? 1 : 0, eventId);
}

/** Probes that were sent (or may have been) to a site and can still receive replies at `at`. */
export function probesAwaitingAt(store: Store, siteId: string, at: number): ProbeRow[] {
  const rows = sql(store).statement(
      `SELECT id FROM probes WHERE site_id = ? AND status IN ('submitted', 'unknown')
         AND COALESCE(submitted_at, submitting_at) <= ? AND (closes_at IS NULL OR closes_at >= ?) ORDER BY id`,
    )
    .all(siteId, at, at) as Array<{ id: number }>;
  return rows.map((r) => store.getProbe(r.id)!);
}

/** Observation counts by source and mailbox (status, the bench). */
export function observationCount(store: Store, source = 'imap'): number {
  return (sql(store).statement('SELECT COUNT(*) AS n FROM observations WHERE source = ?').get(source) as { n: number }).n;
}
