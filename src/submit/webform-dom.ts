/**
 * Code that runs inside the page. Kept as plain JavaScript strings (not functions) so no
 * bundler or test transform can inject helpers into it that the page does not have.
 * Every script is an expression evaluated in one frame and returns JSON-able data.
 */
import { SUM_QUESTION_SOURCE } from './webform-arithmetic.js';

/**
 * A button that moves a form on to its next step or question: "Next", "Continue", the "OK" of
 * a one-question-at-a-time form (Typeform), "Start", in five languages, or an arrow.
 */
export const STEP_BUTTON = /^(next|continue|siguiente|continuar|proceed|next step|siguiente paso|weiter|suivant|continuer|pr[oó]ximo|avan[cç]ar|seguinte|ok|okay|start|begin|comenzar|empezar|commencer|beginnen|starten|come[cç]ar)\b|[→›»]\s*$/i;

/** Shared helpers, prepended to each script. */
const HELPERS = String.raw`
const raText = (n) => (n ? (n.innerText || n.textContent || '') : '').replace(/\s+/g, ' ').trim();
const raOwnText = (n) => {
  if (!n) return '';
  const c = n.cloneNode(true);
  c.querySelectorAll('input,select,textarea,button,script,style').forEach((x) => x.remove());
  return (c.textContent || '').replace(/\s+/g, ' ').trim();
};
const raVisible = (el) => {
  if (!el || !el.isConnected) return false;
  const r = el.getBoundingClientRect();
  if (r.width === 0 && r.height === 0) return false;
  if (el.checkVisibility) return el.checkVisibility({ opacityProperty: true, visibilityProperty: true, checkOpacity: true, checkVisibilityCSS: true });
  const s = getComputedStyle(el);
  return s.visibility !== 'hidden' && s.display !== 'none' && s.opacity !== '0';
};
const raRendered = (el) => {
  if (!el || !el.isConnected) return false;
  if (el.checkVisibility) return el.checkVisibility();
  return el.getClientRects().length > 0;
};
// The text just before a control in its own box (sibling text and elements without controls,
// or its parent's when the control is alone there): where "3 + 13 =" sits next to a captcha box.
const raBefore = (el) => {
  for (let node = el, depth = 0; node && node.parentElement && depth < 2; node = node.parentElement, depth++) {
    const parts = [];
    for (let n = node.previousSibling; n; n = n.previousSibling) {
      if (n.nodeType === 1 && (n.matches('input,select,textarea,button') || n.querySelector('input,select,textarea,button'))) break;
      if (n.nodeType === 1 && n.matches('script,style')) continue;
      parts.unshift(n.nodeType === 1 ? (n.textContent || '') : n.nodeType === 3 ? n.nodeValue : '');
    }
    const t = parts.join(' ').replace(/\s+/g, ' ').trim();
    if (t) return t.slice(-160);
    if (node.parentElement.querySelectorAll('input,select,textarea').length > 1) return '';
  }
  return '';
};
// A box next to a simple sum ("3 + 13 =", "What is 7 plus 2?"): a question the shopper answers, not a CAPTCHA.
const raSumRe = new RegExp(${JSON.stringify(SUM_QUESTION_SOURCE)});
const raFold = (s) => (s || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/\s+/g, ' ').trim();
const raSumQuestion = (el) => [el.labels ? [...el.labels].map((l) => l.textContent).join(' ') : '', el.getAttribute('aria-label'), el.getAttribute('placeholder'), raBefore(el)]
  .some((t) => raSumRe.test(raFold(t)));
// Shown where a person would click it: visible, and (inside the window) on top at its centre,
// so a list clipped away or covered (Chosen's closed drop) does not count.
const raShownAt = (el) => {
  if (!raVisible(el)) return false;
  const r = el.getBoundingClientRect();
  const x = r.left + r.width / 2, y = r.top + r.height / 2;
  if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) return true;
  const hit = document.elementFromPoint(x, y);
  return !!hit && (hit === el || el.contains(hit));
};
const raControls = (root) => [...root.querySelectorAll('input,select,textarea')].filter((el) =>
  !['hidden', 'submit', 'button', 'reset', 'image', 'file', 'password'].includes((el.getAttribute('type') || '').toLowerCase()) || el.type === 'password');
`;

