/**
 * What the planner needs to know about the past, behind an interface so that `run` reads it
 * from the store and `plan` simulates weeks ahead in memory with the same rules.
 */
import type { Store } from '../store/store.js';
import type { PastProbe } from '../store/types.js';
import { listPlanningProbes } from '../store/plan-queries.js';

/** How far back the planner reads probe history: the longest window caps and cadence look at. */
export const HISTORY_LOOKBACK_MS = 2 * 86_400_000;

/** A past probe as planning sees it (a row type of the store). */
export type { PastProbe } from '../store/types.js';

export interface PlanHistory {
  /** Probes planned since `since` (epoch ms), oldest first, excluding those never sent. */
  probesSince(since: number): PastProbe[];
  /** The latest sent (or possibly sent) probe per entry point. */
  lastByEntry(): Map<string, PastProbe>;
  /** Probes still waiting for replies at `now`. */
  openAt(now: number): PastProbe[];
  /** Scopes (`site:<id>`, `entry:<key>`) someone asked us to stop contacting. */
  suppressedScopes(): Set<string>;
}

export function isOpenAt(p: PastProbe, now: number): boolean {
  if (p.status === 'not-sent' || p.status === 'rejected') return false;
  if (p.closedAt !== null && p.closedAt <= now) return false;
  return p.closesAt === null || p.closesAt > now;
}

export class StoreHistory implements PlanHistory {
  private all: PastProbe[];
  private scopes: Set<string>;
  constructor(store: Store, since: number) {
    this.all = listPlanningProbes(store, since);
    this.scopes = new Set(store.suppressions().map((s) => s.scope));
  }
  probesSince(since: number) {
    return this.all.filter((p) => p.plannedAt > since);
  }
  lastByEntry() {
    const m = new Map<string, PastProbe>();
    for (const p of this.all) m.set(p.entryKey, p);
    return m;
  }
  openAt(now: number) {
    return this.all.filter((p) => isOpenAt(p, now));
  }
  suppressedScopes() {
    return this.scopes;
  }
}

/** In-memory history for simulations (`plan`) and tests. */
export class MemoryHistory implements PlanHistory {
  constructor(
    readonly all: PastProbe[] = [],
    readonly scopes = new Set<string>(),
  ) {}
  add(p: PastProbe) {
    this.all.push(p);
  }
  probesSince(since: number) {
    return this.all.filter((p) => p.plannedAt > since);
  }
  lastByEntry() {
    const m = new Map<string, PastProbe>();
    for (const p of [...this.all].sort((a, b) => a.plannedAt - b.plannedAt)) m.set(p.entryKey, p);
    return m;
  }
  openAt(now: number) {
    return this.all.filter((p) => isOpenAt(p, now));
  }
  suppressedScopes() {
    return this.scopes;
  }
}
