/**
 * `holidays: closed-days.ics` on a site or service line: the file is read (relative to the
 * config) and its dates put in place of the name, before the schema sees the config. A bad
 * file is reported at its own line and property ("holidays.ics:12:1 sites[0].holidays:
 * DTSTART ..."), a missing one at the config's line.
 */
import { isAbsolute, relative, resolve } from 'node:path';
import type { ConfigIssue } from '../errors.js';
import { readHolidayCalendar } from './holiday-calendar.js';
import { formatPath, type PathSeg } from './positions.js';

type IssueAt = (path: readonly PathSeg[], message: string) => ConfigIssue;

export function readHolidayFiles(value: unknown, configDir: string, cwd: string, issueAt: IssueAt): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const sites = (value as { sites?: unknown } | null)?.sites;
  if (!Array.isArray(sites)) return issues;
  const visit = (o: unknown, path: PathSeg[]) => {
    if (!o || typeof o !== 'object') return;
    const holder = o as { holidays?: unknown };
    const name = holder.holidays;
    if (typeof name !== 'string' || !/\.(ics|ical|icalendar)$/i.test(name)) return;
    const at = [...path, 'holidays'];
    const file = isAbsolute(name) ? name : resolve(configDir, name);
    const shown = relative(cwd, file) || file;
    const r = readHolidayCalendar(file);
    if ('unreadable' in r) issues.push(issueAt(at, `cannot read the holiday calendar ${shown}: ${r.unreadable}`));
    else if ('problems' in r)
      for (const p of r.problems)
        issues.push({ file: shown, line: p.line, col: 1, path: formatPath(at), message: p.field ? `${p.field}: ${p.message}` : p.message, severity: 'error' });
    else {
      holder.holidays = r.holidays;
      return;
    }
    // Reported once here; the schema must not add "was not read" on top.
    holder.holidays = [];
  };
  sites.forEach((site, si) => {
    visit(site, ['sites', si]);
    const lines = (site as { serviceLines?: unknown } | null)?.serviceLines;
    if (Array.isArray(lines)) lines.forEach((line, li) => visit(line, ['sites', si, 'serviceLines', li]));
  });
  return issues;
}
