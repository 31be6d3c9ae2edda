/**
 * Reading what the page shows: CAPTCHA / bot walls, error messages, and after the click
 * whether the submission went through. Success is judged against a snapshot taken just
 * before the click, so a "Thank you for visiting" footer never counts as a confirmation.
 */
import type { Frame, Page } from 'playwright-core';
import type { EntryPoint } from '../config/schema.js';
import { CAPTCHA_STATE, PAGE_STATE, WAIT_FOR_MUTATION } from './webform-dom.js';
import { norm } from './webform-fields.js';

export type WebformEntry = Extract<EntryPoint, { type: 'webform' }>;

export interface PageSnapshot {
  url: string;
  text: string;
  errors: string[];
  invalid: string[];
  captcha: string | null;
  /** The form we filled is still shown somewhere. */
  formShown: boolean;
  hasMarker: boolean;
  /** Names of the rendered controls of the page, and of our form. */
  names: string[];
  formNames: string[];
  /** The browser's constraint-validation messages for our form (it refuses to submit). */
  nativeInvalid: string[];
  /** Every frame answered (a page held by a pending navigation does not). */
  complete: boolean;
  /** The main frame's first heading (else its title): what an error page says. */
  heading: string;
  /** Our form's controls by name → label (a JSON error body names fields by name). */
  labels: Record<string, string>;
}

interface FrameState extends PageSnapshot {
  title: string;
}

export type Outcome =
  | { outcome: 'submitted'; signal: string }
  | { outcome: 'validation-error'; errors: string[] }
  /** The form's request reached the site, which refused it: its messages, and the HTTP status. */
  | { outcome: 'rejected'; errors: string[]; http?: number; request?: string }
  | { outcome: 'blocked'; captcha: string }
  | { outcome: 'failed'; error: string }
  | { outcome: 'timeout' };

const SUCCESS_TEXT = new RegExp(
  [
    'thank you',
    'thanks for',
    'thanks!',
    "we'?ll be in touch",
    'we will be in touch',
    "we'?ll get back",
    'we will get back',
    "we'?ll contact you",
    'we will contact you',
    "we(?: have|'ve) received",
    'received your (?:message|request|inquiry|enquiry|submission|information)',
    'message (?:has been |was )?sent',
    'submission (?:was |has been )?(?:received|successful)',
    'successfully (?:submitted|sent)',
    'request (?:has been |was )?(?:received|submitted|sent)',
    'form (?:has been |was )?submitted',
    // Google Forms, Microsoft Forms, SurveyMonkey confirmations
    '(?:your )?response (?:has been |was )?(?:recorded|submitted|received)',
    'gracias',
    'hemos recibido',
    'recibimos su',
    'mensaje (?:ha sido )?enviado',
    'enviado (?:correctamente|con exito)',
    'nos pondremos en contacto',
    'nos comunicaremos',
    'solicitud (?:ha sido )?(?:recibida|enviada)',
    // fr, de, pt (accents removed by norm())
    'merci (?:de|pour|beaucoup|!)',
    'message (?:a (?:bien )?ete |est )?(?:envoye|transmis|recu)',
    'nous vous (?:repondrons|recontacterons|contacterons)',
    'vielen dank',
    'danke fur',
    'nachricht (?:wurde|ist) (?:erfolgreich )?(?:gesendet|versendet|verschickt|ubermittelt)',
    'ist bei uns eingegangen',
    'wir melden uns',
    'obrigad[oa]',
    'mensagem (?:foi )?(?:enviada|recebida)',
    'entraremos em contato',
  ].join('|'),
  'g',
);
const SUCCESS_URL = /thank|thanks|gracias|success|confirm|submitted|received|enviado|exito|merci|danke|obrigado|_posted=true|[?&]posted=(?:true|1)/i;

export function countSuccessPhrases(text: string): number {
  return (norm(text).match(SUCCESS_TEXT) ?? []).length;
}

/**
 * Evaluates in a frame, giving up after ms: while a navigation is pending (a submit whose
 * answer never comes) Playwright holds evaluations until the new document exists.
 */
export function evalIn<T>(frame: Frame, expression: string, ms = 2000): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    frame.evaluate(expression).then((v) => v as T, () => undefined),
    new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), ms))),
  ]).finally(() => clearTimeout(timer));
}

