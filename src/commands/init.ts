import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { SCAFFOLD_CONFIG, SCAFFOLD_INQUIRY } from '../config/scaffold.js';
import { toJsonSchema } from '../config/schema.js';
import type { CommandContext } from './context.js';

export interface InitOptions {
  dir?: string;
  force?: boolean;
  json?: boolean;
}

export async function init(ctx: CommandContext, opts: InitOptions): Promise<number> {
  const root = resolve(ctx.cwd, opts.dir ?? '.');
  const files = {
    [join(root, 'configs', 'audit.yaml')]: SCAFFOLD_CONFIG,
    [join(root, 'configs', 'respond-audit.schema.json')]: JSON.stringify(toJsonSchema(), null, 2) + '\n',
    [join(root, 'probes', 'new-inquiry.yaml')]: SCAFFOLD_INQUIRY,
  };
  const existing = Object.keys(files).filter((f) => existsSync(f) && !f.endsWith('.schema.json'));
  if (existing.length && !opts.force)
    throw new UsageError(`${existing.map((f) => relative(ctx.cwd, f)).join(', ')} already exist${existing.length === 1 ? 's' : ''}; use --force to overwrite`, 'EEXIST');
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(dirname(f), { recursive: true });
    writeFileSync(f, text);
  }
  mkdirSync(join(root, 'reports'), { recursive: true });
  const written = Object.keys(files).map((f) => relative(ctx.cwd, f) || f);
  if (opts.json) ctx.io.json({ written });
  else {
    for (const f of written) ctx.io.line(`wrote ${f}`);
    ctx.io.line(`next: edit ${written[0]}, then run \`respond-audit validate ${written[0]}\``);
  }
  return 0;
}
