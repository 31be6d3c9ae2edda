/**
 * Opening hours as users write them on a door, parsed once for validation and scoring:
 *   "Mon-Fri 08:00-17:00"
 *   "Mon-Thu 08:00-18:00, Fri 08:00-12:00, Sat closed"
 *   "Mon-Fri 08:00-12:00 13:00-17:00"   (a lunch break)
 *   "Fri-Sat 20:00-02:00"               (a range ending before it starts runs past midnight)
 * A later clause replaces what an earlier one said about the same day (per-day overrides).
 * The time an organization was open between two instants is src/score/business-hours.ts.
 */

/** Minutes after local midnight; `end` may pass 24 h for a range that runs past midnight. */
export interface OpenRange {
  start: number;
  end: number;
}

export interface OpeningHours {
  /** Index 0 = Monday … 6 = Sunday. */
  week: OpenRange[][];
}

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const DAY_NAMES = 'Mon, Tue, Wed, Thu, Fri, Sat, Sun';

function dayIndex(word: string): number {
  const w = word.toLowerCase();
  // "Mon", "Monday", "Tues", "Thurs" – but not "Mnday" or "Monkey".
  const i = DAYS.indexOf(w.slice(0, 3));
  if (i < 0) return -1;
  const full = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'][i]!;
  return full.startsWith(w) ? i : -1;
}

function timeOfDay(t: string): number | undefined {
  const m = /^(\d{1,2}):(\d{2})$/.exec(t);
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59 || h > 24 || (h === 24 && min > 0)) return undefined;
  return h * 60 + min;
}

/** Parses opening hours; an error names the part that is wrong. */
export function parseHours(text: string): OpeningHours | { error: string } {
  const week: OpenRange[][] = [[], [], [], [], [], [], []];
  const tokens = text.trim().split(/[\s,;]+/).filter(Boolean);
  if (!tokens.length) return { error: 'is empty; write opening hours such as "Mon-Fri 08:00-17:00"' };
  let days: number[] | null = null;
  let said = false; // the current clause has times or "closed"
  let ranges: OpenRange[] = [];
  const close = (): string | null => {
    if (days && !said) return `${dayText(days)} has no opening times; write e.g. "${dayText(days)} 09:00-13:00" or "${dayText(days)} closed"`;
    if (said) for (const d of days ?? [0, 1, 2, 3, 4, 5, 6]) week[d] = ranges.slice();
    return null;
  };
  for (const tok of tokens) {
    if (/^\d/.test(tok)) {
      const m = /^([^-]+)-([^-]+)$/.exec(tok);
      if (!m) return { error: `"${tok}" is not a time range like 08:00-17:00` };
      const start = timeOfDay(m[1]!);
      const end = timeOfDay(m[2]!);
      if (start === undefined || start === 24 * 60) return { error: `"${tok}": ${m[1]} is not a time of day (00:00 to 23:59)` };
      if (end === undefined) return { error: `"${tok}": ${m[2]} is not a time of day (00:00 to 24:00)` };
      if (start === end) return { error: `"${tok}" opens and closes at the same time` };
      ranges.push({ start, end: end > start ? end : end + 24 * 60 });
      said = true;
    } else if (tok.toLowerCase() === 'closed') {
      if (!days) return { error: '"closed" needs the days it applies to, e.g. "Sun closed"' };
      ranges = [];
      said = true;
    } else {
      if (said || !days) {
        const err = close();
        if (err) return { error: err };
        days = [];
        ranges = [];
        said = false;
      }
      const [a, b, extra] = tok.split('-');
      const ia = dayIndex(a!);
      const ib = b === undefined ? ia : dayIndex(b);
      if (ia < 0 || ib < 0 || extra !== undefined) return { error: `"${tok}" is not a weekday or weekday range (${DAY_NAMES}; e.g. Mon-Fri)` };
      for (let i = ia; ; i = (i + 1) % 7) {
        days.push(i);
        if (i === ib) break;
      }
    }
  }
  const err = close();
  if (err) return { error: err };
  // Overlapping ranges of one day ("08:00-12:00 11:00-17:00") are merged so no hour counts twice.
  return { week: week.map(merge) };
}

function merge(ranges: OpenRange[]): OpenRange[] {
  const out: OpenRange[] = [];
  for (const r of [...ranges].sort((x, y) => x.start - y.start)) {
    const prev = out[out.length - 1];
    if (prev && r.start <= prev.end) prev.end = Math.max(prev.end, r.end);
    else out.push({ ...r });
  }
  return out;
}

function dayText(days: number[]): string {
  return days.map((d) => DAYS[d]![0]!.toUpperCase() + DAYS[d]!.slice(1)).join(',');
}

/** The closed dates of a holidays list (plain dates or { date, name }), as YYYY-MM-DD. */
export function holidayDates(list: readonly (string | { date: string; name?: string | undefined })[] | undefined): string[] {
  return (list ?? []).map((d) => (typeof d === 'string' ? d : d.date));
}
