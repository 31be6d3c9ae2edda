/**
 * Figures of a group of probes (a site, a service line, a channel, a region, a unit, one
 * site × service line × channel cell, or one run of a site). Time-to-event figures come from
 * Kaplan–Meier curves (km.ts) so pending probes count for as long as they were watched.
 */
import { kaplanMeier, quantile, shareEver, shareWithin, type Quantile } from './km.js';
import type { ProbeScore } from './probe.js';
import { gradeOf, meanOf, type Parts, type ScoreSettings } from './settings.js';

export interface TimeStats {
  /** Probes measured (answered or watched without an answer). */
  n: number;
  answered: number;
  /** Estimated share that got it at all, over the time watched (1 − S at the curve's end). */
  rate: number | null;
  median: Quantile;
  p90: Quantile;
  /** Estimated share that got it within the SLA. */
  withinSla: number | null;
}

export interface GroupStats {
  counts: {
    probes: number;
    tested: number;
    answered: number;
    pending: number;
    never: number;
    notSent: number;
    unknown: number;
    messages: number;
    calls: number;
  };
  firstResponse: TimeStats & { withinHour: number | null; meanAnsweredMs: number | null };
  firstHuman: TimeStats;
  callback: TimeStats & { expected: number; voicemail: number };
  /** Among probes a person answered. */
  humanAnswered: number;
  passAlongRate: number | null;
  followUpRate: number | null;
  followUpPending: number;
  campaignAwareRate: number | null;
  phone: {
    calls: number;
    answered: number;
    answerRate: number | null;
    withinSla: number | null;
    medianAnswerSeconds: number | null;
    /** KM median of the hold: a caller who gave up is censored at the time they hung up. */
    medianHold: Quantile;
    gaveUpRate: number | null;
    ivrCampaignReadyRate: number | null;
  };
  parts: Parts;
  grade: number | null;
}

const HOUR = 3_600_000;

/** Times and event flags, preallocated (a group holds at most all its probes). */
class TimeSeries {
  readonly t: Float64Array;
  readonly e: Uint8Array;
  length = 0;
  constructor(capacity: number) {
    this.t = new Float64Array(capacity);
    this.e = new Uint8Array(capacity);
  }
  add(ms: number | null, watchedMs: number) {
    this.t[this.length] = ms ?? watchedMs;
    this.e[this.length++] = ms === null ? 0 : 1;
  }
  curve() {
    return kaplanMeier(this.t.subarray(0, this.length), this.e.subarray(0, this.length));
  }
}

