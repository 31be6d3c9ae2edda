/**
 * Staff names, numbers and addresses in a real reply (sent by the sandbox front desk into
 * Dovecot, collected by `collect`) are redacted in every report format by default, and
 * shown with --no-redact (the HTML report is the one that quotes reply excerpts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactExcerpt } from '../../src/report/redact.js';
import { cli } from '../helpers/cli.js';
import { orgWorkspace, startSmallOrg, type SmallOrg } from './org.js';

const REPLY = [
  'Hi Jordan,',
  '',
  'This is Dana Whitfield from Patient Access. I can offer Tuesday at 10:30 am for the Spring Knee Check screening.',
  'You can reach me directly at (312) 555-0187 or dana.whitfield@north.example.org, or ask for Marcus Lee at the desk.',
  '',
  'Dana Whitfield, Patient Access',
  'North Orthopedics | 312.555.0187',
].join('\n');
const PERSONAL = ['Whitfield', 'Dana', 'Marcus', '555-0187', '555.0187', 'dana.whitfield@'];

let org: SmallOrg;
beforeAll(async () => {
  org = await startSmallOrg({
    creds: { imapUser: 'shopper', imapPass: 'imap-pass-1', smtpUser: 'jordan', smtpPass: 'smtp-pass-1', accountSid: 'AC' + 'ab'.repeat(16), authToken: 'token-1234' },
    scripts: {
      'ortho@north.example.org': {
        from: 'Dana Whitfield <dana.whitfield@north.example.org>',
        replies: [{ style: 'human', after: 0, text: REPLY }],
      },
    },
  });
});
afterAll(async () => {
  await org?.close();
});

describe('staff personal data in reply excerpts', () => {
  it('a closing name line and a sentence-initial "This is <name>" count as personal data', () => {
    expect(redactExcerpt(REPLY, true)).toBe(
      'Hi Jordan,\n\nThis is [name] from Patient Access. I can offer Tuesday at 10:30 am for the Spring Knee Check screening.\n' +
        'You can reach me directly at [phone] or [email]@north.example.org, or ask for [name] at the desk.\n[signature removed]',
    );
    // The sandbox front desk's own signature: the staff line after the body, then the quote.
    const desk = 'Hi Jordan,\n\nI can offer Tuesday at 10:30 am. Would that work for you?\n\nDana Whitfield, Patient Access\n\nOn Tue, 02 Mar 2027 15:00:00 GMT, Jordan Avery wrote:\n> Hello';
    expect(redactExcerpt(desk, true)).toBe('Hi Jordan,\n\nI can offer Tuesday at 10:30 am. Would that work for you?\n[signature removed]\n[quoted text omitted]');
    // A last paragraph that says something is not a signature.
    expect(redactExcerpt('Hi Jordan,\n\nTuesday works.\n\nWould 10:30 suit you?', true)).toBe('Hi Jordan,\n\nTuesday works.\n\nWould 10:30 suit you?');
  });

  it('is redacted in html, md, json, junit and terminal reports by default, and shown with --no-redact', { timeout: 120_000 }, async () => {
    const cwd = orgWorkspace(org);
    const env = org.env;
    const run = await cli(['run', 'configs/audit.yaml', '--only', 'email'], { cwd, env });
    expect(run.code, run.stderr).toBe(0);
    const col = await cli(['collect', 'configs/audit.yaml', '--json'], { cwd, env });
    expect(col.code, col.stderr).toBe(0);
    expect(JSON.parse(col.stdout).sources.find((s: { source: string }) => s.source === 'imap')).toMatchObject({ added: 1, attributed: 1 });

    const out: Record<string, string> = {};
    for (const format of ['html', 'md', 'json', 'junit']) {
      const r = await cli(['report', 'configs/audit.yaml', '--format', format, '--out', `reports/r.${format}`], { cwd, env });
      expect(r.code, r.stderr).toBe(0);
      out[format] = readFileSync(join(cwd, `reports/r.${format}`), 'utf8');
    }
    const term = await cli(['report', 'configs/audit.yaml'], { cwd, env });
    expect(term.code, term.stderr).toBe(0);
    out.terminal = term.stdout;
    // The reply is in the HTML report, with its personal data replaced.
    expect(out.html).toContain('This is [name] from Patient Access');
    expect(out.html).toContain('[phone]');
    expect(out.html).toContain('[email]@north.example.org');
    // The signature block is not part of what the writer said: the excerpt stops before it
    // (redactExcerpt's own signature rule is tested above), so neither report shows it.
    expect(out.html).toContain('ask for [name] at the desk.');
    expect(out.html).not.toContain('North Orthopedics | ');
    expect(out.html).toContain('[redacted]@north.example.org');
    for (const [format, text] of Object.entries(out))
      for (const p of PERSONAL) expect(text.includes(p), `${format} report shows "${p}"`).toBe(false);

    const open = await cli(['report', 'configs/audit.yaml', '--format', 'html', '--no-redact', '--out', 'reports/open.html'], { cwd, env });
    expect(open.code, open.stderr).toBe(0);
    const html = readFileSync(join(cwd, 'reports/open.html'), 'utf8');
    for (const p of ['This is Dana Whitfield', '(312) 555-0187', 'dana.whitfield@north.example.org', 'Marcus Lee']) expect(html).toContain(p);
    expect(html).not.toContain('North Orthopedics | 312.555.0187');
  });
});
