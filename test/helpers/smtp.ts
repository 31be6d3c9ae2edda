/** SMTP for the tests: the sandbox intake (a real smtp-server) and probe jobs as `run` builds them. */
import type { ProbeJob, SubmitHooks, SubmitterDeps } from '../../src/submit/types.js';
import type { LoadedConfig } from '../../src/config/load.js';
import type { Store } from '../../src/store/store.js';
import type { Clock } from '../../src/clock.js';

export { startMailIntake, startSilentServer, type MailIntake, type ReceivedMail } from '../../src/sandbox/mail.js';

export function jobFor(store: Store, loaded: LoadedConfig, entryKey: string, token: string): ProbeJob {
  const target = loaded.entryPoints.find((e) => e.key === entryKey)!;
  const runId = store.startRun('run', loaded.file);
  const email = loaded.config.shopper.email.replace('{token}', token);
  const probe = store.createProbe({
    token,
    runId,
    entryKey,
    siteId: target.site.id,
    serviceLineId: target.serviceLine.id,
    entryPointId: target.id,
    channel: target.entryPoint.type,
    target: 'to' in target.entryPoint ? target.entryPoint.to : '',
    shopperName: loaded.config.shopper.name,
    shopperEmail: email,
  });
  const [firstName, ...rest] = loaded.config.shopper.name.split(' ');
  return {
    probe,
    target,
    shopper: { name: loaded.config.shopper.name, firstName: firstName!, lastName: rest.join(' '), email, phone: null },
    inquiry: target.inquiry,
    message: {
      subject: `Question about ${target.serviceLine.name}`,
      body: `Hello, I saw the Spring Knee Check ad and would like an appointment for ${target.serviceLine.name} at ${target.site.name}. ${loaded.config.shopper.name}`,
      sms: 'Hello',
    },
    preferredDate: '2026-03-09',
  };
}

export function submitterDeps(loaded: LoadedConfig, clock: Clock, env: Record<string, string>): SubmitterDeps {
  return { loaded, clock, env, artifactsDir: loaded.reportsDir, log: () => undefined, signal: new AbortController().signal };
}

export function recordingHooks(): SubmitHooks & { confirmedWith: unknown[] } {
  const confirmedWith: unknown[] = [];
  return { confirmedWith, confirmed: (r) => void confirmedWith.push(r), progress: () => undefined };
}
