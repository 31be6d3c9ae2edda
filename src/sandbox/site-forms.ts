/**
 * HTML of the sandbox site's forms, one renderer per builder style. Each imitates how a
 * real form builder marks up and submits its form (plain POST, fetch, wizard, embed, ...)
 * so the web-form submitter is tested against the shapes it meets in the wild. Nothing
 * here loads anything from outside the sandbox (CAPTCHA markup points at local paths).
 */
import { CLIENT_SCRIPTS } from './site-scripts.js';

export type FormStyle =
  | 'plain'
  | 'ajax'
  | 'multistep'
  | 'iframe'
  | 'consent'
  | 'validation'
  | 'captcha'
  | 'react'
  | 'spanish'
  | 'split'
  | 'opaque'
  | 'slow'
  | 'hang-submit'
  | 'challenge';

export const FORM_STYLES: readonly FormStyle[] = [
  'plain',
  'ajax',
  'multistep',
  'iframe',
  'consent',
  'validation',
  'captcha',
  'react',
  'spanish',
  'split',
  'opaque',
  'slow',
  'hang-submit',
  'challenge',
];

export type CaptchaKind = 'recaptcha' | 'hcaptcha' | 'turnstile';

export interface FormMount {
  /** Where the page lives, e.g. `/north/ortho/contact`. */
  path: string;
  style: FormStyle;
  /** Page heading (default: "Contact us" / "Contáctenos"). */
  title?: string;
  /** Options of the service <select> where the style has one. */
  serviceLines?: string[];
  /** captcha style: which widget (default recaptcha). */
  captcha?: CaptchaKind;
  /** What the thank-you says, e.g. a callback promise. */
  successText?: string;
  /** validation style: refuse plus-addresses (default true), as many real forms do. */
  rejectPlusAddress?: boolean;
  /** validation style: check in the browser before posting (default true); else only the server checks. */
  clientValidation?: boolean;
  /** react style: the form is rendered by script after this many real ms (default 200). */
  renderDelayMs?: number;
  /** Anything the host (the demo's front desk) wants back with each submission. */
  meta?: Record<string, unknown>;
}

const DEFAULT_LINES = ['Primary Care', 'Orthopedics', 'Cardiology', 'Pediatrics'];
const DEFAULT_LINES_ES = ['Medicina general', 'Ortopedia', 'Cardiología', 'Pediatría'];

export const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function page(title: string, body: string, opts: { lang?: string; head?: string } = {}): string {
  return `<!doctype html><html lang="${opts.lang ?? 'en'}"><head><meta charset="utf-8"><title>${esc(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:sans-serif;max-width:40rem;margin:2rem auto}label{display:block;margin:.6rem 0 .2rem}
input,select,textarea{width:100%;padding:.3rem}input[type=checkbox]{width:auto}.field-error{color:#b00}
.visually-hidden{position:absolute!important;left:-10000px;top:auto;width:1px;height:1px;overflow:hidden}
footer{margin-top:3rem;color:#666;font-size:.8rem}</style>${opts.head ?? ''}</head>
<body><header><a href="/">Home</a></header><main>${body}</main>
<footer>Thank you for visiting our site. © Sandbox Health</footer></body></html>`;
}

function options(lines: string[], prompt: string): string {
  return `<option value="">${esc(prompt)}</option>` + lines.map((l) => `<option value="${esc(slug(l))}">${esc(l)}</option>`).join('');
}

