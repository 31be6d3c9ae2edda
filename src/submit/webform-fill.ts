/**
 * Finding the form (in the page or any iframe, waiting for script-rendered ones) and filling
 * it step by step (Next … Submit) as the shopper, with the explicit `fields:` map winning
 * over auto-detection. Nothing here clicks the final submit button.
 */
import type { Frame, Locator, Page } from 'playwright-core';
import { DESCRIBE_FORM, SCAN_FORMS, SET_VALUE_WITH_EVENTS, STEP_BUTTON, WIDGET_CHOSEN, WIDGET_OPTIONS } from './webform-dom.js';
import { isHoneypot, norm, pickChoice, planFill, questionText, type FieldInfo, type FillAction, type FillContext } from './webform-fields.js';
import { formatPhoneFor, phoneValueHolds } from './webform-phone.js';
import { ActivityTracker, evalIn, snapshot, waitForChange, type WebformEntry } from './webform-outcome.js';

export interface FoundForm {
  frame: Frame;
  /** Index among the frame's <form> elements; -1 = controls outside any form. */
  index: number;
}

export interface ButtonInfo {
  idx: number;
  tag: string;
  type: string;
  text: string;
  cls: string;
  visible: boolean;
  disabled: boolean;
}

export interface Described {
  fields: FieldInfo[];
  buttons: ButtonInfo[];
  isForm: boolean;
  noValidate: boolean;
}

export interface FilledForm {
  frame: Frame;
  index: number;
  /** The button that sends the form; null → form.requestSubmit(). */
  submit: Locator | null;
  filled: { role: string; idx: number }[];
  /** Neutral answers given to required questions the shopper has no answer for, by the question's label. */
  choices: { field: string; value: string }[];
  /** Custom dropdowns chosen: the question, the option, and how (`widget`: clicked and confirmed; `script`: the select behind it set). */
  dropdowns: { field: string; value: string; via: 'widget' | 'script' }[];
  unfilledRequired: string[];
  /** Required boxes for profile parts the shopper has no value for (nothing may be sent). */
  missingProfile: string[];
  /** Human-check questions (a quiz) nothing answered: the probe stops, blocked. */
  quizzes: string[];
  steps: number;
  /** A "Next" that was a real submit button was clicked: the form may already have left. */
  maybeSent: boolean;
  /** Errors shown when a Next step refused to advance. */
  stepErrors?: string[];
  /** `fields:` selectors that matched nothing. */
  unmatched: string[];
}

const NEXT = STEP_BUTTON;
/** The words of a button that goes to the next page (never "OK" or "Continue", which also end forms). */
const FORWARD = /^(next|siguiente|suivant|weiter|pr[oó]ximo|seguinte|avan[cç]ar)\b/i;
const BACK = /^(back|previous|prev|atras|atrás|anterior|volver)\b|^[←‹«]/i;
const SUBMIT = /submit|send|enviar|request|solicitar|book|schedule|contact|get in touch|get started|sign up|reservar|agendar|pedir|confirm|apply/i;

export const remaining = (deadline: number) => Math.max(1, Math.round(deadline - performance.now()));

/** The best-looking contact form of the page; waits for script-rendered forms and late iframes. */
/** The form holding the first `fields:` selector that matches (for forms auto-detection does not recognise). */
const FORM_OF_SELECTORS = `((sels) => {
  for (const s of sels) {
    let el = null;
    try { el = document.querySelector(s); } catch { continue; }
    if (!el) continue;
    const f = el.closest('form');
    return f ? [...document.querySelectorAll('form')].indexOf(f) : -1;
  }
  return null;
})`;

