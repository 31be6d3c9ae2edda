/**
 * `run`: plan the due probes and submit them. Each probe is committed as `submitting`
 * before anything is sent and settled after; a crash in between leaves it `unknown`, which
 * is never re-submitted automatically.
 */
import { join } from 'node:path';
import type { Adapters } from '../adapters.js';
import type { Clock } from '../clock.js';
import type { Output } from '../cli/output.js';
import type { LoadedConfig } from '../config/load.js';
import type { Channel } from '../config/schema.js';
import { DependencyError, isRespondAuditError } from '../errors.js';
import { planRun, type Plan, type PlannedProbe, type PlanFilters } from '../plan/plan.js';
import type { Store } from '../store/store.js';
import type { ProbeRow } from '../store/types.js';
import type { Submitter, SubmitterDeps, SubmitterFactory, SubmitResult } from '../submit/types.js';
import { HISTORY_LOOKBACK_MS, MemoryHistory, StoreHistory } from '../plan/history.js';
import { messageFor, newToken, preferredDate, shopperFor } from './job.js';
import { Progress } from './progress.js';

/** Channel → its submitter, imported only when that channel has work (keeps start-up fast). */
const SUBMITTERS: Record<Channel, () => Promise<SubmitterFactory>> = {
  webform: async () => (await import('../submit/webform.js')).createWebformSubmitter,
  email: async () => (await import('../submit/email.js')).createEmailSubmitter,
  phone: async () => (await import('../submit/phone.js')).createPhoneSubmitter,
  sms: async () => (await import('../submit/sms.js')).createSmsSubmitter,
};

export interface RunRequest {
  filters?: PlanFilters;
  beforeCampaign?: boolean;
}

export interface ProbeResultView {
  token: string;
  entry: string;
  channel: string;
  target: string;
  status: string;
  outcome: string;
  error?: string;
}

export interface RunReport {
  runId: number;
  plan: Plan;
  probes: ProbeResultView[];
  /** Channels that could not start (browser missing, SMTP unreachable …). */
  unavailable: Array<{ channel: Channel; error: string }>;
}

export interface RunDeps {
  loaded: LoadedConfig;
  store: Store;
  clock: Clock;
  io: Output;
  env: Record<string, string | undefined>;
  signal: AbortSignal;
  /** For tests: submitters by channel instead of the real modules. */
  submitters?: Partial<Record<Channel, SubmitterFactory>>;
  /** Fakes of the outside systems the submitters use (tests); absent, the real ones. */
  adapters?: Partial<Adapters>;
}

/**
 * The plan for `req` as of now, from the store's history; without a store (a dry run before the
 * first run) from an empty history. One window for the real run and the dry run alike.
 */
export function planFromStore(deps: Pick<RunDeps, 'loaded' | 'clock'> & { store: Store | undefined }, req: RunRequest): Plan {
  const now = deps.clock.now();
  const history = deps.store ? new StoreHistory(deps.store, now - HISTORY_LOOKBACK_MS) : new MemoryHistory();
  return planRun(deps.loaded, history, { now, filters: req.filters, beforeCampaign: req.beforeCampaign });
}

export async function executeRun(deps: RunDeps, req: RunRequest): Promise<RunReport> {
  const { store, clock, loaded, io } = deps;
  store.markInterruptedProbesUnknown();
  store.closeExpiredProbes();
  const plan = planFromStore(deps, req);
  for (const p of plan.due) io.debug(`plan: ${p.entry.key} [${p.channel}] due (${p.why})`);
  for (const s of plan.skipped) if (s.code !== 'filtered') io.debug(`plan: ${s.entry.key} skipped, ${s.code}: ${s.reason}`);
  const runId = store.startRun('run', loaded.file);
  const report: RunReport = { runId, plan, probes: [], unavailable: [] };
  const progress = new Progress(io, plan.due.length);
  const byChannel = new Map<Channel, PlannedProbe[]>();
  for (const p of plan.due) byChannel.set(p.channel, [...(byChannel.get(p.channel) ?? []), p]);
  const subDeps: SubmitterDeps & { store: Store } = {
    loaded,
    clock,
    env: deps.env,
    artifactsDir: join(loaded.reportsDir, 'artifacts'),
    log: (t) => io.info(t),
    ...(io.debugSink ? { debug: io.debugSink } : {}),
    signal: deps.signal,
    store,
    ...(deps.adapters ? { adapters: deps.adapters } : {}),
  };
  let status: 'finished' | 'failed' | 'interrupted' = 'finished';
  try {
    await Promise.all(
      [...byChannel].map(async ([channel, probes]) => {
        let submitter: Submitter;
        try {
          const factory = deps.submitters?.[channel] ?? (await loadFactory(channel));
          submitter = await factory(subDeps);
        } catch (e) {
          const msg = isRespondAuditError(e) ? e.message : `could not start the ${channel} channel: ${(e as Error).message}`;
          report.unavailable.push({ channel, error: msg });
          io.error(msg);
          return;
        }
        try {
          const limit = channel === 'webform' ? (loaded.config.channels.browser?.concurrency ?? 2) : 1;
          await pool(probes, limit, async (p) => {
            if (deps.signal.aborted) return;
            report.probes.push(await submitOne(deps, subDeps, submitter, runId, p, progress));
          });
        } finally {
          await submitter.close().catch(() => {});
        }
      }),
    );
    if (deps.signal.aborted) status = 'interrupted';
  } catch (e) {
    status = 'failed';
    throw e;
  } finally {
    progress.end();
    const count = (s: string) => report.probes.filter((p) => p.status === s).length;
    store.finishRun(runId, status, {
      planned: plan.due.length,
      submitted: count('submitted'),
      notSent: count('not-sent'),
      rejected: count('rejected'),
      unknown: count('unknown'),
      skipped: plan.skipped.filter((s) => s.code !== 'filtered').length,
    });
  }
  return report;
}

