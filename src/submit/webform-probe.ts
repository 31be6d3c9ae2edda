/**
 * One web-form probe, from opening the page to the outcome and its evidence, in its own
 * browser context. The rule that matters: before the click, any failure means the inquiry
 * did not leave (`not-sent`); after the click, a failure means it may have (`unknown`), so
 * nobody re-submits it automatically.
 */
import type { Browser, BrowserContext, Frame, Locator, Page, Response } from 'playwright-core';
import type { Clock } from '../clock.js';
import { render } from '../config/inquiry.js';
import { checkTargetUrl, isLocalHost } from '../config/targets.js';
import type { ProbeJob, SubmitHooks, SubmitResult } from './types.js';
import { DEFAULT_DWELL_MS, dwellUntil, tooFastWait } from './webform-dwell.js';
import { saveEvidence } from './webform-evidence.js';
import { fillForm, findForm, remaining, type FilledForm } from './webform-fill.js';
import type { FillContext } from './webform-fields.js';
import { ActivityTracker, captchaShown, evalIn, snapshot, waitForOutcome, type Outcome, type PageSnapshot, type WebformEntry } from './webform-outcome.js';
import { revealForm } from './webform-reveal.js';
import { loadWebformScript, type WebformScriptResult } from './webform-script.js';

export interface ProbeOptions {
  clock: Clock;
  timeoutMs: number;
  allowLocal: boolean;
  artifactsDir: string;
  reportsDir: string;
  configDir: string;
  signal: AbortSignal;
  /** channels.browser.dwell (ms); an entry point's `dwell:` overrides it. */
  dwellMs?: number;
}

/** Mutable state of one probe, read by the error handler to decide the status. */
interface Progress {
  clicked: boolean;
  clickedAt?: number;
  page?: Page;
  formFrame?: Frame;
  /** performance.now() when the page (or the page the site answered with) was shown. */
  shownAt: number;
  details: Record<string, unknown>;
}

export function fillContextOf(job: ProbeJob): FillContext {
  return {
    firstName: job.shopper.firstName,
    lastName: job.shopper.lastName,
    fullName: job.shopper.name,
    email: job.shopper.email,
    phone: job.shopper.phone,
    askCallback: job.inquiry.askCallback,
    message: job.message.body,
    subject: job.message.subject,
    preferredDate: job.preferredDate,
    serviceLine: job.target.serviceLine.name,
    ...(job.target.profile ? { profile: job.target.profile } : {}),
    ...(job.target.entryPoint.type === 'webform' && job.target.entryPoint.answers ? { answers: job.target.entryPoint.answers } : {}),
  };
}

/** `fields:` values with the inquiry placeholders (plus {message}, {message.subject}, {preferredDate}) filled. */
export function renderExplicitFields(entry: WebformEntry, job: ProbeJob, organization: string, campaign?: string): Record<string, string> {
  if (entry.fields === 'auto') return {};
  const values = {
    'shopper.name': job.shopper.name,
    'shopper.firstName': job.shopper.firstName,
    'shopper.lastName': job.shopper.lastName,
    'shopper.email': job.shopper.email,
    'shopper.phone': job.shopper.phone ?? '',
    'site.name': job.target.site.name,
    'serviceLine.name': job.target.serviceLine.name,
    'campaign.name': campaign ?? '',
    organization,
  };
  const out: Record<string, string> = {};
  for (const [sel, raw] of Object.entries(entry.fields)) {
    const pre = raw
      .replaceAll('{message.body}', job.message.body)
      .replaceAll('{message}', job.message.body)
      .replaceAll('{message.subject}', job.message.subject)
      .replaceAll('{preferredDate}', job.preferredDate);
    out[sel] = render(pre, values);
  }
  return out;
}

