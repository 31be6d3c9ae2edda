/**
 * What the simulated phone lines do. A scenario is data (the demo and the tests write it);
 * `outboundTimeline` turns one call to a line into what the caller hears, second by second.
 */
import type { MusicStyle, Part } from '../../audio/render.js';

export type AnsweredBy = 'human' | 'machine_start' | 'machine_end_beep' | 'unknown';

export interface LineScript {
  /** What picks up. Default: `ivr` when `ivr` is set, else `person`. */
  answer?: 'person' | 'ivr' | 'busy' | 'no-answer' | 'voicemail' | 'failed';
  /** Seconds of ringing before it picks up (longer than the caller's ring timeout = no answer). */
  ringSeconds?: number;
  ivr?: {
    /** The recorded menu (espeak-ng speaks it into the recording; Transcriptions return it). */
    prompt: string;
    /** Digits the menu needs (waits ignored); other digits get "not a valid choice" and a hang-up. */
    digits?: string;
  };
  /** Seconds of hold music after the menu, before a person answers. */
  holdSeconds?: number;
  holdMusic?: MusicStyle;
  /** Played between stretches of hold music, every `announceEvery` seconds. */
  holdAnnouncement?: string;
  announceEvery?: number;
  /** The person's first words. */
  greeting?: string;
  voicemailGreeting?: string;
  /** How the person who answers responds when the caller asks (a call that speaks). Default uninformed. */
  agent?: AgentScript;
  /** Overrides what answering-machine detection reports. */
  answeredBy?: AnsweredBy;
  /** A text back after an SMS to this number (ms after it arrived; from the line unless `from`). */
  textReply?: { after: number; body: string; from?: string };
  /** A call back to the caller after a call or text to this number. */
  callback?: InboundCallSpec & { after: number };
  /** Fetches of the call that still show it in progress (default 1: "a couple of polls"). */
  pollsUntilFinal?: number;
  /** Fetches of the recording that show it `processing` before it is `completed`. */
  recordingPendingFetches?: number;
}

/**
 * The person at the front desk: campaign-aware (knows the offer and books), uninformed (does
 * not know it, asks what was meant), pass-along (sends the caller to another line), silent.
 */
export interface AgentScript {
  kind: 'campaign-aware' | 'uninformed' | 'pass-along' | 'silent';
  /** Replaces the scripted words. */
  reply?: string;
  /** The number a pass-along gives (default +13125550199). */
  number?: string;
}

export interface InboundCallSpec {
  /** Caller ID (default: the line's own number). */
  from?: string;
  /** How long the call lasted, seconds (default 40; 0 = missed). */
  seconds?: number;
  /** Words left on the shopper's voicemail (a recording on the inbound call). */
  voicemail?: string;
}

export interface SandboxTwilioScenario {
  /** Lines the tool may call or text, by E.164 number. */
  lines?: Record<string, LineScript>;
  /** What an unknown number does (default: rings out). */
  defaultLine?: LineScript;
  /**
   * The account's own numbers (shopper numbers). `voicemail: false` leaves the voice URL
   * empty (doctor flags it). Default: every `from` the tool uses is accepted.
   */
  numbers?: Array<{ phoneNumber: string; voicemail?: boolean; voiceUrl?: string }>;
  /** TwiML Bins of the account, by URL (https://handler.twilio.com/twiml/EH…): their bodies. */
  twimlBins?: Record<string, string>;
  /** The campaign a campaign-aware agent talks about. */
  campaign?: string;
}

const DEFAULT_GREETING = 'Thank you for calling, this is Sam speaking, how can I help you today?';
const DEFAULT_VOICEMAIL = 'You have reached the office. Please leave a message after the tone.';

