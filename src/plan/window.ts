/** Whether an instant falls inside a schedule window (src/config/window.ts) or quiet hours. */
import { DateTime } from 'luxon';
import type { Window } from '../config/window.js';

/** Is the instant inside the window, in the given timezone? */
export function inWindow(w: Window, at: Date, zone: string): boolean {
  const t = DateTime.fromJSDate(at, { zone });
  if (!w.days.has(t.weekday)) return false;
  const minutes = t.hour * 60 + t.minute;
  return minutes >= w.start && minutes < w.end;
}

/** Is the instant inside quiet hours [start, end) in the zone (the range may wrap midnight)? */
export function inQuietHours(q: { start: string; end: string }, at: Date, zone: string): boolean {
  const t = DateTime.fromJSDate(at, { zone });
  const m = t.hour * 60 + t.minute;
  const s = toMinutes(q.start);
  const e = toMinutes(q.end);
  return s <= e ? m >= s && m < e : m >= s || m < e;
}

function toMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}