/** Which CAPTCHA or bot wall the frame shows, if any (a statement setting `captcha`). */
const CAPTCHA_DETECT = String.raw`
  const q = (s) => document.querySelector(s);
  let captcha = null;
  if (q('.g-recaptcha, .grecaptcha-badge, iframe[src*="/recaptcha/"], iframe[title="reCAPTCHA" i], script[src*="recaptcha/api.js"], script[src*="recaptcha/enterprise.js"], textarea[name="g-recaptcha-response"], input[name="g-recaptcha-response"]')) captcha = 'recaptcha';
  else if (q('.h-captcha, iframe[src*="hcaptcha"], script[src*="hcaptcha"], textarea[name="h-captcha-response"]')) captcha = 'hcaptcha';
  else if (q('.cf-turnstile, iframe[src*="challenges.cloudflare.com"], script[src*="turnstile/v0/api.js"], input[name="cf-turnstile-response"]')) captcha = 'turnstile';
  else if (q('.frc-captcha, iframe[src*="captcha-delivery.com"], #px-captcha, [id^="sec-if-cpt"], img[src*="captcha" i] ~ input') ||
    // A box for the characters of an image; a hidden input named recaptcha_token / captcha_response only
    // carries a widget's token (the widget itself is found above), and is empty on forms without one.
    [...document.querySelectorAll('input[name*="captcha" i]')].some((el) => el.type !== 'hidden' && !raSumQuestion(el))) captcha = 'captcha';
  else if (q('#challenge-form, #cf-challenge-running, #challenge-running') || window._cf_chl_opt ||
    /^(just a moment|attention required|access denied|checking your browser|are you a robot|ddos-guard|please verify you are a human)/i.test(document.title)) captcha = 'challenge';
`;

/**
 * Candidate forms of this frame, best first, with a score (index -1 = controls outside any
 * form), and any CAPTCHA or bot wall, in one round trip.
 */
export const SCAN_FORMS = `(() => {${HELPERS}${CAPTCHA_DETECT}
  const stepRe = new RegExp(${JSON.stringify(STEP_BUTTON.source)}, 'i');
  const buttonsOf = (root) => [...root.querySelectorAll('button,[role=button],input[type=button],input[type=submit]')];
  // One question at a time (Typeform, Tally, a paged form on its first page): the questions
  // still to come are in the page but not shown, and an OK / Next button is. They count
  // toward what the form asks, so a first step with a single box is still recognised.
  // "press Enter ↵" beside the question, in five languages.
  const enterRe = /press\\s+enter|pulsa\\s+(intro|enter)|presiona\\s+(intro|enter)|appuyez sur (entr[eé]e|enter)|enter dr[uü]cken|eingabetaste|pressione\\s+enter/i;
  // A welcome screen ("Start", "Comenzar", "Commencer", "Starten", "Começar") shows no question yet.
  const startRe = /^(start|begin|let'?s (go|start|begin)|get started|comenzar|empezar|iniciar|commencer|c'est parti|starten|beginnen|los geht'?s|come[cç]ar|iniciar)\\b/i;
  const laterOf = (all, els, buttons, rootText) => {
    const shownButtons = buttons.filter((b) => raVisible(b) && !b.closest('[id*=cookie i],[class*=cookie i],[id*=consent i],[class*=consent i]'));
    const stepper = shownButtons.some((b) => stepRe.test((raText(b) || b.value || '').trim()));
    const welcome = !els.length && shownButtons.some((b) => startRe.test((raText(b) || b.value || '').trim()));
    if (!(stepper || (els.length === 1 && enterRe.test(rootText()))) || !(els.length || welcome)) return [];
    // Never the hidden traps for bots (which also sit in the page unseen).
    const trap = (el) => el.closest('[aria-hidden=true]') || el.getAttribute('tabindex') === '-1' || /honey|^hp$|website|^url$|fax|leave .*(blank|empty)/i.test(el.name + ' ' + el.id);
    const later = all.filter((el) => !raRendered(el) && el.type !== 'hidden' && !trap(el));
    return later.some((el) => el.type === 'email' || el.type === 'tel' || el.tagName === 'TEXTAREA') ? later : [];
  };
  const score = (root, buttons, rootText) => {
    const all = raControls(root);
    const shown = all.filter((el) => raVisible(el) || (el.type === 'checkbox' && raRendered(el.closest('label') || el)));
    const els = shown.concat(laterOf(all, shown, buttons, rootText));
    const sig = (el) => [el.name, el.id, el.type, el.placeholder, el.autocomplete, el.getAttribute('aria-label'), ...(el.labels ? [...el.labels].map(raOwnText) : [])].join(' ').toLowerCase();
    const text = els.filter((el) => el.type !== 'checkbox' && el.type !== 'radio');
    if (els.some((el) => el.type === 'password')) return -1;
    const hasEmail = els.some((el) => el.type === 'email' || /mail|correo/.test(sig(el)));
    const hasTextarea = els.some((el) => el.tagName === 'TEXTAREA');
    const hasTel = els.some((el) => el.type === 'tel' || /phone|tel/.test(sig(el)));
    if (text.length === 1 && (text[0].type === 'search' || /search|buscar|^q$|^s$/.test(sig(text[0])))) return -1;
    if (text.length < 2 && !hasTextarea) return -1;
    if (!hasEmail && !hasTextarea && !hasTel) return -1;
    return text.length + (hasEmail ? 4 : 0) + (hasTextarea ? 4 : 0) + (text.length >= 3 ? 3 : 0);
  };
  const out = [];
  [...document.querySelectorAll('form')].forEach((f, i) => { const s = score(f, buttonsOf(f), () => raText(f).slice(0, 20000)); if (s > 0) out.push({ index: i, score: s }); });
  if (document.body) {
    const outside = raControls(document.body).filter((el) => !el.closest('form'));
    if (outside.length) {
      const s = score({ querySelectorAll: () => outside }, buttonsOf(document.body).filter((b) => !b.closest('form')), () => raText(document.body).slice(0, 20000));
      if (s > 0) out.push({ index: -1, score: s });
    }
  }
  return { cands: out.sort((a, b) => b.score - a.score), captcha };
})()`;

