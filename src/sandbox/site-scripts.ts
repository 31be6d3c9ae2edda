/**
 * Browser-side scripts of the sandbox forms (plain JS strings, served inline). Each one
 * mimics a builder's behaviour: fetch submission with an inline thank-you, a wizard, inline
 * validation, and a React-style controlled form whose state only changes through input events.
 */
export const CLIENT_SCRIPTS = {
  ajax: `
document.getElementById('ajax-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const form = e.target;
  const btn = form.querySelector('button'); btn.disabled = true; btn.textContent = 'Sending…';
  const res = await fetch(form.action, { method: 'POST', body: new URLSearchParams(new FormData(form)) });
  const data = await res.json();
  const wrap = document.getElementById('form-wrap');
  if (data.ok) wrap.innerHTML = '<div class="success" role="status">' + data.message + '</div>';
  else { btn.disabled = false; btn.textContent = 'Send message'; }
});`,

  multistep: `
const steps = [...document.querySelectorAll('#wizard .step')];
const errorBox = document.querySelector('#wizard .step-error');
let current = 0;
function show(i) { steps.forEach((s, j) => { s.style.display = j === i ? '' : 'none'; }); current = i; }
document.querySelectorAll('#wizard .next').forEach((b) => b.addEventListener('click', () => {
  const bad = [...steps[current].querySelectorAll('input,select,textarea')].filter((el) => !el.checkValidity());
  if (bad.length) { errorBox.textContent = 'Please complete the required fields.'; return; }
  errorBox.textContent = '';
  setTimeout(() => show(current + 1), 50);
}));
document.querySelectorAll('#wizard .back').forEach((b) => b.addEventListener('click', () => show(current - 1)));`,

  validation: `
const form = document.getElementById('vform');
form.addEventListener('submit', (e) => {
  const rejectPlus = form.dataset.rejectPlus === 'true';
  form.querySelectorAll('.field-error').forEach((n) => n.remove());
  form.querySelectorAll('[aria-invalid]').forEach((n) => n.removeAttribute('aria-invalid'));
  const errors = {};
  const v = (n) => form.elements[n].value;
  if (!v('name').trim()) errors.name = 'Please enter your name.';
  if (!/^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$/.test(v('email'))) errors.email = 'Please enter a valid email address.';
  else if (rejectPlus && v('email').includes('+')) errors.email = 'Please enter a valid email address (the + sign is not allowed).';
  const digits = v('phone').replace(/\\D/g, '');
  if (v('phone') && (digits.length < 10 || digits.length > 11)) errors.phone = 'Please enter a 10-digit phone number.';
  if (!v('message').trim()) errors.message = 'Please tell us how we can help.';
  for (const [name, text] of Object.entries(errors)) {
    const el = form.elements[name];
    el.setAttribute('aria-invalid', 'true');
    const span = document.createElement('span');
    span.className = 'field-error'; span.setAttribute('role', 'alert'); span.textContent = text;
    el.after(span);
  }
  if (Object.keys(errors).length) e.preventDefault();
});`,

  embed: `
document.getElementById('hsForm').addEventListener('submit', async (e) => {
  e.preventDefault();
  const form = e.target;
  const res = await fetch(form.action, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify(Object.fromEntries(new FormData(form))) });
  const data = await res.json();
  if (data.ok) form.outerHTML = '<div class="submitted-message"><p>' + data.message + '</p></div>';
});`,

  // State lives in JS; the DOM is re-rendered from it on every input, like a React
  // controlled component. A value written into the DOM without an input event is lost.
  react: `
setTimeout(() => {
  const state = { fullName: '', email: '', phone: '', service: '', message: '', contactConsent: false };
  const root = document.getElementById('root');
  const lines = window.__LINES__;
  root.innerHTML = '<form class="css-1x2y3z" novalidate>' +
    '<label class="css-lbl">Full name<input data-key="fullName" placeholder="Jane Doe"></label>' +
    '<label class="css-lbl">Email<input data-key="email" type="email" placeholder="you@example.com"></label>' +
    '<label class="css-lbl">Phone<input data-key="phone" type="tel"></label>' +
    '<label class="css-lbl">Service<select data-key="service"><option value="">Select…</option>' +
      lines.map((l) => '<option>' + l + '</option>').join('') + '</select></label>' +
    '<label class="css-lbl">How can we help?<textarea data-key="message"></textarea></label>' +
    '<label class="css-chk"><input type="checkbox" data-key="contactConsent" required> I consent to being contacted</label>' +
    '<div class="css-err" role="alert"></div>' +
    '<button class="css-btn">Send</button></form>';
  const form = root.querySelector('form');
  const render = () => form.querySelectorAll('[data-key]').forEach((el) => {
    const k = el.dataset.key;
    if (el.type === 'checkbox') el.checked = state[k]; else if (el.value !== state[k]) el.value = state[k];
  });
  form.addEventListener('input', (e) => { const k = e.target.dataset.key; if (!k || e.target.type === 'checkbox') return; state[k] = e.target.value; render(); });
  form.addEventListener('change', (e) => { const k = e.target.dataset.key; if (!k) return;
    state[k] = e.target.type === 'checkbox' ? e.target.checked : e.target.value; render(); });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const err = form.querySelector('.css-err');
    if (!state.email || !state.fullName || !state.message) { err.textContent = 'Please fill in your name, email and message.'; return; }
    if (!state.contactConsent) { err.textContent = 'Please confirm that we may contact you.'; return; }
    const res = await fetch(window.__ACTION__, { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...state, contactConsent: String(state.contactConsent) }) });
    const data = await res.json();
    if (data.ok) root.innerHTML = '<div class="css-success"><h2>Thank you!</h2><p>' + data.message + '</p></div>';
  });
}, window.__DELAY__);`,
} as const;