export async function runWebformProbe(
  browser: Browser,
  job: ProbeJob,
  hooks: SubmitHooks,
  opts: ProbeOptions & { organization: string; campaign?: string },
): Promise<SubmitResult> {
  const entry = job.target.entryPoint as WebformEntry;
  const st: Progress = { clicked: false, shownAt: performance.now(), details: {} };
  const bad = checkTargetUrl(entry.url, opts.allowLocal);
  if (bad) return { status: 'not-sent', outcome: 'failed', error: `url ${bad}` };
  const deadline = performance.now() + opts.timeoutMs;
  let context: BrowserContext | undefined;
  let result: SubmitResult;
  try {
    context = await browser.newContext({ locale: 'en-US', timezoneId: job.target.timezone, viewport: { width: 1280, height: 900 }, serviceWorkers: 'block' });
    if (!opts.allowLocal) await context.route(isPrivateRequest, (route) => route.abort('blockedbyclient'));
    const page = await context.newPage();
    st.page = page;
    page.once('crash', () => (st.details.pageCrashed = true));
    result = await probe(page, job, hooks, opts, entry, deadline, st);
  } catch (e) {
    result = fromError(e, st);
  }
  // A browser that died mid-probe makes the page look empty ("no form found"): say what happened.
  if (result.status !== 'submitted' && (!browser.isConnected() || st.details.pageCrashed) && !/closed or crashed/.test(result.error ?? ''))
    result = {
      status: st.clicked ? 'unknown' : result.status,
      outcome: 'failed',
      error: `the browser closed or crashed during the probe${st.clicked ? ', after the click' : ', before anything was sent'}${result.error ? ` (then: ${result.error})` : ''}`,
    };
  if (result.status === 'submitted') hooks.confirmed({ submittedAt: result.submittedAt ?? opts.clock.now() });
  hooks.progress(result.outcome);
  if (st.page && !st.page.isClosed()) {
    const evidence = await saveEvidence(st.page, st.formFrame, opts, job.probe.token, { stopLoading: result.outcome === 'timeout' }).catch(() => undefined);
    if (evidence) result.evidence = evidence;
  }
  await context?.close().catch(() => undefined);
  return { ...result, details: { ...st.details, ...result.details } };
}

async function probe(page: Page, job: ProbeJob, hooks: SubmitHooks, opts: ProbeOptions, entry: WebformEntry, deadline: number, st: Progress): Promise<SubmitResult> {
  hooks.progress(`opening ${entry.url}`);
  let response: Response | null;
  try {
    response = await page.goto(entry.url, { waitUntil: 'domcontentloaded', timeout: remaining(deadline) });
  } catch (e) {
    const m = e instanceof Error ? e.message : String(e);
    if (isTimeout(e) || /ERR_TIMED_OUT/.test(m)) return { status: 'not-sent', outcome: 'timeout', error: 'the page did not load in time' };
    return { status: 'not-sent', outcome: 'unreachable', error: netError(m) };
  }
  if (response && response.status() >= 400) {
    const wall = await captchaShown(page);
    if (wall) return blocked(wall);
    return { status: 'not-sent', outcome: 'unreachable', error: `HTTP ${response.status()}` };
  }
  if (!/^https?:$/.test(new URL(page.url()).protocol)) return { status: 'not-sent', outcome: 'failed', error: 'the page moved to a non-http address' };
  st.shownAt = performance.now();

  if (entry.script) {
    const wall = await captchaShown(page);
    if (wall) return blocked(wall);
    return runScript(page, job, hooks, opts, entry, deadline, st);
  }

  hooks.progress('looking for the form');
  let found = await findForm(page, entry, deadline);
  if (!found && entry.fields === 'auto' && !entry.frame) {
    // A form behind "Contact us" (a modal, a dialog): open it as a visitor would, then look again.
    const opened = await revealForm(page, remaining(deadline)).catch(() => undefined);
    if (opened) {
      st.details.revealedBy = opened;
      found = await findForm(page, entry, deadline);
    }
  }
  if (!found) {
    const snap = await snapshot(page);
    if (snap.captcha) return blocked(snap.captcha);
    if (entry.fields !== 'auto')
      return { status: 'not-sent', outcome: 'failed', error: `fields: ${Object.keys(entry.fields).join(', ')} matched nothing on the page, and no contact form was recognised` };
    return { status: 'not-sent', outcome: 'failed', error: 'no contact form found on the page (set frame:, fields: or script: in the entry point)' };
  }
  if ('blocked' in found) return blocked(found.blocked);
  st.formFrame = found.frame;

  hooks.progress('filling the form');
  const filled = await fillAll(page, job, entry, deadline, hooks, found, opts);
  st.formFrame = filled.frame;
  st.details.filled = filled.filled.map((f) => f.role);
  if (filled.choices.length) st.details.neutralChoices = filled.choices;
  if (filled.dropdowns.length) st.details.dropdowns = filled.dropdowns;
  if (filled.steps > 1) st.details.steps = filled.steps;
  if (filled.unfilledRequired.length) st.details.unfilledRequired = filled.unfilledRequired;
  if (filled.maybeSent) st.clicked = true;
  if (filled.unmatched.length)
    return { status: st.clicked ? 'unknown' : 'not-sent', outcome: 'failed', error: `fields: ${filled.unmatched.join(', ')} matched nothing on the page` };
  if (filled.stepErrors) return { status: 'not-sent', outcome: 'validation-error', error: filled.stepErrors.join('; '), details: { errors: filled.stepErrors } };
  // A question only a person can answer (CF7's [quiz], a security question) that answers: does not: like a CAPTCHA, never sent.
  if (filled.quizzes.length && !st.clicked) return blockedByQuiz(filled.quizzes);
  // A required date of birth (postal code, company …) the profile does not give: never invented, nothing sent.
  if (filled.missingProfile.length && !st.clicked) {
    const errors = [`required fields the shopper profile has no value for: ${filled.missingProfile.join(', ')}; not submitted`];
    return { status: 'not-sent', outcome: 'validation-error', error: errors[0], details: { errors, missingProfile: filled.missingProfile } };
  }
  const snap = await snapshot(page);
  if (snap.captcha) return blocked(snap.captcha);
  if (snap.nativeInvalid.length) return fromOutcome({ outcome: 'validation-error', errors: snap.nativeInvalid }, st);
  // Like a person: never click sooner than the dwell after the page was shown (time traps).
  st.details.dwellMs = await dwellUntil(st.shownAt, dwellOf(entry, opts), deadline, opts.signal);
  if (opts.signal.aborted) return { status: 'not-sent', outcome: 'canceled', error: 'the run was interrupted before the form was sent' };
  const first = await clickAndWait(page, filled.frame, filled.submit, snap, entry, deadline, hooks, opts, st, job);
  const wait = first.outcome === 'validation-error' || first.outcome === 'rejected' ? tooFastWait(first.errors) : undefined;
  if ((first.outcome !== 'validation-error' && first.outcome !== 'rejected') || wait === undefined) return fromOutcome(first, st);
  return retryOnce(page, job, hooks, opts, entry, deadline, st, first, wait);
}

