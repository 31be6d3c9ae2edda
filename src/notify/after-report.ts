/**
 * The alerts step of `report` and `run --collect-for`: which config parts it needs, and the
 * send itself on a store of its own. A failure to notify is a warning, never an exit code.
 */
import type { CommandContext } from '../commands/context.js';
import type { ConfigNeeds, LoadedConfig } from '../config/load.js';
import { buildReport, directoryFromConfig, type ReportModel } from '../score/model.js';
import type { ProbeScore } from '../score/probe.js';
import { settingsFromConfig } from '../score/settings.js';
import type { ScoreSettings } from '../score/settings.js';
import { probeFacts, runsWithProbes } from '../store/report-queries.js';
import { Store } from '../store/store.js';
import { notify, type ChannelOutcome, type NotifyDeps } from './notify.js';

/** What a command that notifies needs of the config on top of `base`: the webhook URL, and SMTP when alerts go by email. */
export function notifyNeeds(base: ConfigNeeds, loaded: LoadedConfig | null): ConfigNeeds {
  const channels = loaded?.config.reports.notify?.email ? [...new Set([...base.channels, 'smtp'])] : base.channels;
  return { ...base, channels, notify: true };
}

export interface AlertsOptions {
  redact: boolean;
  preview: boolean;
  /** The report's own scoring, when it has it; otherwise the whole store is scored. */
  built?: { model: ReportModel; scores: ProbeScore[]; settings: ScoreSettings };
  deps?: Partial<NotifyDeps>;
}

export async function sendAlerts(ctx: CommandContext, loaded: LoadedConfig, o: AlertsOptions): Promise<ChannelOutcome[]> {
  if (!loaded.config.reports.notify) return [];
  const now = ctx.clock.now();
  const store = new Store(loaded.storePath, ctx.clock, { mustExist: true });
  try {
    let built = o.built;
    if (!built) {
      const settings = settingsFromConfig(loaded.config, now);
      const r = buildReport({
        facts: probeFacts(store),
        runs: runsWithProbes(store),
        directory: directoryFromConfig(loaded.config),
        settings,
        generatedAt: now,
        selection: { runId: null, since: null },
        failUnder: null,
      });
      built = { model: r.model, scores: r.scores, settings };
    }
    return await notify(
      { config: loaded.config, store, model: built.model, scores: built.scores, settings: built.settings, now, redact: o.redact, preview: o.preview },
      { info: (t) => ctx.io.info(t), warn: (t) => ctx.io.warn(t), ...o.deps },
    );
  } finally {
    store.close();
  }
}
