/**
 * `try`: what `fields: auto` would do on a page, without sending anything. The page is
 * loaded (GET requests and its own scripts only: every other request is aborted in the
 * browser, so not even a script's autosave leaves), the form found and described, the fill
 * planned but not typed, and an annotated screenshot saved. Nothing is clicked.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';
import { isLocalHost } from '../config/targets.js';
import { SCAN_FORMS } from './webform-dom.js';
import { classifyField, isHoneypot, planFill, questionText, type FieldInfo, type FillAction, type FillContext } from './webform-fields.js';
import { chooseButtons, describe, findForm, type Described } from './webform-fill.js';
import { countSuccessPhrases, evalIn, type WebformEntry } from './webform-outcome.js';

export interface TryField {
  label: string;
  name: string;
  control: string;
  required: boolean;
  role: string;
  /** What a run does with it. */
  action: 'type' | 'select' | 'choose' | 'tick' | 'leave' | 'skip';
  value?: string;
  note?: string;
}

export interface TryResult {
  url: string;
  /** The page's address after redirects. */
  finalUrl?: string;
  captcha: string | null;
  /** Where the form is: "main frame" or the iframe's address; index among its <form>s (-1: controls outside a form). */
  form?: { frame: string; index: number };
  fields: TryField[];
  /** The control a run would press, as the page labels it. */
  submit?: string;
  /** A "Next" button: the form has more steps, seen only on a real run. */
  next?: string;
  /** What the run takes for a confirmation. */
  success: string[];
  /** How the run tells a refusal it caused nobody to see (not sent) from one the site gave (rejected). */
  refusal: string[];
  unfilledRequired: string[];
  /** Human-check questions (a quiz) that the entry point's answers: does not answer. */
  quiz?: string[];
  screenshot?: string;
  /** Requests other than GET/HEAD that the page's own scripts made, aborted. */
  blockedRequests: string[];
  error?: string;
}

export interface TryOptions {
  entry: WebformEntry;
  ctx: FillContext;
  timeoutMs: number;
  allowLocal: boolean;
  timezone: string;
  /** Where the annotated screenshot goes (a .png path). */
  screenshotPath: string;
}

const labelOf = (f: FieldInfo) => f.label || f.ariaLabel || f.placeholder || f.nearby || f.groupLabel || f.name || f.id || `(${f.type})`;

