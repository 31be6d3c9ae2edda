/**
 * A phone-channel test bench: the sandbox Twilio API on loopback, a config pointing at it
 * (channels.twilio.apiBaseUrl), a real Store, and the real submitters and collector driven
 * the way `run` and `collect` drive them (probe committed as 'submitting' first).
 */
import { join } from 'node:path';
import { Output } from '../../src/cli/output.js';
import { fixedClock } from '../../src/clock.js';
import { createTwilioCollector } from '../../src/collect/twilio.js';
import { loadConfigOrThrow, type LoadedConfig } from '../../src/config/load.js';
import { startSandboxTwilio, type SandboxTwilio, type SandboxTwilioScenario } from '../../src/sandbox/twilio/index.js';
import { Store } from '../../src/store/store.js';
import type { ProbeRow } from '../../src/store/types.js';
import { createPhoneSubmitterWith } from '../../src/submit/phone.js';
import { createSmsSubmitter } from '../../src/submit/sms.js';
import { CALL_TEMPLATE } from '../../src/twilio/speech.js';
import type { SubmitResult, SubmitterDeps } from '../../src/submit/types.js';
import { tempTree } from '../helpers/tmp.js';

export const AC = 'AC' + '1234567890abcdef'.repeat(2);
export const TOKEN = 'sandbox-token-5678';
export const SHOPPER = ['+13125550101', '+13125550102'];
export const NORTH_MAIN = '+13125550190';
export const NORTH_LINE = '+13125550100';
export const NORTH_TEXT = '+13125550150';
export const SOUTH_LINE = '+13125550200';
/** Wednesday 2027-03-10 10:00 in Chicago. */
export const T0 = Date.parse('2027-03-10T16:00:00Z');

export interface BenchOptions {
  scenario?: SandboxTwilioScenario;
  record?: boolean;
  /** Extra YAML under safety:. */
  safety?: string;
  northIvr?: string;
  start?: number;
  /** Twilio request timeout (the create-timeout test shortens it). */
  timeoutMs?: number;
  /** YAML lines under a top-level `phone:` (what calls say). */
  phone?: string;
}

/** A TwiML Bin URL of the sandbox account (see speaking()). */
export const BIN = 'https://handler.twilio.com/twiml/EH' + '0123456789abcdef'.repeat(2);
/** What the shopper says when a person answers. */
export const CALL_TEXT = 'Hi, I saw the Spring Knee Check. Can I book one at North Clinic?';

export function configYaml(url: string, o: BenchOptions = {}): string {
  return `version: 1
organization: Lakeside Health
timezone: America/Chicago
shopper:
  name: Jordan Avery
  email: jordan+{token}@example.net
  phones: ["${SHOPPER[0]}", "${SHOPPER[1]}"]
sla:
  holdPatience: 60s
  followUpAfter: 1d
campaign:
  name: Spring Knee Check
  keywords: [knee]
channels:
  twilio:
    accountSid: \${TW_SID}
    authToken: \${TW_TOKEN}
    apiBaseUrl: ${url}
    record: ${o.record ?? true}
    ringTimeout: 30s
    pollInterval: 20ms
safety:
  allowLocal: true
  quietHours: { start: "20:00", end: "08:00" }
${o.safety ?? ''}
${o.phone ? `phone:\n${o.phone}` : ''}
sites:
  - id: north
    name: North Clinic
    phones: ["${NORTH_MAIN}"]
    serviceLines:
      - id: ortho
        name: Orthopedics
        entryPoints:
          - type: phone
            number: "${NORTH_LINE}"
            ivr: ${o.northIvr ?? '{ digits: "ww1", expect: ["spring knee check"] }'}
          - type: sms
            number: "${NORTH_TEXT}"
  - id: south
    name: South Clinic
    serviceLines:
      - id: ortho
        name: Orthopedics
        entryPoints:
          - type: phone
            number: "${SOUTH_LINE}"
`;
}

const INQUIRY = `subject: "Question about {serviceLine.name}"
variants:
  - "Hello, I would like an appointment for {serviceLine.name} at {site.name}. {shopper.name}"
sms: ["Hi, do you have appointments for {serviceLine.name} next week? {shopper.firstName}"]
`;

export interface Bench {
  sandbox: SandboxTwilio;
  clock: ReturnType<typeof fixedClock>;
  loaded: LoadedConfig;
  store: Store;
  dir: string;
  logs: string[];
  /** Commits a probe as `run` does, submits it, settles it as `run` does. */
  submit(entryKey: string, shopperPhone?: string): Promise<{ result: SubmitResult; probe: ProbeRow; confirmedAt: number | null }>;
  /** A probe as if submitted earlier (for attribution tests). */
  pastProbe(entryKey: string, shopperPhone: string, submittedAt: number, channel?: string): ProbeRow;
  collect(): ReturnType<Awaited<ReturnType<typeof createTwilioCollector>>['collectOnce']>;
  close(): Promise<void>;
}

