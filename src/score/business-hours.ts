/**
 * The time an organization was open between two instants ("business time"), from opening
 * hours parsed by src/config/hours.ts. Local times are in the site's IANA timezone; luxon
 * does the DST arithmetic, so a day that loses an hour at 02:00 is still open 08:00-17:00
 * local time (9 real hours).
 */
import { DateTime } from 'luxon';
import type { OpeningHours } from '../config/hours.js';

export interface BusinessCalendar {
  hours: OpeningHours;
  zone: string;
  /** Closed local dates, YYYY-MM-DD. */
  holidays: ReadonlySet<string>;
}

/** Real instants [start, end) in ms of each opening on one local date (cached per calendar). */
const cache = new WeakMap<BusinessCalendar, Map<string, [number, number][]>>();

function openingsOn(cal: BusinessCalendar, date: DateTime): [number, number][] {
  let byDate = cache.get(cal);
  if (!byDate) cache.set(cal, (byDate = new Map()));
  const key = date.toISODate()!;
  let out = byDate.get(key);
  if (out) return out;
  out = [];
  if (!cal.holidays.has(key)) {
    for (const r of cal.hours.week[date.weekday - 1]!) {
      out.push([localInstant(date, r.start, cal.zone), localInstant(date, r.end, cal.zone)]);
    }
  }
  byDate.set(key, out);
  return out;
}

/** The instant of `minutes` after midnight of a local date, by the wall clock (DST-aware). */
function localInstant(date: DateTime, minutes: number, zone: string): number {
  const d = date.plus({ days: Math.floor(minutes / 1440) });
  const m = minutes % 1440;
  return DateTime.fromObject({ year: d.year, month: d.month, day: d.day, hour: Math.floor(m / 60), minute: m % 60 }, { zone }).toMillis();
}

/** Milliseconds the calendar was open in [from, to); 0 when to <= from. */
export function businessMs(cal: BusinessCalendar, from: number, to: number): number {
  if (!(to > from)) return 0;
  // Start a day early: an opening of the previous date may run past midnight into `from`.
  let date = DateTime.fromMillis(from, { zone: cal.zone }).startOf('day').minus({ days: 1 });
  const last = DateTime.fromMillis(to, { zone: cal.zone }).toISODate()!;
  let total = 0;
  for (;;) {
    for (const [s, e] of openingsOn(cal, date)) {
      const a = Math.max(s, from);
      const b = Math.min(e, to);
      if (b > a) total += b - a;
    }
    if (date.toISODate()! >= last) break;
    date = date.plus({ days: 1 });
  }
  return total;
}

/** Is the calendar open at this instant? */
export function isOpen(cal: BusinessCalendar, at: number): boolean {
  return businessMs(cal, at, at + 1) > 0;
}