export async function findForm(page: Page, entry: WebformEntry, deadline: number): Promise<FoundForm | { blocked: string } | undefined> {
  const selectors = entry.fields === 'auto' ? [] : Object.keys(entry.fields);
  const scan = async (): Promise<FoundForm | { blocked: string } | undefined> => {
    const frames = entry.frame ? await framesFor(page, entry.frame) : page.frames();
    const scans = await Promise.all(frames.map((f) => evalIn<{ cands: { index: number; score: number }[]; captcha: string | null }>(f, SCAN_FORMS)));
    const wall = scans.find((s) => s?.captcha)?.captcha;
    if (wall) return { blocked: wall };
    for (const frame of selectors.length ? frames : []) {
      const index = await evalIn<number | null>(frame, `${FORM_OF_SELECTORS}(${JSON.stringify(selectors)})`);
      if (typeof index === 'number') return { frame, index };
    }
    let best: (FoundForm & { score: number }) | undefined;
    scans.forEach((s, i) => {
      const top = s?.cands[0];
      if (top && (!best || top.score > best.score)) best = { frame: frames[i]!, index: top.index, score: top.score };
    });
    return best && { frame: best.frame, index: best.index };
  };
  const first = await scan();
  if (first) return first;
  // Script-rendered forms and late iframes: keep looking until the page has loaded and its
  // network has been quiet for a while (8 s after load at the latest).
  let loadedAt: number | undefined;
  page
    .waitForLoadState('load', { timeout: remaining(deadline) })
    .then(() => (loadedAt = performance.now()))
    .catch(() => undefined);
  const activity = new ActivityTracker(page);
  try {
    for (;;) {
      await waitForChange(page, undefined, 250);
      const found = await scan();
      if (found) return found;
      const now = performance.now();
      if (now >= deadline) throw Object.assign(new Error('timed out waiting for the form'), { name: 'TimeoutError' });
      if (loadedAt !== undefined && (activity.quietFor(1500) || now - loadedAt > 8000)) return undefined;
    }
  } finally {
    activity.stop();
  }
}

async function framesFor(page: Page, selector: string): Promise<Frame[]> {
  const handle = await page.locator(selector).first().elementHandle({ timeout: 1000 }).catch(() => null);
  const frame = handle ? await handle.contentFrame() : null;
  return frame ? [frame] : [];
}

/**
 * The button that moves a multi-step form on ("Next", "OK"), and the one that sends it. A
 * "Next" counts only while fields of later steps are still hidden (or it is not a submit
 * button), or when it is the page's only submit button and says "Next" (a form that renders
 * only the page being answered).
 */
export function chooseButtons(d: Described, done: ReadonlySet<number> = new Set()): { next?: ButtonInfo; submit?: ButtonInfo } {
  const visible = d.buttons.filter((b) => b.visible && !b.disabled && !BACK.test(b.text.trim()));
  const hiddenFields = d.fields.some((f) => !f.rendered && !['hidden'].includes(f.type) && !done.has(f.idx));
  const next = visible.find((b) => NEXT.test(b.text.trim()) && (b.type !== 'submit' || hiddenFields));
  const submit =
    visible.find((b) => b.type === 'submit' && !NEXT.test(b.text.trim())) ??
    visible.find((b) => SUBMIT.test(b.text) && !NEXT.test(b.text.trim())) ??
    (next ? undefined : visible.find((b) => b.type === 'submit'));
  // Forms that render only the page being answered (Tally) give no hint of later pages: the
  // page's one submit button saying "Next" moves to the next page, it does not send.
  if (!next && submit && FORWARD.test(submit.text.trim())) return { next: submit };
  return { ...(next ? { next } : {}), ...(submit ? { submit } : {}) };
}

export async function describe(frame: Frame, index: number): Promise<Described | null> {
  return (await frame.evaluate(`${DESCRIBE_FORM}(${index})`)) as Described | null;
}

/**
 * One field may not use the whole form's budget, but a starved machine (a busy CI runner)
 * can take seconds to type: 5 s proved too tight under load.
 */
const FIELD_TIMEOUT_MS = 15_000;
/** How long a "Next" click and the step it reveals may take (a slow AJAX step, a loaded machine) before the form counts as stuck. */
const STEP_TIMEOUT_MS = 15_000;
/** Steps of a paged form, or questions of a one-question-at-a-time form. */
const MAX_STEPS = 30;

const byIdx = (frame: Frame, idx: number) => frame.locator(`[data-ra-idx="${idx}"]`);