export async function bench(o: BenchOptions = {}): Promise<Bench> {
  const clock = fixedClock(o.start ?? T0);
  const sandbox = await startSandboxTwilio({
    clock, accountSid: AC, authToken: TOKEN,
    scenario: { numbers: SHOPPER.map((phoneNumber) => ({ phoneNumber })), twimlBins: { [BIN]: CALL_TEMPLATE }, campaign: 'Spring Knee Check', ...o.scenario },
  });
  const dir = tempTree({ 'configs/audit.yaml': configYaml(sandbox.url, o), 'probes/new-inquiry.yaml': INQUIRY });
  const env = { TW_SID: AC, TW_TOKEN: TOKEN };
  const loaded = loadConfigOrThrow(join(dir, 'configs/audit.yaml'), { cwd: dir, env });
  const store = new Store(loaded.storePath, clock);
  const logs: string[] = [];
  const deps: SubmitterDeps = {
    loaded, clock, env, artifactsDir: join(loaded.reportsDir, 'artifacts'), log: (t) => logs.push(t), signal: new AbortController().signal, store,
  };
  const phone = await createPhoneSubmitterWith(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {})(deps);
  const sms = await createSmsSubmitter(deps);
  const collector = await createTwilioCollector({ loaded, store, clock, env, log: (t) => logs.push(t), signal: deps.signal });
  const runId = store.startRun('run', loaded.file);
  const entry = (key: string) => {
    const e = loaded.entryPoints.find((x) => x.key === key);
    if (!e) throw new Error(`no entry ${key}`);
    return e;
  };
  let n = 0;
  const newProbe = (key: string, shopperPhone: string) => {
    const e = entry(key);
    return store.createProbe({
      token: `tok${++n}${Math.random().toString(36).slice(2, 8)}`, runId, entryKey: e.key, siteId: e.site.id, serviceLineId: e.serviceLine.id,
      entryPointId: e.id, channel: e.entryPoint.type, target: (e.entryPoint as { number: string }).number, shopperName: 'Jordan Avery',
      shopperEmail: 'jordan@example.net', shopperPhone, inquiry: 'new-inquiry', details: { estCost: 0.03 },
    });
  };
  return {
    sandbox, clock, loaded, store, dir, logs,
    async submit(key, shopperPhone = SHOPPER[0]!) {
      const e = entry(key);
      const probe = newProbe(key, shopperPhone);
      let confirmedAt: number | null = null;
      const submitter = e.entryPoint.type === 'sms' ? sms : phone;
      const result = await submitter.submit(
        {
          probe, target: e, inquiry: e.inquiry, preferredDate: '2027-03-17',
          shopper: { name: 'Jordan Avery', firstName: 'Jordan', lastName: 'Avery', email: 'jordan@example.net', phone: shopperPhone },
          message: { subject: 'Question', body: 'Hello, I would like an appointment.', sms: 'Hi, do you have appointments for Orthopedics next week? Jordan', call: CALL_TEXT },
        },
        {
          confirmed: (c) => {
            confirmedAt = c.submittedAt;
            store.updateProbe(probe.id, { status: 'submitted', submittedAt: c.submittedAt, closesAt: c.submittedAt + loaded.config.sla.waitWindow, externalId: c.externalId ?? null });
          },
          progress: () => {},
        },
      );
      const cur = store.getProbe(probe.id)!;
      store.updateProbe(probe.id, {
        status: result.status, outcome: result.outcome, externalId: result.externalId ?? cur.externalId,
        submittedAt: result.status === 'submitted' ? (result.submittedAt ?? cur.submittedAt) : cur.submittedAt,
        closesAt: result.status === 'not-sent' ? null : (result.submittedAt ?? clock.now()) + loaded.config.sla.waitWindow,
        error: result.error ?? null, details: { ...cur.details, ...result.details },
      });
      return { result, probe: store.getProbe(probe.id)!, confirmedAt };
    },
    pastProbe(key, shopperPhone, submittedAt) {
      const p = newProbe(key, shopperPhone);
      store.updateProbe(p.id, { status: 'submitted', outcome: 'submitted', submittedAt, closesAt: submittedAt + loaded.config.sla.waitWindow });
      return store.getProbe(p.id)!;
    },
    collect: () => collector.collectOnce(),
    async close() {
      await phone.close();
      await sms.close();
      await collector.close();
      store.close();
      await sandbox.close();
    },
  };
}

export function callEvent(store: Store, probeId: number) {
  return store.eventsForProbe(probeId).find((e) => e.kind === 'call');
}

export const quietOutput = () => new Output({ write: () => true }, { write: () => true }, {});
