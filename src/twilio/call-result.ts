/**
 * A finished test call → the 'call' event: reached, answered by, seconds to answer, to a
 * person, on hold, gave up, what the IVR said. Used by the phone submitter right after the
 * call and by the Twilio collector for calls whose recording was still processing.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { analyseRecording, type RecordingAnalysis } from '../audio/analyse.js';
import type { LoadedConfig, ResolvedEntryPoint } from '../config/load.js';
import type { Store } from '../store/store.js';
import type { ProbeRow } from '../store/types.js';
import type { TwilioHandle } from './client.js';
import { phrasesHeard } from './phrases.js';
import { answerFromEvents, type CallAnswer, type CallEventLike, type SpeechMode } from './answer.js';

export const FINAL_CALL = new Set(['completed', 'busy', 'no-answer', 'failed', 'canceled']);

export interface CallPlan {
  digits: string;
  /** Seconds (Twilio TimeLimit): we hang up after this long from answer. */
  timeLimit: number;
  ringTimeout: number;
}

/** Ring + an allowance for the menu (a minute plus the digit waits) + the caller's patience. */
export function callPlanFor(loaded: LoadedConfig, entry: ResolvedEntryPoint): CallPlan {
  const t = loaded.config.channels.twilio!;
  const ep = entry.entryPoint;
  const digits = ep.type === 'phone' ? (ep.ivr?.digits ?? '') : '';
  const waits = [...digits].reduce((s, d) => s + (d === 'w' ? 0.5 : d === 'W' ? 1 : 0.2), 0);
  const ringTimeout = Math.ceil(t.ringTimeout / 1000);
  return { digits, ringTimeout, timeLimit: Math.ceil(ringTimeout + 60 + waits + loaded.config.sla.holdPatience / 1000) };
}

export function twimlFor(plan: CallPlan): string {
  // The digits go to the IVR as DTMF after answer; then we just listen until TimeLimit.
  const play = plan.digits ? `<Play digits="${plan.digits.replace(/[^0-9*#wW]/g, '')}"/>` : '';
  return `<Response>${play}<Pause length="${plan.timeLimit}"/></Response>`;
}

export interface CallFacts {
  sid: string;
  status: string;
  answeredBy: string | null;
  startTime: Date | null;
  endTime: Date | null;
  duration: string | null;
  dateCreated: Date;
}

export type AnsweredKind = 'human' | 'machine' | 'unknown';

export function answeredKind(a: string | null): AnsweredKind {
  if (a === 'human') return 'human';
  if (a && (a.startsWith('machine') || a === 'fax')) return 'machine';
  return 'unknown';
}

export interface CallDetails extends Record<string, unknown> {
  callSid: string;
  final: boolean;
  reached: boolean;
  status: string;
  answeredBy: AnsweredKind;
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
  durationSeconds: number | null;
  timeLimit: number;
  /** What could not be measured, in words, for the scorecard. */
  unmeasured: string[];
  /** Whether the call spoke (the inquiry when a person answered) or only listened, and why. */
  speech: SpeechMode | null;
  /** What the person who answered said, classified like a text reply (a speaking call). */
  answer: CallAnswer | null;
  /** Twilio keeps a call's events (the answer's words) only from 15 minutes after it ends. */
  answerPending: boolean;
}

export interface SettleInput {
  handle: TwilioHandle;
  store: Store;
  loaded: LoadedConfig;
  probe: ProbeRow;
  entry: ResolvedEntryPoint;
  callSid: string;
  /** Folder for evidence (the recording WAV). */
  artifactsDir?: string;
  /** The call as just fetched (saves a request). */
  call?: CallFacts;
  /** Did the call speak? (Default: what the probe's details say.) */
  speech?: SpeechMode;
}

