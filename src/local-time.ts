/**
 * Moments as a site's people read them, in the site's own timezone with its abbreviation
 * ("Wed 25 Nov 08:00 CST", "17:00 CEST"), shared by the report, `plan` and `status`. Never the
 * machine's zone, so output stays reproducible. en-US names American zones, en-GB European
 * ones; elsewhere the offset ("GMT+5:30") is what both print.
 */
import { DateTime } from 'luxon';

export function localText(ms: number, zone: string, format: string): string {
  let t = DateTime.fromMillis(ms, { zone });
  // An unknown zone name (a store older than its config) falls back to UTC rather than "Invalid DateTime".
  if (!t.isValid) t = DateTime.fromMillis(ms, { zone: 'UTC' });
  const us = t.setLocale('en-US').toFormat(format);
  if (!format.includes('ZZZZ') || !/GMT[+-]/.test(us)) return us;
  const gb = t.setLocale('en-GB').toFormat(format);
  return /GMT[+-]/.test(gb) ? us : gb;
}
