/**
 * Kaplan–Meier estimates of "time until something came back" with censoring.
 *
 * A probe that got its answer contributes an event at the time it took. A probe that has not
 * (yet) got one contributes a censored observation at the time we have watched it (now −
 * submission): still pending, or past its wait window ("never answered"). Dropping the
 * pending probes, or counting them as failures, would both bias the figures; KM uses each
 * probe for exactly as long as it was watched.
 *
 * Quantiles follow the usual survival-analysis convention (as R's survfit): the q-quantile is
 * the smallest time t with S(t) ≤ 1 − q; when S stays exactly at 1 − q over an interval, the
 * midpoint of that interval. With no censoring that is the ordinary sample median. When S
 * never falls that low (too few answers), the quantile is not reached and is reported as
 * "more than" the longest time watched.
 */

export interface KmCurve {
  /** Distinct event times, ascending. */
  times: Float64Array;
  /** S(t) just after each event time. */
  surv: Float64Array;
  /** Observations in all, events among them. */
  n: number;
  events: number;
  /** The longest time any probe was watched (event or censored). */
  maxTime: number;
}

/** A quantile of a time to event: a value, or "more than atLeast" when not reached, or nothing known. */
export interface Quantile {
  ms: number | null;
  atLeastMs: number | null;
}

/**
 * Builds the curve. `times[i]` is the time of observation i, `events[i]` 1 when it is an
 * event, 0 when censored. Ties: events come before censorings at the same time.
 */
/** Buffers kaplanMeier may work in (each at least as long as the input); the curve it returns is then a view of them. */
export interface KmWork {
  keys: Float64Array;
  times: Float64Array;
  surv: Float64Array;
}

export function kaplanMeier(times: ArrayLike<number>, events: ArrayLike<number>, work?: KmWork): KmCurve {
  const n = times.length;
  // Encode (time, censored) into one sortable number so a native typed-array sort orders it:
  // 2t for events and 2t+1 for censorings puts events first at equal times.
  const keys = work ? work.keys.subarray(0, n) : new Float64Array(n);
  let nEvents = 0;
  let maxTime = 0;
  for (let i = 0; i < n; i++) {
    const t = Math.max(0, Math.round(times[i]!));
    const e = events[i] ? 1 : 0;
    keys[i] = 2 * t + (1 - e);
    nEvents += e;
    if (t > maxTime) maxTime = t;
  }
  keys.sort();
  const outT = work ? work.times : new Float64Array(n);
  const outS = work ? work.surv : new Float64Array(n);
  let m = 0;
  let atRisk = n;
  let s = 1;
  let i = 0;
  while (i < n) {
    const k = keys[i]!;
    const t = Math.floor(k / 2);
    let d = 0;
    let c = 0;
    while (i < n && Math.floor(keys[i]! / 2) === t) {
      if (keys[i]! % 2 === 0) d++;
      else c++;
      i++;
    }
    if (d > 0) {
      s *= 1 - d / atRisk;
      outT[m] = t;
      outS[m++] = s;
    }
    atRisk -= d + c;
  }
  return { times: outT.subarray(0, m), surv: outS.subarray(0, m), n, events: nEvents, maxTime };
}

/** S(t): the estimated share still without an answer at time t (1 before the first event). */
export function survivalAt(curve: KmCurve, t: number): number {
  let lo = 0;
  let hi = curve.times.length - 1;
  let s = 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (curve.times[mid]! <= t) {
      s = curve.surv[mid]!;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return s;
}

/**
 * The estimated share answered within t: 1 − S(t). Null when nothing is known that far out
 * (every probe was watched for less than t and S has not reached 0), and when there are no
 * observations at all.
 */
export function shareWithin(curve: KmCurve, t: number): number | null {
  if (curve.n === 0) return null;
  const s = survivalAt(curve, t);
  if (t > curve.maxTime && s > 0) return null;
  return 1 - s;
}

/** The estimated share ever answered (over the time watched): 1 − S at the end of the curve. */
export function shareEver(curve: KmCurve): number | null {
  if (curve.n === 0) return null;
  return curve.surv.length ? 1 - curve.surv[curve.surv.length - 1]! : 0;
}

const EPS = 1e-9;

/** The q-quantile of the time to event (q = 0.5 median, 0.9 p90). */
export function quantile(curve: KmCurve, q: number): Quantile {
  if (curve.n === 0) return { ms: null, atLeastMs: null };
  const target = 1 - q;
  for (let i = 0; i < curve.times.length; i++) {
    const s = curve.surv[i]!;
    if (s < target - EPS) return { ms: curve.times[i]!, atLeastMs: null };
    if (Math.abs(s - target) <= EPS) {
      // Flat exactly at the target: the midpoint up to the next event (if any).
      const next = curve.times[i + 1];
      return { ms: next === undefined ? curve.times[i]! : (curve.times[i]! + next) / 2, atLeastMs: null };
    }
  }
  return { ms: null, atLeastMs: curve.maxTime };
}