/**
 * The page refused the first submission as too fast and accepted nothing: wait as it asks,
 * fill the form it shows again and submit exactly once more. Both attempts go in the details.
 */
async function retryOnce(page: Page, job: ProbeJob, hooks: SubmitHooks, opts: ProbeOptions, entry: WebformEntry, deadline: number, st: Progress, first: Outcome & { outcome: 'validation-error' | 'rejected' }, wait: number): Promise<SubmitResult> {
  const attempts: Array<Record<string, unknown>> = [{ outcome: first.outcome, errors: first.errors, dwellMs: st.details.dwellMs }];
  st.details.attempts = attempts;
  const refused = fromOutcome(first, st);
  hooks.progress('the page said it was too soon; waiting to submit once more');
  const errorShownAt = performance.now();
  const found = await findForm(page, entry, deadline);
  if (!found || 'blocked' in found) return refused;
  const filled = await fillAll(page, job, entry, deadline, hooks, found, opts);
  st.formFrame = filled.frame;
  if (filled.unmatched.length || filled.stepErrors || filled.maybeSent) return refused;
  const snap = await snapshot(page);
  if (snap.captcha) return refused;
  if (snap.nativeInvalid.length) return refused;
  // The refusal is still on the page: the same words after the second click are a new answer.
  snap.errors = snap.errors.filter((e) => !first.errors.includes(e));
  // The wait counts from when the refusal was shown: the site restarts its clock then.
  st.details.dwellMs = await dwellUntil(errorShownAt, Math.max(wait, dwellOf(entry, opts)), deadline, opts.signal);
  if (opts.signal.aborted) return refused;
  const second = await clickAndWait(page, filled.frame, filled.submit, snap, entry, deadline, hooks, opts, st, job);
  attempts.push({ outcome: second.outcome, ...(second.outcome === 'validation-error' || second.outcome === 'rejected' ? { errors: second.errors } : {}), dwellMs: st.details.dwellMs });
  return fromOutcome(second, st);
}

