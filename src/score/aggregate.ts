/**
 * Figures of a group of probes (a site, a service line, a channel, a region, a unit, one
 * site × service line × channel cell, or one run of a site). Time-to-event figures come from
 * Kaplan–Meier curves (km.ts) so pending probes count for as long as they were watched.
 */
import { kaplanMeier, quantile, shareEver, shareWithin, type KmWork, type Quantile } from './km.js';
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
  /** The same two times counted in opening hours; absent when no site has hours. */
  business?: {
    firstResponse: TimeStats;
    firstHuman: TimeStats;
    /** Shares on time against the targets as configured (each in business hours or wall-clock). */
    onTime: { firstResponse: number | null; firstHuman: number | null };
  };
  callback: TimeStats & { expected: number; voicemail: number };
  /** Among probes a person answered. */
  humanAnswered: number;
  passAlongRate: number | null;
  followUpRate: number | null;
  followUpPending: number;
  campaignAwareRate: number | null;
  phone: {
    calls: number;
    /** Calls a person took (a caller who gave up on hold is not answered). */
    answered: number;
    /** Calls the line picked up at all (a menu, hold music or a person). */
    pickedUp: number;
    /** answered / calls. */
    answerRate: number | null;
    withinSla: number | null;
    medianAnswerSeconds: number | null;
    /** KM median of the hold: a caller who gave up is censored at their patience (sla.holdPatience). */
    medianHold: Quantile;
    gaveUpRate: number | null;
    ivrCampaignReadyRate: number | null;
  };
  parts: Parts;
  grade: number | null;
}

const HOUR = 3_600_000;

/**
 * Work space of one time series, reused by every aggregateRows() call: a report aggregates
 * ~1,000 groups, and fresh typed arrays for each (four series, each with its curve) were
 * ~100 MB of short-lived memory outside the heap, which drives garbage collection. Safe
 * because aggregateRows() runs to completion and returns only numbers.
 */
class SeriesWork {
  t = new Float64Array(0);
  e = new Uint8Array(0);
  km: KmWork = { keys: new Float64Array(0), times: new Float64Array(0), surv: new Float64Array(0) };
  reserve(n: number): this {
    if (this.t.length < n) {
      const size = Math.max(n, this.t.length * 2);
      this.t = new Float64Array(size);
      this.e = new Uint8Array(size);
      this.km = { keys: new Float64Array(size), times: new Float64Array(size), surv: new Float64Array(size) };
    }
    return this;
  }
}

/** Times and event flags of one group, in work space (a group holds at most all its probes). */
class TimeSeries {
  readonly t: Float64Array;
  readonly e: Uint8Array;
  readonly km: KmWork;
  length = 0;
  constructor(capacity: number, work: SeriesWork) {
    const w = work.reserve(capacity);
    this.t = w.t;
    this.e = w.e;
    this.km = w.km;
  }
  /** `ms` NaN: nothing happened (yet); the probe counts for the time it was watched. */
  add(ms: number, watchedMs: number) {
    const none = ms !== ms;
    this.t[this.length] = none ? watchedMs : ms;
    this.e[this.length++] = none ? 0 : 1;
  }
  curve() {
    return kaplanMeier(this.t.subarray(0, this.length), this.e.subarray(0, this.length), this.km);
  }
}

// What aggregate() reads of a probe score, as bits of ScoreTable.bits.
const NOT_SENT = 1 << 0;
const TESTED = 1 << 1;
const UNKNOWN = 1 << 2;
const ANSWERED = 1 << 3;
const PENDING = 1 << 4;
const NEVER = 1 << 5;
/** A message probe with its first response and first human contact timed. */
const MESSAGE = 1 << 6;
const CALLBACK = 1 << 7;
const VOICEMAIL = 1 << 8;
const PASSED_ALONG = 1 << 9;
const FOLLOW_UP_DECIDED = 1 << 10;
const FOLLOWED_UP = 1 << 11;
const CAMPAIGN_KNOWN = 1 << 12;
const CAMPAIGN_AWARE = 1 << 13;
const PHONE = 1 << 14;
const REACHED = 1 << 15;
const GAVE_UP = 1 << 16;
const IVR_KNOWN = 1 << 17;
const IVR_READY = 1 << 18;
const SLA_KNOWN = 1 << 19;
const IN_SLA = 1 << 20;
const KIND_MESSAGE = 1 << 21;
const HAS_FIRST = 1 << 22;

