/**
 * What alerts read and write (migration 6): the last state notified per channel and subject.
 * Callers write only after a successful send, in one transaction.
 */
import { sql } from './connection.js';
import type { Store } from './store.js';

export interface NotifiedState {
  subject: string;
  state: string;
  /** A grade, for grade subjects; null otherwise. */
  value: number | null;
}

export function notifiedStates(store: Store, channel: string): Map<string, NotifiedState> {
  const rows = sql(store).statement('SELECT subject, state, value FROM notify_state WHERE channel = ?').all(channel) as NotifiedState[];
  return new Map(rows.map((r) => [r.subject, r]));
}

/** Replaces the channel's states with `states` (subjects not listed are forgotten). */
export function recordNotified(store: Store, channel: string, states: readonly NotifiedState[], at: number): void {
  store.tx(() => {
    sql(store).statement('DELETE FROM notify_state WHERE channel = ?').run(channel);
    const insert = sql(store).statement('INSERT INTO notify_state (channel, subject, state, value, updated_at) VALUES (?, ?, ?, ?, ?)');
    for (const s of states) insert.run(channel, s.subject, s.state, s.value, at);
  });
}
