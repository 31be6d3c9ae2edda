/**
 * Hand-built stores for the score and report tests: probes and events written through the
 * Store's own methods, the way the channel collectors write them, with known answers.
 */
import { join } from 'node:path';
import { fixedClock } from '../../src/clock.js';
import type { Directory } from '../../src/score/model.js';
import { DEFAULT_WEIGHTS, type ScoreSettings } from '../../src/score/settings.js';
import { Store } from '../../src/store/store.js';
import type { EventKind } from '../../src/store/types.js';

export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;
/** Submission time of the first run; "now" is ten days later. */
export const T0 = Date.UTC(2027, 2, 1, 14, 0);
export const NOW = T0 + 10 * DAY;
const DEFAULT_T0 = T0;

export const SETTINGS: ScoreSettings = {
  now: NOW,
  sla: {
    firstResponse: HOUR,
    humanResponse: DAY,
    callback: DAY,
    followUpAfter: DAY,
    followUpWindow: 7 * DAY,
    phoneAnswer: 30_000,
    holdPatience: 3 * MIN,
    waitWindow: 7 * DAY,
  },
  weights: { ...DEFAULT_WEIGHTS },
  campaign: 'Spring Knee Check',
};

export const DIRECTORY: Directory = {
  organization: 'Lakeside Health',
  sites: [
    { id: 'north', name: 'North Clinic', region: 'North', unit: 'Clinics', serviceLines: [{ id: 'ortho', name: 'Orthopedics' }, { id: 'cardio', name: 'Cardiology' }] },
    { id: 'lakeside', name: 'Lakeside Hospital', region: 'South', unit: 'Hospitals', serviceLines: [{ id: 'ortho', name: 'Orthopedics' }] },
  ],
};

export class Builder {
  readonly clock = fixedClock(T0);
  readonly store: Store;
  private n = 0;
  private runs = new Map<number, number>();
  constructor(dir: string, file = 'audit.db') {
    this.store = new Store(join(dir, file), this.clock);
  }

  run(n: number, at: number): number {
    this.clock.set(at);
    const id = this.store.startRun('run', 'configs/audit.yaml');
    this.store.finishRun(id, 'finished');
    this.runs.set(n, id);
    return id;
  }

  probe(
    key: string,
    o: {
      at: number;
      run?: number;
      status?: 'submitted' | 'not-sent' | 'rejected' | 'unknown';
      outcome?: string;
      phone?: boolean;
      error?: string;
      evidence?: Record<string, unknown>;
      /** As `run` stores them: the subject and the exact text sent. */
      details?: Record<string, unknown>;
    },
  ): number {
    const [siteId, serviceLineId, entryPointId] = key.split('/') as [string, string, string];
    const channel = entryPointId;
    this.clock.set(o.at);
    const runId = this.runs.get(o.run ?? 1) ?? this.run(o.run ?? 1, o.at);
    const p = this.store.createProbe({
      token: `tok${++this.n}x`,
      runId,
      entryKey: key,
      siteId,
      serviceLineId,
      entryPointId,
      channel,
      target: channel === 'email' ? `${serviceLineId}@${siteId}.example.org` : channel === 'phone' || channel === 'sms' ? '+13125550100' : `https://${siteId}.example.org/contact`,
      closesAt: o.at + 7 * DAY,
      shopperName: 'Jordan Avery',
      shopperEmail: `jordan+tok${this.n}x@example.net`,
      shopperPhone: o.phone ? '+13125550101' : null,
      inquiry: 'Hello, I would like an appointment.',
      ...(o.details ? { details: o.details } : {}),
    });
    const status = o.status ?? 'submitted';
    this.store.updateProbe(p.id, {
      status,
      outcome: o.outcome ?? (status === 'submitted' ? 'submitted' : null),
      submittedAt: status === 'submitted' ? o.at : null,
      error: o.error ?? null,
      ...(o.evidence ? { evidence: o.evidence } : {}),
    });
    return p.id;
  }

  event(
    probeId: number | null,
    kind: EventKind,
    at: number,
    o: {
      attribution?: 'exact' | 'likely' | 'ambiguous' | 'none';
      passAlong?: boolean;
      campaignAware?: boolean;
      followUp?: boolean;
      details?: Record<string, unknown>;
      excerpt?: string;
      sender?: string;
      subject?: string;
      reasons?: string[];
    } = {},
  ): void {
    const source = kind === 'call' || kind === 'callback' ? 'twilio-call' : kind === 'sms-reply' ? 'twilio-sms' : 'imap';
    const obs = this.store.addObservation({
      source,
      sourceId: `obs-${++this.n}`,
      occurredAt: at,
      timeSource: source === 'imap' ? 'internaldate' : 'twilio',
      sender: o.sender ?? (source === 'imap' ? 'frontdesk@north.example.org' : '+13125550190'),
      subject: o.subject ?? null,
      excerpt: o.excerpt ?? null,
    });
    this.store.upsertEvent({
      observationId: obs.id,
      probeId,
      kind,
      attribution: o.attribution ?? (probeId === null ? 'none' : 'exact'),
      occurredAt: at,
      passAlong: o.passAlong,
      campaignAware: o.campaignAware,
      followUp: o.followUp,
      reasons: o.reasons ?? [],
      details: o.details ?? {},
    });
  }

  call(probeId: number, at: number, d: Partial<CallDetails>): void {
    this.event(probeId, 'call', at, { details: { ...CALL_DEFAULTS, ...d } });
  }
}

export interface CallDetails {
  reached: boolean;
  status: string;
  answeredBy: 'human' | 'machine' | 'unknown';
  secondsToAnswer: number | null;
  secondsToHuman: number | null;
  secondsOnHold: number | null;
  gaveUp: boolean;
  ivrTranscript: string | null;
  ivrExpected: string[];
  ivrHeard: string[];
  ivrCampaignReady: boolean | null;
  recorded: boolean;
  recordingPending: boolean;
}