export interface Settled {
  details: CallDetails;
  outcome: string;
  evidence?: Record<string, unknown>;
  eventId: number | null;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** Fetches what Twilio knows about the call now and stores the 'call' event (insert or update). */
export async function settleCall(i: SettleInput): Promise<Settled> {
  const { handle, loaded, entry } = i;
  const plan = callPlanFor(loaded, entry);
  const call: CallFacts = i.call ?? (await handle.client.calls(i.callSid).fetch());
  const final = FINAL_CALL.has(call.status);
  const duration = call.duration === null || call.duration === undefined ? null : Number(call.duration);
  const reached = final && call.status === 'completed' && (duration ?? 0) > 0;
  const start = call.startTime?.getTime() ?? call.dateCreated.getTime();
  const end = call.endTime?.getTime() ?? null;
  const secondsToAnswer = reached && end !== null ? Math.max(0, round1((end - start) / 1000 - duration!)) : null;
  const expected = entry.entryPoint.type === 'phone' ? (entry.entryPoint.ivr?.expect ?? []) : [];
  const recordWanted = loaded.config.channels.twilio?.record ?? false;
  const unmeasured: string[] = [];

  let analysis: RecordingAnalysis | null = null;
  let transcript: string | null = null;
  let recordingPending = false;
  let recorded = false;
  let evidence: Record<string, unknown> | undefined;
  if (reached && recordWanted) {
    const recs = await handle.client.recordings.list({ callSid: call.sid, limit: 5 });
    const rec = recs[0];
    if (!rec) unmeasured.push('no recording was made, so time to a person and hold time are unknown');
    else if (rec.status !== 'completed') recordingPending = true;
    else {
      const wav = await handle.fetchMedia(`${rec.mediaUrl}.wav`);
      if (!wav) recordingPending = true;
      else {
        recorded = true;
        analysis = analyseRecording(wav, {
          ivr: plan.digits.replace(/[wW]/g, '').length > 0,
          digitsDoneAt: digitsSeconds(plan.digits),
          cutAtLimit: duration !== null && duration >= plan.timeLimit - 2,
        });
        if (i.artifactsDir) evidence = { recording: saveWav(i.artifactsDir, i.probe.token, wav) };
        if (expected.length) {
          const trs = await handle.client.recordings(rec.sid).transcriptions.list({ limit: 5 });
          transcript = trs.find((t) => t.status === 'completed')?.transcriptionText ?? null;
          if (transcript === null) unmeasured.push('no transcription of the IVR, so the campaign message could not be checked');
        }
      }
    }
  } else if (reached) {
    unmeasured.push('recording is off (channels.twilio.record), so time to a person, hold time and the IVR message are not measured');
  }

  const speech = i.speech ?? ((i.probe.details as { speech?: SpeechMode }).speech ?? null);
  let answer: CallAnswer | null = null;
  let answerPending = false;
  if (reached && speech?.mode === 'speaks') {
    const events = (await handle.client.calls(call.sid).events.list({ limit: 100 })) as unknown as CallEventLike[];
    if (!events.length) answerPending = true;
    else answer = answerFromEvents(events, loaded, i.probe, entry);
  }
  if (speech?.mode === 'listens') unmeasured.push(`the call did not speak: ${speech.why}`);

  const kind = answeredKind(call.answeredBy);
  const hasIvr = plan.digits.replace(/[wW]/g, '').length > 0;
  // Answering-machine detection calls IVR menus machines too; only on a line without a menu
  // and without hold music does "machine" mean a voicemail box.
  const voicemailBox = reached && kind === 'machine' && !hasIvr && !(analysis && analysis.holdSeconds !== null);
  let secondsToHuman: number | null = null;
  if (analysis && analysis.humanAt !== null && !voicemailBox) secondsToHuman = round1((secondsToAnswer ?? 0) + analysis.humanAt);
  else if (!analysis && reached && kind === 'human' && !hasIvr) secondsToHuman = secondsToAnswer;
  // We hung up at our limit (TimeLimit) without a person: the caller gave up on hold.
  const gaveUp = reached && secondsToHuman === null && !voicemailBox && duration !== null && duration >= plan.timeLimit - 2;
  const ivrHeard = transcript !== null ? phrasesHeard(transcript, expected) : [];
  const details: CallDetails = {
    callSid: call.sid,
    final,
    reached,
    status: call.status,
    answeredBy: kind,
    secondsToAnswer,
    secondsToHuman,
    secondsOnHold: analysis?.holdSeconds ?? null,
    gaveUp,
    ivrTranscript: transcript,
    ivrExpected: expected,
    ivrHeard,
    ivrCampaignReady: expected.length && transcript !== null ? ivrHeard.length === expected.length : null,
    recorded,
    recordingPending,
    durationSeconds: duration,
    timeLimit: plan.timeLimit,
    unmeasured,
    speech,
    answer,
    answerPending,
    ...(analysis ? { audio: { segments: analysis.segments, seconds: analysis.seconds, why: analysis.why } } : {}),
  };
  const outcome = !final
    ? 'in-progress'
    : !reached
      ? call.status
      : secondsToHuman !== null
        ? 'answered'
        : voicemailBox
          ? 'voicemail'
          : gaveUp
            ? 'gave-up'
            : 'answered';
  const eventId = final ? storeCallEvent(i, call, start, details) : null;
  return { details, outcome, ...(evidence ? { evidence } : {}), eventId };
}

function storeCallEvent(i: SettleInput, call: CallFacts, start: number, details: CallDetails): number {
  const { store, probe } = i;
  return store.tx(() => {
    const obs = store.addObservation({
      source: 'twilio-call',
      sourceId: call.sid,
      occurredAt: start,
      timeSource: 'twilio',
      sender: probe.shopperPhone,
      recipient: probe.target,
      excerpt: details.ivrTranscript ? details.ivrTranscript.slice(0, 500) : null,
      data: { direction: 'outbound-api', status: call.status, answeredBy: call.answeredBy, duration: call.duration },
    });
    return store.upsertEvent({
      observationId: obs.id,
      probeId: probe.id,
      kind: 'call',
      attribution: 'exact',
      occurredAt: start,
      campaignAware: details.ivrCampaignReady === true || details.answer?.campaignAware === true,
      passAlong: details.answer?.passAlong === true,
      reasons: callReasons(details),
      details,
    });
  });
}

function callReasons(d: CallDetails): string[] {
  const r: string[] = [];
  if (!d.reached) r.push(`call ended ${d.status}`);
  if (d.secondsToAnswer !== null) r.push(`answered after ${d.secondsToAnswer}s (${d.answeredBy})`);
  if (d.secondsToHuman !== null) r.push(`a person spoke ${d.secondsToHuman}s into the call`);
  if (d.secondsOnHold !== null) r.push(`${Math.round(d.secondsOnHold)}s of hold music`);
  if (d.gaveUp) r.push(`hung up at the caller's patience limit (${d.timeLimit}s) without reaching a person`);
  if (d.ivrExpected.length && d.ivrTranscript !== null)
    r.push(d.ivrCampaignReady ? `IVR says ${d.ivrHeard.map((p) => `"${p}"`).join(', ')}` : `IVR does not say ${d.ivrExpected.filter((p) => !d.ivrHeard.includes(p)).map((p) => `"${p}"`).join(', ')}`);
  if (d.recordingPending) r.push('recording still processing; measured on the next collect');
  if (d.speech?.mode === 'listens') r.push(`did not speak: ${d.speech.why}`);
  if (d.speech?.voicemailLeft) r.push('left the inquiry and the call-back number on voicemail');
  if (d.answerPending) r.push("the answer's words are not available yet (Twilio keeps call events from 15 minutes after the call); read on the next collect");
  if (d.answer) r.push(...d.answer.reasons);
  return r;
}

function digitsSeconds(digits: string): number {
  return [...digits].reduce((s, d) => s + (d === 'w' ? 0.5 : d === 'W' ? 1 : 0.2), 0);
}

/** Saves a recording as evidence under artifacts/<token>/ and returns its path relative to the reports folder. */
export function saveWav(artifactsDir: string, token: string, wav: Buffer, name = 'call.wav'): string {
  const dir = join(artifactsDir, token.replace(/[^A-Za-z0-9_-]/g, '_'));
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name.replace(/[^A-Za-z0-9._-]/g, '_'));
  writeFileSync(file, wav);
  // Evidence paths are relative to the reports folder (artifactsDir's parent).
  return relative(join(artifactsDir, '..'), file);
}
