/**
 * Each probe's timeline and evidence for the HTML report: the steps (submitted → auto-ack →
 * human reply → callback → follow-up), reply excerpts (redacted unless asked not to),
 * call facts and the form's screenshot as a data: URI when it is small. Reads the store and
 * the evidence files; the renderers get plain data.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { probeIssues } from '../score/findings.js';
import type { ProbeScore } from '../score/probe.js';
import type { ScoreSettings } from '../score/settings.js';
import { probeEvidence, probeTimelines, type ProbeEvidenceRow, type TimelineEvent } from '../store/report-queries.js';
import type { Store } from '../store/store.js';
import { redactAddress, redactExcerpt, redactText } from './redact.js';

export interface TimelineStep {
  kind: 'submitted' | 'not-sent' | 'auto-ack' | 'human-reply' | 'callback' | 'follow-up' | 'sms-reply' | 'call' | 'bounce' | 'stop-request' | 'other';
  label: string;
  at: number;
  /** ms after submission */
  after: number;
  attribution: string;
  from: string | null;
  subject: string | null;
  excerpt: string | null;
  notes: string[];
}

export interface ProbeView {
  id: number;
  token: string;
  siteId: string;
  serviceLineId: string;
  channel: string;
  entryKey: string;
  state: string;
  /** The inquiry went out (a form blocked by a CAPTCHA did not). */
  submitted: boolean;
  /** Where it went: the form's page, the inbox, the number. */
  target: string;
  /** The exact subject and text the shopper sent (null for a call, or a probe stored before they were kept). */
  subject: string | null;
  body: string | null;
  /** The phone menu path the call took ("ww2"), when the config gives one. */
  ivrDigits: string | null;
  sentAt: number;
  grade: number | null;
  issues: string[];
  steps: TimelineStep[];
  call: {
    reached: boolean;
    status: string | null;
    secondsToAnswer: number | null;
    secondsOnHold: number | null;
    gaveUp: boolean;
    ivrCampaignReady: boolean | null;
    ivrTranscript: string | null;
    recorded: boolean;
    /** Did the call speak the inquiry (null: a call placed before calls spoke)? Why not. */
    spoke: boolean | null;
    silentWhy: string | null;
    /** The answer of the person who picked up, as heard (a call that spoke). */
    answer: { words: string | null; asked: boolean; campaignAware: boolean; owned: boolean; passAlong: boolean } | null;
    answerPending: boolean;
  } | null;
  screenshot: string | null;
  /**
   * Recordings in the reports folder (checked WAVs): our test call's, voicemails left on
   * callbacks. For an unredacted report only (a recording cannot be redacted);
   * `recordingsWithheld` counts those left out.
   */
  recordings: Array<{ what: 'call' | 'voicemail'; at: number; path: string }>;
  recordingsWithheld: number;
  /** Whole transcripts (the phone menu's, voicemails left on callbacks), redacted like excerpts. */
  transcripts: Array<{ what: 'ivr' | 'voicemail'; at: number; text: string }>;
  /** Files written beside the report for this inquiry (set by writeEvidenceFiles), linked from the appendix. */
  files: Array<{ label: string; href: string; name: string }>;
  outcome: string | null;
  error: string | null;
}

export interface EvidenceOptions {
  redact: boolean;
  /** evidence.screenshot paths are relative to this folder (reports/). */
  reportsDir: string;
  /** Screenshots larger than this are linked by name only, not embedded. */
  maxScreenshotBytes?: number;
  /** The keys each phone entry point presses in its menu (entryKey → "ww2"), from the config. */
  ivrDigits?: ReadonlyMap<string, string>;
  /** At most this many probes per site (the most recent). */
  perSite?: number;
  excerptChars?: number;
}

const STEP_LABEL: Record<string, string> = {
  'auto-ack': 'automatic acknowledgement',
  'human-reply': 'reply from a person',
  'sms-reply': 'text reply',
  callback: 'callback',
  call: 'our test call',
  bounce: 'bounce',
  'stop-request': 'asked to stop',
};

export function probeViews(store: Store, scores: readonly ProbeScore[], s: ScoreSettings, o: EvidenceOptions): ProbeView[] {
  const perSite = o.perSite ?? 40;
  const bySite = new Map<string, ProbeScore[]>();
  for (const p of scores) {
    const l = bySite.get(p.facts.siteId) ?? [];
    l.push(p);
    bySite.set(p.facts.siteId, l);
  }
  const chosen: ProbeScore[] = [];
  for (const list of bySite.values()) chosen.push(...list.sort((a, b) => b.facts.sentAt - a.facts.sentAt || b.facts.id - a.facts.id).slice(0, perSite));
  const ids = chosen.map((p) => p.facts.id);
  const timelines = probeTimelines(store, ids);
  const evidence = probeEvidence(store, ids);
  return chosen
    .sort((a, b) => a.facts.entryKey.localeCompare(b.facts.entryKey) || a.facts.sentAt - b.facts.sentAt || a.facts.id - b.facts.id)
    .map((p) => view(p, timelines.get(p.facts.id) ?? [], evidence.get(p.facts.id), s, o));
}