/** Describes the fields and buttons of form #index (marking them with data-ra-* ids). */
export const DESCRIBE_FORM = `((index) => {${HELPERS}
  const root = index >= 0 ? document.querySelectorAll('form')[index] : document.body;
  if (!root) return null;
  document.querySelectorAll('[data-ra-form]').forEach((f) => f !== root && f.removeAttribute('data-ra-form'));
  root.setAttribute('data-ra-form', String(index));
  const inRoot = (el) => (index >= 0 ? true : !el.closest('form'));
  window.__raNext = window.__raNext || 1;
  const id = (el, key) => { if (!el.dataset[key]) el.dataset[key] = String(window.__raNext++); return Number(el.dataset[key]); };
  const labelOf = (el) => {
    const parts = [];
    if (el.labels) for (const l of el.labels) parts.push(raOwnText(l));
    const lb = el.getAttribute('aria-labelledby');
    if (lb) for (const i of lb.split(/\\s+/)) parts.push(raText(document.getElementById(i)));
    return parts.filter(Boolean).join(' ');
  };
  const nearby = (el) => {
    let prev = el.previousElementSibling;
    while (prev && ['BR', 'SCRIPT'].includes(prev.tagName)) prev = prev.previousElementSibling;
    const t = prev && !prev.matches('input,select,textarea') ? raOwnText(prev) : '';
    if (t && t.length < 80) return t;
    for (let p = el.parentElement, d = 0; p && d < 2; p = p.parentElement, d++) {
      const pt = raOwnText(p);
      if (pt && pt.length < 80) return pt;
    }
    return '';
  };
  const groupLabel = (el) => {
    const fs = el.closest('fieldset');
    const lg = fs && fs.querySelector('legend');
    if (lg) return raText(lg);
    const rg = el.closest('[role=radiogroup],[role=group]');
    if (rg) return rg.getAttribute('aria-label') || raText(document.getElementById(rg.getAttribute('aria-labelledby') || ''));
    return '';
  };
  // Custom dropdowns (Choices.js, Select2, Chosen, Radix, React-Select, Headless UI, Wix): the
  // control a person clicks, tied to the native select it stands for when there is one (the
  // select hidden inside an ARIA combobox, or beside a shown widget that is or holds one, or,
  // without ARIA (Chosen), beside a shown widget showing the select's current text).
  const popupSel = '[role=combobox],[aria-haspopup=listbox],[aria-haspopup=true]';
  const tinyOrHidden = (el) => { if (!raVisible(el) || el.getAttribute('aria-hidden') === 'true') return true; const r = el.getBoundingClientRect(); return r.width <= 2 || r.height <= 2; };
  const widgetOf = (sel) => {
    if (!tinyOrHidden(sel)) return null;
    const outer = sel.parentElement && sel.parentElement.closest('[role=combobox]');
    if (outer && raVisible(outer)) return { box: outer, trigger: outer };
    const current = sel.selectedIndex >= 0 ? raText(sel.options[sel.selectedIndex]) : '';
    for (const sib of [sel.nextElementSibling, sel.previousElementSibling]) {
      if (!sib || !raVisible(sib) || sib.matches('input,select,textarea,label,button[type=submit]')) continue;
      const aria = sib.matches(popupSel) ? sib : sib.querySelector(popupSel);
      if (aria) return { box: sib, trigger: aria };
      const click = sib.querySelector('a,button,[tabindex]:not([tabindex="-1"])') || (sib.matches('[tabindex]') ? sib : null);
      if (click && ((current && raText(sib).includes(current)) || raRendered(sel) === false)) return { box: sib, trigger: click };
    }
    return null;
  };
  const widgetSel = new Map();
  for (const sel of root.querySelectorAll('select')) {
    if (!inRoot(sel)) continue;
    const w = widgetOf(sel);
    if (!w) continue;
    widgetSel.set(sel, w);
    w.box.setAttribute('data-ra-wbox', '');
    w.trigger.setAttribute('data-ra-trig', String(id(sel, 'raIdx')));
  }
  // A checkbox's group: its name shared with other boxes, else its fieldset / group of boxes.
  const boxGroup = (el) => {
    if (el.type !== 'checkbox') return '';
    if (el.name && root.querySelectorAll('input[type=checkbox][name="' + CSS.escape(el.name) + '"]').length > 1) return 'n:' + el.name;
    const c = el.closest('fieldset,[role=group]');
    return c && c.querySelectorAll('input[type=checkbox]').length > 1 ? 'g:' + id(c, 'raGrp') : '';
  };
  const comboInput = (el) => el.matches('input[role=combobox]:not([name])');
  const fields = raControls(root).filter(inRoot).filter((el) => !comboInput(el) && (el.tagName === 'SELECT' || !el.closest('[data-ra-wbox]'))).map((el) => {
    const r = el.getBoundingClientRect();
    const tag = el.tagName.toLowerCase();
    const type = tag === 'input' ? (el.getAttribute('type') || 'text').toLowerCase() : tag;
    const box = el.type === 'checkbox' || el.type === 'radio' ? (el.closest('label') || (el.labels && el.labels[0]) || el) : el;
    const w = widgetSel.get(el);
    if (w) {
      const tr = w.trigger;
      return {
        idx: id(el, 'raIdx'), tag, type, name: el.getAttribute('name') || '', id: el.id || '', autocomplete: (el.getAttribute('autocomplete') || '').toLowerCase(),
        placeholder: '', ariaLabel: el.getAttribute('aria-label') || tr.getAttribute('aria-label') || '', label: labelOf(el) || (tr.labels ? [...tr.labels].map(raOwnText).join(' ') : ''),
        nearby: nearby(w.box), before: '', required: el.required || el.getAttribute('aria-required') === 'true' || tr.getAttribute('aria-required') === 'true' || /\\*\\s*$/.test(labelOf(el)),
        visible: raVisible(tr), rendered: true, offscreen: false, tiny: false, ariaHidden: false, tabindexNeg: false, inert: !!el.closest('[inert]'),
        disabled: el.disabled, readOnly: false, pattern: '', maxLength: 0, min: '', max: '', value: el.value || '', checked: false, optionValue: '',
        options: [...el.options].map((o) => ({ value: o.value, text: raText(o) || o.text, disabled: o.disabled })), groupLabel: groupLabel(el), widget: true,
      };
    }
    return {
      idx: id(el, 'raIdx'), tag, type, name: el.getAttribute('name') || '', id: el.id || '',
      autocomplete: (el.getAttribute('autocomplete') || '').toLowerCase(), placeholder: el.getAttribute('placeholder') || '',
      ariaLabel: el.getAttribute('aria-label') || '', label: labelOf(el), nearby: nearby(el), before: raBefore(el),
      // Builders that check required fields in script (Cognito, Zoho) mark them only with a
      // "*" after the label, or, for radio buttons, after the question (legend, radiogroup).
      required: el.required || el.getAttribute('aria-required') === 'true' ||
        (el.type === 'radio' ? /\\*\\s*$/.test(groupLabel(el)) || !!el.closest('[role=radiogroup][aria-required=true]') : el.type !== 'checkbox' && /\\*\\s*$/.test(labelOf(el))),
      visible: raVisible(el) || ((el.type === 'checkbox' || el.type === 'radio') && box !== el && raVisible(box)),
      rendered: raRendered(el),
      offscreen: r.right + window.scrollX <= 0 || r.bottom + window.scrollY <= 0,
      tiny: r.width <= 2 || r.height <= 2,
      ariaHidden: !!el.closest('[aria-hidden="true"]'), tabindexNeg: el.getAttribute('tabindex') === '-1',
      inert: !!el.closest('[inert]'), disabled: el.disabled, readOnly: !!el.readOnly,
      pattern: el.getAttribute('pattern') || '', maxLength: el.maxLength > 0 ? el.maxLength : 0,
      min: el.getAttribute('min') || '', max: el.getAttribute('max') || '',
      value: el.value || '', checked: !!el.checked, optionValue: el.getAttribute('value') || '',
      options: tag === 'select' ? [...el.options].map((o) => ({ value: o.value, text: raText(o) || o.text, disabled: o.disabled })) : undefined,
      groupLabel: groupLabel(el), group: boxGroup(el),
      mask: el.getAttribute('data-inputmask') || el.getAttribute('data-inputmask-mask') || el.getAttribute('data-mask') || '',
    };
  });
  // ARIA widgets (Google Forms, Microsoft Forms, React UI kits): div role=radio/checkbox with
  // aria-checked, named by aria-label / aria-labelledby / their text, grouped by the nearest
  // radiogroup / group / listitem, required by aria-required, data-required or a "*" title.
  const groupKey = (g) => (g ? 'aria-group-' + id(g, 'raGrp') : '');
  const labelledBy = (el) => (el.getAttribute('aria-labelledby') || '').split(/\\s+/).map((i) => raText(document.getElementById(i))).filter(Boolean).join(' ');
  const ariaName = (el) => el.getAttribute('aria-label') || labelledBy(el) ||
    raText(el) || el.getAttribute('data-value') || (el.parentElement && el.parentElement.closest('[data-value]') || { getAttribute: () => '' }).getAttribute('data-value') || '';
  const widgets = [...root.querySelectorAll('[role=radio],[role=checkbox],[role=switch],[role=menuitemradio],[role=menuitemcheckbox]')]
    .filter((el) => inRoot(el) && !el.matches('input') && !el.querySelector('input[type=radio],input[type=checkbox]'))
    .map((el) => {
      const role = el.getAttribute('role');
      const grp = el.closest('[role=radiogroup],[role=group],[role=listitem],fieldset');
      const title = grp ? grp.getAttribute('aria-label') || labelledBy(grp) : '';
      const heading = grp && grp.closest('[role=listitem]') && grp.closest('[role=listitem]').querySelector('[role=heading]');
      const groupText = title || (heading ? raText(heading) : groupLabel(el));
      const required = el.getAttribute('aria-required') === 'true' || (grp && grp.getAttribute('aria-required') === 'true') ||
        !!el.closest('[data-required="true"]') || /\\*\\s*$/.test(groupText) ||
        !!(grp && grp.closest('[role=listitem]') && grp.closest('[role=listitem]').querySelector('[aria-label="Required question" i],[aria-label*="required" i]'));
      const r = el.getBoundingClientRect();
      const name = ariaName(el);
      return {
        idx: id(el, 'raIdx'), tag: el.tagName.toLowerCase(), type: /radio/.test(role) ? 'radio' : 'checkbox', aria: true,
        name: /radio/.test(role) ? groupKey(grp) : '', id: el.id || '', autocomplete: '', placeholder: '',
        ariaLabel: el.getAttribute('aria-label') || '', label: name, nearby: '', before: '', required: !!required,
        visible: raVisible(el), rendered: raRendered(el), offscreen: r.right + window.scrollX <= 0 || r.bottom + window.scrollY <= 0,
        tiny: r.width <= 2 || r.height <= 2, ariaHidden: !!el.closest('[aria-hidden="true"]'), tabindexNeg: false,
        inert: !!el.closest('[inert]'), disabled: el.getAttribute('aria-disabled') === 'true', readOnly: el.getAttribute('aria-readonly') === 'true',
        pattern: '', maxLength: 0, min: '', max: '', value: '', checked: el.getAttribute('aria-checked') === 'true',
        optionValue: el.getAttribute('data-value') || name, groupLabel: groupText,
        group: role === 'checkbox' && grp && grp.querySelectorAll('[role=checkbox]').length > 1 ? groupKey(grp) : '',
      };
    });
  fields.push(...widgets);
  // Dropdowns with no native select (React-Select's input, Radix / Headless UI / Wix buttons, a
  // listbox that expands, as Google Forms' dropdown question): the options when the listbox is
  // already in the page, else read once it is opened.
  const combos = [...root.querySelectorAll('[role=combobox],button[aria-haspopup=listbox],[role=listbox][aria-expanded],[role=listbox][aria-haspopup]')]
    .filter((el) => inRoot(el) && !el.closest('[data-ra-wbox]') && !el.hasAttribute('data-ra-trig') && !(el.matches('input,textarea') && !comboInput(el)))
    .map((el) => {
      const own = el.id;
      const lb = el.getAttribute('aria-labelledby');
      const named = [...new Set([...(el.labels ? [...el.labels].map(raOwnText) : []), ...(lb ? lb.split(/\\s+/).filter((i) => i !== own).map((i) => raText(document.getElementById(i))) : [])].filter(Boolean))].join(' ');
      const list = document.getElementById(el.getAttribute('aria-controls') || el.getAttribute('aria-owns') || '') || (el.getAttribute('role') === 'listbox' ? el : null);
      const opts = list ? [...list.querySelectorAll('[role=option]')] : [];
      const chosen = opts.find((o) => o.getAttribute('aria-selected') === 'true');
      const r = el.getBoundingClientRect();
      return {
        idx: id(el, 'raIdx'), tag: 'combobox', type: 'combobox', name: '', id: el.id || '', autocomplete: '', placeholder: '',
        ariaLabel: el.getAttribute('aria-label') || '', label: named, nearby: named ? '' : nearby(el), before: '',
        required: el.getAttribute('aria-required') === 'true' || /\\*\\s*$/.test(named), visible: raVisible(el), rendered: raRendered(el),
        offscreen: r.right + window.scrollX <= 0 || r.bottom + window.scrollY <= 0, tiny: false, ariaHidden: !!el.closest('[aria-hidden="true"]'), tabindexNeg: false,
        inert: !!el.closest('[inert]'), disabled: el.disabled === true || el.getAttribute('aria-disabled') === 'true', readOnly: false,
        pattern: '', maxLength: 0, min: '', max: '', value: chosen ? raText(chosen) : '', checked: false, optionValue: '',
        options: opts.length ? opts.map((o) => ({ value: raText(o), text: raText(o), disabled: o.getAttribute('aria-disabled') === 'true' })) : undefined,
        groupLabel: groupLabel(el), widget: true,
      };
    });
  fields.push(...combos);
  // Inside a form, a link drawn as a button (Weebly's a.wsite-button beside an off-screen submit) is one too.
  const buttonSel = 'button,input[type=submit],input[type=button],input[type=image],[role=button],a.button,a.btn' + (index >= 0 ? ',a[class*="button" i],a[class*="btn" i]' : '');
  const buttons = [...root.querySelectorAll(buttonSel)]
    .filter(inRoot)
    .map((el) => {
      const r = el.getBoundingClientRect();
      // Moved off the page or shrunk to a pixel: kept for the Enter key, not for a person to press.
      const away = r.right + window.scrollX <= 0 || r.bottom + window.scrollY <= 0 || (r.width <= 2 && r.height <= 2);
      return {
        idx: id(el, 'raBtn'), tag: el.tagName.toLowerCase(),
        type: el.tagName === 'BUTTON' ? (el.getAttribute('type') || (el.form ? 'submit' : 'button')).toLowerCase() : (el.getAttribute('type') || '').toLowerCase(),
        text: (raText(el) || el.value || el.getAttribute('aria-label') || el.getAttribute('title') || '').slice(0, 80),
        cls: (el.className && String(el.className)) || '',
        visible: raVisible(el) && !away, disabled: !!el.disabled,
      };
    });
  const isForm = root.tagName === 'FORM';
  return { fields, buttons, isForm, noValidate: isForm ? root.noValidate : true };
})`;

