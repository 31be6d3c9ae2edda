/**
 * 100 malformed configs fuzzed from a valid one: each must give a file:line:col error and
 * exit 2, never crash, and contact nothing (a loopback server standing in for every target
 * counts connections).
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_CONFIG, BASE_ENV, BASE_INQUIRY } from '../fixtures/base-config.js';
import { cli } from '../helpers/cli.js';
import { tempTree } from '../helpers/tmp.js';

let server: Server;
let port = 0;
let connections = 0;

beforeAll(async () => {
  server = createServer((s) => {
    connections++;
    s.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** The base config with every target on the counting server. */
function localBase(): string {
  return BASE_CONFIG.replace('https://north.example.org/contact', `http://127.0.0.1:${port}/contact`)
    .replace('host: smtp.example.net', `host: 127.0.0.1\n    port: ${port}\n    requireTLS: false`)
    .replace('host: imap.example.net', `host: 127.0.0.1\n    port: ${port}\n    secure: false`)
    .replace('    authToken: ${TEST_TWILIO_TOKEN}', `    authToken: \${TEST_TWILIO_TOKEN}\n    apiBaseUrl: http://127.0.0.1:${port}`)
    .replace('safety:\n', 'safety:\n  allowLocal: true\n');
}

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

type Mutation = (lines: string[], r: () => number) => string[] | null;
const pick = <T>(a: T[], r: () => number) => a[Math.floor(r() * a.length)]!;
const keyLines = (lines: string[]) => lines.map((l, i) => [l, i] as const).filter(([l]) => /^\s*(- )?[A-Za-z]\w*:/.test(l));

const MUTATIONS: Record<string, Mutation> = {
  misspellKey: (lines, r) => {
    const [l, i] = pick(keyLines(lines), r);
    const out = [...lines];
    out[i] = l.replace(/([A-Za-z]\w*):/, (_m, k: string) => `${k}x${k.length}:`);
    return out;
  },
  unknownKey: (lines, r) => {
    const [l, i] = pick(keyLines(lines).filter(([x]) => !x.trim().startsWith('- ') && /:\s*$/.test(x)), r);
    const indent = l.match(/^\s*/)![0] + '  ';
    const out = [...lines];
    out.splice(i + 1, 0, `${indent}zzUnknown${Math.floor(r() * 100)}: 1`);
    return out;
  },
  wrongTypeList: (lines, r) => {
    const cands = keyLines(lines).filter(([x]) => /:\s+["\w+$]/.test(x) && !/: \[/.test(x) && !/(keywords|domains|phones|doNotContact|expect):/.test(x));
    const [l, i] = pick(cands, r);
    const out = [...lines];
    out[i] = l.replace(/:\s+.*$/, ': { nested: [1, 2] }');
    return out;
  },
  tabIndent: (lines, r) => {
    const [l, i] = pick(keyLines(lines).filter(([x]) => /^\s+/.test(x)), r);
    const out = [...lines];
    out[i] = '\t' + l.trimStart();
    return out;
  },
  unclosedQuote: (lines, r) => {
    const [l, i] = pick(keyLines(lines).filter(([x]) => /:\s+"/.test(x)), r);
    const out = [...lines];
    out[i] = l.replace(/"([^"]*)"/, '"$1');
    return out;
  },
  unclosedFlow: (lines, r) => {
    const [l, i] = pick(keyLines(lines).filter(([x]) => /\[.*\]/.test(x)), r);
    const out = [...lines];
    out[i] = l.replace(/\]\s*$/, '');
    return out;
  },
  duplicateKeyLine: (lines, r) => {
    const [l, i] = pick(keyLines(lines).filter(([x]) => !x.trim().startsWith('- ') && /:\s+\S/.test(x)), r);
    const out = [...lines];
    out.splice(i + 1, 0, l);
    return out;
  },
  badDuration: (lines, r) => {
    const [l, i] = pick(keyLines(lines).filter(([x]) => /(firstResponse|humanResponse|holdPatience):/.test(x)), r);
    const out = [...lines];
    out[i] = l.replace(/:\s+.*$/, `: ${pick(['soon', '2 hours', '-5m', '5', 'h2'], r)}`);
    return out;
  },
  badPhone: (lines, r) => {
    const [l, i] = pick(keyLines(lines).filter(([x]) => /number:/.test(x)), r);
    const out = [...lines];
    out[i] = l.replace(/"\+\d+"/, `"${pick(['555-0100', '+1', '+999999', 'call us'], r)}"`);
    return out;
  },
  badUrl: (lines, r) => {
    const i = lines.findIndex((x) => /url:/.test(x));
    const out = [...lines];
    out[i] = out[i]!.replace(/url: .*$/, `url: "${pick(['javascript:alert(1)', 'file:///etc/passwd', 'data:text/html,x', 'ftp://x.org/', 'not a url'], r)}"`);
    return out;
  },
  nonUtf8: () => null, // handled separately (bytes)
};

const CASES = Array.from({ length: 100 }, (_, n) => {
  const names = Object.keys(MUTATIONS);
  return { n, op: names[n % names.length]!, seed: 1000 + n };
});

describe('100 fuzzed malformed configs', () => {
  it.each(CASES)('#$n $op', async ({ op, seed }) => {
    const r = rng(seed);
    const base = localBase();
    let content: string | Buffer;
    if (op === 'nonUtf8') {
      const lines = base.split('\n');
      const at = 1 + Math.floor(r() * (lines.length - 2));
      content = Buffer.concat([Buffer.from(lines.slice(0, at).join('\n') + '\n'), Buffer.from([0xc3, 0x28]), Buffer.from(lines.slice(at).join('\n'))]);
    } else {
      const mutated = MUTATIONS[op]!(base.split('\n'), r);
      content = mutated!.join('\n');
    }
    const root = tempTree({ 'configs/audit.yaml': content, 'probes/new-inquiry.yaml': BASE_INQUIRY });
    const before = connections;
    const res = await cli(['run'], { cwd: root, env: BASE_ENV });
    expect(res.code, res.stderr).toBe(2);
    expect(res.stderr.split('\n')[0]).toMatch(/^configs\/audit\.yaml:\d+:\d+ \S/);
    expect(res.stderr).not.toMatch(/internal error/);
    expect(connections).toBe(before);
    expect(existsSync(join(root, 'configs', 'respond-audit.db'))).toBe(false);
  });

  it('the unmutated base, with every target local, is valid (so the mutations are what fails)', async () => {
    const root = tempTree({ 'configs/audit.yaml': localBase(), 'probes/new-inquiry.yaml': BASE_INQUIRY });
    const res = await cli(['validate'], { cwd: root, env: BASE_ENV });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
  });
});
