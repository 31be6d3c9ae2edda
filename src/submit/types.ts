/**
 * The contract between `run` and the channel submitters (webform, email, phone, sms).
 * `run` commits each probe as `submitting` before calling submit(); the submitter does the
 * one risky thing (click, SMTP DATA, call create) and reports what happened.
 */
import type { Adapters } from '../adapters.js';
import type { Clock } from '../clock.js';
import type { Inquiry } from '../config/inquiry.js';
import type { LoadedConfig, ResolvedEntryPoint } from '../config/load.js';
import type { Channel } from '../config/schema.js';
import type { Store } from '../store/store.js';
import type { ProbeRow } from '../store/types.js';

export interface ShopperIdentity {
  name: string;
  firstName: string;
  lastName: string;
  /** The plus-address carrying the probe's token. */
  email: string;
  /** The pool number assigned to this probe (E.164), when the config has a pool. */
  phone: string | null;
}

export interface ProbeJob {
  /** Already committed with status `submitting`. */
  probe: ProbeRow;
  target: ResolvedEntryPoint;
  shopper: ShopperIdentity;
  inquiry: Inquiry;
  /** Rendered from the inquiry template (placeholders filled). */
  /** `call`: what the shopper says when a person answers a test call. */
  message: { subject: string; body: string; sms: string; call?: string };
  /** ISO date (YYYY-MM-DD) for a preferred-date field. */
  preferredDate: string;
}

/**
 * submitted: the system accepted it. not-sent: nothing reached the organization (a CAPTCHA, the
 * page's own validation). rejected: it reached the organization's system, which refused it
 * (a web form's server answering with errors). unknown: it may have gone through.
 */
export type SubmitStatus = 'submitted' | 'not-sent' | 'rejected' | 'unknown';

export interface SubmitResult {
  status: SubmitStatus;
  /**
   * What happened, in one word: submitted, validation-error, rejected, blocked, unreachable, timeout,
   * refused (SMTP), busy, no-answer, failed, canceled, skipped …
   */
  outcome: string;
  /** The moment the system accepted it (default: the clock when submit() returned). */
  submittedAt?: number;
  messageId?: string;
  /** Call SID, message SID … */
  externalId?: string;
  error?: string;
  details?: Record<string, unknown>;
  /** Paths relative to the reports folder (screenshot, html, recording …). */
  evidence?: Record<string, unknown>;
}

export interface SubmitHooks {
  /**
   * Commit that the inquiry has left (e.g. a call was created) before doing anything slow
   * afterwards, so a crash later cannot lead to a second call.
   */
  confirmed(r: { submittedAt: number; messageId?: string; externalId?: string; details?: Record<string, unknown> }): void;
  /** Progress for the live display. */
  progress(text: string): void;
}

export interface SubmitterDeps {
  loaded: LoadedConfig;
  clock: Clock;
  env: Record<string, string | undefined>;
  /** Absolute folder for evidence (reports/artifacts). */
  artifactsDir: string;
  log: (text: string) => void;
  /** --debug lines (what is being asked of which server); absent when debugging is off. */
  debug?: (text: string) => void;
  signal: AbortSignal;
  /** The run's store (the phone channel records the call result as an event). */
  store?: Store;
  /** Fakes of the browser, SMTP transport or Twilio client (tests); absent, the real ones. */
  adapters?: Partial<Adapters>;
}

export interface Submitter {
  channel: Channel;
  submit(job: ProbeJob, hooks: SubmitHooks): Promise<SubmitResult>;
  close(): Promise<void>;
}

export type SubmitterFactory = (deps: SubmitterDeps) => Promise<Submitter>;
