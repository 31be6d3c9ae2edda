/**
 * The scores of one probe, from its facts. Pure: the same facts and settings always give the
 * same score. "Not known yet" is null everywhere, never a failure.
 */
import type { ProbeFacts } from '../store/report-queries.js';
import { businessMs } from './business-hours.js';
import { calendarKey, gradeOf, meanOf, type Parts, type ScoreSettings } from './settings.js';

/**
 * answered: something came back (a call: a person answered; a caller who gave up on hold was
 * not answered). pending: still inside its
 * wait window with nothing back. never: past the window with nothing back (a call: nobody
 * answered). not-sent: we could not test it (CAPTCHA, refused...). unknown: we do not know
 * whether the inquiry reached them, or the call's result never arrived.
 */
export type ProbeState = 'answered' | 'pending' | 'never' | 'not-sent' | 'unknown';

/** A time to an event: `ms` when it happened, otherwise watched (censored) for `watchedMs`. */
export interface Timed {
  ms: number | null;
  watchedMs: number;
}

export interface PhoneScore {
  reached: boolean;
  answerSeconds: number | null;
  holdSeconds: number | null;
  gaveUp: boolean;
  /** Answered within sla.phoneAnswer. */
  withinSla: boolean | null;
  ivrCampaignReady: boolean | null;
  status: string | null;
}

export interface ProbeScore {
  facts: ProbeFacts;
  kind: 'message' | 'phone';
  tested: boolean;
  state: ProbeState;
  /** How long this probe waits for replies (closes_at − sent, else sla.waitWindow). */
  windowMs: number;
  /** now − sent. */
  watchedMs: number;
  firstResponse: Timed | null;
  firstHuman: Timed | null;
  /** Only when a callback is expected (the inquiry gave a phone number). */
  callback: Timed | null;
  /**
   * The same times counted in the organization's opening hours (time it was open between the
   * inquiry and the event); null when no site has hours. A line without hours: wall-clock.
   */
  business: { firstResponse: Timed; firstHuman: Timed } | null;
  within: { firstResponse: boolean | null; human: boolean | null; callback: boolean | null };
  passedAlong: boolean | null;
  followedUp: boolean | null;
  campaignAware: boolean | null;
  phone: PhoneScore | null;
  parts: Parts;
  grade: number | null;
}

// Shared by every probe until its own are computed (frozen: never written to).
const NOT_DECIDED = Object.freeze({ firstResponse: null, human: null, callback: null });
const NO_PARTS: Parts = Object.freeze({ responded: null, speed: null, human: null, ownership: null, followUp: null, campaign: null, phone: null });

// Phone outcomes that are the organization's doing (the line did not pick up), not ours.
const UNANSWERED_OUTCOMES = new Set(['busy', 'no-answer']);

export function scoreProbe(f: ProbeFacts, s: ScoreSettings): ProbeScore {
  const kind = f.channel === 'phone' ? 'phone' : 'message';
  const windowMs = f.closesAt !== null && f.closesAt > f.sentAt ? f.closesAt - f.sentAt : s.sla.waitWindow;
  const watchedMs = Math.max(0, s.now - f.sentAt);
  const heardBack = f.firstResponseAt !== null || f.call !== null || f.bounced;
  const phoneUnanswered = kind === 'phone' && f.call === null && UNANSWERED_OUTCOMES.has(f.outcome ?? '');
  // An 'unknown' submission that got a reply evidently arrived.
  const tested = f.status === 'submitted' || phoneUnanswered || ((f.status === 'unknown' || f.status === 'submitting') && heardBack);
  const base: ProbeScore = {
    facts: f,
    kind,
    tested,
    // A submission the site refused (rejected) was not tested either: nothing waits for a reply.
    state: f.status === 'not-sent' || f.status === 'rejected' ? 'not-sent' : 'unknown',
    windowMs,
    watchedMs,
    firstResponse: null,
    firstHuman: null,
    callback: null,
    business: null,
    within: NOT_DECIDED,
    passedAlong: null,
    followedUp: null,
    campaignAware: null,
    phone: null,
    parts: NO_PARTS,
    grade: null,
  };
  if (!tested) return base;
  return kind === 'phone' ? scorePhone(base, f, s, phoneUnanswered) : scoreMessage(base, f, s);
}

function timed(at: number | null, sentAt: number, watchedMs: number): Timed {
  return { ms: at === null ? null : Math.max(0, at - sentAt), watchedMs };
}

/** Within `limit`: true/false once decided, null while it can still happen. */
export function withinLimit(t: Timed, limit: number): boolean | null {
  if (t.ms !== null) return t.ms <= limit;
  return t.watchedMs >= limit ? false : null;
}

