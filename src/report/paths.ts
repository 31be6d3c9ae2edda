/**
 * Where report files go. A --out path is the user's and is taken as given; every file name
 * we derive ourselves (from the organization or a site name: "../x", "/etc/passwd", NUL bytes)
 * is reduced to one safe file name and must resolve inside the output folder.
 */
import { isAbsolute, relative, resolve } from 'node:path';

/** A single file-name component from any text: letters, digits, dot, dash, underscore. */
export function safeFileName(text: string, fallback = 'report'): string {
  const s = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/[-.]*-[-.]*/g, '-')
    .replace(/^[.-]+|[.-]+$/g, '')
    .slice(0, 80);
  return s || fallback;
}

/** `dir/name`, where name is made safe first; throws if it still would leave dir. */
export function pathInside(dir: string, name: string): string {
  const full = resolve(dir, safeFileName(name));
  const rel = relative(resolve(dir), full);
  if (!rel || rel.startsWith('..') || isAbsolute(rel)) throw new Error(`refusing to write outside ${dir}: ${JSON.stringify(name)}`);
  return full;
}

export const EXTENSION: Record<string, string> = { html: 'html', pdf: 'pdf', md: 'md', json: 'json', junit: 'xml', terminal: 'txt' };

/** The default file name of a report: `<organization>-<YYYY-MM-DD>.<ext>`. */
export function defaultReportName(organization: string, at: number, format: string): string {
  return `${safeFileName(organization, 'audit')}-${new Date(at).toISOString().slice(0, 10)}.${EXTENSION[format] ?? format}`;
}