export async function tryWebform(browser: Browser, o: TryOptions): Promise<TryResult> {
  const result: TryResult = { url: o.entry.url, captcha: null, fields: [], success: [], refusal: REFUSAL, unfilledRequired: [], blockedRequests: [] };
  const context = await browser.newContext({ locale: 'en-US', timezoneId: o.timezone, viewport: { width: 1280, height: 900 }, serviceWorkers: 'block' });
  try {
    await context.route('**/*', (route) => {
      const req = route.request();
      if (!['GET', 'HEAD'].includes(req.method())) {
        result.blockedRequests.push(`${req.method()} ${req.url()}`);
        return route.abort('blockedbyclient');
      }
      if (!o.allowLocal && isLocalHost(new URL(req.url()).hostname)) return route.abort('blockedbyclient');
      return route.continue();
    });
    const page = await context.newPage();
    const deadline = performance.now() + o.timeoutMs;
    const response = await page.goto(o.entry.url, { waitUntil: 'domcontentloaded', timeout: o.timeoutMs }).catch((e: Error) => {
      result.error = `cannot open the page: ${e.message.split('\n')[0]}`;
      return null;
    });
    if (result.error) return result;
    result.finalUrl = page.url();
    if (response && response.status() >= 400) result.error = `the page answered HTTP ${response.status()}`;
    const found = await findForm(page, o.entry, deadline).catch(() => undefined);
    let where: { frame: Frame; index: number } | undefined;
    if (found && 'blocked' in found) {
      result.captcha = found.blocked;
      where = await bestForm(page);
    } else where = found;
    if (!where) {
      result.error ??= 'no contact form found on the page (set frame:, fields: or script: in the entry point)';
      await shoot(page, o.screenshotPath, result);
      return result;
    }
    const d = await describe(where.frame, where.index);
    if (!d) throw new Error('the form disappeared while it was being read');
    result.form = { frame: where.frame === page.mainFrame() ? 'main frame' : where.frame.url(), index: where.index };
    const explicit = o.entry.fields === 'auto' ? [] : Object.keys(o.entry.fields);
    const explicitIdx = new Map<number, string>();
    for (const sel of explicit)
      for (const i of await where.frame.locator(sel).evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.raIdx || 0))).catch(() => [] as number[]))
        if (i) explicitIdx.set(i, sel);
    const plan = planFill(d.fields.filter((f) => !explicitIdx.has(f.idx)), o.ctx);
    result.unfilledRequired = [...plan.unfilledRequired, ...plan.missingProfile];
    // A question only a person answers, that answers: does not: a run reports it blocked, like a CAPTCHA.
    if (plan.quizzes.length) {
      result.captcha ??= 'quiz';
      result.quiz = plan.quizzes;
    }
    result.fields = mapping(d, plan.actions, explicitIdx, o.entry);
    const { next, submit } = chooseButtons(d);
    if (o.entry.submit) result.submit = `the configured submit: ${o.entry.submit}`;
    else if (next && !submit) result.next = next.text;
    else if (submit) result.submit = `"${submit.text}" (${submit.tag}${submit.type ? ` type=${submit.type}` : ''})`;
    else result.submit = 'no visible submit button: the form would be sent with form.requestSubmit()';
    result.success = await successSignals(where.frame, o.entry);
    await annotate(where.frame, d, plan.actions, submit?.idx);
    await shoot(page, o.screenshotPath, result);
    return result;
  } catch (e) {
    result.error = e instanceof Error ? e.message.split('\n')[0] : String(e);
    return result;
  } finally {
    await context.close().catch(() => undefined);
  }
}

/** The best-scoring form of any frame, CAPTCHA or not (findForm stops at the CAPTCHA). */
async function bestForm(page: Page): Promise<{ frame: Frame; index: number } | undefined> {
  let best: { frame: Frame; index: number; score: number } | undefined;
  for (const frame of page.frames()) {
    const s = await evalIn<{ cands: { index: number; score: number }[] }>(frame, SCAN_FORMS);
    const top = s?.cands[0];
    if (top && (!best || top.score > best.score)) best = { frame, index: top.index, score: top.score };
  }
  return best;
}

