/**
 * The sandbox web site: an HTTP server on loopback serving contact forms in the styles of
 * real form builders, recording field by field what each form received. Tests assert on
 * `received`; the demo mounts one form per site/service line and reacts to submissions
 * through `onSubmission` (its front desk decides who answers, and when, on the shared clock).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Clock } from '../clock.js';
import {
  FORM_STYLES,
  page,
  renderCaptchaWidget,
  renderChallenge,
  renderEmbed,
  renderFormPage,
  renderThanks,
  successTextOf,
  validateFields,
  type FormMount,
  type FormStyle,
} from './site-forms.js';

export type { CaptchaKind, FormMount, FormStyle } from './site-forms.js';
export { FORM_STYLES } from './site-forms.js';

export interface Submission {
  /** The mount path of the form, e.g. `/north/ortho/contact`. */
  path: string;
  form: FormStyle;
  /** Every field as the server received it (repeated keys joined with ","). */
  fields: Record<string, string>;
  /** Clock time (ms) when the server received it. */
  at: number;
  /** False when the server refused it (validation, CAPTCHA) — it still reached the site. */
  accepted: boolean;
  /** Why it was refused (validation messages, "captcha"). */
  errors?: string[];
  /** A honeypot field had a value (the site pretends to accept, as real ones do). */
  spam?: boolean;
  meta?: Record<string, unknown>;
}

export interface SandboxSiteOptions {
  clock: Clock;
  /** Default 0 (a free port). */
  port?: number;
  /** Forms to mount; default: one of every style under `/forms/<style>` (see defaultMounts). */
  forms?: FormMount[];
  onSubmission?: (sub: Submission) => void;
}

export interface SandboxSite {
  /** Origin, e.g. http://127.0.0.1:40123 */
  url: string;
  received: Submission[];
  /** Every HTTP request the site got, of any kind (a dry run must leave it at 0). */
  readonly requests: number;
  /** Method and path of every request, in order (tests act when a page is fetched). */
  requestLog: Array<{ method: string; path: string; at: number }>;
  /** Submissions that reached a form (accepted or not). */
  count(path: string, opts?: { accepted?: boolean }): number;
  /** Adds (or replaces) a form; returns its absolute URL. */
  mount(form: FormMount): string;
  urlOf(path: string): string;
  close(): Promise<void>;
}

const HONEYPOTS = ['website', 'hp_field', 'fax_number'];
const CAPTCHA_FIELDS = ['g-recaptcha-response', 'h-captcha-response', 'cf-turnstile-response'];

/** One form of every style, at `/forms/<style>` (captcha: `/forms/captcha-<kind>` as well). */
export function defaultMounts(): FormMount[] {
  const mounts: FormMount[] = FORM_STYLES.map((style) => ({ path: `/forms/${style}`, style }));
  for (const captcha of ['recaptcha', 'hcaptcha', 'turnstile'] as const)
    mounts.push({ path: `/forms/captcha-${captcha}`, style: 'captcha', captcha });
  mounts.push({ path: '/forms/validation-server', style: 'validation', clientValidation: false });
  mounts.push({ path: '/forms/validation-ok', style: 'validation', rejectPlusAddress: false });
  return mounts;
}

