/**
 * The few SQL fragments that differ between SQLite and PostgreSQL, each written out for both
 * engines (no translation of whole statements). Everything else the queries use is common
 * SQL: ON CONFLICT … DO NOTHING / DO UPDATE SET x = excluded.x, RETURNING, partial indexes,
 * lower(), COALESCE, CASE. Aliases that keep capitals are double-quoted (PostgreSQL folds
 * unquoted names to lower case).
 */
import type { Connection } from './connection.js';

/**
 * `IN <this>` against a list passed as one JSON array parameter (one statement text whatever
 * the list's length). `int` for id columns.
 */
export function jsonList(c: Connection, type: 'int' | 'text' = 'int'): string {
  if (c.dialect === 'sqlite') return '(SELECT value FROM json_each(?))';
  return type === 'int' ? '(SELECT v::BIGINT FROM json_array_elements_text(?::json) AS t(v))' : '(SELECT v FROM json_array_elements_text(?::json) AS t(v))';
}

/** A JSON text column's number or boolean (as 1/0) at a top-level key; NULL otherwise. */
export function jsonNum(c: Connection, column: string, key: string): string {
  return c.dialect === 'sqlite' ? `json_extract(${column}, '$.${key}')` : `ra_json_num(${column}, '${key}')`;
}

/** `LIMIT ?`'s argument for "no limit". */
export function noLimit(c: Connection): number | null {
  return c.dialect === 'sqlite' ? -1 : null;
}