function dwellOf(entry: WebformEntry, opts: ProbeOptions): number {
  return entry.dwell ?? opts.dwellMs ?? DEFAULT_DWELL_MS;
}

async function fillAll(page: Page, job: ProbeJob, entry: WebformEntry, deadline: number, hooks: SubmitHooks, found: { frame: Frame; index: number }, opts: ProbeOptions & { organization?: string; campaign?: string }): Promise<FilledForm> {
  const filled = await fillForm({
    page,
    found,
    entry,
    ctx: fillContextOf(job),
    explicit: renderExplicitFields(entry, job, opts.organization ?? '', opts.campaign),
    deadline,
    progress: hooks.progress,
  });
  return filled;
}

async function clickAndWait(
  page: Page,
  frame: Frame,
  submit: Locator | null,
  baseline: PageSnapshot,
  entry: WebformEntry,
  deadline: number,
  hooks: SubmitHooks,
  opts: ProbeOptions,
  st: Progress,
  job: ProbeJob,
): Promise<Outcome> {
  const activity = new ActivityTracker(page, needlesOf(job));
  try {
    hooks.progress('submitting');
    st.clicked = true;
    st.clickedAt = opts.clock.now();
    if (submit) await submit.click({ timeout: remaining(deadline), noWaitAfter: true });
    else if ((await evalIn(frame, REQUEST_SUBMIT, 5000)) === false) throw new Error('no submit button found');
    hooks.progress('waiting for the confirmation');
    return await waitForOutcome({ page, formFrame: frame, baseline, entry, deadline, activity });
  } finally {
    activity.stop();
  }
}

async function runScript(page: Page, job: ProbeJob, hooks: SubmitHooks, opts: ProbeOptions & { organization?: string; campaign?: string }, entry: WebformEntry, deadline: number, st: Progress): Promise<SubmitResult> {
  const script = await loadWebformScript(entry.script!, opts.configDir);
  let baseline = await snapshot(page);
  let called = false;
  const activity = new ActivityTracker(page, needlesOf(job));
  try {
    hooks.progress('running the probe script');
    const res: WebformScriptResult | void = await script({
      page,
      shopper: job.shopper,
      message: job.message,
      preferredDate: job.preferredDate,
      entryPoint: entry,
      site: { id: job.target.site.id, name: job.target.site.name },
      serviceLine: { id: job.target.serviceLine.id, name: job.target.serviceLine.name },
      autoFill: async () => {
        const found = await findForm(page, entry, deadline);
        if (!found || 'blocked' in found) throw new Error('autoFill: no fillable form on the page');
        const f = await fillAll(page, job, entry, deadline, hooks, found, opts);
        st.formFrame = f.frame;
      },
      submit: async (target) => {
        baseline = await snapshot(page);
        if (baseline.captcha) throw Object.assign(new Error('blocked'), { captcha: baseline.captcha });
        st.details.dwellMs = await dwellUntil(st.shownAt, dwellOf(entry, opts), deadline, opts.signal);
        st.clicked = true;
        called = true;
        st.clickedAt = opts.clock.now();
        hooks.progress('submitting');
        const loc = typeof target === 'string' ? page.locator(target).first() : target;
        if (loc) await loc.click({ timeout: remaining(deadline), noWaitAfter: true });
        else {
          const frame = st.formFrame ?? page.mainFrame();
          if ((await evalIn(frame, REQUEST_SUBMIT, 5000)) === false) throw new Error('submit(): no form to submit');
        }
      },
    });
    if (!called) {
      // We cannot know what the script clicked: treat it as sent.
      st.clicked = true;
      st.clickedAt = opts.clock.now();
    }
    st.details.script = entry.script;
    if (res && res.outcome === 'submitted') return { status: 'submitted', outcome: 'submitted', submittedAt: st.clickedAt!, details: { signal: 'script', ...res.details } };
    if (res && res.outcome) return { status: 'not-sent', outcome: res.outcome, ...(res.error ? { error: res.error } : {}), ...(res.details ? { details: res.details } : {}) };
    const outcome = await waitForOutcome({ page, formFrame: st.formFrame, baseline, entry, deadline, activity });
    return fromOutcome(outcome, st);
  } catch (e) {
    const captcha = (e as { captcha?: string }).captcha;
    if (captcha && !st.clicked) return blocked(captcha);
    throw e;
  } finally {
    activity.stop();
  }
}

