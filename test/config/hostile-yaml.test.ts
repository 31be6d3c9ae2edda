import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BASE_CONFIG, BASE_ENV, BASE_INQUIRY } from '../fixtures/base-config.js';
import { cli } from '../helpers/cli.js';
import { tempTree } from '../helpers/tmp.js';

async function validateText(text: string | Buffer) {
  const root = tempTree({ 'configs/audit.yaml': text, 'probes/new-inquiry.yaml': BASE_INQUIRY });
  return cli(['validate'], { cwd: root, env: BASE_ENV });
}

describe('hostile YAML', () => {
  it('an alias bomb is refused, not expanded', async () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      bomb.push(`${cur}: &${cur} [${Array(10).fill('*' + prev).join(',')}]`);
    }
    const r = await validateText(BASE_CONFIG + bomb.join('\n') + '\n');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/configs\/audit\.yaml:1:1 too many alias expansions/);
  });

  it('deep nesting is refused with a position', async () => {
    let text = BASE_CONFIG + 'deep:\n';
    for (let i = 1; i <= 100; i++) text += '  '.repeat(i) + `k${i}:\n`;
    text += '  '.repeat(101) + 'end\n';
    const r = await validateText(text);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/configs\/audit\.yaml:\d+:\d+ deep(\.k\d+)+: nested more than 64 levels deep/);
  });

  it('deeply nested flow collections do not crash', async () => {
    const r = await validateText(BASE_CONFIG + 'x: ' + '['.repeat(50_000) + ']'.repeat(50_000) + '\n');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/configs\/audit\.yaml:\d+:\d+ /);
  });

  it('duplicate keys are named with their line', async () => {
    const r = await validateText(BASE_CONFIG.replace('  name: Jordan Avery\n', '  name: Jordan Avery\n  name: Someone Else\n'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('configs/audit.yaml:6:3 duplicate key (each key may appear once)');
  });

  it('__proto__ keys are refused and pollute nothing', async () => {
    const r = await validateText(BASE_CONFIG.replace('shopper:\n', 'shopper:\n  __proto__: { isAdmin: true }\n'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('configs/audit.yaml:5:3 shopper.__proto__: key "__proto__" is not allowed');
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it('non-UTF-8 bytes are reported with their line', async () => {
    const buf = Buffer.concat([Buffer.from(BASE_CONFIG.replace('North Clinic', 'North ')), Buffer.from([0xff, 0xfe, 0x0a])]);
    const r = await validateText(buf);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/configs\/audit\.yaml:\d+:\d+ file is not valid UTF-8 \(byte 0xff at offset \d+\)/);
  });

  it('a 50 MB file is refused without being read', async () => {
    const root = tempTree({ 'probes/new-inquiry.yaml': BASE_INQUIRY, 'configs/x': '' });
    const big = Buffer.alloc(50 * 1024 * 1024, 'a');
    writeFileSync(join(root, 'configs/audit.yaml'), big);
    const r = await cli(['validate'], { cwd: root, env: BASE_ENV });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('configs/audit.yaml:1:1 file is 50.0 MB; a config may be at most 2 MB');
  });

  it('a config that is not a mapping says so', async () => {
    const r = await validateText('- just\n- a list\n');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('configs/audit.yaml:1:1 must be a mapping (got a list)');
  });

  it('an empty file says what is required', async () => {
    const r = await validateText('');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/configs\/audit\.yaml:1:1 .*required|must be a mapping/);
  });

  it('a missing config file is a usage error', async () => {
    const root = tempTree();
    const r = await cli(['validate', 'nope.yaml'], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('config nope.yaml does not exist');
  });
});