const CALL_DEFAULTS: CallDetails = {
  reached: true,
  status: 'completed',
  answeredBy: 'human',
  secondsToAnswer: 8,
  secondsToHuman: 8,
  secondsOnHold: 0,
  gaveUp: false,
  ivrTranscript: null,
  ivrExpected: [],
  ivrHeard: [],
  ivrCampaignReady: null,
  recorded: false,
  recordingPending: false,
};

/**
 * The scenario the score tests know the answers to (see score.test.ts for the arithmetic):
 * A  north/ortho/webform  callback expected; auto-ack +5 min, pass-along human reply +3 h, callback +20 h, follow-up +3 d
 * B  north/ortho/email    nothing at all for 10 days (never answered)
 * C  north/ortho/email    sent 2 h before now, nothing yet (pending)
 * D  north/ortho/phone    answered in 12 s, on hold 400 s, caller gave up; IVR without the campaign
 * E  north/cardio/webform not sent: CAPTCHA
 * F  lakeside/ortho/sms   unknown (submission unconfirmed), nothing back
 * G  lakeside/ortho/email campaign-aware human reply +30 min, no follow-up
 *    + an ambiguous callback on A (not scored) and an unattributed newsletter
 */
export function scenario(
  dir: string,
  o: { hostile?: boolean; t0?: number; file?: string; screenshot?: string } = {},
): { b: Builder; now: number; ids: Record<'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G', number> } {
  const hostile = o.hostile ?? false;
  const T0 = o.t0 ?? DEFAULT_T0;
  const NOW = T0 + 10 * DAY;
  const b = new Builder(dir, o.file);
  b.run(1, T0 - MIN);
  const A = b.probe('north/ortho/webform', { at: T0, phone: true, evidence: o.screenshot ? { screenshot: o.screenshot, url: 'https://north.example.org/thanks' } : {} });
  b.event(A, 'auto-ack', T0 + 5 * MIN, { excerpt: 'Thank you for contacting North Clinic. We received your message.', subject: 'We got your message' });
  b.event(A, 'human-reply', T0 + 3 * HOUR, {
    passAlong: true,
    reasons: ['points to another line, office or department'],
    subject: 'Re: Question about Orthopedics',
    sender: 'maria.lopez@north.example.org',
    excerpt: hostile
      ? 'Hi Jordan, <script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> please call our scheduling line at (312) 555-0199. <a href="javascript:window.__pwned=3">click</a> <svg onload="window.__pwned=4"><foreignObject><iframe src="https://evil.example.com/"></iframe></foreignObject></svg>\nBest regards,\nMaria Lopez\nScheduling coordinator\nmaria.lopez@north.example.org'
      : 'Hi Jordan, please call our scheduling line at (312) 555-0199 or write to schedule@north.example.org.\nBest regards,\nMaria Lopez\nScheduling coordinator',
  });
  b.event(A, 'callback', T0 + 20 * HOUR, { details: { voicemail: false } });
  b.event(A, 'human-reply', T0 + 3 * DAY, { followUp: true, excerpt: 'Just checking in: did you reach scheduling?' });
  b.event(A, 'callback', T0 + 2 * HOUR, { attribution: 'ambiguous', details: { voicemail: true } });
  const B = b.probe('north/ortho/email', { at: T0 });
  const C = b.probe('north/ortho/email', { at: NOW - 2 * HOUR });
  const D = b.probe('north/ortho/phone', { at: T0 + HOUR });
  b.call(D, T0 + HOUR, { secondsToAnswer: 12, secondsToHuman: null, secondsOnHold: 400, gaveUp: true, ivrExpected: ['spring knee'], ivrHeard: [], ivrCampaignReady: false, ivrTranscript: hostile ? 'Thanks for calling <b onmouseover=alert(1)>North</b>. Press 1.' : 'Thanks for calling North Clinic. Press 1 for appointments.' });
  const E = b.probe('north/cardio/webform', {
    at: T0,
    status: 'not-sent',
    outcome: 'blocked',
    error: 'the form is behind a CAPTCHA (reCAPTCHA)',
    // The page as the shopper found it: a screenshot of a form that was never submitted.
    ...(o.screenshot ? { evidence: { screenshot: o.screenshot, url: 'https://north.example.org/cardiology/contact' } } : {}),
  });
  const F = b.probe('lakeside/ortho/sms', { at: T0, status: 'unknown', outcome: 'timeout', error: 'no confirmation from the SMS API' });
  const G = b.probe('lakeside/ortho/email', { at: T0 });
  b.event(G, 'human-reply', T0 + 30 * MIN, {
    campaignAware: true,
    // Reasons as the classifier writes them, weights and sums included: the report must not show those.
    reasons: ["sent to the probe's address (token tok7x)", 'signals sum to -4; 2.5 or more means automatic', 'subject is a reply: points to a person (weight −2.3)'],
    excerpt: 'Yes, the Spring Knee Check is available at Lakeside. Call me at 312-555-0142. Dr. Ann Smith', sender: 'ann.smith@lakeside.example.org' });
  b.event(null, 'unattributed', T0 + DAY, { sender: 'news@example.com', subject: 'Newsletter' });
  b.clock.set(NOW);
  return { b, now: NOW, ids: { A, B, C, D, E, F, G } };
}

/** A real 2×2 PNG (red, green, blue, white), for screenshot evidence. */
export const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFElEQVR4nGP4z8DAAMIM/////w8AH+4F+7C4l8kAAAAASUVORK5CYII=',
  'base64',
);