function mapping(d: Described, actions: FillAction[], explicitIdx: Map<number, string>, entry: WebformEntry): TryField[] {
  const byIdx = new Map(actions.map((a) => [a.idx, a]));
  const out: TryField[] = [];
  const radios = new Set<string>();
  const boxGroups = new Set<string>();
  for (const f of d.fields) {
    if (f.type === 'hidden') continue;
    const base = { label: questionText(labelOf(f)).slice(0, 80), name: f.name, control: f.type, required: f.required };
    if (f.type === 'radio') {
      const group = f.name || `#${f.idx}`;
      if (radios.has(group)) continue;
      radios.add(group);
      const members = d.fields.filter((g) => g.type === 'radio' && (g.name || `#${g.idx}`) === group);
      const chosen = members.map((g) => ({ g, a: byIdx.get(g.idx) })).find((x) => x.a);
      out.push({ ...base, label: (f.groupLabel || labelOf(f)).slice(0, 80), control: 'radio group', ...(chosen ? { role: chosen.a!.role, action: 'tick', value: labelOf(chosen.g), ...(chosen.a!.choice ? { note: 'neutral choice for a required question' } : {}) } : { role: 'choice', action: 'leave', note: members.some((g) => g.checked) ? 'already chosen' : 'no choice made' }) });
      continue;
    }
    // A checkbox group is one question (as a radio group): the box a run ticks, or none.
    const members = f.type === 'checkbox' && f.group ? d.fields.filter((g) => g.type === 'checkbox' && g.group === f.group) : [];
    if (members.length >= 2 && !members.some((g) => explicitIdx.has(g.idx)) && !members.every((g) => byIdx.get(g.idx)?.role === 'consent')) {
      if (boxGroups.has(f.group!)) continue;
      boxGroups.add(f.group!);
      const ticked = members.filter((g) => byIdx.has(g.idx));
      const a = ticked[0] && byIdx.get(ticked[0].idx)!;
      const question = questionText(f.groupLabel || labelOf(f)).slice(0, 80);
      out.push({ ...base, label: question, required: members.some((g) => g.required) || /\*\s*$/.test(f.groupLabel), control: 'checkbox group',
        ...(a ? { role: a.role, action: 'tick', value: ticked.map(labelOf).join(', '), ...(a.choice ? { note: `neutral choice for a required question: "${a.choice.field}" gets "${a.choice.value}"` } : {}) }
          : { role: 'choice', action: 'leave', note: members.some((g) => g.checked) ? 'already ticked by the page' : 'no box ticked (marketing boxes never are)' }) });
      continue;
    }
    const sel = explicitIdx.get(f.idx);
    if (sel) {
      out.push({ ...base, role: `fields[${sel}]`, action: 'type', value: entry.fields === 'auto' ? '' : entry.fields[sel], note: 'from the entry point\'s fields: map' });
      continue;
    }
    const a = byIdx.get(f.idx);
    if (a) {
      const action = a.kind === 'fill' ? 'type' : a.kind === 'select' ? 'select' : a.kind === 'choose' ? 'choose' : 'tick';
      const shown = a.kind === 'select' ? (a.text ?? f.options?.find((o) => o.value === a.value)?.text ?? a.value) : a.value;
      const widget = f.widget ? (a.kind === 'choose' ? 'custom dropdown: its options are read once it is opened, then chosen like a native select' : 'custom dropdown: opened, searched and chosen with clicks') : '';
      const neutral = a.choice ? `neutral choice for a required question: "${a.choice.field}" gets "${a.choice.value}"` : '';
      const note = [widget, neutral].filter(Boolean).join('; ');
      out.push({ ...base, ...(f.widget ? { control: f.tag === 'select' ? 'dropdown widget' : 'combobox' } : {}), role: a.role, action, ...(a.kind === 'check' || a.kind === 'choose' ? {} : { value: shown }), ...(note ? { note } : {}) });
      continue;
    }
    if (isHoneypot(f) || (!f.rendered && f.tag !== 'select' && f.type !== 'checkbox')) {
      const trap = isHoneypot(f);
      out.push({ ...base, role: trap ? 'honeypot' : 'hidden', action: 'skip', note: trap ? 'left empty: a trap for bots' : 'not shown (a later step, or a hidden trap): left alone' });
      continue;
    }
    if (f.disabled || f.readOnly) {
      out.push({ ...base, role: 'read-only', action: 'skip', note: 'disabled or read-only' });
      continue;
    }
    if (f.type === 'checkbox') {
      out.push({ ...base, role: f.checked ? 'checkbox' : 'opt-in', action: 'leave', note: f.checked ? 'already ticked by the page' : 'optional: left unticked' });
      continue;
    }
    if (classifyField(f, entry.answers) === 'quiz') {
      out.push({ ...base, role: 'quiz', action: 'leave', note: 'a question for a person: a run reports it blocked unless the entry point\'s answers: gives the answer' });
      continue;
    }
    out.push({ ...base, role: 'unknown', action: 'leave', note: f.required ? 'REQUIRED, and the shopper has no value for it: add it to the entry point\'s fields: map' : 'optional: left empty' });
  }
  return out;
}

/** What a run reports when the form is refused, and how it tells who refused it. */
const REFUSAL = [
  'validation-error (not sent): the page\'s own check stops the submit before the form\'s request leaves the browser',
  'rejected: the form\'s request reaches the site, which answers with errors or HTTP 4xx',
  'each message quoted with its field\'s label (Phone: "Please enter a valid phone number.")',
];

