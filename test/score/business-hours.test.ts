import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { parseHours } from '../../src/config/hours.js';
import { businessMs, isOpen, type BusinessCalendar } from '../../src/score/business-hours.js';

const H = 3_600_000;
const MIN = 60_000;

function cal(hours: string, zone = 'America/Chicago', holidays: string[] = []): BusinessCalendar {
  const h = parseHours(hours);
  if ('error' in h) throw new Error(h.error);
  return { hours: h, zone, holidays: new Set(holidays) };
}
/** An instant given as local wall-clock time in the zone. */
const at = (local: string, zone = 'America/Chicago') => DateTime.fromISO(local, { zone }).toMillis();

describe('businessMs', () => {
  const weekdays = cal('Mon-Fri 08:00-17:00');

  it('counts only the open part of a working day', () => {
    // Tuesday 2026-03-03 10:00 → 15:30
    expect(businessMs(weekdays, at('2026-03-03T10:00'), at('2026-03-03T15:30'))).toBe(5.5 * H);
    expect(businessMs(weekdays, at('2026-03-03T15:30'), at('2026-03-03T10:00'))).toBe(0);
  });

  it('an inquiry sent overnight counts from opening time', () => {
    // Tue 22:00 → Wed 09:15: only Wed 08:00-09:15 was open.
    expect(businessMs(weekdays, at('2026-03-03T22:00'), at('2026-03-04T09:15'))).toBe(75 * MIN);
    // Tue 16:00 → Wed 09:00: one hour each side of the night.
    expect(businessMs(weekdays, at('2026-03-03T16:00'), at('2026-03-04T09:00'))).toBe(2 * H);
  });

  it('skips the weekend, and an inquiry sent while closed answered before opening is 0', () => {
    // Fri 16:00 → Mon 09:00 = 1 h + 1 h.
    expect(businessMs(weekdays, at('2026-03-06T16:00'), at('2026-03-09T09:00'))).toBe(2 * H);
    // Sat 10:00 → Sun 18:00: closed throughout.
    expect(businessMs(weekdays, at('2026-03-07T10:00'), at('2026-03-08T18:00'))).toBe(0);
    expect(isOpen(weekdays, at('2026-03-07T10:00'))).toBe(false);
    expect(isOpen(weekdays, at('2026-03-06T10:00'))).toBe(true);
  });

  it('skips holidays (local dates)', () => {
    const july = cal('Mon-Fri 08:00-17:00', 'America/Chicago', ['2026-07-03']);
    // Thu 2026-07-02 16:00 → Mon 07-06 09:00: Thu 1 h, Fri a holiday, Mon 1 h.
    expect(businessMs(july, at('2026-07-02T16:00'), at('2026-07-06T09:00'))).toBe(2 * H);
    expect(businessMs(weekdays, at('2026-07-02T16:00'), at('2026-07-06T09:00'))).toBe(11 * H);
  });

  it('keeps local opening times across DST changes', () => {
    const always = cal('00:00-24:00');
    // US spring forward on Sun 2026-03-08: that local day has 23 hours.
    expect(businessMs(always, at('2026-03-08T00:00'), at('2026-03-09T00:00'))).toBe(23 * H);
    // Fall back on Sun 2026-11-01: 25 hours.
    expect(businessMs(always, at('2026-11-01T00:00'), at('2026-11-02T00:00'))).toBe(25 * H);
    // A site open 01:00-04:00 on the spring-forward day was open 2 real hours.
    const night = cal('Sun 01:00-04:00');
    expect(businessMs(night, at('2026-03-08T00:00'), at('2026-03-08T12:00'))).toBe(2 * H);
    // Opening 08:00 local stays 08:00 local on the Monday after: Fri 16:00 → Mon 09:00 is 2 h.
    expect(businessMs(weekdays, at('2026-03-06T16:00'), at('2026-03-09T09:00'))).toBe(2 * H);
  });

  it('counts a range that runs past midnight, on the day it started', () => {
    const bar = cal('Fri-Sat 20:00-02:00');
    // Sat 01:00 → Sat 21:00: Friday's night until 02:00 (1 h) + Saturday from 20:00 (1 h).
    expect(businessMs(bar, at('2026-03-07T01:00'), at('2026-03-07T21:00'))).toBe(2 * H);
  });

  it('gives the same figure in every timezone for the same local hours', () => {
    const tokyo = cal('Mon-Fri 09:00-18:00', 'Asia/Tokyo');
    const london = cal('Mon-Fri 09:00-18:00', 'Europe/London');
    const from = (z: string) => at('2026-03-06T17:00', z);
    const to = (z: string) => at('2026-03-09T10:00', z);
    expect(businessMs(tokyo, from('Asia/Tokyo'), to('Asia/Tokyo'))).toBe(2 * H);
    expect(businessMs(london, from('Europe/London'), to('Europe/London'))).toBe(2 * H);
    // The same instants seen from London are a different share of Tokyo's week.
    expect(businessMs(tokyo, from('Europe/London'), to('Europe/London'))).not.toBe(2 * H);
  });

  it('takes weekends, holidays and DST from each site\'s own calendar, not UTC\'s', () => {
    const tokyo = cal('Mon-Fri 09:00-18:00', 'Asia/Tokyo', ['2027-01-01']);
    const berlin = cal('Mon-Fri 09:00-18:00', 'Europe/Berlin', ['2027-01-01']);
    const utc = (iso: string) => DateTime.fromISO(iso, { zone: 'UTC' }).toMillis();
    // Thu 31 Dec 2026 23:00 UTC is already New Year's Day (a holiday) in Tokyo, still Thursday
    // evening (closed) in Berlin. Answered Mon 4 Jan 01:00 UTC: 10:00 in Tokyo, 02:00 in Berlin.
    const sent = utc('2026-12-31T23:00');
    const answered = utc('2027-01-04T01:00');
    expect(businessMs(tokyo, sent, answered)).toBe(1 * H);
    expect(businessMs(berlin, sent, answered)).toBe(0);
    // Fri 8 Jan 20:00 UTC is Saturday 05:00 in Tokyo (the weekend), Friday 21:00 in Berlin (closed).
    expect(isOpen(tokyo, utc('2027-01-08T20:00'))).toBe(false);
    expect(isOpen(berlin, utc('2027-01-08T08:30'))).toBe(true); // 09:30 in Berlin
    expect(isOpen(tokyo, utc('2027-01-08T08:30'))).toBe(true); // 17:30 in Tokyo
    expect(isOpen(tokyo, utc('2027-01-08T09:30'))).toBe(false); // 18:30 in Tokyo
    // Europe changes to summer time on Sun 28 Mar 2027, two weeks after the US: opening stays
    // 09:00 local, so Fri 17:00 → Mon 10:00 in Berlin is 2 h, though 64 h by the clock (not 65).
    const fri = at('2027-03-26T17:00', 'Europe/Berlin');
    const mon = at('2027-03-29T10:00', 'Europe/Berlin');
    expect(mon - fri).toBe(64 * H);
    expect(businessMs(berlin, fri, mon)).toBe(2 * H);
    // Tokyo has no DST: the same local times are 65 h apart there.
    expect(at('2027-03-29T10:00', 'Asia/Tokyo') - at('2027-03-26T17:00', 'Asia/Tokyo')).toBe(65 * H);
  });
});
