/**
 * A call that speaks, simulated: the caller's TwiML (twiml.ts) runs against the line's script
 * (scenario.ts). The line plays its menu, hold music and announcements; a <Gather> of speech
 * hears the next thing the line says (a hold announcement too, as a real Gather would); once
 * the person has greeted, they answer what the caller says in the scripted agent's words.
 * The result is one timeline holding both sides (the call recording) and the requests Twilio
 * made to the action URLs (the Call Events).
 *
 * What it reproduces, and from where:
 * - Gather, Say, Pause, Play digits and Hangup as twiml.ts describes them, from Twilio's TwiML
 *   reference (twilio.com/docs/voice/twiml/gather: `timeout` waits for speech to start,
 *   `speechTimeout="auto"`, the request to `action` with SpeechResult and Confidence,
 *   `actionOnEmptyResult`; the empty action meaning the current document).
 * - A failed action fetch ends the call with Twilio's own spoken words, "We are sorry, an
 *   application error has occurred. Goodbye." (error 11200, twilio.com/docs/api/errors/11200).
 * - The call's `TimeLimit` (Calls create, Twilio's OpenAPI twilio_api_v2010) cuts it off.
 * - The requests kept as Call Events, url, method and snake_case parameters
 *   (twilio.com/docs/voice/api/call-event-resource).
 * The other side, the agents' words and timings, is our own script (scenario.ts), written after
 * the front desks the seed articles describe (../shared/seeds: the agent who knows the
 * campaign, the one who has never heard of it, the one who hands over another number); it is
 * not a recording of any real line.
 */
import type { Part } from '../../audio/render.js';
import { espeakVoice, estimateSeconds, parseTwiml, renderBin, writtenNumbers, type TwimlVerb } from './twiml.js';
import type { AgentScript, LineScript, OutboundPlan } from './scenario.js';

export interface ConversationRequest {
  /** Seconds after answer. */
  offset: number;
  url: string;
  method: string;
  params: Record<string, string>;
  status: number;
  body: string;
}

export interface Conversation {
  parts: Part[];
  requests: ConversationRequest[];
  /** Who ended the call: the caller's TwiML (Hangup, or the document ran out), or the line. */
  endedBy: 'caller' | 'line';
  /** What the caller said, in order (for assertions and the demo). */
  said: string[];
}

const AGENT_VOICE = 'en-us+f3';
const TIME_UP = new Error('the caller\'s TimeLimit ended the call');
const APPLICATION_ERROR = 'We are sorry, an application error has occurred. Goodbye.';

function digitsSpoken(e164: string): string {
  const d = e164.replace(/\D/g, '').replace(/^1(?=\d{10}$)/, '');
  return d.split('').join(' ');
}

/** The scripted person's words in answer to the caller's inquiry. */
export function agentReply(agent: AgentScript | undefined, campaign: string | undefined): string | null {
  const a = agent ?? { kind: 'uninformed' as const };
  if (a.reply) return a.reply;
  switch (a.kind) {
    case 'campaign-aware':
      return `Yes, the ${campaign ?? 'offer'} is running this month. I can book you in on Tuesday at ten, would that work?`;
    case 'uninformed':
      return "Sorry, I'm not sure what you mean. What kind of appointment did you need?";
    case 'pass-along':
      return `For appointments you'll need to call our scheduling line at ${digitsSpoken(a.number ?? '+13125550199')}.`;
    case 'silent':
      return null;
  }
}

