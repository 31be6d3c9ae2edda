/** Walks the zod schema alongside data, to name the keys allowed at a path ("did you mean"). */
import type { z } from 'zod';
import type { PathSeg } from './positions.js';

type Def = { type: string; [k: string]: unknown };
const defOf = (s: unknown): Def => (s as { _zod: { def: Def } })._zod.def;

function unwrap(schema: unknown): unknown {
  let s = schema;
  for (let i = 0; i < 20; i++) {
    const d = defOf(s);
    if (d.type === 'optional' || d.type === 'default' || d.type === 'prefault' || d.type === 'nullable') s = d.innerType;
    else if (d.type === 'pipe') s = d.in;
    else return s;
  }
  return s;
}

function pickOption(schema: unknown, data: unknown): unknown {
  const d = defOf(schema);
  if (d.type !== 'union') return schema;
  const options = d.options as unknown[];
  const t = (data as { type?: unknown } | undefined)?.type;
  for (const o of options) {
    const od = defOf(unwrap(o));
    const shape = od.shape as Record<string, unknown> | undefined;
    const lit = shape?.type ? defOf(shape.type) : undefined;
    if (lit && Array.isArray(lit.values) && lit.values.includes(t)) return unwrap(o);
  }
  return undefined;
}

/** The object keys the schema accepts at `path` within `data`, or [] when unknown. */
export function keysAt(root: z.ZodType, path: readonly PathSeg[], data: unknown): string[] {
  let s: unknown = unwrap(root);
  let value: unknown = data;
  for (const seg of path) {
    s = pickOption(s, value);
    if (!s) return [];
    const d = defOf(s);
    if (d.type === 'object') s = unwrap((d.shape as Record<string, unknown>)[String(seg)]);
    else if (d.type === 'array') s = unwrap(d.element);
    else if (d.type === 'record') s = unwrap(d.valueType);
    else return [];
    if (!s) return [];
    value = (value as Record<string, unknown> | undefined)?.[seg as string];
  }
  s = pickOption(s, value);
  if (!s) return [];
  const d = defOf(s);
  return d.type === 'object' ? Object.keys(d.shape as object) : [];
}