const num = (b: boolean | null) => (b === null ? null : b ? 1 : 0);

function scoreMessage(p: ProbeScore, f: ProbeFacts, s: ScoreSettings): ProbeScore {
  const first = timed(f.firstResponseAt, f.sentAt, p.watchedMs);
  const human = timed(f.firstHumanAt, f.sentAt, p.watchedMs);
  const callback = f.callbackExpected ? timed(f.firstCallbackAt, f.sentAt, p.watchedMs) : null;
  const state: ProbeState = first.ms !== null ? 'answered' : p.watchedMs < p.windowMs ? 'pending' : 'never';
  const business = s.calendars ? businessTimes(f, s, first, human) : null;
  const within = {
    firstResponse: withinLimit(business && s.sla.business?.firstResponse ? business.firstResponse : first, s.sla.firstResponse),
    human: withinLimit(business && s.sla.business?.humanResponse ? business.firstHuman : human, s.sla.humanResponse),
    callback: callback ? withinLimit(callback, s.sla.callback) : null,
  };
  const hadHuman = human.ms !== null;
  const passedAlong = hadHuman ? f.passAlong : null;
  const followedUp = !hadHuman ? null : f.followUpAt !== null ? true : p.watchedMs >= s.sla.followUpWindow ? false : null;
  const campaignAware = hadHuman && s.campaign ? f.campaignAware : null;
  const parts: Parts = {
    responded: state === 'answered' ? 1 : state === 'never' ? 0 : null,
    speed: num(within.firstResponse),
    human: num(within.human),
    ownership: meanOf(passedAlong === null ? null : passedAlong ? 0 : 1, num(within.callback)),
    followUp: num(followedUp),
    campaign: num(campaignAware),
    phone: null,
  };
  // Filled in place: 100,000 probes, so no second object per probe.
  p.state = state;
  p.firstResponse = first;
  p.firstHuman = human;
  p.callback = callback;
  p.business = business;
  p.within = within;
  p.passedAlong = passedAlong;
  p.followedUp = followedUp;
  p.campaignAware = campaignAware;
  p.parts = parts;
  p.grade = gradeOf(parts, s.weights);
  return p;
}

function businessTimes(f: ProbeFacts, s: ScoreSettings, first: Timed, human: Timed): NonNullable<ProbeScore['business']> {
  const cal = s.calendars!.get(calendarKey(f.siteId, f.serviceLineId));
  if (!cal) return { firstResponse: first, firstHuman: human };
  const watchedMs = businessMs(cal, f.sentAt, s.now);
  const open = (at: number | null): Timed => ({ ms: at === null ? null : businessMs(cal, f.sentAt, at), watchedMs });
  return { firstResponse: open(f.firstResponseAt), firstHuman: open(f.firstHumanAt) };
}

function scorePhone(p: ProbeScore, f: ProbeFacts, s: ScoreSettings, unanswered: boolean): ProbeScore {
  const c = f.call;
  if (!c && !unanswered) {
    // Submitted, but the call's result has not been collected: pending inside the window.
    p.tested = p.watchedMs < p.windowMs;
    p.state = p.tested ? 'pending' : 'unknown';
    return p;
  }
  const reached = c?.reached ?? false;
  const answerSeconds = c?.secondsToAnswer ?? null;
  const phone: PhoneScore = {
    reached,
    answerSeconds,
    holdSeconds: c?.secondsOnHold ?? null,
    gaveUp: c?.gaveUp ?? false,
    // A caller who gave up on hold was not answered in time, whatever picked up first.
    withinSla: !reached || c?.gaveUp ? false : answerSeconds === null ? null : answerSeconds * 1000 <= s.sla.phoneAnswer,
    ivrCampaignReady: c?.ivrCampaignReady ?? null,
    status: c?.status ?? f.outcome,
  };
  const parts: Parts = {
    responded: null,
    speed: null,
    human: null,
    ownership: null,
    followUp: null,
    campaign: reached ? num(phone.ivrCampaignReady) : null,
    // Got through (picked up, and the caller did not give up on hold), and answered in time.
    phone: meanOf(reached && !phone.gaveUp ? 1 : 0, num(phone.withinSla)),
  };
  // A caller who gave up on hold reached a menu or hold music, never a person: not answered.
  p.state = reached && !phone.gaveUp ? 'answered' : 'never';
  p.phone = phone;
  p.parts = parts;
  p.grade = gradeOf(parts, s.weights);
  return p;
}