export interface OutboundPlan {
  /** Final status when nobody interferes. */
  status: 'completed' | 'busy' | 'no-answer' | 'failed';
  /** Seconds from dialling to answer (null: not answered). */
  ringSeconds: number | null;
  answeredBy: AnsweredBy | null;
  /** What the line plays after answer, in order (the recording, before truncation). */
  parts: Part[];
  /** The menu's words, for the transcription. */
  promptText: string | null;
  /** Index of the first part after the menu (where a caller's <Gather> starts listening). */
  gatherFrom: number;
  /** Index of the person's greeting in `parts` (null: no person picks up). */
  personAt: number | null;
  /** The line hangs up by itself after its parts (a person who heard nobody). */
  hangsUp: boolean;
  machine: boolean;
}

export function resolveAnswer(l: LineScript): NonNullable<LineScript['answer']> {
  return l.answer ?? (l.ivr ? 'ivr' : 'person');
}

/** What a call to this line sounds like, given the digits we press and our ring timeout. */
export function outboundTimeline(line: LineScript, digitsPressed: string, ringTimeout: number, amd: string | null): OutboundPlan {
  const answer = resolveAnswer(line);
  const ring = line.ringSeconds ?? 8;
  const none = (status: OutboundPlan['status'], ringSeconds: number | null = null): OutboundPlan => ({
    status, ringSeconds, answeredBy: null, parts: [], promptText: null, hangsUp: true, machine: false, gatherFrom: 0, personAt: null,
  });
  if (answer === 'busy') return none('busy');
  if (answer === 'failed') return none('failed');
  if (answer === 'no-answer' || ring > ringTimeout) return none('no-answer');

  const detected = (d: AnsweredBy): AnsweredBy | null => (amd ? (line.answeredBy ?? d) : null);
  if (answer === 'voicemail') {
    return {
      status: 'completed',
      ringSeconds: ring,
      answeredBy: detected(amd === 'DetectMessageEnd' ? 'machine_end_beep' : 'machine_start'),
      parts: [
        { kind: 'speech', text: line.voicemailGreeting ?? DEFAULT_VOICEMAIL },
        { kind: 'music', style: 'tone', seconds: 0.6 },
        { kind: 'silence', seconds: 60 },
      ],
      promptText: null,
      hangsUp: true,
      machine: true,
      gatherFrom: 0,
      personAt: null,
    };
  }
  const parts: Part[] = [];
  let promptText: string | null = null;
  if (answer === 'ivr' && line.ivr) {
    promptText = line.ivr.prompt;
    parts.push({ kind: 'speech', text: line.ivr.prompt }, { kind: 'silence', seconds: 1 });
    const pressed = digitsPressed.replace(/[wW]/g, '');
    if (line.ivr.digits !== undefined && pressed !== line.ivr.digits) {
      parts.push({ kind: 'speech', text: 'Sorry, that is not a valid choice. Goodbye.' }, { kind: 'silence', seconds: 0.5 });
      return { status: 'completed', ringSeconds: ring, answeredBy: detected('machine_start'), parts, promptText, hangsUp: true, machine: false, gatherFrom: parts.length, personAt: null };
    }
  }
  const gatherFrom = parts.length;
  const hold = line.holdSeconds ?? 0;
  if (hold > 0) {
    const style = line.holdMusic ?? 'melody';
    const every = line.announceEvery ?? 30;
    let left = hold;
    while (left > 0) {
      const chunk = Math.min(left, line.holdAnnouncement ? every : left);
      parts.push({ kind: 'music', style, seconds: chunk });
      left -= chunk;
      if (left > 0 && line.holdAnnouncement) parts.push({ kind: 'speech', text: line.holdAnnouncement });
    }
    parts.push({ kind: 'silence', seconds: 0.5 });
  }
  const personAt = parts.length;
  parts.push(
    { kind: 'speech', text: line.greeting ?? DEFAULT_GREETING, voice: 'en-us+f3' },
    { kind: 'silence', seconds: 3 },
    { kind: 'speech', text: 'Hello? Is anyone there?', voice: 'en-us+f3' },
    { kind: 'silence', seconds: 1 },
  );
  return {
    status: 'completed',
    ringSeconds: ring,
    answeredBy: detected(answer === 'ivr' ? 'machine_start' : 'human'),
    parts,
    promptText,
    hangsUp: true,
    machine: false,
    gatherFrom,
    personAt,
  };
}