const msOrNaN = (v: number | null | undefined) => (v === null || v === undefined ? NaN : v);

/**
 * The figures of many probe scores, one typed array per figure. A report aggregates the same
 * 100,000 probes a dozen ways (sites, service lines, cells, regions, units, runs); reading
 * them from flat arrays by row number instead of walking five objects per probe each time
 * keeps that in the processor's cache and out of the garbage collector. Nulls are NaN.
 */
export class ScoreTable {
  readonly n: number;
  readonly bits: Uint32Array;
  readonly firstMs: Float64Array;
  readonly firstWatched: Float64Array;
  readonly humanMs: Float64Array;
  readonly humanWatched: Float64Array;
  readonly callbackMs: Float64Array;
  readonly callbackWatched: Float64Array;
  readonly answerSeconds: Float64Array;
  readonly holdSeconds: Float64Array;
  /** Times in opening hours (ProbeScore.business); null when no probe has them. */
  readonly business: { firstMs: Float64Array; firstWatched: Float64Array; humanMs: Float64Array; humanWatched: Float64Array } | null;
  /**
   * Scratch space of the four time series a group's statistics need, reused from group to
   * group of this table (a report aggregates thousands of groups): owned by the table, so two
   * scorings never share it.
   */
  readonly work = [new SeriesWork(), new SeriesWork(), new SeriesWork(), new SeriesWork(), new SeriesWork(), new SeriesWork()] as const;

  constructor(scores: readonly ProbeScore[]) {
    const n = (this.n = scores.length);
    this.bits = new Uint32Array(n);
    this.firstMs = new Float64Array(n);
    this.firstWatched = new Float64Array(n);
    this.humanMs = new Float64Array(n);
    this.humanWatched = new Float64Array(n);
    this.callbackMs = new Float64Array(n);
    this.callbackWatched = new Float64Array(n);
    this.answerSeconds = new Float64Array(n);
    this.holdSeconds = new Float64Array(n);
    const biz = (this.business = scores.some((p) => p.business)
      ? { firstMs: new Float64Array(n).fill(NaN), firstWatched: new Float64Array(n), humanMs: new Float64Array(n).fill(NaN), humanWatched: new Float64Array(n) }
      : null);
    for (let i = 0; i < n; i++) {
      const p = scores[i]!;
      if (biz && p.business) {
        biz.firstMs[i] = msOrNaN(p.business.firstResponse.ms);
        biz.firstWatched[i] = p.business.firstResponse.watchedMs;
        biz.humanMs[i] = msOrNaN(p.business.firstHuman.ms);
        biz.humanWatched[i] = p.business.firstHuman.watchedMs;
      }
      let b = 0;
      if (p.state === 'not-sent') b |= NOT_SENT;
      else if (p.state === 'unknown') b |= UNKNOWN;
      else if (p.state === 'answered') b |= ANSWERED;
      else if (p.state === 'pending') b |= PENDING;
      else if (p.state === 'never') b |= NEVER;
      if (p.tested) b |= TESTED;
      if (p.kind === 'message') b |= KIND_MESSAGE;
      const fr = p.firstResponse;
      const fh = p.firstHuman;
      if (fr) {
        b |= HAS_FIRST;
        this.firstMs[i] = msOrNaN(fr.ms);
        this.firstWatched[i] = fr.watchedMs;
      } else this.firstMs[i] = NaN;
      if (p.kind === 'message' && fr && fh) {
        b |= MESSAGE;
        this.humanMs[i] = msOrNaN(fh.ms);
        this.humanWatched[i] = fh.watchedMs;
        if (p.callback) {
          b |= CALLBACK;
          this.callbackMs[i] = msOrNaN(p.callback.ms);
          this.callbackWatched[i] = p.callback.watchedMs;
        }
        if (p.facts.callbackVoicemail) b |= VOICEMAIL;
        if (p.passedAlong) b |= PASSED_ALONG;
        if (p.followedUp !== null) b |= FOLLOW_UP_DECIDED | (p.followedUp ? FOLLOWED_UP : 0);
        if (p.campaignAware !== null) b |= CAMPAIGN_KNOWN | (p.campaignAware ? CAMPAIGN_AWARE : 0);
      } else if (p.phone) {
        const ph = p.phone;
        b |= PHONE;
        if (ph.reached) b |= REACHED;
        if (ph.gaveUp) b |= GAVE_UP;
        if (ph.ivrCampaignReady !== null) b |= IVR_KNOWN | (ph.ivrCampaignReady ? IVR_READY : 0);
        if (ph.withinSla !== null) b |= SLA_KNOWN | (ph.withinSla ? IN_SLA : 0);
        this.answerSeconds[i] = msOrNaN(ph.answerSeconds);
        this.holdSeconds[i] = msOrNaN(ph.holdSeconds);
      }
      this.bits[i] = b;
    }
  }