async function submitOne(
  deps: RunDeps,
  subDeps: SubmitterDeps,
  submitter: Submitter,
  runId: number,
  p: PlannedProbe,
  progress: Progress,
): Promise<ProbeResultView> {
  const { store, clock, loaded } = deps;
  const token = newToken();
  const shopper = shopperFor(p, token);
  const message = messageFor(loaded, p, shopper);
  const probe: ProbeRow = store.createProbe({
    token,
    runId,
    entryKey: p.entry.key,
    siteId: p.entry.site.id,
    serviceLineId: p.entry.serviceLine.id,
    entryPointId: p.entry.id,
    channel: p.channel,
    target: p.target,
    shopperName: shopper.name,
    shopperEmail: shopper.email,
    shopperPhone: shopper.phone,
    inquiry: p.entry.inquiry.name,
    variant: p.variant,
    details: { why: p.why, estCost: p.estCost, subject: message.subject, ...(p.channel === 'phone' ? {} : { body: p.channel === 'sms' ? message.sms : message.body }) },
  });
  progress.start(p.entry.key, `${p.channel} → ${p.target}`);
  deps.io.debug(`submit: ${p.entry.key} [${p.channel}] probe ${token} → ${p.target}`);
  const wait = loaded.config.sla.waitWindow;
  let result: SubmitResult;
  try {
    result = await submitter.submit(
      { probe, target: p.entry, shopper, inquiry: p.entry.inquiry, message, preferredDate: preferredDate(p.entry.inquiry.preferredDate, clock.now(), p.entry.timezone) },
      {
        confirmed: (c) =>
          store.updateProbe(probe.id, {
            status: 'submitted',
            outcome: 'submitted',
            submittedAt: c.submittedAt,
            closesAt: c.submittedAt + wait,
            ...(c.messageId ? { messageId: c.messageId } : {}),
            ...(c.externalId ? { externalId: c.externalId } : {}),
            ...(c.details ? { details: { ...probe.details, ...c.details } } : {}),
          }),
        progress: (t) => progress.update(p.entry.key, t),
      },
    );
  } catch (e) {
    // An unexpected failure after the probe was committed: it may have gone out.
    result = { status: 'unknown', outcome: 'error', error: (e as Error).message };
    subDeps.log(`${p.entry.key}: ${(e as Error).stack ?? String(e)}`);
  }
  const submittedAt = result.status === 'submitted' ? (result.submittedAt ?? clock.now()) : (store.getProbe(probe.id)?.submittedAt ?? null);
  const current = store.getProbe(probe.id)!;
  store.updateProbe(probe.id, {
    status: result.status,
    outcome: result.outcome,
    submittedAt,
    closesAt: result.status === 'not-sent' || result.status === 'rejected' ? null : (submittedAt ?? clock.now()) + wait,
    messageId: result.messageId ?? current.messageId,
    externalId: result.externalId ?? current.externalId,
    error: result.error ?? null,
    details: { ...(current.details ?? {}), ...(result.details ?? {}) },
    evidence: result.evidence ?? current.evidence,
  });
  deps.io.debug(`submit: ${p.entry.key} probe ${token}: ${result.status} (${result.outcome})${result.error ? `: ${result.error}` : ''}`);
  const ok = result.status === 'submitted';
  progress.finish(p.entry.key, `${result.outcome}${result.error ? ` (${result.error})` : ''}`, ok);
  return {
    token,
    entry: p.entry.key,
    channel: p.channel,
    target: p.target,
    status: result.status,
    outcome: result.outcome,
    ...(result.error ? { error: result.error } : {}),
  };
}

async function loadFactory(channel: Channel): Promise<SubmitterFactory> {
  try {
    return await SUBMITTERS[channel]();
  } catch (e) {
    throw new DependencyError(`the ${channel} channel could not be loaded: ${(e as Error).message}`, 'ENOCHANNEL', channel);
  }
}

/** Runs fn over items with at most `limit` at once, in order of start. */
export async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