export function converse(o: {
  plan: OutboundPlan;
  line: LineScript;
  twiml: string;
  bins: Record<string, string>;
  callParams: Record<string, string>;
  campaign?: string | undefined;
  /** The call's TimeLimit (seconds): nothing happens after it. */
  timeLimit: number;
}): Conversation {
  const line = o.plan.parts.map((p) => ({ ...p }));
  const out: Part[] = [];
  const requests: ConversationRequest[] = [];
  const said: string[] = [];
  let pos = 0;
  let t = 0;
  let present = false;
  const emit = (p: Part) => {
    if (t >= o.timeLimit) throw TIME_UP;
    out.push(p);
    t += estimateSeconds(p);
  };

  /** What a speech Gather of `timeout` seconds hears, consuming the line's own parts. */
  function listen(timeout: number): string | null {
    if (present) {
      const greeted = /^\s*hello\??\s*$/i.test(said[said.length - 1] ?? '');
      const reply = greeted ? 'Yes, hello, how can I help you?' : agentReply(o.line.agent, o.campaign);
      if (reply === null) {
        emit({ kind: 'silence', seconds: timeout });
        return null;
      }
      emit({ kind: 'silence', seconds: 0.7 });
      emit({ kind: 'speech', text: reply, voice: AGENT_VOICE });
      return reply;
    }
    let waited = 0;
    while (pos < line.length) {
      const p = line[pos]!;
      if (p.kind === 'speech') {
        emit(p);
        if (pos === o.plan.personAt) {
          present = true;
          // The person's own "Hello? Is anyone there?" never comes: the caller answers.
          pos = line.length;
        } else pos++;
        return p.text;
      }
      const s = estimateSeconds(p);
      if (waited + s > timeout && p.kind !== 'dtmf') {
        const part = timeout - waited;
        if (part > 0) emit(p.kind === 'music' ? { ...p, seconds: part } : { kind: 'silence', seconds: part });
        (p as { seconds: number }).seconds = s - part;
        return null;
      }
      emit(p);
      waited += s;
      pos++;
    }
    return null;
  }

  /** The URL of the document being run (relative actions resolve against it; inline TwiML has none). */
  let documentUrl: string | undefined;

  function fetchAction(action: string, params: Record<string, string>): TwimlVerb[] | null {
    if (!documentUrl && !/^https?:\/\//.test(action)) throw new Error('a Gather without an absolute action in inline TwiML (Twilio error 15004)');
    const url = new URL(action, documentUrl);
    action = url.toString();
    documentUrl = action;
    const bin = o.bins[url.origin + url.pathname];
    const all = { ...o.callParams, ...Object.fromEntries(url.searchParams), ...params };
    if (bin === undefined) {
      requests.push({ offset: t, url: action, method: 'POST', params: all, status: 404, body: '' });
      return null;
    }
    const body = renderBin(bin, all);
    requests.push({ offset: t, url: action, method: 'POST', params: all, status: 200, body });
    return parseTwiml(body);
  }

  function run(verbs: TwimlVerb[]): 'caller' | 'line' {
    for (const v of verbs) {
      switch (v.name) {
        case 'Play':
          // The line's menu plays while the digits go out; the sandbox checks them at once.
          while (pos < o.plan.gatherFrom) emit(line[pos++]!);
          break;
        case 'Pause': {
          // Nothing more from the caller: the line plays on until it is done (or TimeLimit).
          while (pos < line.length) emit(line[pos++]!);
          return 'line';
        }
        case 'Say':
          if (t < o.timeLimit) said.push(v.text);
          emit({ kind: 'speech', text: v.text, voice: espeakVoice(v.attrs.voice) });
          break;
        case 'Hangup':
          return 'caller';
        case 'Gather': {
          const timeout = Number(v.attrs.timeout ?? 5);
          const speech = (v.attrs.input ?? 'dtmf').split(/\s+/).includes('speech');
          const heard = speech ? listen(timeout) : (emit({ kind: 'silence', seconds: timeout }), null);
          if (heard !== null) emit({ kind: 'silence', seconds: 1 });
          if (heard === null && v.attrs.actionOnEmptyResult !== 'true') break;
          // No action: the current document (inline TwiML has none: Twilio error 15004).
          const action = v.attrs.action || documentUrl;
          if (!action) throw new Error('a Gather without an absolute action in inline TwiML (Twilio error 15004)');
          const next = fetchAction(action, heard === null ? {} : { SpeechResult: writtenNumbers(heard), Confidence: '0.92' });
          if (!next) {
            emit({ kind: 'speech', text: APPLICATION_ERROR, voice: 'en-us+f2' });
            return 'caller';
          }
          return run(next);
        }
        default:
          break;
      }
    }
    return 'caller';
  }

  let endedBy: Conversation['endedBy'];
  try {
    endedBy = run(parseTwiml(o.twiml));
  } catch (e) {
    if (e !== TIME_UP) throw e;
    endedBy = 'caller';
  }
  out.push({ kind: 'silence', seconds: 0.5 });
  return { parts: out, requests, endedBy, said };
}
