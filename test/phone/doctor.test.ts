/** `respond-audit doctor`: Twilio credentials, shopper numbers and their voicemail, contacting no site. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { startSandboxTwilio, type SandboxTwilio, type SandboxTwilioScenario } from '../../src/sandbox/twilio/index.js';
import { cli } from '../helpers/cli.js';
import { tempTree } from '../helpers/tmp.js';
import { CALL_TEMPLATE } from '../../src/twilio/speech.js';
import { AC, BIN, configYaml, SHOPPER, T0, TOKEN } from './harness.js';

const INQUIRY = 'subject: "Q"\nvariants: ["Hello"]\n';
let sb: SandboxTwilio | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

async function setup(scenario: SandboxTwilioScenario, phone?: string) {
  sb = await startSandboxTwilio({ clock: fixedClock(T0), accountSid: AC, authToken: TOKEN, scenario });
  const dir = tempTree({ 'configs/audit.yaml': configYaml(sb.url, phone ? { phone } : {}), 'probes/new-inquiry.yaml': INQUIRY });
  return { dir, env: { TW_SID: AC, TW_TOKEN: TOKEN } };
}

describe('doctor', () => {
  it('passes when the credentials work and every shopper number takes a voicemail', async () => {
    const { dir, env } = await setup({ numbers: SHOPPER.map((phoneNumber) => ({ phoneNumber })) });
    const r = await cli(['doctor', 'configs/audit.yaml'], { cwd: dir, env });
    expect(r.stdout).toMatch(/ok\s+twilio credentials: account .* is active/);
    expect(r.stdout).toMatch(/ok\s+shopper number \+13125550101: on the account; callbacks reach a voicemail \(transcribed\)/);
    expect(r.code).toBe(0);
    // Only the Twilio API was asked: no call, no text, nothing to any site.
    expect(sb!.counts.callsPlaced + sb!.counts.messagesSent).toBe(0);
    expect(Object.keys(sb!.counts.requests).sort()).toEqual(['GET /Account', 'GET /IncomingPhoneNumbers']);
  });

  it('checks the TwiML Bin of speaking calls: missing, holding the call template, something else', async () => {
    const numbers = SHOPPER.map((phoneNumber) => ({ phoneNumber }));
    let { dir, env } = await setup({ numbers });
    let r = await cli(['doctor', 'configs/audit.yaml'], { cwd: dir, env });
    expect(r.stdout).toMatch(/warn\s+twilio speaking calls: phone\.twimlBin is not set: test calls only listen/);
    await sb!.close();
    ({ dir, env } = await setup({ numbers, twimlBins: { [BIN]: CALL_TEMPLATE } }, `  twimlBin: ${BIN}\n`));
    r = await cli(['doctor', 'configs/audit.yaml'], { cwd: dir, env });
    expect(r.stdout).toMatch(/ok\s+twilio speaking calls: the TwiML Bin holds the call template/);
    expect(r.code).toBe(0);
    expect(sb!.counts.callsPlaced).toBe(0);
    await sb!.close();
    ({ dir, env } = await setup({ numbers, twimlBins: { [BIN]: '<Response><Say>Hello</Say></Response>' } }, `  twimlBin: ${BIN}\n`));
    r = await cli(['doctor', 'configs/audit.yaml'], { cwd: dir, env });
    expect(r.stdout).toMatch(/FAIL twilio speaking calls: the TwiML Bin answers, but not with respond-audit's call template/);
  });

  it('says what to change when a number is missing or has no voicemail, and exits 3', async () => {
    const { dir, env } = await setup({ numbers: [{ phoneNumber: SHOPPER[0]!, voicemail: false }] });
    const r = await cli(['doctor', 'configs/audit.yaml', '--json'], { cwd: dir, env });
    expect(r.code).toBe(3);
    const out = JSON.parse(r.stdout) as { ok: boolean; checks: Array<{ name: string; status: string; fix?: string }> };
    expect(out.ok).toBe(false);
    const byName = Object.fromEntries(out.checks.map((c) => [c.name, c]));
    expect(byName[`shopper number ${SHOPPER[0]}`]).toMatchObject({ status: 'fail', fix: expect.stringMatching(/<Record/) });
    expect(byName[`shopper number ${SHOPPER[1]}`]).toMatchObject({ status: 'fail', fix: expect.stringMatching(/buy or port/) });
  });

  it('wrong credentials: exit 3, and the token never printed', async () => {
    const { dir } = await setup({});
    const r = await cli(['doctor', 'configs/audit.yaml'], { cwd: dir, env: { TW_SID: AC, TW_TOKEN: 'not-the-token-999' } });
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/FAIL twilio credentials: Twilio rejected the Account SID \/ Auth Token/);
    expect(r.stdout + r.stderr).not.toContain('not-the-token-999');
  });

  it('Twilio unreachable: exit 3', async () => {
    const { dir, env } = await setup({});
    await sb!.close();
    sb = undefined;
    writeFileSync(join(dir, 'probes/other.yaml'), INQUIRY);
    const r = await cli(['doctor', 'configs/audit.yaml'], { cwd: dir, env });
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/Twilio could not be reached/);
  });
});
