/**
 * A test call that speaks, without a web server of ours (docs/phone.md). Inline TwiML cannot
 * drive <Gather> on its own: a Gather posts its result to its `action` URL, and TwiML given
 * inline in a call create has no document URL, so that action must be an absolute URL
 * (Twilio error 15004). The URL is a TwiML Bin the user creates once from CALL_TEMPLATE;
 * Bins are logic-less Handlebars templates filled from the request's parameters, query
 * included, so every step's words and the next step's URL travel in the query we build.
 *
 *   call create (inline): <Play digits/> <Gather speech, wait like a caller> → Bin "hello"
 *   Bin "hello": <Say> Hello?, <Gather speech 5 s> → "ask"; nothing (an announcement): hold on
 *   Bin "ask":   <Say> disclosure + inquiry, <Gather speech> (the answer)     → Bin "close"
 *   Bin "close": <Say> "could someone call me back at …", <Gather dtmf 1 s>, <Hangup/>
 *
 * What the person said reaches the Bin as SpeechResult; Twilio's Call Events subresource
 * keeps each request's parameters, so the tool reads the answer from there after the call.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { LoadedConfig } from '../config/load.js';
import type { CallPlan } from './call-result.js';

/**
 * The TwiML Bin's body (paste it into a new Bin in the Twilio Console). Two Gathers: the first
 * hears a reply (or, with Always=true, goes on even without one); when it hears nothing, the
 * second listens on (a caller still holding) before the call ends. Parameters (short: every
 * URL carries the steps after it, within Twilio's 4000 characters of inline TwiML): S what to
 * say, V voice, L language; I input, W seconds to wait, A go on without input, T next step;
 * I2, W2, T2 the second Gather's.
 */
export const CALL_TEMPLATE = `<?xml version="1.0" encoding="UTF-8"?>
<Response>
  <Say voice="{{V}}" language="{{L}}">{{S}}</Say>
  <Gather input="{{I}}" language="{{L}}" speechTimeout="auto" timeout="{{W}}" actionOnEmptyResult="{{A}}" action="{{T}}"/>
  <Gather input="{{I2}}" language="{{L}}" speechTimeout="auto" timeout="{{W2}}" action="{{T2}}"/>
  <Hangup/>
</Response>
`;

/** Twilio's limit on the `Twiml` parameter of a call create (characters). */
export const TWIML_MAX = 4000;

export interface SpeechScript {
  /** Spoken when a person answers: the disclosure (if any) and the inquiry. */
  ask: string;
  /** The closing, with the probe's own call-back number. */
  close: string;
  /** Left on a voicemail box when `phone.voicemail: leave`. */
  voicemail: string;
  voice: string;
  language: string;
  listenSeconds: number;
}

export type SpeechSetup = { ok: true; bin: string; script: SpeechScript } | { ok: false; why: string };

/** "+13125550101" → "3 1 2, 5 5 5, 0 1 0 1": digits a text-to-speech voice reads one by one. */
export function spokenNumber(e164: string): string {
  const p = parsePhoneNumberFromString(e164);
  const national = p?.nationalNumber ?? e164.replace(/\D/g, '');
  const groups = p?.countryCallingCode === '1' && national.length === 10
    ? [national.slice(0, 3), national.slice(3, 6), national.slice(6)]
    : (national.match(/.{1,3}/g) ?? []);
  return groups.map((g) => g.split('').join(' ')).join(', ');
}