/** Just the CAPTCHA check: cheap enough to run before filling. */
export const CAPTCHA_STATE = `(() => {${HELPERS}${CAPTCHA_DETECT} return captcha; })()`;

/**
 * What the frame shows: text, error messages (each with the label of the field it belongs to),
 * CAPTCHA / bot-wall markers, the form's presence.
 *
 * An error message belongs to a field when the field points at it (aria-errormessage,
 * aria-describedby), or when it sits in the field's own wrapper (the nearest ancestor holding
 * that one control, or one fieldset of controls); a message of the whole form (an alert region,
 * a summary above the form) has no field. `errors` holds them as `Label: "message"` or
 * `"message"`; `invalid` the labels of fields marked aria-invalid that no message names.
 */
export const PAGE_STATE = `(() => {${HELPERS}${CAPTCHA_DETECT}  const errSel = '[role=alert], [aria-live=assertive], .error, .errors, .error-message, .field-error, .form-error, .invalid-feedback, ' +
    '.wpcf7-not-valid-tip, .wpcf7-response-output.wpcf7-validation-errors, .validation_message, .gfield_validation_message, .hs-error-msg, ' +
    '.parsley-errors-list li, .help-block.with-errors, .nf-error-msg, .ff-el-is-error .error, .text-danger, [class*="error" i], [id*="error" i]';
  const isControl = (el) => el.matches('input,select,textarea') && !['hidden', 'submit', 'button', 'reset', 'image'].includes((el.getAttribute('type') || '').toLowerCase());
  const controlsIn = (root) => [...root.querySelectorAll('input,select,textarea')].filter(isControl);
  const legendOf = (el) => { const fs = el.closest('fieldset'); const lg = fs && fs.querySelector('legend'); return lg ? raText(lg) : ''; };
  const clean = (t) => (t || '').replace(/\\s+/g, ' ').replace(/\\s*[*:]+\\s*$/, '').trim();
  const cut = (t) => (t.length > 80 ? t.slice(0, 79) + '…' : t);
  // A label's own words: not its control, nor an error message the builder put inside it (CF7's tip).
  const labelText = (l) => {
    const c = l.cloneNode(true);
    c.querySelectorAll('input,select,textarea,button,script,style').forEach((x) => x.remove());
    c.querySelectorAll(errSel).forEach((x) => x.remove());
    return (c.textContent || '').replace(/\\s+/g, ' ').trim();
  };
  const labelOf = (el) => {
    let t = '';
    if (el.labels && el.labels.length) t = clean(labelText(el.labels[0]));
    if (!t && el.getAttribute('aria-labelledby')) t = clean(el.getAttribute('aria-labelledby').split(/\\s+/).map((i) => raText(document.getElementById(i))).join(' '));
    if (!t) t = clean(el.getAttribute('aria-label'));
    if (!t && (el.type === 'radio' || el.type === 'checkbox')) t = clean(legendOf(el));
    if (!t) t = clean(el.getAttribute('placeholder') || el.getAttribute('title') || el.name || el.id || '');
    return cut(t);
  };
  const groupOf = (cs) => new Set(cs.map((c) => c.name || c.id || c));
  // The field a message is about: the control pointing at it, else the wrapper it shares with one control (or one fieldset).
  const byRef = new Map();
  for (const c of controlsIn(document)) {
    for (const a of ['aria-errormessage', 'aria-describedby'])
      for (const i of (c.getAttribute(a) || '').split(/\\s+/)) if (i && !byRef.has(i)) byRef.set(i, c);
  }
  const wrapperLabel = (start) => {
    for (let p = start, d = 0; p && p !== document.body && d < 5; p = p.parentElement, d++) {
      if (p.tagName === 'FORM') return '';
      const cs = controlsIn(p);
      if (!cs.length) continue;
      if (groupOf(cs).size === 1) return labelOf(cs[0]);
      const fs = p.tagName === 'FIELDSET' ? p : null;
      const lg = fs && fs.querySelector('legend');
      if (lg) return cut(clean(raText(lg)));
      return '';
    }
    return '';
  };
  const fieldOf = (el) => {
    for (let n = el, d = 0; n && d < 3; n = n.parentElement, d++) if (n.id && byRef.has(n.id)) return labelOf(byRef.get(n.id));
    for (const x of el.querySelectorAll('[id]')) if (byRef.has(x.id)) return labelOf(byRef.get(x.id));
    // A flat form: the message right after its control, with no wrapper of their own.
    let prev = el.previousElementSibling;
    while (prev && prev.tagName === 'BR') prev = prev.previousElementSibling;
    if (prev && isControl(prev)) return labelOf(prev);
    return wrapperLabel(el);
  };
  const found = [];
  const add = (field, message) => {
    if (!message || message.length > 300) return;
    if (found.some((f) => f.message === message && (f.field === field || !field))) return;
    const loose = found.findIndex((f) => f.message === message && !f.field);
    if (loose >= 0 && field) found.splice(loose, 1);
    found.push({ field, message });
  };
  for (const el of document.querySelectorAll(errSel)) {
    if (el.closest('footer') || !raVisible(el)) continue;
    if (controlsIn(el).length) {
      // A wrapper marked as in error (has-error, gfield_error): its own words, without the label, are the message.
      const c = el.cloneNode(true);
      c.querySelectorAll('input,select,textarea,button,label,legend,script,style,option').forEach((x) => x.remove());
      const t = (c.textContent || '').replace(/\\s+/g, ' ').trim();
      if (t && t.length <= 300 && controlsIn(el).length <= 6) add(wrapperLabel(el), t);
      continue;
    }
    add(fieldOf(el), raText(el));
    if (found.length >= 20) break;
  }
  // aria-errormessage names the message of an invalid field whatever its class.
  for (const c of controlsIn(document)) {
    if (c.getAttribute('aria-invalid') !== 'true') continue;
    for (const i of (c.getAttribute('aria-errormessage') || '').split(/\\s+/)) {
      const m = i && document.getElementById(i);
      if (m && raVisible(m)) add(labelOf(c), raText(m));
    }
  }
  const quote = (f) => (f.field ? f.field + ': "' + f.message + '"' : '"' + f.message + '"');
  const errors = [...new Set(found.map(quote))];
  const named = new Set(found.map((f) => f.field).filter(Boolean));
  const invalid = [...document.querySelectorAll('[aria-invalid="true"]')].filter(raVisible)
    .map((el) => (isControl(el) ? labelOf(el) : (el.name || el.id || '').slice(0, 80))).filter((l) => !named.has(l));
  const form = document.querySelector('[data-ra-form]');
  // The browser's own constraint validation of our form (it blocks the submit without a word in the DOM).
  const nativeInvalid = form && form.tagName === 'FORM' && !form.noValidate
    ? [...form.elements].filter((el) => el.willValidate && !el.validity.valid).map((el) => labelOf(el) + ': "' + el.validationMessage + '"')
    : [];
  const formShown = !!form && raRendered(form) && [...form.querySelectorAll('input,select,textarea')].some(raRendered);
  const named2 = (root) => [...root.querySelectorAll('input[name],select[name],textarea[name]')].filter((el) => el.type !== 'hidden' && raRendered(el)).map((el) => el.name).slice(0, 200);
  // The form's controls by name, with their labels: a JSON error body names fields by name.
  const labels = {};
  if (form) for (const el of controlsIn(form)) if (el.name && !(el.name in labels)) labels[el.name] = labelOf(el);
  const h = document.querySelector('h1, h2');
  const heading = (h ? raText(h) : '') || document.title || '';
  return { nativeInvalid, names: document.body ? named2(document.body) : [], formNames: form ? named2(form) : [], url: location.href, title: document.title, heading: heading.slice(0, 160), labels, text: document.body ? document.body.innerText.slice(0, 100000) : '', errors, invalid, captcha, formShown, hasMarker: !!form };
})()`;