/** The state of every frame of the page, merged. Frames that navigate away mid-read are skipped. */
export async function snapshot(page: Page): Promise<PageSnapshot> {
  const frames = page.frames();
  const states = (await Promise.all(frames.map((f) => evalIn<FrameState>(f, PAGE_STATE)))).filter((s): s is FrameState => !!s);
  const main = states[0];
  return {
    url: page.url(),
    text: states.map((s) => s.text).join('\n'),
    errors: [...new Set(states.flatMap((s) => s.errors))],
    invalid: states.flatMap((s) => s.invalid.filter(Boolean)),
    captcha: states.find((s) => s.captcha)?.captcha ?? null,
    formShown: states.some((s) => s.formShown),
    hasMarker: states.some((s) => s.hasMarker) || (main?.hasMarker ?? false),
    names: states.flatMap((s) => s.names),
    formNames: states.flatMap((s) => s.formNames),
    nativeInvalid: states.flatMap((s) => s.nativeInvalid),
    complete: states.length === frames.length,
    heading: main?.heading ?? '',
    labels: Object.assign({}, ...states.map((s) => s.labels ?? {})) as Record<string, string>,
  };
}

/** A request that carried the form to the site (a form POST, or a request holding what we typed). */
export interface FormRequest {
  method: string;
  url: string;
  type: string;
  /** The HTTP status of the site's answer; undefined while pending or when it failed. */
  status?: number;
  /** The network error when it never got an answer. */
  failed?: string;
  /** A text or JSON answer to an XHR / fetch (first 20,000 characters). */
  body?: string;
}

const NOT_FORM_TYPES = new Set(['image', 'stylesheet', 'font', 'script', 'media', 'ping', 'websocket', 'eventsource', 'manifest', 'texttrack']);