function view(p: ProbeScore, events: TimelineEvent[], ev: ProbeEvidenceRow | undefined, s: ScoreSettings, o: EvidenceOptions): ProbeView {
  const f = p.facts;
  const text = (t: string | null) => (t === null ? null : o.redact ? redactText(t) : t);
  const submitted = p.state !== 'not-sent';
  const steps: TimelineStep[] = [
    submitted
      ? { kind: 'submitted', label: f.channel === 'phone' ? 'call placed' : 'inquiry submitted', at: f.sentAt, after: 0, attribution: 'exact', from: null, subject: null, excerpt: null, notes: [] }
      : { kind: 'not-sent', label: notSentLabel(f.outcome, f.error, f.status), at: f.sentAt, after: 0, attribution: 'exact', from: null, subject: null, excerpt: null, notes: [] },
  ];
  let callDetails: Record<string, unknown> | null = null;
  const transcripts: ProbeView['transcripts'] = [];
  const recordings: ProbeView['recordings'] = [];
  let recordingsWithheld = 0;
  const recordingFrom = (what: 'call' | 'voicemail', at: number, path: unknown) => {
    const full = wavInside(path, o);
    if (!full) return;
    if (o.redact) recordingsWithheld++;
    else recordings.push({ what, at, path: full });
  };
  recordingFrom('call', f.sentAt, ev?.evidence?.recording);
  for (const e of events) {
    if (e.kind === 'unattributed') continue;
    if (e.kind === 'call') {
      callDetails = e.details;
      if (typeof e.details.ivrTranscript === 'string' && e.details.ivrTranscript) transcripts.push({ what: 'ivr', at: e.occurredAt, text: text(clip(e.details.ivrTranscript, 50_000))! });
      continue;
    }
    if (e.kind === 'callback' && typeof e.details.transcript === 'string' && e.details.transcript)
      transcripts.push({ what: 'voicemail', at: e.occurredAt, text: text(clip(e.details.transcript, 50_000))! });
    if (e.kind === 'callback') recordingFrom('voicemail', e.occurredAt, e.details.recording);
    const kind: TimelineStep['kind'] = e.followUp ? 'follow-up' : ((STEP_LABEL[e.kind] ? e.kind : 'other') as TimelineStep['kind']);
    const notes: string[] = [];
    if (e.review) notes.push(`${e.review} by hand${e.review === 'corrected' ? classifierSaid(e.details) : ''}`);
    else if (e.needsReview) notes.push('needs review: the classifier was unsure');
    if (e.attribution !== 'exact') notes.push(`matched: ${e.attribution}`);
    if (e.passAlong) notes.push('passed along');
    if (e.campaignAware) notes.push('knows the campaign');
    if (e.kind === 'callback' && e.details.voicemail) notes.push('left a voicemail');
    for (const r of readerReasons(e.reasons).slice(0, 4)) notes.push(text(r)!);
    const excerpt = e.excerpt ? clip(redactExcerpt(e.excerpt, o.redact), o.excerptChars ?? 600) : null;
    steps.push({
      kind,
      label: e.followUp ? 'follow-up' : STEP_LABEL[e.kind] ?? e.kind,
      at: e.occurredAt,
      after: e.occurredAt - f.sentAt,
      attribution: e.attribution,
      from: e.sender === null ? null : o.redact ? redactText(redactAddress(e.sender)) : e.sender,
      subject: text(e.subject),
      excerpt,
      notes,
    });
  }
  const c = f.call;
  return {
    id: f.id,
    token: ev?.token ?? '',
    siteId: f.siteId,
    serviceLineId: f.serviceLineId,
    channel: f.channel,
    entryKey: f.entryKey,
    // A submission the site refused is scored as not tested, and shown for what it was.
    state: f.status === 'rejected' ? 'rejected' : p.state,
    submitted,
    target: ev?.target ?? '',
    subject: typeof ev?.details?.subject === 'string' ? ev.details.subject : null,
    body: typeof ev?.details?.body === 'string' ? clip(ev.details.body, 4000) : null,
    ivrDigits: o.ivrDigits?.get(f.entryKey) ?? null,
    sentAt: f.sentAt,
    grade: p.grade,
    issues: probeIssues(p, s).map((i) => i.text),
    steps,
    call: c
      ? {
          reached: c.reached,
          status: c.status,
          secondsToAnswer: c.secondsToAnswer,
          secondsOnHold: c.secondsOnHold,
          gaveUp: c.gaveUp,
          ivrCampaignReady: c.ivrCampaignReady,
          ivrTranscript: typeof callDetails?.ivrTranscript === 'string' ? clip(text(callDetails.ivrTranscript)!, o.excerptChars ?? 600) : null,
          recorded: c.recorded,
          ...spokenCall(callDetails, text, o.excerptChars ?? 600),
        }
      : null,
    screenshot: screenshotUri(ev?.evidence?.screenshot, o),
    recordings,
    recordingsWithheld,
    transcripts,
    files: [],
    outcome: f.outcome,
    error: f.error === null ? null : clip(text(f.error)!, 300),
  };
}

