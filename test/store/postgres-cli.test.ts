/**
 * The CLI on a PostgreSQL store, as a user runs it: `demo --store postgres://…` (run, collect
 * and report of the sandbox organization), then `status` and `report` of the demo config
 * through RESPOND_AUDIT_STORE_URL; a password in the URL is never printed; a password written
 * in the config is refused (exit 2, file:line); an unreachable server is exit 3 naming host
 * and port. Uses the built CLI (`npm run build`).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../src/sandbox/dovecot.js';
import { Store } from '../../src/store/store.js';
import { ROOT, cliProcess } from '../helpers/cli.js';
import { usePostgres } from '../helpers/postgres.js';
import { tempTree } from '../helpers/tmp.js';
import { INQUIRY } from '../plan/helpers.js';

const pg = usePostgres();
const DEMO_CONFIG = join(ROOT, 'configs/demo.yaml');

interface Report {
  overall: { grade: number };
  sites: Array<{ id: string; stats: { grade: number | null } }>;
}
const config = (url: string) => `organization: X
shopper: { name: Jordan Avery, email: "jordan+{token}@example.net" }
channels: { browser: { timeout: 4s } }
safety: { allowLocal: true }
store:
  url: ${url}
sites:
  - id: s
    name: Site
    serviceLines: [{ id: l, name: Line, entryPoints: [{ type: webform, url: "http://127.0.0.1:9/contact" }] }]
`;
const grades = (r: Report) => Object.fromEntries(r.sites.map((s) => [s.id, s.stats.grade]));

describe('the CLI on a PostgreSQL store', () => {
  it('runs the demo (run, collect, report) and reads it back with status and report', { timeout: 300_000 }, async () => {
    // The password is accepted by the trust-auth cluster; it must never be printed.
    const url = pg.cluster.freshDatabase().replace('ra@', 'ra:Pw-never-shown-42@');
    const demo = await cliProcess(['demo', '--json', '--out', join(tempTree(), 'demo.html'), '--store', url], { cwd: ROOT, timeoutMs: 240_000 });
    expect(demo.code, demo.stderr).toBe(0);
    const report = JSON.parse(demo.stdout) as Report;
    // What test/demo/demo.test.ts holds the SQLite demo to.
    expect(grades(report).riverside).toBeGreaterThanOrEqual(90);
    expect(grades(report).north).toBeLessThan(40);

    const store = new Store(url);
    expect(store.engine).toBe('postgres');
    const probes = store.listProbes();
    expect(probes).toHaveLength(14);
    expect(probes.filter((p) => p.status === 'submitted')).toHaveLength(13);
    expect(probes.find((p) => p.entryKey === 'east/orthopedics/webform')).toMatchObject({ status: 'not-sent', outcome: 'blocked' });
    const control = probes.find((p) => p.entryKey === 'riverside/orthopedics/webform')!;
    expect(store.eventsForProbe(control.id).map((e) => e.kind)).toEqual(expect.arrayContaining(['auto-ack', 'human-reply', 'callback']));
    store.close();

    const env = { RESPOND_AUDIT_STORE_URL: url };
    const status = await cliProcess(['status', DEMO_CONFIG, '--json', '--debug'], { cwd: ROOT, env });
    expect(status.code, status.stderr).toBe(0);
    expect((JSON.parse(status.stdout) as { runs: unknown[] }).runs).toHaveLength(1);
    const again = await cliProcess(['report', DEMO_CONFIG, '--format', 'json'], { cwd: ROOT, env });
    expect(again.code, again.stderr).toBe(0);
    expect(grades(JSON.parse(again.stdout) as Report)).toEqual(grades(report));
    for (const out of [demo.stdout, demo.stderr, status.stdout, status.stderr, again.stdout, again.stderr]) expect(out).not.toContain('Pw-never-shown-42');
    expect(status.stderr).toContain(`store postgres://ra@127.0.0.1:${pg.cluster.port}/`);
  });

  it('refuses a password written in the config, naming file, line and field', async () => {
    const url = pg.cluster.freshDatabase();
    const cwd = tempTree({
      'configs/audit.yaml': config(url.replace('ra@', 'ra:written-here@')),
      'probes/new-inquiry.yaml': INQUIRY,
    });
    const r = await cliProcess(['status', 'configs/audit.yaml'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/configs\/audit\.yaml:6:\d+ store\.url: the password is written in the file/);
    expect(r.stderr).not.toContain('written-here');
    // The same URL with the password from the environment is fine.
    const ok = tempTree({
      'configs/audit.yaml': config(url.replace('ra@', 'ra:${STORE_PASSWORD}@')),
      'probes/new-inquiry.yaml': INQUIRY,
    });
    const r2 = await cliProcess(['status', 'configs/audit.yaml', '--debug'], { cwd: ok, env: { STORE_PASSWORD: 'from-the-env-77' } });
    expect(r2.code, r2.stderr).toBe(0);
    expect(r2.stdout + r2.stderr).not.toContain('from-the-env-77');
  });

  it('an unreachable database is exit 3, naming host and port', async () => {
    const port = await freePort();
    const r = await cliProcess(['status', DEMO_CONFIG], { cwd: ROOT, env: { RESPOND_AUDIT_STORE_URL: `postgres://ra:pw-xyz-9@127.0.0.1:${port}/audit` } });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`127.0.0.1:${port}/audit`);
    expect(r.stderr).not.toContain('pw-xyz-9');
  });
});
