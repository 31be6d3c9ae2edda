/**
 * Local-time windows such as "Tue-Thu 09:00-16:00", "Mon,Wed 10:00-12:00", "09:00-17:00"
 * or "Mon-Fri" (an entry point's schedule). Days are ISO weekdays (1 = Monday … 7 = Sunday).
 * Parsed here so validation needs nothing of the planner; src/plan/window.ts evaluates them.
 */

export interface Window {
  days: Set<number>;
  /** Minutes after local midnight. */
  start: number;
  end: number;
}

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

export function parseWindow(text: string): Window | { error: string } {
  const parts = text.trim().split(/\s+/);
  let days = new Set([1, 2, 3, 4, 5, 6, 7]);
  let start = 0;
  let end = 24 * 60;
  for (const part of parts) {
    if (/^\d/.test(part)) {
      const m = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(part);
      if (!m) return { error: `"${part}" is not a time range like 09:00-16:00` };
      start = Number(m[1]) * 60 + Number(m[2]);
      end = Number(m[3]) * 60 + Number(m[4]);
      if (start >= end || end > 24 * 60) return { error: `"${part}" must start before it ends, within one day` };
    } else {
      const set = new Set<number>();
      for (const chunk of part.split(',')) {
        const [a, b] = chunk.toLowerCase().split('-');
        const ia = DAYS.indexOf(a!.slice(0, 3));
        const ib = b === undefined ? ia : DAYS.indexOf(b.slice(0, 3));
        if (ia < 0 || ib < 0) return { error: `"${chunk}" is not a weekday range like Mon-Fri or Tue,Thu` };
        for (let i = ia; ; i = (i + 1) % 7) {
          set.add(i + 1);
          if (i === ib) break;
        }
      }
      days = set;
    }
  }
  return { days, start, end };
}