/**
 * What marks the form's own request among the page's traffic: the probe's token (inside the
 * shopper's e-mail address) and the start of the message.
 */
function needlesOf(job: ProbeJob): string[] {
  const first = job.message.body.split(/\r?\n/).find((l) => l.trim().length >= 12)?.trim().slice(0, 24);
  return [job.probe.token, ...(first ? [first] : [])];
}

/** Submits the marked form (or the only form) the way a click on its submit button would. */
const REQUEST_SUBMIT = `(() => { const f = document.querySelector('form[data-ra-form]') || document.querySelector('form'); if (!f) return false; f.requestSubmit(); return true; })()`;

function fromOutcome(o: Outcome, st: Progress): SubmitResult {
  const unfilled = st.details.unfilledRequired as string[] | undefined;
  if (o.outcome === 'validation-error' && unfilled?.length) o.errors.push(`required fields auto-fill could not fill: ${unfilled.join(', ')} (add them to the entry point's fields: map)`);
  switch (o.outcome) {
    case 'submitted':
      return { status: 'submitted', outcome: 'submitted', submittedAt: st.clickedAt!, details: { signal: o.signal } };
    case 'validation-error':
      return { status: 'not-sent', outcome: 'validation-error', error: o.errors.join('; '), details: { errors: o.errors, reachedServer: false } };
    case 'rejected':
      // The form's request reached the site and it refused it: not "not sent", and nothing to wait for.
      return {
        status: 'rejected',
        outcome: 'rejected',
        error: `the site refused the submission${o.http ? ` (HTTP ${o.http})` : ''}: ${o.errors.join('; ')}`,
        details: { errors: o.errors, reachedServer: true, ...(o.http ? { http: o.http } : {}), ...(o.request ? { request: o.request } : {}) },
      };
    case 'blocked':
      return blocked(o.captcha);
    case 'failed':
      return { status: 'unknown', outcome: 'failed', error: o.error };
    case 'timeout':
      return { status: 'unknown', outcome: 'timeout', error: 'no confirmation before channels.browser.timeout; the form may have been sent' };
  }
}

function blockedByQuiz(questions: string[]): SubmitResult {
  return {
    status: 'not-sent',
    outcome: 'blocked',
    error: `the form asks a question only a person can answer (${questions.map((q) => JSON.stringify(q)).join(', ')}); not submitted: give the answer in the entry point's answers:`,
    details: { captcha: 'quiz', quiz: questions },
  };
}

function blocked(captcha: string): SubmitResult {
  const what = captcha === 'challenge' ? 'a bot-check page' : `a CAPTCHA (${captcha})`;
  return { status: 'not-sent', outcome: 'blocked', error: `the form is behind ${what}; not submitted`, details: { captcha } };
}

function fromError(e: unknown, st: Progress): SubmitResult {
  const m = e instanceof Error ? e.message.split('\n')[0]! : String(e);
  const status = st.clicked ? 'unknown' : 'not-sent';
  if (isTimeout(e)) return { status, outcome: 'timeout', error: st.clicked ? 'timed out after the click; the form may have been sent' : `timed out before submitting (${m})` };
  if (/has been closed|Target closed|crash/i.test(m)) return { status, outcome: 'failed', error: `the browser closed or crashed${st.clicked ? ' after the click' : ''}: ${m}` };
  return { status, outcome: 'failed', error: m };
}

function isTimeout(e: unknown): boolean {
  return e instanceof Error && e.name === 'TimeoutError';
}

function netError(m: string): string {
  const code = /net::(ERR_[A-Z_]+)/.exec(m)?.[1];
  return code ? `cannot open the page (${code})` : `cannot open the page: ${m.split('\n')[0]}`;
}

/** Without safety.allowLocal a hostile page must not make the browser reach private addresses. */
function isPrivateRequest(url: URL): boolean {
  return isLocalHost(url.hostname);
}
