/** Sandbox records → Twilio's JSON representations (2010-04-01), as the real API shapes them. */
import { createHash } from 'node:crypto';

export const API = '/2010-04-01';

let counter = 0;
/** A Twilio-shaped SID: two letters and 32 hex digits. */
export function sid(prefix: string, seed = ''): string {
  return prefix + createHash('sha256').update(`${prefix}:${seed}:${++counter}:${process.pid}`).digest('hex').slice(0, 32);
}

export function rfc2822(ms: number | null | undefined): string | null {
  if (ms === null || ms === undefined) return null;
  // "Tue, 31 Aug 2010 20:36:28 +0000"
  return new Date(ms).toUTCString().replace('GMT', '+0000');
}

export function formatted(n: string): string {
  const m = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(n);
  return m ? `(${m[1]}) ${m[2]}-${m[3]}` : n;
}

export interface SimCall {
  sid: string;
  direction: 'outbound-api' | 'inbound';
  from: string;
  to: string;
  createdAt: number;
  startTime: number;
  answerAt: number | null;
  endTime: number | null;
  /** The status once the call is over. */
  finalStatus: 'completed' | 'busy' | 'no-answer' | 'failed' | 'canceled';
  answeredBy: string | null;
  /** Fetches left that still show it in progress. */
  pendingPolls: number;
  phoneNumberSid: string | null;
  /** What the tool asked for (for assertions). */
  digits: string | null;
  record: boolean;
  timeout: number | null;
  timeLimit: number | null;
  machineDetection: string | null;
  twiml: string | null;
  /** api: Status=completed; caller: the caller's TwiML ended the call (<Hangup/>, a message left). */
  hungUpBy: 'line' | 'caller-time-limit' | 'api' | 'caller' | null;
  /** Requests Twilio made for the call (its Events subresource), offsets in ms after answer. */
  events: Array<{ at: number; method: string; url: string; parameters: Record<string, string>; status: number; contentType: string; body: string }>;
  /** What the caller said (<Say>), for assertions and the demo. */
  said: string[];
}

export function callEventJson(e: SimCall['events'][number]): Record<string, unknown> {
  return {
    request: { method: e.method, url: e.url, parameters: e.parameters },
    response: { response_code: e.status, request_duration: 40, content_type: e.contentType, response_body: e.body, date_created: rfc2822(e.at) },
  };
}

export function callJson(c: SimCall, accountSid: string, now: number): Record<string, unknown> {
  const inProgress = c.pendingPolls > 0;
  const answered = c.answerAt !== null;
  const status = inProgress ? (answered ? 'in-progress' : 'ringing') : c.finalStatus;
  const end = inProgress ? null : c.endTime;
  const duration = !inProgress && answered && end !== null ? Math.round((end - c.answerAt!) / 1000) : inProgress ? null : 0;
  const uri = `${API}/Accounts/${accountSid}/Calls/${c.sid}.json`;
  return {
    sid: c.sid,
    date_created: rfc2822(c.createdAt),
    date_updated: rfc2822(Math.max(c.createdAt, Math.min(now, end ?? now))),
    parent_call_sid: null,
    account_sid: accountSid,
    to: c.to,
    to_formatted: formatted(c.to),
    from: c.from,
    from_formatted: formatted(c.from),
    phone_number_sid: c.phoneNumberSid,
    status,
    start_time: rfc2822(c.startTime),
    end_time: rfc2822(end),
    duration: duration === null ? null : String(duration),
    price: !inProgress && duration ? (-0.014 * Math.ceil(duration / 60)).toFixed(5) : null,
    price_unit: 'USD',
    direction: c.direction,
    answered_by: c.answeredBy,
    api_version: '2010-04-01',
    forwarded_from: null,
    group_sid: null,
    caller_name: null,
    queue_time: '0',
    trunk_sid: null,
    uri,
    subresource_uris: {
      recordings: uri.replace('.json', '/Recordings.json'),
      notifications: uri.replace('.json', '/Notifications.json'),
      events: uri.replace('.json', '/Events.json'),
    },
  };
}

export interface SimRecording {
  sid: string;
  callSid: string;
  createdAt: number;
  startTime: number;
  seconds: number;
  pendingFetches: number;
  source: 'OutboundAPI' | 'RecordVerb';
  /** Renders the WAV on first media fetch. */
  media: () => Promise<Buffer>;
  transcript: string | null;
  transcriptionSid: string | null;
}

