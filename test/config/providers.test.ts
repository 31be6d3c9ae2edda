/** Provider presets: what `provider:` fills, what the user's own keys override, the docs' table, doctor's placeholder check. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImapCollector } from '../../src/collect/imap.js';
import { fixedClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config/load.js';
import { PROVIDERS, type ProviderId } from '../../src/config/providers.js';
import { BASE_CONFIG, BASE_ENV, BASE_INQUIRY } from '../fixtures/base-config.js';
import { cli, ROOT } from '../helpers/cli.js';
import { tempTree } from '../helpers/tmp.js';

function withChannels(smtp: string, imap: string): string {
  return BASE_CONFIG.replace(/ {2}smtp:\n(?: {4}.*\n)+/, `  smtp:\n${smtp}`).replace(/ {2}imap:\n(?: {4}.*\n)+/, `  imap:\n${imap}`);
}

function load(text: string) {
  const root = tempTree({ 'configs/audit.yaml': text, 'probes/new-inquiry.yaml': BASE_INQUIRY });
  return loadConfig(join(root, 'configs/audit.yaml'), { cwd: root, env: BASE_ENV });
}

describe('provider presets', () => {
  it('fill host, port, TLS and the Junk folder; keys set by hand win', () => {
    const r = load(withChannels('    provider: microsoft365\n    user: j@example.net\n    pass: ${TEST_SMTP_PASS}\n', '    provider: gmail\n    user: j@example.net\n    port: 1993\n    pass: ${TEST_IMAP_PASS}\n'));
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    const { smtp, imap } = r.loaded.config.channels;
    expect(smtp).toMatchObject({ provider: 'microsoft365', host: 'smtp.office365.com', port: 587, secure: false });
    expect(imap).toMatchObject({ provider: 'gmail', host: 'imap.gmail.com', port: 1993, secure: true, junkFolder: '[Gmail]/Spam' });
  });

  it('an unknown provider is an error naming the line and the known ones', () => {
    const r = load(withChannels('    provider: gmial\n    user: j@example.net\n', '    host: imap.example.net\n    user: j@example.net\n'));
    expect(r.ok).toBe(false);
    const issue = !r.ok ? r.issues.find((i) => i.path === 'channels.smtp.provider') : undefined;
    expect(issue?.line).toBe(21);
    expect(issue?.message).toContain('"gmail"');
  });

  it('the docs table says what the presets fill', () => {
    const doc = readFileSync(join(ROOT, 'docs/accounts.md'), 'utf8');
    for (const [id, p] of Object.entries(PROVIDERS) as Array<[ProviderId, (typeof PROVIDERS)[ProviderId]]>) {
      const tls = (x: { port: number; secure: boolean }) => `${x.port} ${x.secure ? 'TLS' : 'STARTTLS'}`;
      const row = `| \`${id}\` | ${p.imap.host}:${tls(p.imap)} | ${p.smtp.host}:${tls(p.smtp)} | ${p.junkFolder} | ${p.plusAddressing} | ${p.sendingLimit} | ${p.signIn} |`;
      expect(doc).toContain(row);
    }
  });

  it('the Junk folder by its name when the server does not mark it special-use', () => {
    const r = load(withChannels('    host: smtp.example.net\n    user: j@example.net\n', '    provider: yahoo\n    user: j@example.net\n'));
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    const c = new ImapCollector({ loaded: r.loaded, store: undefined as never, clock: fixedClock(0), env: {}, log: () => undefined, signal: new AbortController().signal });
    const notes: string[] = [];
    const list = [{ path: 'INBOX' }, { path: 'Bulk' }, { path: 'Sent', specialUse: '\\Sent' }] as never;
    expect(c.resolveMailboxes(list, notes).map((m) => m.path)).toEqual(['INBOX', 'Bulk']);
    expect(notes).toEqual([]);
  });
});

describe('doctor and placeholder hosts', () => {
  it('refuses the scaffold\'s example hosts without looking them up, and says what to set', async () => {
    const root = tempTree();
    await cli(['init'], { cwd: root });
    const r = await cli(['doctor', '--json'], { cwd: root, env: { RESPOND_AUDIT_SMTP_PASS: 'x', RESPOND_AUDIT_IMAP_PASS: 'y' } });
    expect(r.code).toBe(3);
    const checks = (JSON.parse(r.stdout) as { checks: Array<{ name: string; status: string; detail: string; fix?: string }> }).checks;
    for (const kind of ['smtp', 'imap']) {
      const c = checks.find((x) => x.name === kind)!;
      expect(c).toMatchObject({ status: 'fail', detail: `channels.${kind}.host is a placeholder (${kind}.example.net), not looked up` });
      expect(c.fix).toContain('provider: gmail');
    }
    expect(r.stdout).not.toMatch(/ENOTFOUND|getaddrinfo|EAI_AGAIN/);
  });
});
