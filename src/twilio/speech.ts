/**
 * A test call that speaks, without a web server of ours (docs/phone.md). Inline TwiML cannot
 * drive <Gather> on its own: a Gather posts its result to its `action` URL, and TwiML given
 * inline in a call create has no document URL, so that action must be an absolute URL
 * (Twilio error 15004). The URL is a TwiML Bin the user creates once from CALL_TEMPLATE;
 * Bins are logic-less Handlebars templates filled from the request's parameters, query
 * included, so every step's words and the next step's URL travel in the query we build.
 *
 *   call create (inline): <Play digits/> <Gather speech, wait like a caller> → Bin "ask"
 *   Bin "ask":   <Say> disclosure + inquiry, <Gather speech> (the answer)     → Bin "close"
 *   Bin "close": <Say> "could someone call me back at …", <Gather dtmf 1 s>, <Hangup/>
 *
 * What the person said reaches the Bin as SpeechResult; Twilio's Call Events subresource
 * keeps each request's parameters, so the tool reads the answer from there after the call.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { LoadedConfig } from '../config/load.js';
import type { CallPlan } from './call-result.js';

/** The TwiML Bin's body (paste it into a new Bin in the Twilio Console). */
export const CALL_TEMPLATE = `<?xml version="1.0" encoding="UTF-8"?>
<Response>
  <Say voice="{{Voice}}" language="{{Language}}">{{Say}}</Say>
  <Gather input="{{Input}}" language="{{Language}}" speechTimeout="auto" timeout="{{Listen}}" actionOnEmptyResult="{{Always}}" action="{{Then}}"/>
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

/** The Bin URL for one step; `Step` names it in the Call Events. */
export function stepUrl(bin: string, step: 'ask' | 'close', params: Record<string, string>): string {
  const u = new URL(bin);
  u.search = new URLSearchParams({ Step: step, ...params }).toString();
  return u.toString();
}

/** The inline TwiML of a speaking call: digits, then wait for a person, then the Bin takes over. */
export function speakingTwiml(plan: CallPlan, bin: string, s: SpeechScript): string {
  const common = { Voice: s.voice, Language: s.language };
  const close = stepUrl(bin, 'close', { ...common, Say: s.close, Input: 'dtmf', Listen: '1', Always: 'false', Then: stepUrl(bin, 'close', { ...common, Say: 'Goodbye.', Input: 'dtmf', Listen: '1', Always: 'false' }) });
  const ask = stepUrl(bin, 'ask', { ...common, Say: s.ask, Input: 'speech', Listen: String(s.listenSeconds), Always: 'true', Then: close });
  const play = plan.digits ? `<Play digits="${plan.digits.replace(/[^0-9*#wW]/g, '')}"/>` : '';
  // Waits like a caller (hold music, announcements) until someone speaks; nobody within the
  // caller's patience: the Pause runs on until TimeLimit hangs up, as a listening call does.
  return (
    `<Response>${play}` +
    `<Gather input="speech" language="${xmlEscape(s.language)}" speechTimeout="auto" timeout="${plan.timeLimit}" action="${xmlEscape(ask)}"/>` +
    `<Pause length="${plan.timeLimit}"/></Response>`
  );
}

/** Said on a voicemail box, pushed into the live call (Call update with Twiml). */
export function voicemailTwiml(s: SpeechScript): string {
  return `<Response><Pause length="1"/><Say voice="${xmlEscape(s.voice)}" language="${xmlEscape(s.language)}">${xmlEscape(s.voicemail)}</Say><Hangup/></Response>`;
}
