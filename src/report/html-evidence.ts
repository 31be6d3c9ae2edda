/**
 * The evidence appendix: for each test inquiry, where it went (the page, inbox or number),
 * when, the exact text the shopper sent, and what came back (timeline, reply excerpts, call
 * facts, the form's screenshot). Everything from the store goes through esc(). Pure.
 */
import type { ReportModel, SiteSection } from '../score/model.js';
import { channelWords } from '../score/findings.js';
import type { ProbeView } from './evidence.js';
import { durationWords, inquiryCount, when } from './format.js';
import { anchor, esc } from './html-escape.js';

export function appendixHtml(m: ReportModel, probesBySite: ReadonlyMap<string, ProbeView[]>): string {
  const out: string[] = [];
  const sites = m.sites.filter((s) => probesBySite.get(s.id)?.length);
  if (!sites.length) return '';
  out.push(
    `<section id="appendix"><h2>Appendix: what was tested, and the evidence</h2><p>For each test inquiry: where it went, when, the exact text the shopper sent, and everything that came back.</p>`,
  );
  for (const site of sites) {
    const probes = probesBySite.get(site.id)!;
    out.push(`<h3 id="${anchor('evidence', site.id)}">${esc(site.name)}</h3><p class="note">Times are ${esc(site.name)}'s local time (${esc(site.timezone)}).</p>`);
    if (probes.length < site.stats.counts.probes) out.push(`<p class="note">The ${probes.length} most recent of ${esc(inquiryCount(site.stats))}.</p>`);
    for (const p of probes) out.push(probeArticle(m, site, p));
  }
  out.push('</section>');
  return out.join('\n');
}

/** "ww1w3" → "wait 1 s, press 1, wait 0.5 s, press 3" (w: half a second, W: one second). */
export function menuWords(digits: string): string {
  const out: string[] = [];
  let wait = 0;
  for (const ch of digits) {
    if (ch === 'w' || ch === 'W') wait += ch === 'w' ? 0.5 : 1;
    else {
      if (wait) out.push(`wait ${wait} s`);
      wait = 0;
      out.push(`press ${ch}`);
    }
  }
  if (wait) out.push(`wait ${wait} s`);
  return out.join(', ');
}

const TARGET_WORDS: Record<string, string> = { webform: 'form page', email: 'inbox', phone: 'number called', sms: 'number texted' };