/** What this call will say, or why it cannot speak (then it only listens, as before). */
export function speechSetup(loaded: LoadedConfig, inquiry: string | undefined, shopper: { firstName: string; phone?: string | null | undefined }): SpeechSetup {
  const p = loaded.config.phone;
  if (!p.twimlBin) return { ok: false, why: 'phone.twimlBin is not set (see docs/phone.md), so the call only listened' };
  if (!inquiry?.trim()) return { ok: false, why: 'the inquiry template has no call or sms text to say, so the call only listened' };
  const back = shopper.phone ? spokenNumber(shopper.phone) : '';
  const ask = [p.announce, inquiry].filter(Boolean).join(' ');
  const close = back
    ? `Thank you. Could someone call me back at ${back}? That is ${back}. My name is ${shopper.firstName}. Goodbye.`
    : `Thank you, I will call again later. Goodbye.`;
  const voicemail = [p.announce, `Hello, this is ${shopper.firstName}.`, inquiry, back ? `Please call me back at ${back}. That is ${back}. Thank you.` : 'Thank you.']
    .filter(Boolean)
    .join(' ');
  return { ok: true, bin: p.twimlBin, script: { ask, close, voicemail, voice: p.voice, language: p.language, listenSeconds: Math.round(p.listen / 1000) } };
}

export function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

export type Step = 'hello' | 'ask' | 'close';

/**
 * The URL of one step; `Step` names it in the Call Events. Inside the Bin a Gather's action may
 * be relative ("URL (relative or absolute)", resolved against the Bin's own URL), so the steps
 * after the first name the Bin by its last path segment only: `EH…?Step=ask&…`.
 */
export function stepUrl(bin: string, step: Step, params: Record<string, string>, absolute = false): string {
  const u = new URL(bin);
  const query = new URLSearchParams({ Step: step, ...params }).toString();
  return absolute ? `${u.origin}${u.pathname}?${query}` : `${u.pathname.split('/').pop()}?${query}`;
}

/** Seconds a "Hello?" waits for a person's reply: a recorded announcement does not answer. */
const HELLO_REPLY_SECONDS = 5;

/**
 * The inline TwiML of a speaking call. It waits like a caller (hold music, announcements)
 * until something speaks, then says "Hello?": a person answers within seconds and hears the
 * inquiry; a hold announcement does not, and the caller holds on, until TimeLimit.
 */
export function speakingTwiml(plan: CallPlan, bin: string, s: SpeechScript): string {
  const common = { V: s.voice, L: s.language };
  // Each URL carries the steps after it (a logic-less Bin keeps no state), so nothing is repeated.
  const self = stepUrl(bin, 'close', {}).replace(/\?.*$/, '');
  const close = stepUrl(bin, 'close', { ...common, S: s.close, I: 'dtmf', W: '1', A: 'false', T: self, I2: 'dtmf', W2: '1', T2: self });
  const ask = stepUrl(bin, 'ask', { ...common, S: s.ask, I: 'speech', W: String(s.listenSeconds), A: 'true', T: close, I2: 'dtmf', W2: '1', T2: self });
  const hold = String(plan.timeLimit);
  const hello = (onSilence: string) =>
    stepUrl(bin, 'hello', { ...common, S: 'Hello?', I: 'speech', W: String(HELLO_REPLY_SECONDS), A: 'false', T: ask, I2: 'speech', W2: hold, T2: onSilence });
  const play = plan.digits ? `<Play digits="${plan.digits.replace(/[^0-9*#wW]/g, '')}"/>` : '';
  const inline = (first: string) =>
    `<Response>${play}` +
    `<Gather input="speech" language="${xmlEscape(s.language)}" speechTimeout="auto" timeout="${plan.timeLimit}" action="${xmlEscape(first)}"/>` +
    // Nobody within the caller's patience: the Pause runs on until TimeLimit hangs up.
    `<Pause length="${plan.timeLimit}"/></Response>`;
  // The innermost "Hello?" holds on by itself: an empty action is Gather's default, the current
  // document (the same step, same query). Inline TwiML has no document URL: its action is
  // absolute (Twilio error 15004).
  const absolute = (relative: string) => new URL(relative, bin).toString();
  return inline(absolute(hello('')));
}

/** Said on a voicemail box, pushed into the live call (Call update with Twiml). */
export function voicemailTwiml(s: SpeechScript): string {
  return `<Response><Pause length="1"/><Say voice="${xmlEscape(s.voice)}" language="${xmlEscape(s.language)}">${xmlEscape(s.voicemail)}</Say><Hangup/></Response>`;
}
