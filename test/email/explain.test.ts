/** `explain` prints exactly one JSON object with --json, and readable reasons without. */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { tempTree } from '../helpers/tmp.js';
import { REPLIES_DIR } from './corpus.js';
import { emailConfigYaml, INQUIRY } from './setup.js';

describe('respond-audit explain', () => {
  it('--json prints exactly {kind, passAlong, campaignAware, reasons}', async () => {
    const dir = tempTree({ 'configs/audit.yaml': emailConfigYaml({}), 'probes/new-inquiry.yaml': INQUIRY });
    copyFileSync(join(REPLIES_DIR, 'salesforce-agent-campaign.eml'), join(dir, 'reply.eml'));
    const r = await cli(['explain', 'reply.eml', '--config', 'configs/audit.yaml', '--json'], { cwd: dir, env: { TEST_SMTP_PASS: 'x', TEST_IMAP_PASS: 'y' } });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['kind', 'passAlong', 'campaignAware', 'reasons']);
    expect(out).toMatchObject({ kind: 'human', passAlong: false, campaignAware: true });
    expect(out.reasons.some((x: string) => /Spring Knee Check/.test(x))).toBe(true);
  });

  it('classifies a DSN as bounce and explains without a config', async () => {
    const dir = tempTree();
    copyFileSync(join(REPLIES_DIR, 'dsn-postfix.eml'), join(dir, 'bounce.eml'));
    const j = await cli(['explain', 'bounce.eml', '--json'], { cwd: dir });
    expect(JSON.parse(j.stdout)).toMatchObject({ kind: 'bounce', passAlong: false, campaignAware: false });
    const t = await cli(['explain', 'bounce.eml'], { cwd: dir });
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/kind: +bounce/);
    expect(t.stdout).toMatch(/delivery status notification/);
  });

  it('a missing file is a usage error (exit 2)', async () => {
    const r = await cli(['explain', 'nope.eml'], { cwd: tempTree() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read nope\.eml/);
  });
});
