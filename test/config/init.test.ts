import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toJsonSchema } from '../../src/config/schema.js';
import { ROOT, cli } from '../helpers/cli.js';
import { tempTree } from '../helpers/tmp.js';

describe('init → validate', () => {
  it('writes a config and an inquiry that validate as they are', async () => {
    const root = tempTree();
    const init = await cli(['init'], { cwd: root });
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('wrote configs/audit.yaml');
    expect(init.stdout).toContain('wrote probes/new-inquiry.yaml');
    const text = readFileSync(join(root, 'configs/audit.yaml'), 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./respond-audit.schema.json');
    // Every top-level section is explained by a comment.
    expect(text).toMatch(/# The mystery shopper/);
    expect(text).toMatch(/# Rules that keep the audit from pestering anyone/);
    const v = await cli(['validate'], { cwd: root });
    expect(v.stderr).toBe('');
    expect(v.stdout.trim()).toBe('ok: 1 site, 1 service line, 2 entry points, 3 channels configured');
    expect(v.code).toBe(0);
  });

  it('refuses to overwrite without --force', async () => {
    const root = tempTree();
    await cli(['init'], { cwd: root });
    const again = await cli(['init'], { cwd: root });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exist');
    expect((await cli(['init', '--force'], { cwd: root })).code).toBe(0);
  });

  it('into a named folder, with --json', async () => {
    const root = tempTree();
    const r = await cli(['init', 'audit', '--json'], { cwd: root });
    expect(JSON.parse(r.stdout).written).toEqual([
      'audit/configs/audit.yaml',
      'audit/configs/respond-audit.schema.json',
      'audit/probes/new-inquiry.yaml',
    ]);
    expect((await cli(['validate', 'audit/configs/audit.yaml'], { cwd: root })).code).toBe(0);
  });
});

describe('the generated JSON Schema', () => {
  it('is in sync with the zod schema (run `npm run schema` after changing it)', () => {
    const committed = JSON.parse(readFileSync(join(ROOT, 'configs/respond-audit.schema.json'), 'utf8'));
    expect(committed).toEqual(toJsonSchema());
  });

  it('describes every property', () => {
    const missing: string[] = [];
    const walk = (node: unknown, path: string) => {
      if (!node || typeof node !== 'object') return;
      const n = node as { properties?: Record<string, { description?: string }>; items?: unknown; anyOf?: unknown[]; oneOf?: unknown[] };
      for (const [k, v] of Object.entries(n.properties ?? {})) {
        if (!v.description && !['type', 'id', 'name', 'start', 'end', 'email', 'responded', 'speed', 'human', 'ownership', 'followUp', 'campaign', 'phone'].includes(k))
          missing.push(`${path}.${k}`);
        walk(v, `${path}.${k}`);
      }
      walk(n.items, `${path}[]`);
      for (const o of [...(n.anyOf ?? []), ...(n.oneOf ?? [])]) walk(o, path);
    };
    walk(toJsonSchema(), '');
    expect(missing).toEqual([]);
  });
});