async function apply(frame: Frame, a: FillAction, deadline: number): Promise<void> {
  const loc = byIdx(frame, a.idx);
  const timeout = Math.min(remaining(deadline), FIELD_TIMEOUT_MS);
  if (a.viaScript) {
    await frame.evaluate(`${SET_VALUE_WITH_EVENTS}(${JSON.stringify([a.idx, a.value])})`);
    return;
  }
  if (a.kind === 'fill') return loc.fill(a.value, { timeout });
  if (a.kind === 'select') {
    await loc.selectOption(a.value, { timeout });
    return;
  }
  await check(loc, true, timeout);
}

interface WidgetView {
  options: { k: number; text: string; selected: boolean }[];
  search: boolean;
  open: boolean;
}

/**
 * Chooses in a custom dropdown (Choices.js, Select2, Chosen, Radix, React-Select, Headless UI,
 * Wix) as a person does: a click on the widget, the options it shows read, the search box typed
 * into when it has one, the option clicked, then a check that the choice stuck (the native
 * select's value and the widget's shown text, or aria-selected). A `choose` action decides on
 * the options read (the same choice rules as native selects). When the widget does not take
 * the click, a native select behind it is set by script (its events fired) and checked again.
 * Returns the action as done (with the option chosen), or undefined when nothing was chosen.
 */
async function chooseInWidget(page: Page, frame: Frame, a: FillAction, f: FieldInfo | undefined, ctx: FillContext, deadline: number): Promise<FillAction | undefined> {
  const native = f?.tag === 'select';
  const trig = native ? `[data-ra-trig="${a.idx}"]` : `[data-ra-idx="${a.idx}"]`;
  const timeout = Math.min(remaining(deadline), FIELD_TIMEOUT_MS);
  const view = async (): Promise<WidgetView | null> => {
    for (let i = 0; i < 8; i++) {
      const v = (await frame.evaluate(`${WIDGET_OPTIONS}(${JSON.stringify(trig)})`).catch(() => null)) as WidgetView | null;
      if (v && v.options.length) return v;
      await waitForChange(page, frame, 250);
    }
    return null;
  };
  const closeIfOpen = async () => {
    const open = await frame.evaluate(`${WIDGET_CHOSEN}(${JSON.stringify([trig, 0, '', '\u0000'])})`).catch(() => null);
    if ((open as { open?: boolean } | null)?.open) await page.keyboard.press('Escape').catch(() => undefined);
  };
  let done: FillAction | undefined = { ...a };
  let seen: WidgetView | null = null;
  const opened = await frame
    .locator(trig)
    .first()
    .click({ timeout: Math.min(timeout, 5000) })
    .then(() => true)
    .catch(() => false);
  if (opened) seen = await view();
  if (seen && a.kind === 'choose' && f) {
    const pick = pickChoice(f, seen.options.map((o) => ({ value: o.text, text: o.text, disabled: false })), ctx, seen.options.some((o) => o.selected));
    done = pick && { ...a, kind: 'select', value: pick.value, text: pick.text, role: pick.role, ...(pick.choice ? { choice: pick.choice } : {}) };
  }
  if (!done || done.text === undefined) {
    await closeIfOpen();
    return undefined;
  }
  const want = done.text;
  const matchIn = (v: WidgetView | null) => {
    const w = norm(want);
    return v && (v.options.find((o) => norm(o.text) === w) ?? v.options.find((o) => norm(o.text).includes(w) && w.length >= 3));
  };
  if (seen?.search) {
    // Type-ahead in the widget's search box, as a person narrows a long list.
    await page.keyboard.type(want.slice(0, 30)).catch(() => undefined);
    seen = (await view()) ?? seen;
  }
  const option = matchIn(seen);
  const check = async (): Promise<boolean> => {
    for (let i = 0; i < 6; i++) {
      const r = (await frame.evaluate(`${WIDGET_CHOSEN}(${JSON.stringify([trig, native ? a.idx : 0, done!.value, want])})`).catch(() => null)) as { ok: boolean } | null;
      if (r?.ok) return true;
      await waitForChange(page, frame, 250);
    }
    return false;
  };
  if (option && (await frame.locator(`[data-ra-opt="${option.k}"]`).first().click({ timeout: Math.min(timeout, 5000) }).then(() => true).catch(() => false)) && (await check())) {
    // A multiple-choice list stays open after a choice: close it, as a person would, so it covers nothing.
    await closeIfOpen();
    return done;
  }
  await closeIfOpen();
  if (native) {
    // The widget did not take the click: set the select it stands for, as its own script would.
    await frame.evaluate(`${SET_VALUE_WITH_EVENTS}(${JSON.stringify([a.idx, done.value])})`);
    const held = await frame.evaluate(([idx, v]) => (document.querySelector(`[data-ra-idx="${idx}"]`) as HTMLSelectElement | null)?.value === v, [a.idx, done.value] as const).catch(() => false);
    return held ? { ...done, viaScript: true } : undefined;
  }
  return undefined;
}

