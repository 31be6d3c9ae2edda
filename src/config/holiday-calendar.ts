/**
 * Holidays from an iCalendar file (`holidays: closed-days.ics`), the way a front desk exports
 * them from Outlook or Google Calendar: all-day events, one-off or recurring (RRULE, EXDATE),
 * one or several days long. ical.js (Mozilla's RFC 5545 parser, no dependencies) reads the
 * file; every problem comes back with the file's line and the property (field) at fault.
 */
import { readFileSync } from 'node:fs';
import ICAL from 'ical.js';
import { DateTime } from 'luxon';

export interface CalendarHoliday {
  date: string;
  name?: string;
}

export interface CalendarProblem {
  line: number;
  /** The iCalendar property at fault (DTSTART, RRULE, ...), or '' for the file as a whole. */
  field: string;
  message: string;
}

export type CalendarResult = { holidays: CalendarHoliday[] } | { problems: CalendarProblem[] } | { unreadable: string };

/** Recurring holidays are expanded this many years past their first date (and no further than this many dates). */
const YEARS_AHEAD = 30;
const MAX_DATES_PER_EVENT = 2000;

export function readHolidayCalendar(file: string): CalendarResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { unreadable: code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a file' : (e as Error).message };
  }
  return parseHolidayCalendar(text);
}

/** One logical iCalendar line (folded lines joined) and the physical line it starts on. */
interface Logical {
  line: number;
  text: string;
  name: string;
}

function logicalLines(text: string): Logical[] {
  const out: Logical[] = [];
  text.replace(/^\uFEFF/, '').split(/\r?\n/).forEach((raw, i) => {
    if (/^[ \t]/.test(raw) && out.length) out[out.length - 1]!.text += raw.slice(1);
    else if (raw.trim()) out.push({ line: i + 1, text: raw, name: '' });
  });
  for (const l of out) l.name = /^([A-Za-z0-9-]+)[;:]/.exec(l.text)?.[1]?.toUpperCase() ?? '';
  return out;
}

export function parseHolidayCalendar(text: string): CalendarResult {
  const lines = logicalLines(text);
  if (!lines.length || lines[0]!.text.trim().toUpperCase() !== 'BEGIN:VCALENDAR')
    return { problems: [{ line: lines[0]?.line ?? 1, field: '', message: 'not an iCalendar file: it must start with BEGIN:VCALENDAR' }] };
  let root: ICAL.Component;
  try {
    root = new ICAL.Component(ICAL.parse(text));
  } catch (e) {
    return { problems: [parseProblem(lines, (e as Error).message)] };
  }
  // The k-th VEVENT component is the k-th BEGIN:VEVENT line; its properties follow it.
  const starts = lines.filter((l) => l.text.trim().toUpperCase() === 'BEGIN:VEVENT');
  const problems: CalendarProblem[] = [];
  const holidays: CalendarHoliday[] = [];
  root.getAllSubcomponents('vevent').forEach((ve, k) => {
    const begin = starts[k]?.line ?? 1;
    const end = lines.find((l) => l.line > begin && l.text.trim().toUpperCase() === 'END:VEVENT')?.line ?? Infinity;
    const lineOf = (field: string) => lines.find((l) => l.line > begin && l.line < end && l.name === field)?.line ?? begin;
    const problem = (field: string, message: string) => problems.push({ line: field ? lineOf(field) : begin, field, message });
    const name = (ve.getFirstPropertyValue('summary') as string | null) ?? undefined;
    let event: ICAL.Event;
    let start: ICAL.Time | null;
    try {
      event = new ICAL.Event(ve);
      start = event.startDate;
    } catch {
      return problem('DTSTART', `${rawValue(lines, lineOf('DTSTART'))} is not a date; expected e.g. DTSTART;VALUE=DATE:20271225`);
    }
    if (!start) return problem('', 'this event has no DTSTART (the date the site is closed)');
    if (!start.isDate) return problem('DTSTART', `${rawValue(lines, lineOf('DTSTART'))}: a holiday is a whole day; give a date, e.g. DTSTART;VALUE=DATE:20271225`);
    if (!sameDate(start, rawValue(lines, lineOf('DTSTART')))) return problem('DTSTART', `${rawValue(lines, lineOf('DTSTART'))} is not a real date`);
    // DTEND is exclusive: an event from the 4th with DTEND the 6th closes the 4th and the 5th.
    let days = 1;
    if (ve.hasProperty('dtend')) {
      const end = event.endDate;
      if (!end.isDate || !sameDate(end, rawValue(lines, lineOf('DTEND')))) return problem('DTEND', `${rawValue(lines, lineOf('DTEND'))}: expected a date after DTSTART, e.g. DTEND;VALUE=DATE:20271226`);
      days = Math.round(iso(end).diff(iso(start), 'days').days);
      if (days < 1) return problem('DTEND', `${rawValue(lines, lineOf('DTEND'))} is not after DTSTART`);
    }
    const firsts: ICAL.Time[] = [];
    if (event.isRecurring()) {
      try {
        const until = start.clone();
        until.year += YEARS_AHEAD;
        const it = event.iterator();
        for (let next = it.next(); next && next.compare(until) < 0 && firsts.length < MAX_DATES_PER_EVENT; next = it.next()) firsts.push(next);
      } catch (e) {
        return problem('RRULE', `${(e as Error).message}; expected e.g. RRULE:FREQ=YEARLY`);
      }
    } else firsts.push(start);
    for (const first of firsts)
      for (let d = 0; d < days; d++) holidays.push({ date: iso(first).plus({ days: d }).toISODate()!, ...(name ? { name } : {}) });
  });
  if (problems.length) return { problems };
  if (!starts.length) return { problems: [{ line: 1, field: '', message: 'the calendar has no events (VEVENT): no holidays in it' }] };
  return { holidays: dedupe(holidays) };
}

function iso(t: ICAL.Time): DateTime {
  return DateTime.fromObject({ year: t.year, month: t.month, day: t.day }, { zone: 'UTC' });
}

/** Whether ical.js read the date the file wrote: it turns 20270230 into 2 March without a word. */
function sameDate(t: ICAL.Time, raw: string): boolean {
  const m = /(\d{4})(\d{2})(\d{2})/.exec(raw);
  return !!m && Number(m[1]) === t.year && Number(m[2]) === t.month && Number(m[3]) === t.day;
}

function rawValue(lines: Logical[], line: number): string {
  const l = lines.find((x) => x.line === line);
  const v = l ? l.text.slice(l.text.indexOf(':') + 1).trim() : '';
  return v ? `"${v}"` : 'the value';
}

/** ical.js says what it could not read and quotes the line; find which line that was. */
function parseProblem(lines: Logical[], message: string): CalendarProblem {
  // The quoted line comes last ('invalid line (no token ";" or ":") "closed all day"').
  const quoted = [...message.matchAll(/"([^"]+)"/g)].at(-1)?.[1];
  const at = quoted ? lines.find((l) => l.text.includes(quoted)) : undefined;
  if (/component began but did not end/.test(message)) return { line: lines.at(-1)?.line ?? 1, field: '', message: 'a BEGIN: has no matching END: (the file is cut short?)' };
  return { line: at?.line ?? 1, field: at?.name ?? '', message: message.replace(/^invalid line \(no token ";" or ":"\)/, 'not an iCalendar line (NAME:value)') };
}

function dedupe(h: CalendarHoliday[]): CalendarHoliday[] {
  const seen = new Map<string, CalendarHoliday>();
  for (const x of h) if (!seen.has(x.date)) seen.set(x.date, x);
  return [...seen.values()].sort((a, b) => a.date.localeCompare(b.date));
}