/** How the run will know the form went through: the configured signal, or the general ones plus any confirmation the page already holds hidden. */
async function successSignals(frame: Frame, entry: WebformEntry): Promise<string[]> {
  const s = entry.success;
  if (s && (s.text || s.url || s.selector))
    return [
      ...(s.text ? [`the configured text "${s.text}"`] : []),
      ...(s.url ? [`the configured URL ${s.url}`] : []),
      ...(s.selector ? [`the configured element ${s.selector}`] : []),
    ];
  const hidden =
    (await evalIn<string[]>(
      frame,
      `(() => [...document.querySelectorAll('div,p,h1,h2,h3,h4,h5,span,section')].filter((el) => el.children.length <= 3 && !(el.checkVisibility ? el.checkVisibility() : el.getClientRects().length)).map((el) => (el.textContent || '').replace(/\\s+/g, ' ').trim()).filter((t) => t.length >= 6 && t.length <= 200).slice(0, 300))()`,
    )) ?? [];
  const confirmations = [...new Set(hidden.filter((t) => countSuccessPhrases(t) > 0))].slice(0, 3);
  return [
    ...confirmations.map((t) => `the page's hidden confirmation appearing: "${t}"`),
    'a confirmation phrase not on the page before the click (thank you, gracias, merci, vielen Dank, obrigado, …)',
    'a move to a thank-you / success / confirmation address',
    'the form disappearing once the page has settled (reported with that signal, for review)',
  ];
}

const COLORS: Record<string, string> = { type: '#1a7f37', select: '#1a7f37', tick: '#0969da', submit: '#d4700a' };
/** A widget's outline goes on what a person clicks (the widget), not on the native select it hides. */
const markOf = (f: FieldInfo | undefined, idx: number) => (f?.widget && f.tag === 'select' ? `[data-ra-trig="${idx}"]` : `[data-ra-idx="${idx}"]`);

/** Outlines each control with what a run does to it, and the submit button. */
async function annotate(frame: Frame, d: Described, actions: FillAction[], submitIdx?: number): Promise<void> {
  const marks = actions.map((a) => ({ sel: markOf(d.fields.find((f) => f.idx === a.idx), a.idx), text: a.role, color: COLORS[a.kind === 'fill' ? 'type' : a.kind === 'select' ? 'select' : 'tick']! }));
  for (const f of d.fields) if (isHoneypot(f) && f.rendered) marks.push({ sel: `[data-ra-idx="${f.idx}"]`, text: 'honeypot: left empty', color: '#cf222e' });
  if (submitIdx !== undefined) marks.push({ sel: `[data-ra-btn="${submitIdx}"]`, text: 'submit (not pressed)', color: COLORS.submit! });
  await frame
    .evaluate((ms) => {
      const layer = document.createElement('div');
      layer.setAttribute('data-ra-try', '');
      layer.style.cssText = 'position:absolute;left:0;top:0;width:0;height:0;z-index:2147483647;pointer-events:none';
      for (const m of ms) {
        let el = document.querySelector(m.sel) as HTMLElement | null;
        if (el && (el as HTMLInputElement).type === 'checkbox' && !el.getClientRects().length) el = el.closest('label') ?? el;
        if (!el) continue;
        const r = el.getBoundingClientRect();
        if (!r.width && !r.height) continue;
        const box = document.createElement('div');
        box.style.cssText = `position:absolute;left:${r.left + scrollX - 3}px;top:${r.top + scrollY - 3}px;width:${r.width + 6}px;height:${r.height + 6}px;border:3px solid ${m.color};border-radius:3px;box-sizing:border-box`;
        const tag = document.createElement('div');
        tag.textContent = m.text;
        tag.style.cssText = `position:absolute;left:calc(100% + 4px);top:-3px;background:${m.color};color:#fff;font:12px/16px sans-serif;padding:1px 5px;border-radius:3px;white-space:nowrap`;
        box.appendChild(tag);
        layer.appendChild(box);
      }
      document.body.appendChild(layer);
    }, marks)
    .catch(() => undefined);
}

async function shoot(page: Page, path: string, result: TryResult): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const ok = await page
    .screenshot({ path, fullPage: true, timeout: 10_000 })
    .then(() => true)
    .catch(() => false);
  if (ok) result.screenshot = path;
}
