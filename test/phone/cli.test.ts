/** The built CLI end to end on loopback: `run` places the calls and texts, `collect` reads callbacks. */
import { afterEach, expect, it } from 'vitest';
import { join } from 'node:path';
import { fixedClock } from '../../src/clock.js';
import { startSandboxTwilio, type SandboxTwilio } from '../../src/sandbox/twilio/index.js';
import { Store } from '../../src/store/store.js';
import { cliProcess } from '../helpers/cli.js';
import { tempTree } from '../helpers/tmp.js';
import { AC, configYaml, NORTH_LINE, NORTH_MAIN, NORTH_TEXT, SHOPPER, SOUTH_LINE, TOKEN } from './harness.js';

let sb: SandboxTwilio | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

it('run dials each phone line once and texts the sms line; collect attributes the callback', async () => {
  // The child process runs on the real clock; the sandbox's clock is the same instant.
  const clock = fixedClock(Date.now());
  sb = await startSandboxTwilio({
    clock, accountSid: AC, authToken: TOKEN,
    scenario: {
      numbers: SHOPPER.map((phoneNumber) => ({ phoneNumber })),
      lines: {
        [NORTH_LINE]: { ivr: { prompt: 'North Clinic. Ask about the Spring Knee Check. Press one.', digits: '1' }, holdSeconds: 6 },
        [SOUTH_LINE]: { answer: 'busy' },
        [NORTH_TEXT]: { callback: { after: 60_000, from: NORTH_MAIN, seconds: 60 } },
      },
    },
  });
  const dir = tempTree({ 'configs/audit.yaml': configYaml(sb.url).replace(/ {2}quietHours.*\n/, ''), 'probes/new-inquiry.yaml': 'subject: "Q"\nvariants: ["Hello"]\n' });
  const env = { TW_SID: AC, TW_TOKEN: TOKEN };
  const run = await cliProcess(['run', 'configs/audit.yaml', '--only', 'phone,sms'], { cwd: dir, env });
  expect(run.code, run.stderr).toBe(0);
  expect(sb.counts.callsPlaced).toBe(2);
  expect(sb.counts.messagesSent).toBe(1);
  clock.advance(120_000); // the site calls back a minute after the text
  const collect = await cliProcess(['collect', 'configs/audit.yaml'], { cwd: dir, env });
  expect(collect.code, collect.stderr).toBe(0);
  const store = new Store(join(dir, 'configs/respond-audit.db'));
  try {
    const probes = store.listProbes();
    expect(probes.map((p) => [p.entryKey, p.status, p.outcome]).sort()).toEqual([
      ['north/ortho/phone', 'submitted', 'answered'],
      ['north/ortho/sms', 'submitted', 'submitted'],
      ['south/ortho/phone', 'submitted', 'busy'],
    ]);
    expect(store.listEvents({ kind: 'call' })).toHaveLength(2);
    const [cb] = store.listEvents({ kind: 'callback' });
    expect(cb?.probeId).toBe(probes.find((p) => p.entryKey === 'north/ortho/sms')!.id);
  } finally {
    store.close();
  }
});
