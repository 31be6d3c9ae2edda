/**
 * The contract between `collect` and the collectors (IMAP, Twilio logs). A collector fetches
 * what is new since its cursor, stores observations, attributes and classifies them into
 * events, and advances its cursor in the same transaction as what the cursor covers.
 */
import type { Adapters } from '../adapters.js';
import type { Clock } from '../clock.js';
import type { LoadedConfig } from '../config/load.js';
import type { Store } from '../store/store.js';

export interface CollectDeps {
  loaded: LoadedConfig;
  store: Store;
  clock: Clock;
  env: Record<string, string | undefined>;
  log: (text: string) => void;
  /** --debug lines (what is being asked of which server); absent when debugging is off. */
  debug?: (text: string) => void;
  signal: AbortSignal;
  /** Fakes of the IMAP or Twilio client (tests); absent, the real ones. */
  adapters?: Partial<Adapters>;
}

export interface CollectStats {
  source: string;
  /** Items looked at. */
  fetched: number;
  /** Observations stored for the first time. */
  added: number;
  attributed: number;
  unattributed: number;
  events: number;
  /** Things known but not ready yet (e.g. recordings still processing). */
  pending: number;
  notes: string[];
}

export interface Collector {
  name: string;
  collectOnce(): Promise<CollectStats>;
  /** Keep collecting until `until` (epoch ms) or the signal aborts; report each round. */
  watch?(until: number, onRound: (s: CollectStats) => void): Promise<void>;
  close(): Promise<void>;
}

export type CollectorFactory = (deps: CollectDeps) => Promise<Collector>;

export function emptyStats(source: string): CollectStats {
  return { source, fetched: 0, added: 0, attributed: 0, unattributed: 0, events: 0, pending: 0, notes: [] };
}
