/** Queries the planner needs (cadence, caps, open probes, rotation). */
import { sql } from './connection.js';
import { jsonNum } from './dialect.js';
import type { PastProbe } from './types.js';
import type { Store } from './store.js';

/**
 * Every probe planned since `since`, plus the latest probe of each entry point whatever its
 * age (cadence needs it), oldest first. Probes never sent do not count.
 */
export function listPlanningProbes(store: Store, since: number): PastProbe[] {
  const rows = sql(store).statement(
      `SELECT entry_key AS "entryKey", site_id AS "siteId", channel, status, planned_at AS "plannedAt", closes_at AS "closesAt",
              closed_at AS "closedAt", variant, shopper_name AS "shopperName", shopper_phone AS "shopperPhone", token,
              COALESCE(${jsonNum(sql(store), 'details', 'estCost')}, 0) AS "estCost"
       FROM probes
       WHERE status != 'not-sent' AND (planned_at >= ? OR id IN (SELECT MAX(id) FROM probes WHERE status != 'not-sent' GROUP BY entry_key)
              OR (closed_at IS NULL AND status IN ('submitted', 'unknown', 'submitting')))
       ORDER BY planned_at, id`,
    )
    .all(since) as PastProbe[];
  return rows;
}
