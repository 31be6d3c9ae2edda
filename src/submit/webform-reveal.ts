/**
 * Forms that only appear after a click: a "Contact us" button opening a modal, a dialog, a
 * collapsed panel. When no visible contact form is found but a hidden one is in the page,
 * the button that opens it is clicked, the way a visitor would, and the form looked for again.
 * Nothing is sent by this click: the trigger must sit outside any form and may not navigate.
 */
import type { Page } from 'playwright-core';
import { evalIn } from './webform-outcome.js';

/**
 * Marks the best trigger of this frame with data-ra-reveal and returns its text, or null.
 * A trigger that names the hidden form's container (aria-controls, data-target,
 * data-bs-target, href="#id") wins over one that only says "Contact us" in some language.
 */
const MARK_REVEAL_TRIGGER = String.raw`(() => {
  const vis = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0 && (!el.checkVisibility || el.checkVisibility({ visibilityProperty: true, opacityProperty: true })); };
  const ctrls = (f) => [...f.querySelectorAll('input,select,textarea')].filter((el) => !['hidden', 'submit', 'button', 'reset', 'image', 'file'].includes(el.type));
  const contactish = (f) => {
    const els = ctrls(f);
    const text = els.filter((el) => el.type !== 'checkbox' && el.type !== 'radio');
    return text.length >= 2 && els.some((el) => el.type === 'email' || el.type === 'tel' || el.tagName === 'TEXTAREA' || /mail|phone|tel/i.test(el.name + ' ' + el.id));
  };
  const hidden = [...document.querySelectorAll('form')].filter((f) => contactish(f) && !ctrls(f).some(vis));
  if (!hidden.length) return null;
  const WORDS = /contact|get in touch|write to us|message us|send (us )?a message|request|call ?back|appointment|enquir|inquir|kontakt|schreiben sie|anfrage|r[uü]ckruf|termin|cont[aá]ct|escr[ií]b|solicit|cita|ll[aá]m|nous [eé]crire|[eé]crivez|rappel|rendez|demande|fale|entre em contato|agendar|marcar/i;
  const refOf = (el) => {
    const r = el.getAttribute('aria-controls') || el.getAttribute('data-target') || el.getAttribute('data-bs-target') || el.getAttribute('data-modal') || el.getAttribute('data-toggle-target') || '';
    const href = el.tagName === 'A' ? el.getAttribute('href') || '' : '';
    const ref = r || (href.startsWith('#') ? href : '');
    if (!ref) return null;
    try { return document.querySelector(ref.startsWith('#') || ref.startsWith('.') ? ref : '#' + CSS.escape(ref)); } catch { return null; }
  };
  let best = null;
  for (const el of document.querySelectorAll('button, a, [role=button], input[type=button]')) {
    if (el.closest('form') || !vis(el) || el.disabled) continue;
    const href = el.tagName === 'A' ? (el.getAttribute('href') || '') : '';
    const leaves = el.tagName === 'A' && href && !href.startsWith('#') && !/^javascript:/i.test(href);
    const text = (el.innerText || el.value || el.getAttribute('aria-label') || '').replace(/\s+/g, ' ').trim();
    const ref = refOf(el);
    let score = 0;
    if (ref && hidden.some((f) => ref.contains(f))) score = 10;
    else if (!leaves && WORDS.test(text) && text.length <= 60) score = el.getAttribute('aria-haspopup') || el.tagName !== 'A' ? 6 : 4;
    if (score && (!best || score > best.score)) best = { el, score, text };
  }
  if (!best) return null;
  document.querySelectorAll('[data-ra-reveal]').forEach((e) => e.removeAttribute('data-ra-reveal'));
  best.el.setAttribute('data-ra-reveal', '1');
  return best.text || '(unnamed button)';
})()`;

/** Clicks the button that shows a hidden contact form; its text, or undefined when there is none. */
export async function revealForm(page: Page, timeoutMs: number): Promise<string | undefined> {
  for (const frame of page.frames()) {
    const text = await evalIn<string | null>(frame, MARK_REVEAL_TRIGGER);
    if (!text) continue;
    await frame.locator('[data-ra-reveal]').first().click({ timeout: Math.min(timeoutMs, 5000), noWaitAfter: true });
    return text;
  }
  return undefined;
}