/** What the call said and heard (details of the 'call' event). */
function spokenCall(d: Record<string, unknown> | null, text: (t: string | null) => string | null, max: number) {
  const speech = d?.speech as { mode?: string; why?: string } | null | undefined;
  const a = d?.answer as { words?: string | null; asked?: boolean; campaignAware?: boolean; owned?: boolean; passAlong?: boolean } | null | undefined;
  return {
    spoke: speech?.mode === 'speaks' ? true : speech?.mode === 'listens' ? false : null,
    silentWhy: speech?.mode === 'listens' && typeof speech.why === 'string' ? speech.why : null,
    answer: a
      ? {
          words: typeof a.words === 'string' ? clip(text(a.words)!, max) : null,
          asked: a.asked === true, campaignAware: a.campaignAware === true, owned: a.owned === true, passAlong: a.passAlong === true,
        }
      : null,
    answerPending: d?.answerPending === true,
  };
}

/** What a blocked or refused form's timeline starts with: never "inquiry submitted". */
function notSentLabel(outcome: string | null, error: string | null, status?: string): string {
  if (status === 'rejected') return `submitted, but the site refused it${error ? `: ${error.replace(/^the site refused the submission(?: \(HTTP \d+\))?: /, '')}` : ''}`;
  if (outcome === 'blocked' || /captcha/i.test(`${outcome ?? ''} ${error ?? ''}`)) return 'form opened, not submitted: a CAPTCHA blocked it';
  return `not sent${outcome ? ` (${outcome})` : ''}`;
}

/**
 * The classifier's reasons in a reader's words: its weights and sums are for `explain`, not
 * for a client ("signals sum to -4; 2.5 or more means automatic" is dropped, "(weight −2.3)"
 * cut), and "probe" is what we call a test inquiry inside the tool.
 */
export function readerReasons(reasons: readonly string[]): string[] {
  return reasons
    .filter((r) => !/\bsum(?:s|med)? to\b|\bor more means\b|\bthreshold\b/i.test(r))
    .map((r) =>
      r
        .replace(/\s*\((?:weight|score|logit)[^)]*\)/gi, '')
        .replace(/\bprobes\b/gi, 'test inquiries')
        .replace(/\bprobe\b/gi, 'test inquiry')
        .replace(/\bthe test inquiry's\b/gi, "the test inquiry's"),
    );
}

/** "(the classifier said: automatic acknowledgement, pass-along)" from an event's details.classifier. */
function classifierSaid(details: Record<string, unknown>): string {
  const v = details['classifier'] as { kind?: unknown; passAlong?: unknown; campaignAware?: unknown } | undefined;
  if (!v || typeof v.kind !== 'string') return '';
  const kind = v.kind === 'human' ? 'reply from a person' : (STEP_LABEL[v.kind] ?? v.kind);
  return ` (the classifier said: ${[kind, v.passAlong === true && 'pass-along', v.campaignAware === true && 'knows the campaign'].filter(Boolean).join(', ')})`;
}

function clip(t: string, n: number): string {
  return t.length > n ? t.slice(0, n - 1) + '…' : t;
}

/** A path from the store resolved inside the reports folder, or null (a tampered path cannot make us read elsewhere). */
function insideReports(path: unknown, o: EvidenceOptions): string | null {
  if (typeof path !== 'string' || !path || path.includes('\0')) return null;
  const full = resolve(o.reportsDir, path);
  const rel = relative(o.reportsDir, full);
  return !rel || rel.startsWith('..') || isAbsolute(rel) ? null : full;
}

/** The full path of a recording, when it is a real WAV file (RIFF … WAVE) inside the reports folder. */
function wavInside(path: unknown, o: EvidenceOptions): string | null {
  const full = insideReports(path, o);
  if (!full) return null;
  try {
    if (!statSync(full).isFile()) return null;
    const head = Buffer.alloc(12);
    const fd = openSync(full, 'r');
    try {
      if (readSync(fd, head, 0, 12, 0) < 12) return null;
    } finally {
      closeSync(fd);
    }
    return head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WAVE' ? full : null;
  } catch {
    return null;
  }
}

const PNG = [0x89, 0x50, 0x4e, 0x47];
const JPEG = [0xff, 0xd8, 0xff];

/**
 * A screenshot as a data: URI, only when it is a real PNG/JPEG inside the reports folder and
 * small enough. The path comes from the store; a tampered path cannot make us read elsewhere.
 */
export function screenshotUri(path: unknown, o: EvidenceOptions): string | null {
  const full = insideReports(path, o);
  if (!full) return null;
  try {
    const st = statSync(full);
    if (!st.isFile() || st.size > (o.maxScreenshotBytes ?? 400_000)) return null;
    const buf = Buffer.alloc(st.size);
    const fd = openSync(full, 'r');
    try {
      readSync(fd, buf, 0, st.size, 0);
    } finally {
      closeSync(fd);
    }
    const mime = PNG.every((b, i) => buf[i] === b) ? 'image/png' : JPEG.every((b, i) => buf[i] === b) ? 'image/jpeg' : null;
    return mime ? `data:${mime};base64,${buf.toString('base64')}` : null;
  } catch {
    return null;
  }
}
