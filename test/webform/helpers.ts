/** Shared set-up for the web-form tests: a config over the sandbox site, and probe jobs. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fixedClock } from '../../src/clock.js';
import { loadConfigOrThrow, type LoadedConfig } from '../../src/config/load.js';
import type { ProbeRow } from '../../src/store/types.js';
import type { ProbeJob, SubmitHooks } from '../../src/submit/types.js';

export const CHROMIUM = '/usr/bin/chromium';
export const START = Date.UTC(2027, 2, 2, 15, 0, 0);

export interface Entry {
  id: string;
  url: string;
  extra?: string;
}

/** A temp project (configs/, probes/, reports/) whose config lists the given webform entry points. */
export function project(opts: { entries: Entry[]; browser?: string; /** Extra YAML under shopper: (the profile). */ shopper?: string; files?: Record<string, string>; askCallback?: boolean; lineName?: string }): {
  root: string;
  configPath: string;
  loaded: LoadedConfig;
  cleanup: () => void;
} {
  const root = mkdtempSync(join(tmpdir(), 'respond-audit-webform-'));
  const entries = opts.entries
    .map((e) => `          - type: webform\n            id: ${e.id}\n            url: ${e.url}\n${e.extra ? e.extra.replace(/^/gm, '            ') + '\n' : ''}`)
    .join('');
  const config = `version: 1
organization: Sandbox Health
timezone: America/Chicago
shopper:
  name: Jordan Avery
  email: jordan+{token}@example.net
  phones: ["+13125550101"]
${opts.shopper ? opts.shopper.replace(/^/gm, '  ') + '\n' : ''}campaign:
  name: Spring Knee Check
channels:
  browser:
${(opts.browser ?? `executablePath: ${CHROMIUM}\nconcurrency: 4\ntimeout: 30s\ndwell: 0s`).replace(/^/gm, '    ')}
safety:
  allowLocal: true
sites:
  - id: north
    name: North Clinic
    serviceLines:
      - id: ortho
        name: ${opts.lineName ?? 'Orthopedics'}
        entryPoints:
${entries}`;
  const files: Record<string, string> = {
    'configs/audit.yaml': config,
    'probes/new-inquiry.yaml': `subject: "Question about {serviceLine.name}"
askCallback: ${opts.askCallback ?? true}
variants:
  - "Hello, I would like an appointment for {serviceLine.name} at {site.name}. Please call me back. {shopper.name}"
`,
    ...opts.files,
  };
  for (const [rel, content] of Object.entries(files)) {
    const p = join(root, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
  const configPath = join(root, 'configs/audit.yaml');
  const loaded = loadConfigOrThrow(configPath, { cwd: root, env: {} });
  return { root, configPath, loaded, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

let seq = 0;

export function job(loaded: LoadedConfig, entryId: string, opts: { phone?: string | null } = {}): ProbeJob {
  const target = loaded.entryPoints.find((e) => e.id === entryId);
  if (!target) throw new Error(`no entry point ${entryId}`);
  const token = `t${(++seq).toString(36)}x${Math.random().toString(36).slice(2, 8)}`;
  const email = `jordan+${token}@example.net`;
  const phone = opts.phone === undefined ? '+13125550101' : opts.phone;
  const probe: ProbeRow = {
    id: seq,
    token,
    runId: 1,
    entryKey: target.key,
    siteId: target.site.id,
    serviceLineId: target.serviceLine.id,
    entryPointId: target.id,
    channel: 'webform',
    target: (target.entryPoint as { url: string }).url,
    status: 'submitting',
    outcome: null,
    plannedAt: START,
    submittingAt: START,
    submittedAt: null,
    closesAt: null,
    closedAt: null,
    shopperName: 'Jordan Avery',
    shopperEmail: email,
    shopperPhone: phone,
    inquiry: 'new-inquiry',
    variant: 0,
    messageId: null,
    externalId: null,
    error: null,
    details: null,
    evidence: null,
  };
  return {
    probe,
    target,
    shopper: { name: 'Jordan Avery', firstName: 'Jordan', lastName: 'Avery', email, phone },
    inquiry: target.inquiry,
    message: {
      subject: `Question about ${target.serviceLine.name}`,
      body: `Hello, I would like an appointment for ${target.serviceLine.name} at North Clinic. Please call me back. Jordan Avery`,
      sms: 'Hello',
    },
    preferredDate: '2027-03-09',
  };
}

export function hooks(): SubmitHooks & { progressed: string[]; confirmedAt: number[] } {
  const progressed: string[] = [];
  const confirmedAt: number[] = [];
  return {
    progressed,
    confirmedAt,
    progress: (t) => progressed.push(t),
    confirmed: (r) => confirmedAt.push(r.submittedAt),
  };
}

export function deps(loaded: LoadedConfig) {
  return {
    loaded,
    clock: fixedClock(START),
    env: {},
    artifactsDir: join(loaded.reportsDir, 'artifacts'),
    log: () => undefined,
    signal: new AbortController().signal,
  };
}