/**
 * A mask or formatter may rewrite what was typed ("+1 312…" into "(131) 255-5010"): read the
 * box back, and when it no longer holds the number, type the national digits key by key (as
 * a person would, letting the mask place them), then the international form.
 */
async function keepPhone(frame: Frame, a: FillAction, e164: string, deadline: number): Promise<void> {
  const loc = byIdx(frame, a.idx);
  const value = () => loc.inputValue({ timeout: 1000 }).catch(() => '');
  if (phoneValueHolds(await value(), e164)) return;
  const timeout = Math.min(remaining(deadline), FIELD_TIMEOUT_MS);
  const national = formatPhoneFor({ pattern: '', maxLength: 0 }, e164).replace(/\D/g, '');
  for (const attempt of [national, e164]) {
    await loc.fill('', { timeout });
    await loc.pressSequentially(attempt, { timeout });
    if (phoneValueHolds(await value(), e164)) return;
  }
}

/** Ticks a checkbox even when a custom widget hides the real input. */
async function check(loc: Locator, on: boolean, timeout: number): Promise<void> {
  try {
    await loc.setChecked(on, { timeout: Math.min(timeout, 2000) });
  } catch {
    const done = await loc
      .evaluate(
        (el, want) => {
          // A native box, or an ARIA widget (div role=checkbox/radio) whose state is aria-checked.
          const box = el as HTMLInputElement;
          const on = () => (box instanceof HTMLInputElement ? box.checked : el.getAttribute('aria-checked') === 'true');
          if (on() !== want) box.click();
          return on() === want;
        },
        on,
      )
      .catch(() => false);
    if (!done) throw new Error(`could not ${on ? 'tick' : 'untick'} a checkbox`);
  }
}

/** Applies one `fields:` entry; false when the selector matches nothing (yet). */
async function applyExplicit(frame: Frame, selector: string, value: string, deadline: number): Promise<boolean> {
  const loc = frame.locator(selector).first();
  if ((await loc.count()) === 0) return false;
  const kind = await loc.evaluate((el) => {
    const type = (el as HTMLInputElement).type;
    return el.tagName === 'SELECT' ? 'select' : type === 'checkbox' || type === 'radio' ? 'check' : 'fill';
  });
  const timeout = Math.min(remaining(deadline), FIELD_TIMEOUT_MS);
  if (kind === 'select') {
    await loc.selectOption({ label: value }, { timeout: 1000 }).catch(() => loc.selectOption(value, { timeout }));
  } else if (kind === 'check') {
    await check(loc, !/^(false|no|off|0|)$/i.test(value.trim()), timeout);
  } else await loc.fill(value, { timeout });
  return true;
}

async function idxOf(frame: Frame, selector: string): Promise<number[]> {
  const ids = await frame
    .locator(selector)
    .evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.raIdx || 0)))
    .catch(() => [] as number[]);
  return ids.filter(Boolean);
}

