/**
 * A canary secret in every credential (SMTP password, IMAP password, Twilio account SID and
 * auth token): after `run`, `collect`, `report` in every text format and `doctor`, all with
 * debug logging on, the canary appears in no output line, no database row, no report and no
 * file under the workspace; nor when every credential is wrong and the servers refuse it
 * (the error messages). The servers are real (Dovecot, smtp-server, the Twilio sandbox,
 * Chromium), so the credentials really travel.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
// better-sqlite3 directly, not through Store: reads every cell of the file a CLI run wrote, looking for leaked secrets (inspection).
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliProcess, type CliResult } from '../helpers/cli.js';
import { orgWorkspace, startSmallOrg, type OrgCredentials, type SmallOrg } from './org.js';

// Each canary shares the marker, so one scan finds any of them; the account SID keeps
// Twilio's shape (AC + 32 hex) with the marker's hex spelling inside.
const MARK = 'c4n4ry';
const HEX_MARK = 'cafe0c4a';
const creds: OrgCredentials = {
  imapUser: 'shopper',
  imapPass: `imap-${MARK}-Zq81x`,
  smtpUser: 'jordan',
  smtpPass: `smtp-${MARK}-Pw27y`,
  accountSid: `AC${HEX_MARK}${'0123456789abcdef0123456789abcdef'.slice(HEX_MARK.length)}`,
  authToken: `tok-${MARK}-77f1e2`,
};
/** Wrong credentials of the second pass: canaries too. */
const wrong = {
  ORG_IMAP_PASS: `bad-imap-${MARK}-1`,
  ORG_SMTP_PASS: `bad-smtp-${MARK}-2`,
  ORG_TWILIO_SID: `AC${HEX_MARK}${'fedcba9876543210fedcba9876543210'.slice(HEX_MARK.length)}`,
  ORG_TWILIO_TOKEN: `bad-tok-${MARK}-3`,
};

const secretForms = (values: string[]) => {
  const out = new Set<string>([MARK, HEX_MARK]);
  for (const v of values) {
    out.add(v);
    out.add(Buffer.from(v).toString('base64'));
    out.add(encodeURIComponent(v));
  }
  // What goes over the wire: Basic auth of SID:token, AUTH PLAIN of user\0pass.
  out.add(Buffer.from(`${creds.accountSid}:${creds.authToken}`).toString('base64'));
  out.add(Buffer.from(`\0${creds.smtpUser}\0${creds.smtpPass}`).toString('base64'));
  out.add(Buffer.from(`${creds.smtpUser}\0${creds.smtpUser}\0${creds.smtpPass}`).toString('base64'));
  return [...out];
};
const FORMS = secretForms([creds.imapPass, creds.smtpPass, creds.accountSid, creds.authToken, ...Object.values(wrong)]);

