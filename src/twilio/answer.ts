/**
 * What the person who answered a speaking call said, from Twilio's Call Events: each request
 * Twilio made for the call, with its parameters (snake_case: `speech_result`, `confidence`).
 * The "ask" step's request carries the person's first words (their greeting); the "close"
 * step's request carries their answer to the inquiry. The answer is classified like a text
 * reply: does it know the campaign, does it send the caller elsewhere, does it own the request.
 */
import { classifyReplyText, ownsRequest } from '../classify/text.js';
import type { LoadedConfig, ResolvedEntryPoint } from '../config/load.js';
import type { ProbeRow } from '../store/types.js';

export type SpeechMode =
  | { mode: 'speaks'; voicemailLeft?: boolean }
  | { mode: 'listens'; why: string; voicemailLeft?: boolean };

export interface CallEventLike {
  request?: { url?: string; method?: string; parameters?: Record<string, unknown> } | null;
}

export interface CallAnswer {
  /** The person's first words (what made the shopper speak). */
  greeting: string | null;
  /** Their answer to the inquiry, as Twilio's speech recognition heard it. */
  words: string | null;
  confidence: number | null;
  source: 'twilio-speech';
  /** Did the shopper get to ask (a person spoke)? */
  asked: boolean;
  campaignAware: boolean;
  passAlong: boolean;
  owned: boolean;
  reasons: string[];
}

function stepOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).searchParams.get('Step');
  } catch {
    return null;
  }
}

const HOLD_WORDS = /\b(please (continue to |stay on the line and )?hold|your call is (very )?important|remain on the line|(all|each) of our (agents|representatives|staff)|next available|calls are answered in the order)\b/i;

const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);

export function answerFromEvents(events: CallEventLike[], loaded: LoadedConfig, probe: ProbeRow, entry: ResolvedEntryPoint): CallAnswer {
  const requests = (step: string) => events.filter((e) => stepOf(e.request?.url) === step).map((e) => e.request?.parameters ?? {});
  const params = (step: string) => requests(step)[0] ?? null;
  const ask = params('ask');
  const close = params('close');
  // The voice that made the shopper say "Hello?" (the last one, when announcements came first), and its reply.
  const hellos = requests('hello');
  const greeting = [text(hellos[hellos.length - 1]?.speech_result), text(ask?.speech_result)].filter(Boolean).join(' ') || null;
  const words = text(close?.speech_result);
  const conf = Number(close?.confidence);
  const reasons: string[] = [];
  const campaign = loaded.config.campaign;
  // A <Gather> hears any speech: a hold announcement too. Then no person heard the inquiry.
  const onHold = !!ask && HOLD_WORDS.test(text(ask.speech_result) ?? '');
  if (!ask || onHold) {
    reasons.push(
      onHold
        ? `the shopper spoke into a hold announcement ("${text(ask!.speech_result)!.slice(0, 80)}"), so no person heard the inquiry`
        : hellos.length
          ? `only recorded announcements spoke (${hellos.length}× "Hello?" without a reply), so the shopper never asked`
          : 'nobody spoke, so the shopper never asked',
    );
    return { greeting, words, confidence: null, source: 'twilio-speech', asked: false, campaignAware: false, passAlong: false, owned: false, reasons };
  }
  // Both the greeting and the answer are the organization's words.
  const heard = [greeting, words].filter(Boolean).join(' ');
  const v = classifyReplyText(heard, {
    campaign: campaign ? { name: campaign.name, keywords: campaign.keywords } : undefined,
    plain: true,
    shopperPhones: loaded.config.shopper.phones,
    knownNumbers: [probe.target, ...entry.site.phones],
  });
  const owned = !v.passAlong && !!words && ownsRequest(words);
  if (words) reasons.push(`the person said: "${words.slice(0, 200)}"`);
  else reasons.push('the person did not answer the inquiry (nothing heard after it)');
  if (campaign) reasons.push(v.campaignAware ? 'the person who answered knew the campaign' : `the person who answered did not mention "${campaign.name}"`);
  if (v.passAlong) reasons.push('the person passed the inquiry along');
  else if (owned) reasons.push('the person owned the inquiry (offered or booked)');
  return {
    greeting, words, confidence: Number.isFinite(conf) ? conf : null, source: 'twilio-speech', asked: true,
    campaignAware: v.campaignAware, passAlong: v.passAlong, owned, reasons,
  };
}