/** Resolves as soon as the frame's DOM changes (or after ms). */
export const WAIT_FOR_MUTATION = `((ms) => new Promise((resolve) => {
  const mo = new MutationObserver(() => { mo.disconnect(); resolve(true); });
  mo.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  setTimeout(() => { mo.disconnect(); resolve(false); }, ms);
}))`;

/** Sets a <select> (or any control) that is hidden behind a widget, firing the events a framework listens to. */
export const SET_VALUE_WITH_EVENTS = `(([idx, value]) => {
  const el = document.querySelector('[data-ra-idx="' + idx + '"]');
  if (!el) return false;
  const proto = el.tagName === 'SELECT' ? HTMLSelectElement.prototype : el.tagName === 'TEXTAREA' ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(proto, 'value').set.call(el, value);
  el.dispatchEvent(new Event('input', { bubbles: true }));
  el.dispatchEvent(new Event('change', { bubbles: true }));
  return true;
})`;

/**
 * The options a dropdown widget shows once opened (Choices.js, Select2, Chosen, Radix,
 * React-Select, Headless UI, Wix), marked `data-ra-opt`: those of the listbox the trigger
 * controls, else those shown inside the widget, else any `role=option` shown in the page (lists
 * portalled to the body); without ARIA, the shown list items of the widget (Chosen). Also
 * whether a search box has the focus (type-ahead) and whether the widget is still open.
 */
