import { describe, expect, it } from 'vitest';
import { holidayDates, parseHours } from '../../src/config/hours.js';

describe('parseHours', () => {
  it('reads day ranges, several clauses, per-day overrides, breaks and closed days', () => {
    const h = parseHours('Mon-Thu 08:00-18:00, Fri 08:00-12:00 13:00-15:00, Sat closed');
    expect('error' in h).toBe(false);
    if ('error' in h) return;
    expect(h.week[0]).toEqual([{ start: 480, end: 1080 }]);
    expect(h.week[4]).toEqual([{ start: 480, end: 720 }, { start: 780, end: 900 }]);
    expect(h.week[5]).toEqual([]);
    expect(h.week[6]).toEqual([]);
    const o = parseHours('Mon-Fri 08:00-17:00, Fri 08:00-12:00');
    if ('error' in o) throw new Error(o.error);
    expect(o.week[4]).toEqual([{ start: 480, end: 720 }]);
    expect(o.week[3]).toEqual([{ start: 480, end: 1020 }]);
  });

  it('accepts day lists, full day names, 24:00 and a range past midnight', () => {
    const h = parseHours('Monday,Wed 00:00-24:00 Sat-Sun 20:00-02:00');
    if ('error' in h) throw new Error(h.error);
    expect(h.week[0]).toEqual([{ start: 0, end: 1440 }]);
    expect(h.week[2]).toEqual([{ start: 0, end: 1440 }]);
    expect(h.week[1]).toEqual([]);
    expect(h.week[5]).toEqual([{ start: 1200, end: 1560 }]);
  });

  it('names what is wrong', () => {
    expect(parseHours('Mon-Fri 25:00-17:00')).toEqual({ error: '"25:00-17:00": 25:00 is not a time of day (00:00 to 23:59)' });
    expect(parseHours('Mon-Fri 08:00-17:60')).toEqual({ error: '"08:00-17:60": 17:60 is not a time of day (00:00 to 24:00)' });
    expect(parseHours('Mnday 08:00-17:00')).toMatchObject({ error: expect.stringContaining('"Mnday" is not a weekday') });
    expect(parseHours('Mon-Fri 08:00')).toMatchObject({ error: expect.stringContaining('not a time range') });
    expect(parseHours('Sat')).toMatchObject({ error: expect.stringContaining('Sat has no opening times') });
    expect(parseHours('09:00-09:00')).toMatchObject({ error: expect.stringContaining('same time') });
    expect(parseHours('')).toMatchObject({ error: expect.stringContaining('empty') });
  });
});

describe('holidayDates', () => {
  it('reads plain dates and named ones alike', () => {
    expect(holidayDates(['2026-12-25', { date: '2026-12-26', name: 'Boxing Day' }])).toEqual(['2026-12-25', '2026-12-26']);
    expect(holidayDates(undefined)).toEqual([]);
  });
});