export function slug(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

export function successTextOf(m: FormMount): string {
  if (m.successText) return m.successText;
  return m.style === 'spanish' ? '¡Gracias! Hemos recibido su mensaje.' : 'Thank you! We received your message and will be in touch.';
}

/** The page holding the form (GET of the mount path). */
export function renderFormPage(m: FormMount, errors: Record<string, string> = {}, values: Record<string, string> = {}): string {
  const title = m.title ?? (m.style === 'spanish' ? 'Contáctenos' : 'Contact us');
  const lines = m.serviceLines ?? DEFAULT_LINES;
  const v = (k: string) => esc(values[k] ?? '');
  const err = (k: string) => (errors[k] ? `<span class="field-error" role="alert" id="${k}-error">${esc(errors[k])}</span>` : '');
  const inv = (k: string) => (errors[k] ? ` aria-invalid="true" aria-describedby="${k}-error"` : '');
  switch (m.style) {
    case 'plain':
    case 'hang-submit':
      return page(
        title,
        `<h1>${esc(title)}</h1><p>Questions? Send us a note.</p>
<form method="post" action="${esc(m.path)}" class="contact-form">
<label for="name">Your name *</label><input id="name" name="your-name" required>
<label for="email">Email *</label><input id="email" type="email" name="your-email" required>
<label for="phone">Phone</label><input id="phone" type="tel" name="your-phone">
<label for="subject">Subject</label><input id="subject" name="your-subject">
<label for="message">Message *</label><textarea id="message" name="your-message" rows="5" required></textarea>
<p><input type="submit" value="Send"></p></form>`,
      );
    case 'ajax':
      return page(
        title,
        `<h1>${esc(title)}</h1>
<div id="form-wrap"><form id="ajax-form" action="${esc(m.path)}/submit" method="post">
<label>Name <input name="name" autocomplete="name" required></label>
<label>E-mail address <input name="email" type="email" autocomplete="email" required></label>
<label>Phone number <input name="phone" type="tel" autocomplete="tel"></label>
<label>Department <select name="department">${options(lines, 'Choose a department')}</select></label>
<label>How can we help? <textarea name="comments" required></textarea></label>
<button type="submit">Send message</button></form></div>
<script>${CLIENT_SCRIPTS.ajax}</script>`,
      );
    case 'multistep':
      return page(
        title,
        `<h1>${esc(title)}</h1><form id="wizard" method="post" action="${esc(m.path)}">
<fieldset class="step" data-step="1"><legend>Step 1 of 3: About you</legend>
<label for="fn">First name</label><input id="fn" name="first_name" required>
<label for="ln">Last name</label><input id="ln" name="last_name" required>
<label for="em">Email</label><input id="em" name="email" type="email" required>
<button type="button" class="next">Next</button></fieldset>
<fieldset class="step" data-step="2" style="display:none"><legend>Step 2 of 3: Your visit</legend>
<label for="ph">Phone</label><input id="ph" name="phone" type="tel">
<label for="svc">Service</label><select id="svc" name="service" required>${options(lines, 'Select a service')}</select>
<label for="dt">Preferred date</label><input id="dt" name="preferred_date" type="date">
<button type="button" class="back">Back</button> <button type="button" class="next">Continue</button></fieldset>
<fieldset class="step" data-step="3" style="display:none"><legend>Step 3 of 3: Your question</legend>
<label for="msg">Message</label><textarea id="msg" name="message" required></textarea>
<button type="button" class="back">Back</button> <button type="submit">Submit request</button></fieldset>
<p class="step-error field-error" role="alert"></p></form>
<script>${CLIENT_SCRIPTS.multistep}</script>`,
      );
    case 'iframe':
      return page(title, `<h1>${esc(title)}</h1><p>Fill in the form below.</p>
<iframe src="${esc(m.path)}/embed" title="Contact form" width="600" height="700" style="border:0"></iframe>`);
    case 'consent':
      return page(
        title,
        `<h1>${esc(title)}</h1><form method="post" action="${esc(m.path)}">
<label for="c-name">Full name</label><input id="c-name" name="fullname" required>
<label for="c-email">Email</label><input id="c-email" name="email" type="email" required>
<label for="c-phone">Phone</label><input id="c-phone" name="phone" type="tel">
<label for="c-msg">Your question</label><textarea id="c-msg" name="question" required></textarea>
<div style="position:absolute;left:-9999px"><label for="c-web">Website</label><input id="c-web" name="website"></div>
<input name="hp_field" style="display:none">
<div class="visually-hidden" aria-hidden="true"><label for="c-fax">Fax</label><input id="c-fax" name="fax_number" tabindex="-1" autocomplete="off"></div>
<p><label class="check"><input type="checkbox" name="consent" value="yes" required style="opacity:0;position:absolute"><span>I agree to the privacy policy and to be contacted about my request *</span></label></p>
<p><label><input type="checkbox" name="newsletter" value="yes"> Subscribe me to the newsletter with offers</label></p>
<button type="submit">Request information</button></form>`,
      );
    case 'validation': {
      const client = m.clientValidation !== false;
      return page(
        title,
        `<h1>${esc(title)}</h1><form id="vform" method="post" action="${esc(m.path)}" novalidate data-reject-plus="${m.rejectPlusAddress !== false}">
<label for="v-name">Name</label><input id="v-name" name="name" value="${v('name')}">${err('name')}
<label for="v-email">Email</label><input id="v-email" name="email" value="${v('email')}"${inv('email')}>${err('email')}
<label for="v-phone">Phone (10 digits)</label><input id="v-phone" name="phone" value="${v('phone')}"${inv('phone')}>${err('phone')}
<label for="v-msg">Message</label><textarea id="v-msg" name="message">${v('message')}</textarea>${err('message')}
<button type="submit">Send</button></form>${client ? `<script>${CLIENT_SCRIPTS.validation}</script>` : ''}`,
      );
    }
    case 'captcha':
      return page(title, `<h1>${esc(title)}</h1>${captchaForm(m)}`, { head: captchaHead(m.captcha ?? 'recaptcha') });
    case 'react':
      return page(
        title,
        `<h1>${esc(title)}</h1><div id="root"><p class="loading">Loading…</p></div>
<script>window.__LINES__=${JSON.stringify(lines)};window.__ACTION__=${JSON.stringify(m.path + '/submit')};window.__DELAY__=${m.renderDelayMs ?? 200};</script>
<script>${CLIENT_SCRIPTS.react}</script>`,
      );
    case 'spanish': {
      const es = m.serviceLines ?? DEFAULT_LINES_ES;
      return page(
        title,
        `<h1>${esc(title)}</h1><p>Complete el formulario y le responderemos.</p>
<form method="post" action="${esc(m.path)}">
<label for="nombre">Nombre *</label><input id="nombre" name="nombre" required>
<label for="apellidos">Apellidos *</label><input id="apellidos" name="apellidos" required>
<label for="correo">Correo electrónico *</label><input id="correo" name="correo" type="email" required>
<label for="tel">Teléfono</label><input id="tel" name="telefono" type="tel">
<label for="esp">Especialidad</label><select id="esp" name="especialidad" required>${options(es, 'Seleccione una especialidad')}</select>
<label for="fecha">Fecha preferida</label><input id="fecha" name="fecha" type="date">
<label for="mensaje">Mensaje *</label><textarea id="mensaje" name="mensaje" required></textarea>
<p><label><input type="checkbox" name="privacidad" value="si" required> Acepto la política de privacidad</label></p>
<button type="submit">Enviar</button></form>`,
        { lang: 'es' },
      );
    }
    case 'split':
      return page(
        title,
        `<h1>${esc(title)}</h1><form method="post" action="${esc(m.path)}" class="appointment-request">
<div class="row"><div><label for="s-first">First Name</label><input id="s-first" name="firstName" autocomplete="given-name" required></div>
<div><label for="s-last">Last Name</label><input id="s-last" name="lastName" autocomplete="family-name" required></div></div>
<label for="s-email">Email Address</label><input id="s-email" name="emailAddress" type="email" required>
<label for="s-phone">Best phone number</label><input id="s-phone" name="phoneNumber" type="tel" required>
<label for="s-line">Which service are you interested in?</label><select id="s-line" name="serviceLine" required>${options(lines, '-- Please select --')}</select>
<label for="s-date">Preferred appointment date</label><input id="s-date" name="preferredDate" type="date" required>
<label for="s-hear">How did you hear about us?</label><select id="s-hear" name="referral"><option value="">Choose…</option><option>Search engine</option><option>Friend</option></select>
<label for="s-notes">Additional details</label><textarea id="s-notes" name="notes"></textarea>
<button type="submit">Request appointment</button></form>`,
      );
    case 'opaque':
      // Hand-coded markup with generic names and no labels: only a `fields:` map can fill it.
      return page(
        title,
        `<h1>${esc(title)}</h1><form method="post" action="${esc(m.path)}"><table>
<tr><td>1.</td><td><input name="field_1" required></td></tr><tr><td>2.</td><td><input name="field_2" required></td></tr>
<tr><td>3.</td><td><input name="field_3"></td></tr><tr><td>4.</td><td><input name="field_4" required></td></tr></table>
<input type="submit" value="OK"></form>`,
      );
    case 'slow':
    case 'challenge':
      return ''; // served by the server itself (never answers / interstitial)
  }
}

/** The iframe's document (a HubSpot-like embedded form posting by fetch). */
export function renderEmbed(m: FormMount): string {
  const lines = m.serviceLines ?? DEFAULT_LINES;
  return page(
    'Form',
    `<form class="hs-form" id="hsForm" action="${esc(m.path)}/submit">
<div class="hs-form-field"><label for="hs-first"><span>First name</span><span class="hs-form-required">*</span></label><input id="hs-first" name="firstname" required></div>
<div class="hs-form-field"><label for="hs-last"><span>Last name</span><span class="hs-form-required">*</span></label><input id="hs-last" name="lastname" required></div>
<div class="hs-form-field"><label for="hs-email"><span>Email</span><span class="hs-form-required">*</span></label><input id="hs-email" name="email" type="email" required></div>
<div class="hs-form-field"><label for="hs-phone"><span>Mobile phone number</span></label><input id="hs-phone" name="mobilephone" type="tel"></div>
<div class="hs-form-field"><label for="hs-topic"><span>Topic</span></label><select id="hs-topic" name="topic">${options(lines, 'Please Select')}</select></div>
<div class="hs-form-field"><label for="hs-msg"><span>Message</span></label><textarea id="hs-msg" name="message"></textarea></div>
<input type="submit" class="hs-button primary" value="Submit"></form>
<script>${CLIENT_SCRIPTS.embed}</script>`,
  );
}

export function renderThanks(m: FormMount): string {
  const es = m.style === 'spanish';
  return page(es ? 'Gracias' : 'Thank you', `<h1>${es ? 'Gracias' : 'Thank you'}</h1><p class="confirmation">${esc(successTextOf(m))}</p>`, {
    lang: es ? 'es' : 'en',
  });
}

function captchaHead(kind: CaptchaKind): string {
  if (kind === 'hcaptcha') return '<script src="/hcaptcha.com/1/api.js" async defer></script>';
  if (kind === 'turnstile') return '<script src="/challenges.cloudflare.com/turnstile/v0/api.js" async defer></script>';
  return '<script src="/www.google.com/recaptcha/api.js" async defer></script>';
}

function captchaForm(m: FormMount): string {
  const kind = m.captcha ?? 'recaptcha';
  const widget =
    kind === 'hcaptcha'
      ? '<div class="h-captcha" data-sitekey="10000000-ffff-ffff-ffff-000000000001"><iframe title="Widget containing checkbox for hCaptcha security challenge" src="/hcaptcha.com/captcha/v1/checkbox.html" width="300" height="78"></iframe><textarea name="h-captcha-response" style="display:none"></textarea></div>'
      : kind === 'turnstile'
        ? '<div class="cf-turnstile" data-sitekey="1x00000000000000000000AA"><iframe title="Widget containing a Cloudflare security challenge" src="/challenges.cloudflare.com/cdn-cgi/challenge-platform/turnstile.html" width="300" height="65"></iframe><input type="hidden" name="cf-turnstile-response"></div>'
        : '<div class="g-recaptcha" data-sitekey="6LeIxAcTAAAAAJcZVRqyHh71UMIEGNQ_MXjiZKhI"><iframe title="reCAPTCHA" src="/www.google.com/recaptcha/api2/anchor.html" width="304" height="78"></iframe><textarea id="g-recaptcha-response" name="g-recaptcha-response" style="display:none"></textarea></div>';
  return `<form method="post" action="${esc(m.path)}">
<label for="k-name">Name</label><input id="k-name" name="name" required>
<label for="k-email">Email</label><input id="k-email" name="email" type="email" required>
<label for="k-msg">Message</label><textarea id="k-msg" name="message" required></textarea>
${widget}
<button type="submit">Send</button></form>`;
}

/** The widget's own frame (served locally; a real one would come from the vendor). */
export function renderCaptchaWidget(): string {
  return '<!doctype html><html><body><div role="checkbox" aria-checked="false" tabindex="0">I\'m not a robot</div></body></html>';
}

/** A Cloudflare-style bot wall (HTTP 503). */
export function renderChallenge(): string {
  return `<!doctype html><html lang="en-US"><head><title>Just a moment...</title><meta name="robots" content="noindex,nofollow"></head>
<body><div class="main-wrapper" role="main"><h1>Checking your browser before accessing the site.</h1>
<noscript>Enable JavaScript and cookies to continue</noscript>
<form id="challenge-form" action="/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page" method="POST"><input type="hidden" name="md" value="x"></form>
<script>window._cf_chl_opt={cType:'managed'};</script></div></body></html>`;
}

/** Server-side checks of the validation style (the same rules as its browser script). */
export function validateFields(m: FormMount, f: Record<string, string>): Record<string, string> {
  const errors: Record<string, string> = {};
  const email = f.email ?? '';
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) errors.email = 'Please enter a valid email address.';
  else if (m.rejectPlusAddress !== false && email.includes('+')) errors.email = 'Please enter a valid email address (the + sign is not allowed).';
  const digits = (f.phone ?? '').replace(/\D/g, '');
  if (f.phone && (digits.length < 10 || digits.length > 11)) errors.phone = 'Please enter a 10-digit phone number.';
  if (!(f.message ?? '').trim()) errors.message = 'Please tell us how we can help.';
  if (!(f.name ?? '').trim()) errors.name = 'Please enter your name.';
  return errors;
}