function probeArticle(m: ReportModel, site: SiteSection, p: ProbeView): string {
  const line = site.serviceLines.find((l) => l.id === p.serviceLineId)?.name ?? p.serviceLineId;
  const out: string[] = [];
  out.push(
    `<article class="probe" id="${anchor('probe', String(p.id))}"><header><strong>${esc(`${line} · ${channelWords(p.channel)}`)}</strong><span class="muted">${esc(`test inquiry ${p.token} · ${stateWords(p)}${p.grade !== null ? ` · grade ${p.grade}` : ''}`)}</span></header>`,
  );
  const dd = (k: string, v: string) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`;
  out.push(
    `<dl class="sent">${p.target ? dd(TARGET_WORDS[p.channel] ?? 'sent to', p.target) : ''}${p.ivrDigits ? dd('phone menu keys', menuWords(p.ivrDigits)) : ''}${dd(p.submitted ? 'sent' : 'tried', when(p.sentAt, site.timezone))}${p.subject ? dd('subject', p.subject) : ''}</dl>`,
  );
  if (p.body) out.push(`<p class="note">What the shopper wrote:</p><blockquote class="sent-text">${esc(p.body)}</blockquote>`);
  if (p.issues.length) out.push(`<ul class="issues">${p.issues.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>`);
  if (p.error) out.push(`<p class="note">${esc(`${p.outcome ?? ''}: ${p.error}`)}</p>`);
  out.push(`<ol class="timeline">`);
  for (const s of p.steps) {
    const kind = s.kind.replace(/[^a-z-]/g, '');
    out.push(
      `<li class="k-${kind}"><span class="t">${esc(when(s.at, site.timezone))}${s.after > 0 ? ` (+${esc(durationWords(s.after))})` : ''}</span> <strong>${esc(s.label)}</strong>` +
        (s.from ? ` <span class="muted">from ${esc(s.from)}</span>` : '') +
        (s.subject ? ` <span class="muted">“${esc(s.subject)}”</span>` : '') +
        (s.notes.length ? `<div class="note">${esc(s.notes.join(' · '))}</div>` : '') +
        (s.excerpt ? `<blockquote>${esc(s.excerpt)}</blockquote>` : '') +
        `</li>`,
    );
  }
  out.push(`</ol>`);
  if (p.call) {
    const c = p.call;
    out.push(
      `<dl class="call">${dd('answered by a person', !c.reached ? `no (${c.status ?? 'no answer'})` : c.gaveUp ? 'no: the line picked up, but nobody came before the caller gave up' : 'yes')}` +
        (c.secondsToAnswer !== null ? dd('time to pick up', durationWords(c.secondsToAnswer * 1000)) : '') +
        (c.gaveUp
          ? dd('on hold', `more than ${durationWords(m.settings.sla.holdPatience)} (the caller's patience), then the caller gave up`)
          : c.secondsOnHold !== null
            ? dd('on hold', durationWords(c.secondsOnHold * 1000))
            : '') +
        (c.ivrCampaignReady !== null ? dd('phone menu knows the campaign', c.ivrCampaignReady ? 'yes' : `no${m.settings.campaign ? ` (${m.settings.campaign})` : ''}`) : '') +
        (c.ivrTranscript ? dd('phone menu said', c.ivrTranscript) : '') +
        (c.spoke === false ? dd('the shopper spoke', `no: ${c.silentWhy ?? 'the call only listened'}`) : '') +
        (c.answerPending ? dd('what the person said', 'not available yet (read on the next collect)') : '') +
        (c.answer && !c.answer.asked ? dd('the shopper asked', 'no: no person heard the inquiry') : '') +
        (c.answer?.asked
          ? dd('the person knew the campaign', c.answer.campaignAware ? 'yes' : `no${m.settings.campaign ? ` (${m.settings.campaign})` : ''}`) +
            dd('the person owned the inquiry', c.answer.owned ? 'yes: offered or booked' : c.answer.passAlong ? 'no: passed it along' : 'no') +
            (c.answer.words ? dd('what the person said', c.answer.words) : '')
          : '') +
        dd('recorded', c.recorded ? 'yes' : 'no') +
        `</dl>`,
    );
  }
  // Links to the files beside the report: the names are ours (safeFileName), escaped all the same.
  if (p.files.length)
    out.push(`<p class="note">Files beside this report:</p><ul class="files">${p.files.map((f) => `<li><a href="${esc(f.href)}">${esc(f.label)}</a> <span class="muted">${esc(f.name)}</span></li>`).join('')}</ul>`);
  if (p.recordingsWithheld)
    out.push(`<p class="note">${p.recordingsWithheld === 1 ? 'A recording is' : `${p.recordingsWithheld} recordings are`} kept in the reports folder; a redacted report does not attach ${p.recordingsWithheld === 1 ? 'it' : 'them'} (\`report --no-redact\` does).</p>`);
  if (p.screenshot && /^data:image\/(png|jpeg);base64,[A-Za-z0-9+/=]+$/.test(p.screenshot))
    out.push(
      p.submitted
        ? `<details><summary>Screenshot of the form after submitting</summary><img class="shot" alt="screenshot of the form page after submitting" src="${p.screenshot}"></details>`
        : `<details><summary>Screenshot of the form (not submitted)</summary><img class="shot" alt="screenshot of the form page, not submitted" src="${p.screenshot}"></details>`,
    );
  out.push(`</article>`);
  return out.join('\n');
}

/** A test inquiry's state in a reader's words ("not answered: the caller gave up on hold"). */
function stateWords(p: ProbeView): string {
  if (p.state === 'answered') return 'answered';
  if (p.state === 'never') return p.call?.gaveUp ? 'not answered: the caller gave up on hold' : p.call ? 'not answered' : 'never answered';
  if (p.state === 'pending') return 'waiting for an answer';
  if (p.state === 'not-sent') return 'not sent';
  if (p.state === 'rejected') return 'refused by the site';
  return 'result unknown';
}
