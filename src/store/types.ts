/** Row shapes of the store, as the rest of the program sees them (camelCase, parsed JSON). */
export type ProbeStatus = 'planned' | 'submitting' | 'submitted' | 'not-sent' | 'unknown';

export interface RunRow {
  id: number;
  kind: string;
  configPath: string;
  startedAt: number;
  finishedAt: number | null;
  status: string;
  dryRun: boolean;
  pid: number | null;
  summary: Record<string, unknown> | null;
}

export interface ProbeRow {
  id: number;
  token: string;
  runId: number;
  entryKey: string;
  siteId: string;
  serviceLineId: string;
  entryPointId: string;
  channel: string;
  target: string;
  status: ProbeStatus;
  outcome: string | null;
  plannedAt: number;
  submittingAt: number | null;
  submittedAt: number | null;
  closesAt: number | null;
  closedAt: number | null;
  shopperName: string | null;
  shopperEmail: string | null;
  shopperPhone: string | null;
  inquiry: string | null;
  variant: number | null;
  messageId: string | null;
  externalId: string | null;
  error: string | null;
  details: Record<string, unknown> | null;
  evidence: Record<string, unknown> | null;
}

export type ObservationSource = 'imap' | 'twilio-call' | 'twilio-sms' | 'twilio-recording';

export interface ObservationInput {
  source: ObservationSource;
  /** Unique within the source (Message-ID + mailbox identity; a call or message SID). */
  sourceId: string;
  /** The timestamp recorded by the system involved (INTERNALDATE, Twilio's start time). */
  occurredAt: number;
  timeSource: 'internaldate' | 'date-header' | 'twilio' | 'recorded';
  clockSkewMs?: number | null;
  sender?: string | null;
  recipient?: string | null;
  subject?: string | null;
  messageId?: string | null;
  inReplyTo?: string | null;
  refs?: string | null;
  excerpt?: string | null;
  data?: Record<string, unknown> | null;
  /** Nothing could be matched to it and no event says more (see migration 3). */
  unmatched?: boolean;
}

/** What addUnmatchedMail stores: an observation's columns, none optional, `data` as JSON text. */
export interface UnmatchedMailInput {
  source: ObservationSource;
  sourceId: string;
  occurredAt: number;
  timeSource: ObservationInput['timeSource'];
  clockSkewMs: number | null;
  sender: string | null;
  recipient: string | null;
  subject: string | null;
  messageId: string | null;
  inReplyTo: string | null;
  refs: string | null;
  dataJson: string;
}

export interface ObservationRow extends Required<Omit<ObservationInput, 'data' | 'unmatched'>> {
  id: number;
  collectedAt: number;
  data: Record<string, unknown> | null;
}

export type EventKind =
  | 'auto-ack'
  | 'human-reply'
  | 'bounce'
  | 'callback'
  | 'voicemail'
  | 'sms-reply'
  | 'call'
  | 'stop-request'
  | 'unattributed';

export type Attribution = 'exact' | 'likely' | 'ambiguous' | 'none';

export interface EventInput {
  observationId: number;
  probeId: number | null;
  kind: EventKind;
  attribution: Attribution;
  occurredAt: number;
  passAlong?: boolean;
  campaignAware?: boolean;
  followUp?: boolean;
  reasons?: string[];
  details?: Record<string, unknown>;
}

export interface EventRow extends Required<EventInput> {
  id: number;
}

/** A past probe as the planner sees it (planning history). */
export interface PastProbe {
  entryKey: string;
  siteId: string;
  channel: string;
  status: string;
  plannedAt: number;
  closesAt: number | null;
  closedAt: number | null;
  variant: number | null;
  shopperName: string | null;
  shopperPhone: string | null;
  token: string;
  /** Estimated cost (USD) recorded when it was planned. */
  estCost: number;
}