function timeStats(series: TimeSeries, sla: number) {
  const curve = series.curve();
  return {
    curve,
    stats: {
      n: curve.n,
      answered: curve.events,
      rate: shareEver(curve),
      median: quantile(curve, 0.5),
      p90: quantile(curve, 0.9),
      withinSla: shareWithin(curve, sla),
    } satisfies TimeStats,
  };
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

export function median(values: number[]): number | null {
  if (!values.length) return null;
  const v = Float64Array.from(values).sort();
  const m = v.length >> 1;
  return v.length % 2 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
}

export function aggregate(scores: readonly ProbeScore[], s: ScoreSettings): GroupStats {
  const counts = { probes: scores.length, tested: 0, answered: 0, pending: 0, never: 0, notSent: 0, unknown: 0, messages: 0, calls: 0 };
  const first = new TimeSeries(scores.length);
  const human = new TimeSeries(scores.length);
  const callback = new TimeSeries(scores.length);
  let answeredMsSum = 0;
  let answeredN = 0;
  let voicemail = 0;
  let humanAnswered = 0;
  let passAlong = 0;
  let followUpYes = 0;
  let followUpDecided = 0;
  let followUpPending = 0;
  let campaignYes = 0;
  let campaignN = 0;
  let calls = 0;
  let reached = 0;
  let inSla = 0;
  let slaN = 0;
  let gaveUp = 0;
  let ivrYes = 0;
  let ivrN = 0;
  const answerSecs: number[] = [];
  const hold = new TimeSeries(scores.length);
  for (const p of scores) {
    if (p.state === 'not-sent') counts.notSent++;
    if (!p.tested) {
      if (p.state === 'unknown') counts.unknown++;
      continue;
    }
    counts.tested++;
    if (p.state === 'answered') counts.answered++;
    else if (p.state === 'pending') counts.pending++;
    else if (p.state === 'never') counts.never++;
    if (p.kind === 'message' && p.firstResponse && p.firstHuman) {
      counts.messages++;
      first.add(p.firstResponse.ms, p.firstResponse.watchedMs);
      human.add(p.firstHuman.ms, p.firstHuman.watchedMs);
      if (p.firstResponse.ms !== null) {
        answeredMsSum += p.firstResponse.ms;
        answeredN++;
      }
      if (p.callback) {
        callback.add(p.callback.ms, p.callback.watchedMs);
        if (p.callback.ms !== null && p.facts.callbackVoicemail) voicemail++;
      }
      if (p.firstHuman.ms !== null) {
        humanAnswered++;
        if (p.passedAlong) passAlong++;
        if (p.followedUp === null) followUpPending++;
        else {
          followUpDecided++;
          if (p.followedUp) followUpYes++;
        }
        if (p.campaignAware !== null) {
          campaignN++;
          if (p.campaignAware) campaignYes++;
        }
      }
    } else if (p.phone) {
      counts.calls++;
      calls++;
      const ph = p.phone;
      if (ph.reached) {
        reached++;
        if (ph.gaveUp) gaveUp++;
        if (ph.answerSeconds !== null) answerSecs.push(ph.answerSeconds);
        if (ph.holdSeconds !== null) hold.add(ph.gaveUp ? null : ph.holdSeconds * 1000, ph.holdSeconds * 1000);
        if (ph.ivrCampaignReady !== null) {
          ivrN++;
          if (ph.ivrCampaignReady) ivrYes++;
        }
      }
      if (ph.withinSla !== null) {
        slaN++;
        if (ph.withinSla) inSla++;
      }
    }
  }
  const f = timeStats(first, s.sla.firstResponse);
  const h = timeStats(human, s.sla.humanResponse);
  const cb = timeStats(callback, s.sla.callback);
  const holdCurve = hold.curve();
  const medianHold = quantile(holdCurve, 0.5);
  const passAlongRate = ratio(passAlong, humanAnswered);
  const followUpRate = ratio(followUpYes, followUpDecided);
  const campaignAwareRate = ratio(campaignYes, campaignN);
  const answerRate = ratio(reached, calls);
  const phoneWithin = ratio(inSla, slaN);
  const gaveUpRate = ratio(gaveUp, reached);
  const ivrRate = ratio(ivrYes, ivrN);
  const parts: Parts = {
    responded: f.stats.rate,
    speed: f.stats.withinSla,
    human: h.stats.withinSla,
    ownership: meanOf(passAlongRate === null ? null : 1 - passAlongRate, cb.stats.withinSla),
    followUp: followUpRate,
    campaign: meanOf(s.campaign ? campaignAwareRate : null, ivrRate),
    phone: calls ? meanOf(ratio(reached - gaveUp, calls), phoneWithin) : null,
  };
  return {
    counts,
    firstResponse: { ...f.stats, withinHour: shareWithin(f.curve, HOUR), meanAnsweredMs: answeredN ? answeredMsSum / answeredN : null },
    firstHuman: h.stats,
    callback: { ...cb.stats, expected: callback.length, voicemail },
    humanAnswered,
    passAlongRate,
    followUpRate,
    followUpPending,
    campaignAwareRate,
    phone: {
      calls,
      answered: reached,
      answerRate,
      withinSla: phoneWithin,
      medianAnswerSeconds: median(answerSecs),
      medianHold: { ms: medianHold.ms, atLeastMs: medianHold.atLeastMs },
      gaveUpRate,
      ivrCampaignReadyRate: ivrRate,
    },
    parts,
    grade: gradeOf(parts, s.weights),
  };
}