/** Fills the form, clicking through Next steps. Never clicks the final submit. */
export async function fillForm(args: {
  page: Page;
  found: FoundForm;
  entry: WebformEntry;
  ctx: FillContext;
  /** The `fields:` map, values already rendered. */
  explicit: Record<string, string>;
  deadline: number;
  progress: (text: string) => void;
}): Promise<FilledForm> {
  const { page, entry, deadline } = args;
  let { frame, index } = args.found;
  const done = new Set<number>();
  const pendingExplicit = new Map(Object.entries(args.explicit));
  const filled: FilledForm['filled'] = [];
  const choices: FilledForm['choices'] = [];
  const dropdowns: FilledForm['dropdowns'] = [];
  const unfilledRequired = new Set<string>();
  const missingProfile = new Set<string>();
  const quizzes = new Set<string>();
  let maybeSent = false;
  /** The pages or questions shown so far (a box revealed on the same page is not a step). */
  let steps = 1;
  for (let round = 1; round <= MAX_STEPS * 2; round++) {
    if (steps > MAX_STEPS) break;
    let d = await describe(frame, index);
    if (!d) throw new Error('the form disappeared while it was being filled');
    const shown = new Set(d.fields.filter((f) => f.visible).map((f) => f.idx));
    const explicitIdx = new Set<number>();
    for (const sel of pendingExplicit.keys()) for (const i of await idxOf(frame, sel)) explicitIdx.add(i);
    const plan = planFill(d.fields.filter((f) => !explicitIdx.has(f.idx)), args.ctx);
    let lastTyped: number | undefined;
    let acted = false;
    for (const planned of plan.actions) {
      if (done.has(planned.idx)) continue;
      let a: FillAction | undefined = planned;
      if (planned.widget) {
        const f = d.fields.find((x) => x.idx === planned.idx);
        a = await chooseInWidget(page, frame, planned, f, args.ctx, deadline);
        done.add(planned.idx);
        const question = f ? questionText(f.label || f.ariaLabel || f.nearby || f.name) : '';
        if (!a) {
          if (f?.required) unfilledRequired.add(question);
          continue;
        }
        dropdowns.push({ field: question, value: a.text ?? a.value, via: a.viaScript ? 'script' : 'widget' });
      } else await apply(frame, a, deadline);
      if (a.role === 'phone' && args.ctx.phone) await keepPhone(frame, a, args.ctx.phone, deadline);
      done.add(a.idx);
      filled.push({ role: a.role, idx: a.idx });
      if (a.choice) choices.push(a.choice);
      acted = true;
      lastTyped = a.kind === 'fill' && !a.viaScript ? a.idx : undefined;
    }
    for (const [sel, value] of pendingExplicit) {
      if (await applyExplicit(frame, sel, value, deadline)) {
        pendingExplicit.delete(sel);
        filled.push({ role: `fields[${sel}]`, idx: 0 });
      }
    }
    for (const l of plan.unfilledRequired) unfilledRequired.add(l);
    for (const l of plan.missingProfile) missingProfile.add(l);
    for (const l of plan.quizzes) quizzes.add(l);
    if (acted) {
      // What was typed or chosen may change the step: a choice that moves on by itself
      // (Typeform), a box revealed by an answer, an OK / Next shown once answered.
      d = (await describe(frame, index)) ?? d;
      const fresh = d.fields.some((f) => f.visible && !shown.has(f.idx) && !done.has(f.idx));
      // The questions answered are gone: the form moved on to its next step by itself.
      if (fresh && d.fields.some((f) => shown.has(f.idx) && !f.visible)) steps++;
      if (fresh) continue;
    }

    const configured = entry.submit ? frame.locator(entry.submit).first() : null;
    if (configured && (await configured.isVisible().catch(() => false)))
      return { frame, index, submit: configured, filled, choices, dropdowns, unfilledRequired: [...unfilledRequired], missingProfile: [...missingProfile], quizzes: [...quizzes], steps, maybeSent, unmatched: [...pendingExplicit.keys()] };
    const { next, submit } = chooseButtons(d, done);
    // No button at all while questions are still to come (conversational forms): Enter
    // answers a typed question ("press Enter ↵"); a chosen option moves on by itself.
    // Only where one question is shown and no <form> would take Enter as its submission.
    if (!next && !submit && acted && oneQuestionAtATime(d, done) && !(lastTyped !== undefined && d.isForm)) {
      args.progress(`step ${steps + 1}`);
      const before = new Set(d.fields.filter((f) => f.visible).map((f) => f.idx));
      if (lastTyped !== undefined) await byIdx(frame, lastTyped).press('Enter', { timeout: Math.min(remaining(deadline), STEP_TIMEOUT_MS) });
      const advanced = await waitForStep(page, frame, index, before, deadline);
      if (advanced !== 'stuck') steps++;
      if (advanced === 'advanced') continue;
      if (advanced === 'navigated') {
        const again = await findForm(page, entry, deadline);
        if (!again || 'blocked' in again) throw new Error('the form did not continue after Enter');
        ({ frame, index } = again);
        continue;
      }
      const snap = await snapshot(page);
      const stuck = lastTyped !== undefined ? 'the form did not move on after Enter' : 'the form did not move on after the answer';
      return { frame, index, submit: null, filled, choices, dropdowns, unfilledRequired: [...unfilledRequired], missingProfile: [...missingProfile], quizzes: [...quizzes], steps, maybeSent, stepErrors: snap.errors.length ? snap.errors : [stuck], unmatched: [...pendingExplicit.keys()] };
    }
    if (next && !submit) {
      if (next.type === 'submit') maybeSent = true;
      args.progress(`step ${steps + 1}`);
      const before = new Set(d.fields.filter((f) => f.visible).map((f) => f.idx));
      await frame.locator(`[data-ra-btn="${next.idx}"]`).click({ timeout: Math.min(remaining(deadline), STEP_TIMEOUT_MS) });
      const advanced = await waitForStep(page, frame, index, before, deadline);
      if (advanced !== 'stuck') steps++;
      if (advanced === 'navigated') {
        const again = await findForm(page, entry, deadline);
        if (!again || 'blocked' in again) throw new Error('the form did not continue after "Next"');
        ({ frame, index } = again);
      } else if (advanced === 'stuck') {
        const snap = await snapshot(page);
        return { frame, index, submit: null, filled, choices, dropdowns, unfilledRequired: [...unfilledRequired], missingProfile: [...missingProfile], quizzes: [...quizzes], steps, maybeSent, stepErrors: snap.errors.length ? snap.errors : ['the form did not move past "' + next.text + '"'], unmatched: [...pendingExplicit.keys()] };
      }
      continue;
    }
    const submitLoc = submit ? frame.locator(`[data-ra-btn="${submit.idx}"]`) : null;
    return { frame, index, submit: submitLoc, filled, choices, dropdowns, unfilledRequired: [...unfilledRequired], missingProfile: [...missingProfile], quizzes: [...quizzes], steps, maybeSent, unmatched: [...pendingExplicit.keys()] };
  }
  throw new Error(`the form has more than ${MAX_STEPS} steps`);
}