export const WIDGET_OPTIONS = `((trigSel) => {${HELPERS}
  const trig = document.querySelector(trigSel);
  if (!trig) return null;
  document.querySelectorAll('[data-ra-opt]').forEach((o) => o.removeAttribute('data-ra-opt'));
  const box = trig.closest('[data-ra-wbox]') || trig;
  const shown = (els) => [...els].filter((o) => raShownAt(o) && o.getAttribute('aria-disabled') !== 'true');
  const list = document.getElementById(trig.getAttribute('aria-controls') || trig.getAttribute('aria-owns') || '');
  // The controlled listbox first; then the options shown in the widget when it shows a list (2+:
  // one alone is its current value); then any shown in the page (a popup or portal); then, without
  // ARIA, the widget's shown list items.
  const roles = '[role=option],[role=treeitem]';
  let opts = list && list !== trig ? shown(list.querySelectorAll(roles)) : [];
  const inBox = shown(box.querySelectorAll(roles)).filter((o) => !o.closest('[aria-expanded=false]') || o.closest('[aria-expanded=false]') === box);
  if (!opts.length && inBox.length >= 2) opts = inBox;
  if (!opts.length) opts = shown(document.querySelectorAll(roles));
  if (!opts.length) opts = inBox;
  if (!opts.length) opts = shown(box.querySelectorAll('li')).filter((li) => !li.querySelector('li,input'));
  const a = document.activeElement;
  const search = !!a && a.tagName === 'INPUT' && ['text', 'search', ''].includes(a.type) && (a === trig || box.contains(a) || !a.closest('[data-ra-form]') || !a.name);
  return {
    options: opts.slice(0, 400).map((o, k) => { o.setAttribute('data-ra-opt', String(k)); return { k, text: raText(o), selected: o.getAttribute('aria-selected') === 'true' || /\\bselected\\b/.test(o.className) }; }),
    search,
    open: trig.getAttribute('aria-expanded') === 'true',
  };
})`;