export async function startSandboxSite(opts: SandboxSiteOptions): Promise<SandboxSite> {
  const mounts = new Map<string, FormMount>();
  for (const m of opts.forms ?? defaultMounts()) mounts.set(normalise(m.path), { ...m, path: normalise(m.path) });
  const received: Submission[] = [];
  const sockets = new Set<Socket>();
  const hanging = new Set<ServerResponse>();
  let requests = 0;
  const requestLog: SandboxSite['requestLog'] = [];

  const record = (m: FormMount, fields: Record<string, string>, extra: Partial<Submission>): Submission => {
    const spam = HONEYPOTS.some((h) => (fields[h] ?? '') !== '');
    const sub: Submission = { path: m.path, form: m.style, fields, at: opts.clock.now(), accepted: true, ...extra };
    if (spam) sub.spam = true;
    if (m.meta) sub.meta = m.meta;
    received.push(sub);
    opts.onSubmission?.(sub);
    return sub;
  };

  const server = createServer((req, res) => {
    requests++;
    requestLog.push({ method: req.method ?? 'GET', path: normalise(new URL(req.url ?? '/', 'http://sandbox').pathname), at: opts.clock.now() });
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, page('Error', `<h1>Server error</h1><p>${String(e)}</p>`));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const path = normalise(url.pathname);
    // Vendor-looking paths of the CAPTCHA widgets, served locally.
    if (/\/(recaptcha|hcaptcha\.com|turnstile)\/.*\.js$/.test(path)) return send(res, 200, '/* widget stub */', 'text/javascript');
    if (/(anchor|checkbox|turnstile)\.html$/.test(path)) return send(res, 200, renderCaptchaWidget());
    if (path === '/') return send(res, 200, index([...mounts.values()]));

    const [m, sub] = findMount(path);
    if (!m) return send(res, 404, page('Not found', '<h1>Page not found</h1>'));

    if (req.method === 'GET') {
      if (sub === '') {
        if (m.style === 'slow') return void hanging.add(res); // never answers
        if (m.style === 'challenge') return send(res, 503, renderChallenge());
        return send(res, 200, renderFormPage(m));
      }
      if (sub === '/embed' && m.style === 'iframe') return send(res, 200, renderEmbed(m));
      if (sub === '/thank-you' || sub === '/gracias') return send(res, 200, renderThanks(m));
      return send(res, 404, page('Not found', '<h1>Page not found</h1>'));
    }
    if (req.method !== 'POST') return send(res, 405, 'method not allowed', 'text/plain');

    const fields = await readFields(req);
    const json = sub === '/submit';
    if (m.style === 'captcha') {
      // Never accepts: nothing here can be a solved challenge.
      record(m, fields, { accepted: false, errors: ['captcha'] });
      const f = CAPTCHA_FIELDS.find((k) => k in fields);
      return send(res, 400, page('Error', `<h1>Verification failed</h1><p class="error">Please complete the CAPTCHA (${f ?? 'missing'}).</p>`));
    }
    if (m.style === 'validation') {
      const errors = validateFields(m, fields);
      if (Object.keys(errors).length) {
        record(m, fields, { accepted: false, errors: Object.values(errors) });
        return send(res, 200, renderFormPage(m, errors, fields));
      }
    }
    record(m, fields, {});
    if (m.style === 'hang-submit') return void hanging.add(res); // received, but the page never answers
    if (json) return send(res, 200, JSON.stringify({ ok: true, message: successTextOf(m) }), 'application/json');
    if (m.style === 'split') return send(res, 200, renderThanks(m));
    res.writeHead(303, { location: m.path + (m.style === 'spanish' ? '/gracias' : '/thank-you') });
    res.end();
  }

  function findMount(path: string): [FormMount | undefined, string] {
    for (const suffix of ['', '/embed', '/submit', '/thank-you', '/gracias']) {
      if (!path.endsWith(suffix)) continue;
      const m = mounts.get(suffix ? path.slice(0, -suffix.length) : path);
      if (m) return [m, suffix];
    }
    return [undefined, ''];
  }

  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: origin,
    received,
    get requests() {
      return requests;
    },
    requestLog,
    count: (path, o = {}) =>
      received.filter((r) => r.path === normalise(path) && (o.accepted === undefined || r.accepted === o.accepted)).length,
    mount(form) {
      const p = normalise(form.path);
      mounts.set(p, { ...form, path: p });
      return origin + p;
    },
    urlOf: (path) => origin + normalise(path),
    close: () =>
      new Promise<void>((resolve) => {
        for (const r of hanging) r.destroy();
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function normalise(p: string): string {
  const s = p.startsWith('/') ? p : '/' + p;
  return s.length > 1 ? s.replace(/\/+$/, '') : s;
}

function send(res: ServerResponse, status: number, body: string, type = 'text/html; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

async function readFields(req: IncomingMessage): Promise<Record<string, string>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > 1_000_000) throw new Error('body too large');
    chunks.push(c);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  const out: Record<string, string> = {};
  if ((req.headers['content-type'] ?? '').includes('application/json')) {
    const data = JSON.parse(text || '{}') as Record<string, unknown>;
    for (const [k, v] of Object.entries(data)) out[k] = v === null || v === undefined ? '' : String(v);
    return out;
  }
  for (const [k, v] of new URLSearchParams(text)) out[k] = k in out ? `${out[k]},${v}` : v;
  return out;
}

function index(mounts: FormMount[]): string {
  const links = mounts.map((m) => `<li><a href="${m.path}">${m.path}</a> (${m.style})</li>`).join('');
  return page('Sandbox Health', `<h1>Sandbox Health</h1><ul>${links}</ul>`);
}
