/**
 * `holidays: closed.ics`: an iCalendar file a front desk exports (all-day events, recurring,
 * several days long, folded lines, CRLF), read into the site's closed dates; a bad file fails
 * `validate` with exit 2 and names the file, the line and the property at fault.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigOrThrow } from '../../src/config/load.js';
import { settingsFromConfig, calendarKey } from '../../src/score/settings.js';
import { BASE_CONFIG, BASE_ENV, BASE_INQUIRY } from '../fixtures/base-config.js';
import { cli } from '../helpers/cli.js';
import { tempTree } from '../helpers/tmp.js';

const ics = (...events: string[][]) =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Lakeside//Closed days//EN', ...events.flatMap((e) => ['BEGIN:VEVENT', ...e, 'END:VEVENT']), 'END:VCALENDAR', ''].join('\r\n');

const GOOD = ics(
  ['UID:xmas', 'DTSTART;VALUE=DATE:20261225', 'RRULE:FREQ=YEARLY', 'EXDATE;VALUE=DATE:20281225', 'SUMMARY:Christmas'],
  // Two days (DTEND is exclusive), with a summary folded over two lines.
  ['UID:july', 'DTSTART;VALUE=DATE:20270704', 'DTEND;VALUE=DATE:20270706', 'SUMMARY:Independence Day and the', '  day after'],
  ['UID:staff', 'DTSTART;VALUE=DATE:20270319', 'SUMMARY:Staff day'],
);

/** North has hours and its holidays in a file beside the config; the cardiology line adds one of its own. */
function project(calendar: string, o: { holidays?: string } = {}) {
  const config = BASE_CONFIG.replace('    region: North\n', `    region: North\n    hours: "Mon-Fri 08:00-17:00"\n    holidays: ${o.holidays ?? 'closed-days.ics'}\n`).replace(
    '        name: Cardiology\n',
    '        name: Cardiology\n        holidays: ["2027-03-22"]\n',
  );
  return tempTree({ 'configs/audit.yaml': config, 'configs/closed-days.ics': calendar, 'probes/new-inquiry.yaml': BASE_INQUIRY });
}

describe('holidays from an iCalendar file', () => {
  it('reads one-off, several-day and yearly events (with exceptions) as the site\'s closed dates', async () => {
    const root = project(GOOD);
    const v = await cli(['validate'], { cwd: root, env: BASE_ENV });
    expect(v.stderr).toBe('');
    expect(v.code).toBe(0);
    const loaded = loadConfigOrThrow('configs/audit.yaml', { cwd: root, env: BASE_ENV });
    const north = loaded.config.sites[0]!;
    const dates = (north.holidays ?? []).map((h) => (typeof h === 'string' ? h : h.date));
    expect(dates.slice(0, 6)).toEqual(['2026-12-25', '2027-03-19', '2027-07-04', '2027-07-05', '2027-12-25', '2029-12-25']);
    expect(dates).not.toContain('2028-12-25');
    expect(north.holidays).toContainEqual({ date: '2027-07-05', name: 'Independence Day and the day after' });
    // Thirty years of Christmases, no more.
    expect(dates.filter((d) => d.endsWith('-12-25'))).toHaveLength(29);
    // The line's own dates add to the site's file.
    const cal = settingsFromConfig(loaded.config, 0).calendars!;
    expect(cal.get(calendarKey('north', 'cardio'))!.holidays.has('2027-03-22')).toBe(true);
    expect(cal.get(calendarKey('north', 'cardio'))!.holidays.has('2027-07-04')).toBe(true);
    expect(cal.get(calendarKey('north', 'ortho'))!.holidays.has('2027-03-22')).toBe(false);
  });

  const BAD: Array<[string, string, string]> = [
    ['a date that is not one', ics(['UID:a', 'DTSTART;VALUE=DATE:2027x704', 'SUMMARY:x']), 'configs/closed-days.ics:6:1 sites[0].holidays: DTSTART: "2027x704" is not a date; expected e.g. DTSTART;VALUE=DATE:20271225'],
    ['a day that does not exist', ics(['UID:a', 'SUMMARY:x', 'DTSTART;VALUE=DATE:20270230']), 'configs/closed-days.ics:7:1 sites[0].holidays: DTSTART: "20270230" is not a real date'],
    [
      'a meeting, not a whole day',
      ics(['UID:a', 'DTSTART:20270704T140000Z', 'SUMMARY:x']),
      'configs/closed-days.ics:6:1 sites[0].holidays: DTSTART: "20270704T140000Z": a holiday is a whole day; give a date, e.g. DTSTART;VALUE=DATE:20271225',
    ],
    ['an end before the start', ics(['UID:a', 'DTSTART;VALUE=DATE:20270704', 'DTEND;VALUE=DATE:20270701']), 'configs/closed-days.ics:7:1 sites[0].holidays: DTEND: "20270701" is not after DTSTART'],
    ['an event without a date', ics(['UID:a', 'SUMMARY:Closed']), 'configs/closed-days.ics:4:1 sites[0].holidays: this event has no DTSTART (the date the site is closed)'],
    ['a line that is not iCalendar', ics(['UID:a', 'DTSTART;VALUE=DATE:20270704', 'closed all day']), 'configs/closed-days.ics:7:1 sites[0].holidays: not an iCalendar line (NAME:value) "closed all day"'],
    ['a file cut short', ics(['UID:a', 'DTSTART;VALUE=DATE:20270704']).replace(/END:VEVENT\r\nEND:VCALENDAR\r\n$/, ''), 'configs/closed-days.ics:6:1 sites[0].holidays: a BEGIN: has no matching END: (the file is cut short?)'],
    ['not a calendar at all', 'date,name\n2027-07-04,Fourth\n', 'configs/closed-days.ics:1:1 sites[0].holidays: not an iCalendar file: it must start with BEGIN:VCALENDAR'],
    ['a calendar without events', ics(), 'configs/closed-days.ics:1:1 sites[0].holidays: the calendar has no events (VEVENT): no holidays in it'],
  ];
  it.each(BAD)('names the file, line and field: %s', async (_name, calendar, expected) => {
    const root = project(calendar);
    const r = await cli(['validate'], { cwd: root, env: BASE_ENV });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toContain(expected);
    // One problem, said once: the schema does not add its own on top.
    expect(r.stderr.trim().split('\n').at(-1)).toBe('1 problem in configs/audit.yaml');
  });

  it('a missing file is reported at the config\'s line', async () => {
    const root = project(GOOD, { holidays: 'holidays/2027.ics' });
    const r = await cli(['validate'], { cwd: root, env: BASE_ENV });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`configs/audit.yaml:39:15 sites[0].holidays: cannot read the holiday calendar ${join('configs', 'holidays/2027.ics')}: no such file`);
  });

  it('any other text is neither a list nor a calendar', async () => {
    const root = project(GOOD, { holidays: 'christmas' });
    const r = await cli(['validate'], { cwd: root, env: BASE_ENV });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/configs\/audit\.yaml:39:15 sites\[0\]\.holidays: must be a list of dates or an iCalendar file \(\.ics\)/);
  });
});
