/**
 * The sandbox's TwiML engine for calls that speak: the verbs respond-audit uses, run the way
 * Twilio documents them (twilio.com/docs/voice/twiml/gather, /say, /pause, /play, /hangup):
 * - <Play digits> sends DTMF; <Pause length> waits; <Say voice language> speaks; <Hangup/> ends.
 * - <Gather input="speech" timeout speechTimeout="auto" action actionOnEmptyResult>: waits up to
 *   `timeout` seconds for speech to start, ends about a second after it stops, and requests
 *   `action` with SpeechResult and Confidence; with no speech it goes on to the next verb, or
 *   requests `action` anyway when actionOnEmptyResult is true. input="dtmf" ignores speech.
 * - An action on a TwiML Bin (https://handler.twilio.com/twiml/EH…) renders the Bin's body as
 *   a logic-less template: `{{Name}}` takes the request parameter (query or body) of that
 *   name, HTML-escaped as Handlebars does (twilio.com/docs/serverless/twiml-bins); any other
 *   template tag is Twilio error 90025. An action that cannot be fetched is Twilio's
 *   "application error" (11200): the caller hears so and the call ends.
 * Each request Twilio makes is kept as a Call Event (request url, method, snake_case
 * parameters; response code and body), as the Events subresource shows them.
 */
import type { Part } from '../../audio/render.js';

export interface TwimlVerb {
  name: string;
  attrs: Record<string, string>;
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unescapeXml = (s: string) =>
  s.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_m, e: string) =>
    e.startsWith('#x') ? String.fromCharCode(parseInt(e.slice(2), 16)) : e.startsWith('#') ? String.fromCharCode(Number(e.slice(1))) : ENTITIES[e]!,
  );

/** The verbs directly inside <Response> (nested verbs inside <Gather> are not used by the tool). */
export function parseTwiml(xml: string): TwimlVerb[] {
  const body = /<Response\s*>([\s\S]*)<\/Response>/.exec(xml.replace(/<\?xml[^>]*\?>/, ''))?.[1];
  if (body === undefined) throw new Error('not TwiML: no <Response>');
  const verbs: TwimlVerb[] = [];
  const re = /<([A-Z][A-Za-z]*)((?:\s+[A-Za-z]+="[^"]*")*)\s*(?:\/>|>([\s\S]*?)<\/\1>)/g;
  for (const m of body.matchAll(re)) {
    const attrs: Record<string, string> = {};
    for (const a of (m[2] ?? '').matchAll(/([A-Za-z]+)="([^"]*)"/g)) attrs[a[1]!] = unescapeXml(a[2]!);
    verbs.push({ name: m[1]!, attrs, text: unescapeXml((m[3] ?? '').trim()) });
  }
  return verbs;
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#x27;').replace(/`/g, '&#x60;').replace(/=/g, '&#x3D;');

/** A TwiML Bin's body filled in from the request's parameters (data tags only). */
export function renderBin(template: string, params: Record<string, string>): string {
  if (/\{\{\s*[#^/>!&{]/.test(template)) throw new Error('Template body has unsupported Mustache tag type (90025)');
  return template.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (_m, k: string) => escapeHtml(params[k] ?? ''));
}

/** Twilio's <Say> voices, as espeak-ng voices in the sandbox (women's and men's names). */
export function espeakVoice(voice: string | undefined): string {
  if (!voice) return 'en-us+f2';
  if (/^(man|Polly\.(Matthew|Joey|Justin|Kevin|Brian|Russell|Stephen|Gregory)|Google\..*-(B|D|I|J)$)/.test(voice)) return 'en-us+m3';
  return 'en-us+f2';
}

/** "3 1 2, 5 5 5, 0 1 9 9" → "312-555-0199", as speech recognition writes numbers. */
export function writtenNumbers(s: string): string {
  return s.replace(/\b(\d)(?:[ ,]+(\d)){9}\b/g, (m) => {
    const d = m.replace(/\D/g, '');
    return `${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6)}`;
  });
}

export interface CallEventRecord {
  at: number;
  request: { method: string; url: string; parameters: Record<string, string> };
  response: { response_code: number; content_type: string; response_body: string; request_duration: number; date_created: string | null };
}

/** snake_case as the Events subresource shows parameter keys (SpeechResult → speech_result). */
export function snakeKeys(p: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(p).map(([k, v]) => [k.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase(), v]));
}

/** Seconds a part takes, before rendering (espeak-ng speaks about 14 characters a second at 165 wpm). */
export function estimateSeconds(p: Part): number {
  if (p.kind === 'silence' || p.kind === 'music') return p.seconds;
  if (p.kind === 'speech') return p.text.length / 14 + 0.4;
  return p.digits.length * 0.2;
}
