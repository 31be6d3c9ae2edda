/**
 * `run --collect-for`: submit, then keep collecting; a reply that arrives while it watches
 * is stored and attributed before the command ends.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoOrganization, type DemoOrganization } from '../../src/sandbox/demo-org.js';
import { Store } from '../../src/store/store.js';
import { BIN, ROOT } from '../helpers/cli.js';
import { tempTree } from '../helpers/tmp.js';

let org: DemoOrganization;
let offset = 0;
const clock = { now: () => Date.now() + offset };

beforeAll(async () => {
  org = await startDemoOrganization(clock);
}, 60_000);
afterAll(() => org?.close());

describe('run --collect-for', () => {
  it('submits, then stores the reply that comes in while it watches', { timeout: 120_000 }, async () => {
    const cwd = tempTree();
    mkdirSync(join(cwd, 'configs'));
    mkdirSync(join(cwd, 'probes'));
    copyFileSync(join(ROOT, 'configs/demo.yaml'), join(cwd, 'configs/audit.yaml'));
    copyFileSync(join(ROOT, 'probes/new-inquiry.yaml'), join(cwd, 'probes/new-inquiry.yaml'));
    const storePath = join(cwd, 'audit.db');
    const child = spawn(process.execPath, [BIN, 'run', '--only', 'email', '--site', 'riverside', '--collect-for', '20s', '--json'], {
      cwd,
      env: { ...process.env, ...org.env, RESPOND_AUDIT_STORE: storePath, CI: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number>((r) => child.on('close', (c) => r(c ?? -1)));

    // When the inquiry has reached the organization and the command is watching, an hour
    // passes for the organization's people and the reply is delivered.
    while (!org.mail.received.length || !stderr.includes('watching for replies')) await new Promise((r) => setTimeout(r, 100));
    offset = 60 * 60_000;
    expect(await org.deliverDue()).toBe(1);

    expect(await exited, stderr).toBe(0);
    const out = JSON.parse(stdout) as { run: { runId: number; probes: Array<{ status: string }> }; sources: Array<{ source: string; added: number; attributed: number }> };
    expect(out.sources.find((s) => s.source === 'imap')).toMatchObject({ added: 1, attributed: 1 });
    // The run's own summary is kept beside the collect's, in the one JSON document.
    expect(out.run.runId).toBeGreaterThan(0);
    expect(out.run.probes.map((p) => p.status)).toEqual(['submitted']);
    const store = new Store(storePath);
    const [probe] = store.listProbes();
    expect(probe).toMatchObject({ entryKey: 'riverside/cardiology/email', status: 'submitted' });
    const [reply] = store.eventsForProbe(probe!.id);
    expect(reply).toMatchObject({ kind: 'human-reply', attribution: 'exact', campaignAware: true });
    store.close();
  });
});
