/**
 * The web-form submitter: one browser for the whole run, one fresh context per probe.
 * `run` decides how many probes are in flight (channels.browser.concurrency); submit() is
 * safe to call that many times at once. A browser that dies is started again for the next
 * probe; the probe that was in flight reports `unknown` if it had clicked.
 */
import type { Browser } from 'playwright-core';
import { adaptersOf } from '../adapters.js';
import { browserConfigOf } from './browser.js';
import type { SubmitResult, Submitter, SubmitterFactory } from './types.js';
import { runWebformProbe } from './webform-probe.js';

export const createWebformSubmitter: SubmitterFactory = async (deps) => {
  const cfg = browserConfigOf(deps.loaded);
  const { launchBrowser } = adaptersOf(deps.adapters);
  // Launch now so a missing browser fails the run (exit 3) before any probe is committed.
  let browser: Browser = await launchBrowser(deps.loaded, deps.env);
  let relaunch: Promise<Browser> | undefined;
  let closed = false;

  const current = async (): Promise<Browser> => {
    if (browser.isConnected()) return browser;
    relaunch ??= launchBrowser(deps.loaded, deps.env)
      .then((b) => {
        deps.log('the browser had stopped; started a new one');
        browser = b;
        return b;
      })
      .finally(() => (relaunch = undefined));
    return relaunch;
  };

  const submitter: Submitter = {
    channel: 'webform',
    async submit(job, hooks): Promise<SubmitResult> {
      if (closed) throw new Error('webform submitter is closed');
      let b: Browser;
      try {
        b = await current();
      } catch (e) {
        return { status: 'not-sent', outcome: 'failed', error: e instanceof Error ? e.message : String(e) };
      }
      return runWebformProbe(b, job, hooks, {
        clock: deps.clock,
        timeoutMs: cfg.timeout,
        ...(cfg.dwell !== undefined ? { dwellMs: cfg.dwell } : {}),
        allowLocal: deps.loaded.config.safety.allowLocal,
        artifactsDir: deps.artifactsDir,
        reportsDir: deps.loaded.reportsDir,
        configDir: deps.loaded.dir,
        signal: deps.signal,
        organization: deps.loaded.config.organization,
        ...(deps.loaded.config.campaign ? { campaign: deps.loaded.config.campaign.name } : {}),
      });
    },
    async close() {
      closed = true;
      await browser.close().catch(() => undefined);
    },
  };
  return submitter;
};
