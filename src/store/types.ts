/** Row shapes of the store, as the rest of the program sees them (camelCase, parsed JSON). */
/** `rejected`: a web form's request reached the site, which refused it (see SubmitStatus). */
export type ProbeStatus = 'planned' | 'submitting' | 'submitted' | 'not-sent' | 'rejected' | 'unknown';

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

/** What the classifier read of a reply, kept for `reclassify` (migration 5). */
export interface KeptMail {
  headerBlock: string;
  parts: Array<{ type: string; text: string }>;
}

/** What a person said a reply is: a verdict kind, or that it answers no inquiry of ours. */
export type CorrectedKind = 'auto-ack' | 'human' | 'bounce' | 'not-a-reply';

/** The classifier's verdict on an event and where it was attributed (kept in details.classifier once a person corrects it). */
export interface ClassifierVerdict {
  /** The event kind the classifier's verdict gave: auto-ack, human-reply, bounce, or unattributed. */
  eventKind: EventKind;
  /** auto-ack, human or bounce (for an unattributed event: what the classifier said of it). */
  kind: 'auto-ack' | 'human' | 'bounce' | null;
  passAlong: boolean;
  campaignAware: boolean;
  probeId: number | null;
  attribution: Attribution;
}

/** One row of the corrections log; the latest of an observation stands (unless it is a 'clear'). */
export interface CorrectionRow {
  id: number;
  observationId: number;
  probeId: number | null;
  action: 'correct' | 'confirm' | 'clear';
  kind: CorrectedKind | null;
  passAlong: boolean | null;
  campaignAware: boolean | null;
  note: string | null;
  reviewer: string | null;
  at: number;
  classifier: ClassifierVerdict;
}