function decoded(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/**
 * Is this request the form going to the site? A document POST (a plain form submission) is;
 * so is any other request (XHR, fetch, a GET form's navigation) whose address or body holds
 * one of the needles: the probe's token (inside the shopper's e-mail) or the start of the
 * message. Analytics beacons, pings and asset loads never are.
 */
export function isFormRequest(r: import('playwright-core').Request, needles: string[]): boolean {
  const type = r.resourceType();
  if (NOT_FORM_TYPES.has(type)) return false;
  const method = r.method().toUpperCase();
  const get = method === 'GET' || method === 'HEAD' || method === 'OPTIONS';
  if (!get && type === 'document') return true;
  if (get && type !== 'document') return false;
  if (!needles.length) return false;
  let hay = r.url();
  if (!get) {
    let body = '';
    try {
      body = r.postData() ?? '';
    } catch {
      body = '';
    }
    hay += '\n' + body.slice(0, 200_000);
  }
  const text = hay + '\n' + decoded(hay);
  return needles.some((n) => text.includes(n));
}

/** Network and navigation activity after the click, to know when the page has settled and whether the form reached the site. */
export class ActivityTracker {
  pending = 0;
  /** Document requests in flight: while one hangs, the page has not settled whatever else is quiet. */
  pendingNav = 0;
  lastActivity = performance.now();
  navigated = false;
  mainStatus: number | undefined;
  /** The requests that carried the form, in order. */
  readonly formRequests: FormRequest[] = [];
  private readonly byRequest = new Map<import('playwright-core').Request, FormRequest>();
  private readonly reads: Array<Promise<void>> = [];
  constructor(
    private readonly page: Page,
    private readonly needles: string[] = [],
  ) {
    page.on('request', this.onRequest);
    page.on('requestfinished', this.onDone);
    page.on('requestfailed', this.onFailed);
    page.on('framenavigated', this.onNav);
    page.on('response', this.onResponse);
  }
  private onRequest = (r: import('playwright-core').Request) => {
    if (r.isNavigationRequest()) this.pendingNav++;
    this.pending++;
    this.lastActivity = performance.now();
    if (isFormRequest(r, this.needles)) {
      const f: FormRequest = { method: r.method(), url: r.url(), type: r.resourceType() };
      this.formRequests.push(f);
      this.byRequest.set(r, f);
    }
  };
  private onDone = (r: import('playwright-core').Request) => {
    if (r.isNavigationRequest()) this.pendingNav = Math.max(0, this.pendingNav - 1);
    this.pending = Math.max(0, this.pending - 1);
    this.lastActivity = performance.now();
  };
  private onFailed = (r: import('playwright-core').Request) => {
    const f = this.byRequest.get(r);
    if (f && f.status === undefined) f.failed = r.failure()?.errorText ?? 'failed';
    this.onDone(r);
  };
  private onNav = (f: Frame) => {
    if (f === this.page.mainFrame()) this.navigated = true;
    this.lastActivity = performance.now();
  };
  private onResponse = (r: import('playwright-core').Response) => {
    if (r.request().isNavigationRequest() && r.frame() === this.page.mainFrame()) this.mainStatus = r.status();
    const f = this.byRequest.get(r.request());
    if (!f) return;
    f.status = r.status();
    if (f.type !== 'document' && /json|text/i.test(r.headers()['content-type'] ?? ''))
      this.reads.push(
        r.text().then(
          (t) => void (f.body = t.slice(0, 20_000)),
          () => undefined,
        ),
      );
  };
  /** The form's request got an answer from the site (whatever it said). */
  reachedServer(): boolean {
    return this.formRequests.some((f) => f.status !== undefined);
  }
  /** The latest answer to the form's request, once its body (if any) is read. */
  async lastAnswer(): Promise<FormRequest | undefined> {
    await Promise.all(this.reads);
    return [...this.formRequests].reverse().find((f) => f.status !== undefined);
  }
  /** No request in flight, or nothing has moved for 2 s (analytics beacons and long polls never finish). */
  quietFor(ms: number): boolean {
    if (this.pendingNav > 0) return false;
    const idle = performance.now() - this.lastActivity;
    return (this.pending === 0 && idle >= ms) || idle >= 2000;
  }
  stop(): void {
    this.page.off('request', this.onRequest);
    this.page.off('requestfinished', this.onDone);
    this.page.off('requestfailed', this.onFailed);
    this.page.off('framenavigated', this.onNav);
    this.page.off('response', this.onResponse);
  }
}

/** Wakes as soon as the DOM of the frame changes, a frame navigates, or after ms. */
export async function waitForChange(page: Page, frame: Frame | undefined, ms: number): Promise<void> {
  let onNav: (() => void) | undefined;
  const nav = new Promise<void>((resolve) => {
    onNav = () => resolve();
    page.once('framenavigated', onNav);
    page.once('domcontentloaded', onNav);
  });
  const target = frame && !frame.isDetached() ? frame : page.mainFrame();
  const mutation = target.evaluate(`${WAIT_FOR_MUTATION}(${Math.max(10, Math.round(ms))})`).catch(() => undefined);
  const timer = new Promise<void>((resolve) => setTimeout(resolve, ms + 50));
  await Promise.race([nav, mutation, timer]);
  if (onNav) {
    page.off('framenavigated', onNav);
    page.off('domcontentloaded', onNav);
  }
}

/** The first CAPTCHA or bot wall shown in any frame (a cheap check, before filling). */
export async function captchaShown(page: Page): Promise<string | null> {
  const found = await Promise.all(page.frames().map((f) => evalIn<string | null>(f, CAPTCHA_STATE)));
  return found.find((c) => !!c) ?? null;
}

async function configuredSuccess(page: Page, success: NonNullable<WebformEntry['success']>, snap: PageSnapshot): Promise<boolean> {
  if (success.text && !norm(snap.text).includes(norm(success.text))) return false;
  if (success.url) {
    const m = /^\/(.*)\/([a-z]*)$/.exec(success.url);
    const ok = m ? new RegExp(m[1]!, m[2]).test(snap.url) : snap.url.includes(success.url);
    if (!ok) return false;
  }
  if (success.selector) {
    let seen = false;
    for (const f of page.frames()) {
      if (await f.locator(success.selector).first().isVisible().catch(() => false)) {
        seen = true;
        break;
      }
    }
    if (!seen) return false;
  }
  return !!(success.text || success.url || success.selector);
}

/** Our form is still (or again, after a reload) on the page: the same field names are shown. */
function formStillThere(snap: PageSnapshot, baseline: PageSnapshot): boolean {
  if (snap.formShown) return true;
  const ours = new Set(baseline.formNames);
  if (!ours.size) return false;
  const shown = new Set(snap.names);
  return [...ours].filter((n) => shown.has(n)).length / ours.size >= 0.5;
}

/** Errors after the click: `rejected` when the form's request reached the site (it answered), else `validation-error` (nothing left the browser). */
function refusal(errors: string[], activity: ActivityTracker): Outcome {
  const got = [...activity.formRequests].reverse().find((f) => f.status !== undefined);
  if (!got) return { outcome: 'validation-error', errors };
  return { outcome: 'rejected', errors, http: got.status!, request: `${got.method} ${got.url}` };
}

const MESSAGE_KEY = /message|error|detail|msg|reason|title|description|text/i;
const FIELD_KEY = ['field', 'name', 'param', 'path', 'property', 'key', 'field_name', 'fieldName', 'input'];

/**
 * The messages of a JSON error body, by field label where the body names the field (by one of
 * the form's control names, or a `field` / `name` / `path` property beside the message):
 * Laravel `{errors: {phone: ["…"]}}`, CF7 `invalid_fields[{field, message}]`, `{error: "…"}`.
 */
export function jsonMessages(body: string, labels: Record<string, string>): string[] {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return [];
  }
  const out: string[] = [];
  const push = (field: string | undefined, msg: string) => {
    const m = msg.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
    if (m.length < 3 || m.length > 300 || !/\p{L}{2}/u.test(m) || /^[a-z0-9_.-]+$/.test(m)) return;
    const label = field === undefined ? undefined : (labels[field] ?? labels[`${field}[]`] ?? field);
    const q = label ? `${label}: "${m}"` : `"${m}"`;
    if (!out.includes(q)) out.push(q);
  };
  const visit = (v: unknown, key: string, field: string | undefined, depth: number): void => {
    if (depth > 8 || out.length >= 12) return;
    if (typeof v === 'string') {
      if (field !== undefined || MESSAGE_KEY.test(key)) push(field, v);
      return;
    }
    if (Array.isArray(v)) {
      for (const x of v) visit(x, key, field, depth + 1);
      return;
    }
    if (!v || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    const named = FIELD_KEY.map((k) => o[k]).find((x): x is string => typeof x === 'string' && x.length > 0 && x.length < 100);
    for (const [k, x] of Object.entries(o)) {
      if (FIELD_KEY.includes(k) && typeof x === 'string') continue;
      const asField = k in labels || `${k}[]` in labels || (key !== '' && /errors?|fields|invalid/i.test(key) && !MESSAGE_KEY.test(k)) ? k : undefined;
      visit(x, k, asField ?? named ?? field, depth + 1);
    }
  };
  visit(json, '', undefined, 0);
  return out;
}

/**
 * After the click: polls (woken by DOM changes and navigations) until the page shows an
 * outcome or the deadline passes.
 */
export async function waitForOutcome(args: {
  page: Page;
  formFrame: Frame | undefined;
  baseline: PageSnapshot;
  entry: WebformEntry;
  deadline: number;
  activity: ActivityTracker;
}): Promise<Outcome> {
  const { page, baseline, entry, activity } = args;
  const baseSuccess = countSuccessPhrases(baseline.text);
  const baseErrors = new Set(baseline.errors);
  let errorsSince: number | undefined;
  while (performance.now() < args.deadline) {
    if (page.isClosed()) return { outcome: 'failed', error: 'the page closed after the click' };
    const snap = await snapshot(page);
    if (entry.success) {
      if (await configuredSuccess(page, entry.success, snap)) return { outcome: 'submitted', signal: 'configured' };
    } else {
      if (countSuccessPhrases(snap.text) > baseSuccess) return { outcome: 'submitted', signal: 'text' };
      if (snap.url !== baseline.url && SUCCESS_URL.test(new URL(snap.url).pathname + new URL(snap.url).search))
        return { outcome: 'submitted', signal: 'url' };
    }
    if (snap.captcha && snap.captcha !== baseline.captcha) return { outcome: 'blocked', captcha: snap.captcha };
    if (snap.nativeInvalid.length && !activity.navigated && !activity.reachedServer()) return { outcome: 'validation-error', errors: snap.nativeInvalid };
    const errors = [...snap.errors.filter((e) => !baseErrors.has(e)), ...snap.invalid.map((l) => `${l}: invalid`)];
    if (errors.length) {
      errorsSince ??= performance.now();
      // Errors that stay while the network is quiet are the page's verdict, not a transient state:
      // the site's, when the form's request reached it; the page's own script's, when nothing left.
      if (performance.now() - errorsSince >= 300 && activity.quietFor(200)) return refusal([...new Set(errors)], activity);
    } else errorsSince = undefined;
    const answer = activity.formRequests.length ? activity.formRequests[activity.formRequests.length - 1] : undefined;
    // The site refused the form's request (HTTP 4xx) and the page shows no message we know: quote
    // what it answered (a JSON error body, the error page's heading).
    if (answer?.status !== undefined && answer.status >= 400 && answer.status < 500 && activity.quietFor(answer.type === 'document' ? 200 : 1000)) {
      const got = await activity.lastAnswer();
      const said = got?.body ? jsonMessages(got.body, baseline.labels) : [];
      if (!said.length && answer.type === 'document' && snap.heading) said.push(`"${snap.heading}"`);
      return { outcome: 'rejected', errors: said.length ? said : [`HTTP ${answer.status}`], http: answer.status, request: `${answer.method} ${answer.url}` };
    }
    if (activity.mainStatus !== undefined && activity.mainStatus >= 400 && activity.quietFor(200))
      return { outcome: 'failed', error: `the site answered HTTP ${activity.mainStatus} to the submission` };
    // No recognisable message, but the form is gone and the page has settled: a custom
    // confirmation. Reported as submitted with the signal so a reviewer can check the evidence.
    if (!entry.success && !errors.length && snap.complete && !formStillThere(snap, baseline) && activity.quietFor(1000) && (activity.navigated || baseline.formShown))
      return { outcome: 'submitted', signal: activity.navigated ? 'navigated' : 'form-gone' };
    await waitForChange(page, args.formFrame, Math.min(400, Math.max(20, args.deadline - performance.now())));
  }
  return { outcome: 'timeout' };
}