  /** Tested, a message probe, and its first response timed (the distribution chart's probes). */
  isTimedMessage(i: number): boolean {
    const b = this.bits[i]!;
    return (b & TESTED) !== 0 && (b & KIND_MESSAGE) !== 0 && (b & HAS_FIRST) !== 0;
  }

  isPending(i: number): boolean {
    return (this.bits[i]! & PENDING) !== 0;
  }
}

/** Row numbers 0 … n−1. */
export function allRows(n: number): Int32Array {
  const rows = new Int32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  return rows;
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
  return aggregateRows(new ScoreTable(scores), allRows(scores.length), s);
}

/** The figures of the given rows of a score table (in the order given). */
export function aggregateRows(table: ScoreTable, rows: ArrayLike<number>, s: ScoreSettings): GroupStats {
  const n = rows.length;
  const counts = { probes: n, tested: 0, answered: 0, pending: 0, never: 0, notSent: 0, unknown: 0, messages: 0, calls: 0 };
  const first = new TimeSeries(n, table.work[0]);
  const human = new TimeSeries(n, table.work[1]);
  const callback = new TimeSeries(n, table.work[2]);
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
  const hold = new TimeSeries(n, table.work[3]);
  const biz = table.business;
  const bizFirst = biz ? new TimeSeries(n, table.work[4]) : null;
  const bizHuman = biz ? new TimeSeries(n, table.work[5]) : null;
  const { bits, firstMs, firstWatched, humanMs, humanWatched, callbackMs, callbackWatched, answerSeconds, holdSeconds } = table;
  for (let k = 0; k < n; k++) {
    const i = rows[k]!;
    const b = bits[i]!;
    if (b & NOT_SENT) counts.notSent++;
    if (!(b & TESTED)) {
      if (b & UNKNOWN) counts.unknown++;
      continue;
    }
    counts.tested++;
    if (b & ANSWERED) counts.answered++;
    else if (b & PENDING) counts.pending++;
    else if (b & NEVER) counts.never++;
    if (b & MESSAGE) {
      counts.messages++;
      const fr = firstMs[i]!;
      first.add(fr, firstWatched[i]!);
      human.add(humanMs[i]!, humanWatched[i]!);
      if (biz) {
        bizFirst!.add(biz.firstMs[i]!, biz.firstWatched[i]!);
        bizHuman!.add(biz.humanMs[i]!, biz.humanWatched[i]!);
      }
      if (fr === fr) {
        answeredMsSum += fr;
        answeredN++;
      }
      if (b & CALLBACK) {
        const cb = callbackMs[i]!;
        callback.add(cb, callbackWatched[i]!);
        if (cb === cb && b & VOICEMAIL) voicemail++;
      }
      if (humanMs[i] === humanMs[i]) {
        humanAnswered++;
        if (b & PASSED_ALONG) passAlong++;
        if (!(b & FOLLOW_UP_DECIDED)) followUpPending++;
        else {
          followUpDecided++;
          if (b & FOLLOWED_UP) followUpYes++;
        }
        if (b & CAMPAIGN_KNOWN) {
          campaignN++;
          if (b & CAMPAIGN_AWARE) campaignYes++;
        }
      }
    } else if (b & PHONE) {
      counts.calls++;
      calls++;
      if (b & REACHED) {
        reached++;
        if (b & GAVE_UP) gaveUp++;
        const answer = answerSeconds[i]!;
        if (answer === answer) answerSecs.push(answer);
        const held = holdSeconds[i]!;
        // A caller who gave up held for as long as their patience: "> patience", never a longer figure.
        if (held === held) hold.add(b & GAVE_UP ? NaN : held * 1000, b & GAVE_UP ? Math.min(held * 1000, s.sla.holdPatience) : held * 1000);
        if (b & IVR_KNOWN) {
          ivrN++;
          if (b & IVR_READY) ivrYes++;
        }
      }
      if (b & SLA_KNOWN) {
        slaN++;
        if (b & IN_SLA) inSla++;
      }
    }
  }
  const f = timeStats(first, s.sla.firstResponse);
  const h = timeStats(human, s.sla.humanResponse);
  const bf = bizFirst ? timeStats(bizFirst, s.sla.firstResponse).stats : null;
  const bh = bizHuman ? timeStats(bizHuman, s.sla.humanResponse).stats : null;
  // A target stated in business hours is measured on the business-hours times.
  const speedWithin = bf && s.sla.business?.firstResponse ? bf.withinSla : f.stats.withinSla;
  const humanWithin = bh && s.sla.business?.humanResponse ? bh.withinSla : h.stats.withinSla;
  const cb = timeStats(callback, s.sla.callback);
  const holdCurve = hold.curve();
  const medianHold = quantile(holdCurve, 0.5);
  const passAlongRate = ratio(passAlong, humanAnswered);
  const followUpRate = ratio(followUpYes, followUpDecided);
  const campaignAwareRate = ratio(campaignYes, campaignN);
  // "Answered" means a person took the call: a caller who gave up on hold was not answered.
  const answerRate = ratio(reached - gaveUp, calls);
  const phoneWithin = ratio(inSla, slaN);
  const gaveUpRate = ratio(gaveUp, reached);
  const ivrRate = ratio(ivrYes, ivrN);
  const parts: Parts = {
    responded: f.stats.rate,
    speed: speedWithin,
    human: humanWithin,
    ownership: meanOf(passAlongRate === null ? null : 1 - passAlongRate, cb.stats.withinSla),
    followUp: followUpRate,
    campaign: meanOf(s.campaign ? campaignAwareRate : null, ivrRate),
    phone: calls ? meanOf(ratio(reached - gaveUp, calls), phoneWithin) : null,
  };
  return {
    counts,
    firstResponse: { ...f.stats, withinHour: shareWithin(f.curve, HOUR), meanAnsweredMs: answeredN ? answeredMsSum / answeredN : null },
    firstHuman: h.stats,
    // Absent without opening hours, so such reports (JSON included) are exactly as before.
    ...(bf && bh ? { business: { firstResponse: bf, firstHuman: bh, onTime: { firstResponse: speedWithin, firstHuman: humanWithin } } } : {}),
    callback: { ...cb.stats, expected: callback.length, voicemail },
    humanAnswered,
    passAlongRate,
    followUpRate,
    followUpPending,
    campaignAwareRate,
    phone: {
      calls,
      answered: reached - gaveUp,
      pickedUp: reached,
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