function leaks(text: string): string[] {
  const lower = text.toLowerCase();
  return FORMS.filter((f) => lower.includes(f.toLowerCase()));
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

/** Every text value of every row of every table. */
function databaseLeaks(path: string, minCells: number): string[] {
  const db = new Database(path, { readonly: true });
  try {
    const found: string[] = [];
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>;
    let cells = 0;
    for (const { name } of tables) {
      for (const row of db.prepare(`SELECT * FROM "${name}"`).all() as Array<Record<string, unknown>>) {
        for (const [col, v] of Object.entries(row)) {
          if (typeof v !== 'string' && !Buffer.isBuffer(v)) continue;
          cells++;
          const hit = leaks(String(v));
          if (hit.length) found.push(`${name}.${col}: ${hit.join(', ')}`);
        }
      }
    }
    expect(cells).toBeGreaterThanOrEqual(minCells);
    return found;
  } finally {
    db.close();
  }
}

let org: SmallOrg;
beforeAll(async () => {
  org = await startSmallOrg({ creds });
});
afterAll(async () => {
  await org?.close();
});

describe('secrets never leak', () => {
  it('a canary in every credential: not in any output (debug on), database row, report or file', { timeout: 180_000 }, async () => {
    const cwd = orgWorkspace(org);
    const env = { ...org.env };
    const debugEnv = { ...env, RESPOND_AUDIT_DEBUG: '1' };
    const outputs: Array<[string, CliResult]> = [];
    const step = async (label: string, args: string[], e: Record<string, string> = debugEnv, codes = [0]) => {
      const r = await cliProcess(args, { cwd, env: e });
      outputs.push([label, r]);
      expect(codes, `${label} exited ${r.code}:\n${r.stderr}`).toContain(r.code);
      return r;
    };

    const run = await step('run', ['--debug', 'run', 'configs/audit.yaml']);
    // Every channel really used its credentials.
    expect(org.site.received).toHaveLength(1);
    expect(org.mail.received.map((m) => m.to[0]).sort()).toEqual(['ortho@north.example.org', 'ortho@south.example.org']);
    expect(org.twilio.counts.callsPlaced).toBe(1);
    expect(org.twilio.counts.messagesSent).toBe(1);
    const col = await step('collect', ['collect', 'configs/audit.yaml', '--debug']);
    expect(col.stdout).toMatch(/imap: looked at \d+, [1-9]\d* new/);
    // --debug says where the collect's time went, per mailbox and pass.
    expect(col.stdout + col.stderr).toMatch(/imap INBOX: search \d+ ms, headers \d+ ms \(CPU \d+\), bodies \d+ ms \(CPU \d+\), store \d+ ms \(CPU \d+\)/);
    // Reports, doctor and status read the store: all at once.
    const [term, doc] = await Promise.all([
      step('report terminal', ['report', 'configs/audit.yaml', '--debug']),
      step('doctor', ['doctor', 'configs/audit.yaml', '--debug', '--json'], debugEnv, [0, 3]),
      step('status', ['status', 'configs/audit.yaml', '--json']),
      step('report --no-redact', ['report', 'configs/audit.yaml', '--format', 'html', '--no-redact', '--out', 'reports/unredacted.html']),
      ...['md', 'html', 'json', 'junit'].map((format) => step(`report ${format}`, ['report', 'configs/audit.yaml', '--format', format, '--out', `reports/audit.${format}`])),
    ]);

    // Debug logging was on and said something at each step.
    expect(run.stderr).toMatch(/^debug: config /m);
    expect(run.stderr).toMatch(/^debug: plan: north\/ortho\/email \[email\] due/m);
    expect(run.stderr).toMatch(/^debug: submit: north\/ortho\/phone probe \w+: submitted/m);
    expect(run.stderr).toMatch(/^debug: smtp 127\.0\.0\.1:\d+: sending .* \(login as jordan\)/m);
    expect(run.stderr).toMatch(/^debug: twilio: POST \/2010-04-01\/Accounts\/…\/Calls\.json/m);
    expect(col.stderr).toMatch(/^debug: imap 127\.0\.0\.1:\d+: connect and log in/m);
    expect(col.stderr).toMatch(/^debug: collect: imap: looked at/m);
    expect(term!.stderr).toMatch(/^debug: report: terminal/m);
    expect(JSON.parse(doc!.stdout).checks.length).toBeGreaterThan(2);

    // Nothing anywhere.
    for (const [label, r] of outputs) expect(leaks(r.stdout + r.stderr), `${label} printed a secret`).toEqual([]);
    expect(databaseLeaks(join(cwd, 'configs', 'respond-audit.db'), 100)).toEqual([]);
    const files = filesUnder(cwd);
    expect(files.filter((f) => f.includes('/reports/')).length).toBeGreaterThanOrEqual(5);
    for (const f of files) expect(leaks(readFileSync(f).toString('latin1')), f).toEqual([]);
  });

  it('wrong credentials: the refusals name what to check, never the secret', { timeout: 120_000 }, async () => {
    const cwd = orgWorkspace(org);
    const env = { ...wrong, RESPOND_AUDIT_DEBUG: '1' };
    // The three at once: each waits out the servers' delays on a refused login.
    const [doctor, collect, run] = await Promise.all([
      cliProcess(['doctor', 'configs/audit.yaml'], { cwd, env }),
      cliProcess(['collect', 'configs/audit.yaml'], { cwd, env }),
      cliProcess(['run', 'configs/audit.yaml', '--only', 'email,sms'], { cwd, env }),
    ]);
    const results = [doctor, collect, run];
    expect(doctor.code).toBe(3);
    expect(doctor.stdout).toMatch(/FAIL imap/i);
    expect(collect.code).toBe(3);
    expect(collect.stderr).toMatch(/IMAP login .* was refused/);
    expect(run.stdout + run.stderr).toMatch(/SMTP login .* was refused/);
    // Probes that could not leave record why, without the credential.
    expect(run.stdout).toMatch(/north\/ortho\/sms \[sms\] not-sent/);
    for (const r of results) expect(leaks(r.stdout + r.stderr), r.stdout + r.stderr).toEqual([]);
    expect(databaseLeaks(join(cwd, 'configs', 'respond-audit.db'), 10)).toEqual([]);
    for (const f of filesUnder(cwd)) expect(leaks(readFileSync(f).toString('latin1')), f).toEqual([]);
  });
});