/**
 * A conversational form's step: a single question shown (one box, or the options of one
 * choice), and questions still to come in the page but not shown (never a hidden trap).
 */
function oneQuestionAtATime(d: Described, done: ReadonlySet<number>): boolean {
  const shown = d.fields.filter((f) => f.visible && !isHoneypot(f));
  const boxes = shown.filter((f) => f.type !== 'radio' && f.type !== 'checkbox');
  const groups = new Set(shown.filter((f) => f.type === 'radio').map((f) => f.name || `#${f.idx}`));
  const one = boxes.length + groups.size === 1;
  return one && d.fields.some((f) => !f.rendered && f.type !== 'hidden' && !done.has(f.idx) && !isHoneypot(f));
}

/** After "Next": new fields appear (advanced), the page navigates, or nothing moves (stuck). */
async function waitForStep(page: Page, frame: Frame, index: number, before: Set<number>, deadline: number): Promise<'advanced' | 'navigated' | 'stuck'> {
  const until = Math.min(deadline, performance.now() + STEP_TIMEOUT_MS);
  let navigated = false;
  const onNav = (f: Frame) => {
    if (f === frame) navigated = true;
  };
  page.on('framenavigated', onNav);
  try {
    while (performance.now() < until) {
      if (navigated || frame.isDetached()) {
        await page.waitForLoadState('domcontentloaded', { timeout: remaining(deadline) }).catch(() => undefined);
        return 'navigated';
      }
      const d = await describe(frame, index).catch(() => null);
      if (d && d.fields.some((f) => f.visible && !before.has(f.idx))) return 'advanced';
      await waitForChange(page, frame, 250);
    }
    return 'stuck';
  } finally {
    page.off('framenavigated', onNav);
  }
}
