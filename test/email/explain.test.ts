/** `explain` prints exactly one JSON object with --json, and readable reasons without. */
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { tempTree } from '../helpers/tmp.js';
import { REPLIES_DIR } from './corpus.js';
import { emailConfigYaml, INQUIRY } from './setup.js';

describe('respond-audit explain', () => {
  it('--json prints one object with the verdict, its confidence and reasons', async () => {
    const dir = tempTree({ 'configs/audit.yaml': emailConfigYaml({}), 'probes/new-inquiry.yaml': INQUIRY });
    copyFileSync(join(REPLIES_DIR, 'salesforce-agent-campaign.eml'), join(dir, 'reply.eml'));
    const r = await cli(['explain', 'reply.eml', '--config', 'configs/audit.yaml', '--json'], { cwd: dir, env: { TEST_SMTP_PASS: 'x', TEST_IMAP_PASS: 'y' } });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['file', 'kind', 'passAlong', 'campaignAware', 'stopRequest', 'confidence', 'needsReview', 'reasons']);
    expect(out.confidence).toBeGreaterThan(0);
    expect(out.confidence).toBeLessThanOrEqual(1);
    expect(out.needsReview).toBe(out.confidence < 0.7);
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

  it('several files: one JSON object per line, each naming its file; the default config is used when it exists', async () => {
    const dir = tempTree({ 'configs/audit.yaml': emailConfigYaml({}), 'probes/new-inquiry.yaml': INQUIRY });
    copyFileSync(join(REPLIES_DIR, 'salesforce-agent-campaign.eml'), join(dir, 'a.eml'));
    copyFileSync(join(REPLIES_DIR, 'dsn-postfix.eml'), join(dir, 'b.eml'));
    const r = await cli(['explain', 'a.eml', 'b.eml', '--json'], { cwd: dir, env: { TEST_SMTP_PASS: 'x', TEST_IMAP_PASS: 'y' } });
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.file, l.kind])).toEqual([['a.eml', 'human'], ['b.eml', 'bounce']]);
    // The default config's campaign was read: the agent's reply names it.
    expect(lines[0].campaignAware).toBe(true);
  });

  it('without any config it classifies without context and says so; --sent-at weighs the time to reply', async () => {
    const dir = tempTree();
    copyFileSync(join(REPLIES_DIR, 'zendesk-ack.eml'), join(dir, 'ack.eml'));
    const plain = JSON.parse((await cli(['explain', 'ack.eml', '--json'], { cwd: dir })).stdout);
    expect(plain.kind).toBe('auto-ack');
    expect(plain.reasons.some((x: string) => /classified without context/.test(x))).toBe(true);
    const date = /^Date: (.+)$/m.exec(readFileSync(join(dir, 'ack.eml'), 'utf8'))![1]!;
    const sentAt = new Date(Date.parse(date) - 20_000).toISOString();
    const timed = JSON.parse((await cli(['explain', 'ack.eml', '--json', '--sent-at', sentAt], { cwd: dir })).stdout);
    expect(timed.reasons.some((x: string) => /within two minutes of the inquiry/.test(x))).toBe(true);
    expect(timed.confidence).toBeGreaterThanOrEqual(plain.confidence);
    const bad = await cli(['explain', 'ack.eml', '--sent-at', 'yesterday-ish'], { cwd: dir });
    expect(bad.code).toBe(2);
  });

  it('refuses a file that is not a message, naming it (exit 2)', async () => {
    const dir = tempTree({ 'notes.txt': 'Just some notes about the audit.\nNothing here is a header.\n', 'blob.eml': '\u0000\u0001binary' });
    for (const f of ['notes.txt', 'blob.eml']) {
      const r = await cli(['explain', f, '--json'], { cwd: dir });
      expect(r.code, f).toBe(2);
      expect(r.stderr).toContain(`${f} is not an email message`);
      expect(r.stdout).toBe('');
    }
  });

  it('a missing file is a usage error (exit 2)', async () => {
    const r = await cli(['explain', 'nope.eml'], { cwd: tempTree() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read nope\.eml/);
  });
});
