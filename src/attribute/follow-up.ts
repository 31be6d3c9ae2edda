/**
 * Follow-up flags: a human contact at least sla.followUpAfter after the first human contact
 * of the same probe, within sla.followUpWindow of submission. Recomputed for the whole probe
 * whenever a human contact is stored, because mail can be collected out of order (a Junk
 * folder swept later, a resync) and the "first" contact can change. Any channel's collector
 * may call this after storing a human-reply, callback or sms-reply event.
 */
import type { AuditConfig } from '../config/schema.js';
import { humanContacts, setEventFollowUp } from '../store/imap-queries.js';
import type { Store } from '../store/store.js';
import type { ProbeRow } from '../store/types.js';

export function recomputeFollowUps(store: Store, probe: ProbeRow, sla: Pick<AuditConfig['sla'], 'followUpAfter' | 'followUpWindow'>): number {
  const sent = probe.submittedAt ?? probe.submittingAt ?? probe.plannedAt;
  const human = humanContacts(store, probe.id);
  if (!human.length) return 0;
  const first = human.reduce((a, b) => (b.occurredAt < a.occurredAt ? b : a));
  let n = 0;
  for (const e of human) {
    const follow = e.id !== first.id && e.occurredAt - first.occurredAt >= sla.followUpAfter && e.occurredAt - sent <= sla.followUpWindow;
    if (follow !== e.followUp) setEventFollowUp(store, e.id, follow);
    if (follow) n++;
  }
  return n;
}