/**
 * Whether a dropdown widget took the choice: its native select holds the value (when it has one)
 * and the widget shows the option's text, or the option is marked aria-selected.
 */
export const WIDGET_CHOSEN = `(([trigSel, selIdx, value, text]) => {${HELPERS}
  const trig = document.querySelector(trigSel);
  if (!trig) return { ok: false, open: false };
  const sel = selIdx ? document.querySelector('[data-ra-idx="' + selIdx + '"]') : null;
  if (sel && sel.tagName === 'SELECT' && sel.value !== value) return { ok: false, open: trig.getAttribute('aria-expanded') === 'true' };
  const want = text.replace(/\\s+/g, ' ').trim().toLowerCase();
  const opt = document.querySelector('[data-ra-opt][aria-selected=true]');
  if (opt && raVisible(opt) && raText(opt).toLowerCase() === want) return { ok: true, open: trig.getAttribute('aria-expanded') === 'true' };
  const stillOpen = [...document.querySelectorAll('[data-ra-opt]')].some(raShownAt);
  let near = '';
  for (let n = trig, d = 0; n && d < 4 && !stillOpen; n = n.parentElement, d++) { near = raText(n); if (near.toLowerCase().includes(want)) break; }
  return { ok: !stillOpen && near.toLowerCase().includes(want), open: trig.getAttribute('aria-expanded') === 'true' || stillOpen };
})`;