export function recordingJson(r: SimRecording, accountSid: string): Record<string, unknown> {
  const uri = `${API}/Accounts/${accountSid}/Recordings/${r.sid}.json`;
  return {
    account_sid: accountSid,
    api_version: '2010-04-01',
    call_sid: r.callSid,
    conference_sid: null,
    date_created: rfc2822(r.createdAt),
    date_updated: rfc2822(r.createdAt + r.seconds * 1000),
    start_time: rfc2822(r.startTime),
    duration: r.pendingFetches > 0 ? '-1' : String(Math.round(r.seconds)),
    sid: r.sid,
    price: null,
    price_unit: 'USD',
    status: r.pendingFetches > 0 ? 'processing' : 'completed',
    channels: 1,
    source: r.source,
    error_code: null,
    uri,
    encryption_details: null,
    subresource_uris: {
      add_on_results: uri.replace('.json', '/AddOnResults.json'),
      transcriptions: uri.replace('.json', '/Transcriptions.json'),
    },
    media_url: `https://api.twilio.com${API}/Accounts/${accountSid}/Recordings/${r.sid}`,
  };
}

export function transcriptionJson(r: SimRecording, accountSid: string): Record<string, unknown> {
  return {
    account_sid: accountSid,
    api_version: '2010-04-01',
    date_created: rfc2822(r.createdAt),
    date_updated: rfc2822(r.createdAt + r.seconds * 1000),
    duration: String(Math.round(r.seconds)),
    price: null,
    price_unit: 'USD',
    recording_sid: r.sid,
    sid: r.transcriptionSid,
    status: 'completed',
    transcription_text: r.transcript,
    type: 'fast',
    uri: `${API}/Accounts/${accountSid}/Transcriptions/${r.transcriptionSid}.json`,
  };
}

export interface SimMessage {
  sid: string;
  direction: 'outbound-api' | 'inbound';
  from: string;
  to: string;
  body: string;
  createdAt: number;
  sentAt: number;
  /** Shown once in the create response. */
  fresh: boolean;
}

export function messageJson(m: SimMessage, accountSid: string): Record<string, unknown> {
  const uri = `${API}/Accounts/${accountSid}/Messages/${m.sid}.json`;
  return {
    body: m.body,
    num_segments: String(Math.max(1, Math.ceil(m.body.length / 160))),
    direction: m.direction,
    from: m.from,
    to: m.to,
    date_updated: rfc2822(m.sentAt),
    price: m.direction === 'inbound' ? null : '-0.00790',
    error_message: null,
    uri,
    account_sid: accountSid,
    num_media: '0',
    status: m.direction === 'inbound' ? 'received' : m.fresh ? 'queued' : 'delivered',
    messaging_service_sid: null,
    sid: m.sid,
    date_sent: m.fresh ? null : rfc2822(m.sentAt),
    date_created: rfc2822(m.createdAt),
    error_code: null,
    price_unit: 'USD',
    api_version: '2010-04-01',
    subresource_uris: { media: uri.replace('.json', '/Media.json'), feedback: uri.replace('.json', '/Feedback.json') },
  };
}

export interface SimNumber {
  sid: string;
  phoneNumber: string;
  voiceUrl: string;
  createdAt: number;
}

export function numberJson(n: SimNumber, accountSid: string): Record<string, unknown> {
  return {
    account_sid: accountSid,
    address_sid: null,
    address_requirements: 'none',
    api_version: '2010-04-01',
    beta: false,
    capabilities: { voice: true, sms: true, mms: true, fax: false },
    date_created: rfc2822(n.createdAt),
    date_updated: rfc2822(n.createdAt),
    friendly_name: formatted(n.phoneNumber),
    identity_sid: null,
    phone_number: n.phoneNumber,
    origin: 'twilio',
    sid: n.sid,
    sms_application_sid: null,
    sms_fallback_method: 'POST',
    sms_fallback_url: '',
    sms_method: 'POST',
    sms_url: '',
    status_callback: '',
    status_callback_method: 'POST',
    trunk_sid: null,
    uri: `${API}/Accounts/${accountSid}/IncomingPhoneNumbers/${n.sid}.json`,
    voice_receive_mode: 'voice',
    voice_application_sid: null,
    voice_caller_id_lookup: false,
    voice_fallback_method: 'POST',
    voice_fallback_url: null,
    voice_method: 'POST',
    voice_url: n.voiceUrl,
    emergency_status: 'Inactive',
    emergency_address_sid: null,
    emergency_address_status: 'unregistered',
    bundle_sid: null,
    status: 'in-use',
  };
}

export function accountJson(accountSid: string, createdAt: number): Record<string, unknown> {
  const uri = `${API}/Accounts/${accountSid}.json`;
  return {
    auth_token: '[redacted]',
    date_created: rfc2822(createdAt),
    date_updated: rfc2822(createdAt),
    friendly_name: 'respond-audit sandbox',
    owner_account_sid: accountSid,
    sid: accountSid,
    status: 'active',
    subresource_uris: { calls: uri.replace('.json', '/Calls.json'), messages: uri.replace('.json', '/Messages.json') },
    type: 'Full',
    uri,
  };
}
