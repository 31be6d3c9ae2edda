/** Turns zod issues into the messages users read. */
import type { z } from 'zod';
import type { ConfigIssue } from '../errors.js';
import type { PathSeg } from './positions.js';
import { keysAt } from './schema-walk.js';
import { closest } from './suggest.js';

type IssueAt = (path: readonly PathSeg[], message: string, opts?: { key?: boolean }) => ConfigIssue;

export function zodIssue(i: z.core.$ZodIssue, at: IssueAt, data: unknown, schema: z.ZodType): ConfigIssue[] {
  const path = i.path as PathSeg[];
  switch (i.code) {
    case 'unrecognized_keys':
      return i.keys.map((k) => {
        const hint = closest(k, keysAt(schema, path, data));
        return at([...path, k], `unknown key${hint ? ` (did you mean "${hint}"?)` : ''}`, { key: true });
      });
    case 'invalid_type': {
      const value = valueAt(data, path);
      if (value === undefined) return [at(path, 'is required')];
      return [at(path, `must be ${article(i.expected)} (got ${describe(value)})`)];
    }
    case 'invalid_union': {
      if (path[path.length - 1] === 'type') {
        const t = valueAt(data, path);
        return [at(path, t === undefined ? 'is required: webform, email, phone or sms' : `unknown entry point type ${describe(t)}; use webform, email, phone or sms`)];
      }
      const value = valueAt(data, path) as { type?: unknown } | undefined;
      if (value && typeof value === 'object' && 'type' in value)
        return [at([...path, 'type'], `unknown entry point type "${String(value.type)}"; use webform, email, phone or sms`)];
      if (value && typeof value === 'object') return [at(path, 'needs a type: webform, email, phone or sms')];
      return [at(path, `must be a mapping with a type (got ${describe(value)})`)];
    }
    case 'invalid_value':
      return [at(path, `must be ${i.values.map((v) => JSON.stringify(v)).join(' or ')}`)];
    case 'too_small':
      if (i.origin === 'array') return [at(path, `must have at least ${String(i.minimum)} item${Number(i.minimum) === 1 ? '' : 's'}`)];
      if (i.origin === 'string') return [at(path, 'must not be empty')];
      return [at(path, `must be at least ${String(i.minimum)}`)];
    case 'too_big':
      return [at(path, `must be at most ${String(i.maximum)}`)];
    default:
      return [at(path, i.message)];
  }
}

function valueAt(data: unknown, path: readonly PathSeg[]): unknown {
  let v = data;
  for (const seg of path) v = (v as Record<string | number, unknown> | undefined)?.[seg];
  return v;
}

function article(t: string): string {
  const names: Record<string, string> = { string: 'a string', number: 'a number', boolean: 'true or false', array: 'a list', object: 'a mapping', int: 'a whole number' };
  return names[t] ?? t;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `"${v.length > 40 ? v.slice(0, 40) + '…' : v}"`;
  return String(v);
}

