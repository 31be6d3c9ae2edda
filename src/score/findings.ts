/**
 * Findings in plain words ("North Clinic orthopedics web form: no reply after 3 days"): what
 * went wrong per probe, then gathered per entry point so 50 silent nights read as one line
 * with a count, worst first.
 */
import type { ProbeScore } from './probe.js';
import type { ScoreSettings } from './settings.js';
import { durationWords, secondsWords, targetWords } from './words.js';

export type FindingCode =
  | 'never-answered'
  | 'not-answered'
  | 'gave-up'
  | 'callback-missing'
  | 'bounced'
  | 'no-human'
  | 'not-sent'
  | 'slow-human'
  | 'passed-along'
  | 'callback-late'
  | 'stop-request'
  | 'no-follow-up'
  | 'slow-answer'
  | 'campaign-unaware'
  | 'ivr-no-campaign'
  | 'slow-first'
  | 'unknown';

/** Lower is worse. */
export const SEVERITY: Record<FindingCode, number> = {
  'never-answered': 1,
  'not-answered': 1,
  'gave-up': 2,
  'callback-missing': 2,
  bounced: 2,
  'no-human': 3,
  'not-sent': 3,
  'slow-human': 4,
  'passed-along': 4,
  'callback-late': 5,
  'stop-request': 5,
  'no-follow-up': 6,
  'slow-answer': 6,
  'campaign-unaware': 7,
  'ivr-no-campaign': 7,
  'slow-first': 8,
  unknown: 8,
};

/** One problem of one probe, with the figure that measures it (for picking the worst). */
export interface ProbeIssue {
  code: FindingCode;
  /** ms or seconds, per code; bigger is worse except for never-answered (the shortest wait is what holds for all). */
  value: number | null;
  text: string;
}

const CHANNEL_WORDS: Record<string, string> = { webform: 'web form', email: 'email', phone: 'phone line', sms: 'text line' };
export const channelWords = (channel: string) => CHANNEL_WORDS[channel] ?? channel;

/** The site's words from a `rejected` probe's error ("the site refused the submission (HTTP 422): Phone: "…""), short. */
function refusalWords(error: string): string {
  const said = error.replace(/^the site refused the submission(?: \(HTTP \d+\))?: /, '');
  return said.length > 160 ? `${said.slice(0, 159)}…` : said;
}

function isCaptcha(p: ProbeScore): boolean {
  return p.facts.outcome === 'blocked' || /captcha/i.test(`${p.facts.outcome ?? ''} ${p.facts.error ?? ''}`);
}

/** Everything wrong with one probe, in plain words (no site label); `worded` false leaves the texts empty. */
export function probeIssues(p: ProbeScore, s: ScoreSettings, worded = true): ProbeIssue[] {
  const out: ProbeIssue[] = [];
  // Wording is the costly part; gatherFindings words only the probe that speaks for a finding.
  const add = (code: FindingCode, value: number | null, text: () => string) => out.push({ code, value, text: worded ? text() : '' });
  const f = p.facts;
  if (!p.tested) {
    if (p.state === 'not-sent') {
      if (isCaptcha(p)) add('not-sent', null, () => 'form behind a CAPTCHA: could not be tested');
      else if (f.status === 'rejected') add('not-sent', null, () => `the site refused the submission: could not be tested${f.error ? ` (${refusalWords(f.error)})` : ''}`);
      else add('not-sent', null, () => `could not be tested (${f.outcome ?? 'not sent'})`);
    } else if (p.kind === 'phone' && f.status === 'submitted') add('unknown', null, () => 'the call\'s result never arrived: shown as unknown');
    else add('unknown', null, () => 'the submission could not be confirmed: shown as unknown');
    return out;
  }
  if (f.stopRequested) add('stop-request', null, () => 'someone asked us to stop contacting them');
  if (p.kind === 'phone') {
    const ph = p.phone;
    if (!ph) return out;
    if (!ph.reached) add('not-answered', null, () => `nobody answered (${ph.status ?? 'no answer'})`);
    else {
      if (ph.gaveUp) add('gave-up', ph.holdSeconds, () => `kept on hold past the caller's patience of ${durationWords(s.sla.holdPatience)}; the caller gave up`);
      const answer = ph.answerSeconds;
      // Only a line slower than its target is a finding: a fast pick-up into endless hold is "gave up" above.
      if (answer !== null && answer * 1000 > s.sla.phoneAnswer)
        add('slow-answer', answer, () => `took ${secondsWords(answer)} to answer (target ${durationWords(s.sla.phoneAnswer)})`);
      if (ph.ivrCampaignReady === false) add('ivr-no-campaign', null, () => `the phone menu does not mention ${s.campaign ?? 'the campaign'}`);
    }
    return out;
  }
  if (f.bounced) add('bounced', null, () => 'the address bounced');
  if (p.state === 'never') add('never-answered', p.watchedMs, () => `no reply after ${durationWords(p.watchedMs)}`);
  else if (p.state === 'answered') {
    const first = p.firstResponse!;
    const human = p.firstHuman!;
    const humanMs = human.ms;
    const firstMs = first.ms;
    // Against a target in opening hours, say how much of the wait the organization was open.
    const bizFirst = s.sla.business?.firstResponse ? (p.business?.firstResponse.ms ?? null) : null;
    const bizHuman = s.sla.business?.humanResponse ? (p.business?.firstHuman.ms ?? null) : null;
    if (humanMs === null && p.watchedMs >= p.windowMs)
      add('no-human', p.watchedMs, () => `only an automatic acknowledgement; no person replied in ${durationWords(p.watchedMs)}`);
    else if (p.within.human === false && humanMs !== null)
      add('slow-human', humanMs, () => `first personal reply after ${timeWords(humanMs, bizHuman)} (target ${targetWords(s.sla.humanResponse, s.sla.business?.humanResponse)})`);
    if (p.within.firstResponse === false && firstMs !== null)
      add('slow-first', firstMs, () => `first response after ${timeWords(firstMs, bizFirst)} (target ${targetWords(s.sla.firstResponse, s.sla.business?.firstResponse)})`);
  }
  if (p.callback) {
    const callbackMs = p.callback.ms;
    if (callbackMs === null && p.watchedMs >= p.windowMs)
      add('callback-missing', p.watchedMs, () => `gave a phone number; nobody called back in ${durationWords(p.watchedMs)}`);
    else if (p.within.callback === false && callbackMs !== null)
      add('callback-late', callbackMs, () => `callback came after ${durationWords(callbackMs)} (target ${durationWords(s.sla.callback)})`);
  }
  if (p.passedAlong) add('passed-along', null, () => 'the reply passed the inquiry along (another number or department) instead of answering it');
  if (p.followedUp === false) add('no-follow-up', null, () => 'nobody followed up after the first reply');
  if (p.campaignAware === false) add('campaign-unaware', null, () => `the reply did not mention ${s.campaign ?? 'the campaign'}`);
  return out;
}

export interface Finding {
  code: FindingCode;
  severity: number;
  entryKey: string;
  siteId: string;
  serviceLineId: string;
  channel: string;
  /** "North Clinic orthopedics web form" */
  where: string;
  /** "no reply after 3 days" (the worst case among the probes). */
  what: string;
  /** Probes with this finding, of the probes of this entry point. */
  count: number;
  of: number;
  /** Up to EXAMPLES probe ids with this finding. */
  probeIds: number[];
  /** The whole sentence. */
  text: string;
}

export interface Labels {
  site(id: string): string;
  serviceLine(siteId: string, id: string): string;
}

/** Service line names read as words inside a sentence: "Orthopedics" → "orthopedics", "ENT" stays. */
export function lineWords(name: string): string {
  return name
    .split(/(\s+)/)
    .map((w) => (/^[A-Z][a-z'’-]*$/.test(w) ? w.toLowerCase() : w))
    .join('');
}

export function entryLabel(labels: Labels, siteId: string, serviceLineId: string, channel: string): string {
  return `${labels.site(siteId)} ${lineWords(labels.serviceLine(siteId, serviceLineId))} ${channelWords(channel)}`;
}

/** Example probe ids kept per finding. */
export const EXAMPLES = 5;

/** Per-probe issues gathered per entry point and code, worst first. */
export function gatherFindings(scores: readonly ProbeScore[], s: ScoreSettings, labels: Labels): Finding[] {
  const byEntry = new Map<string, Map<FindingCode, { f: Finding; issue: ProbeIssue; probe: ProbeScore }>>();
  const testedPerEntry = new Map<string, number>();
  // The words are written once per finding, for its worst probe: 100,000 probes stay cheap.
  const lazy = (p: ProbeScore): ProbeIssue[] => (p.tested && p.state === 'answered' && isClean(p) ? [] : probeIssues(p, s, false));
  for (const p of scores) {
    const k = p.facts.entryKey;
    testedPerEntry.set(k, (testedPerEntry.get(k) ?? 0) + 1);
    let codes = byEntry.get(k);
    if (!codes) byEntry.set(k, (codes = new Map()));
    for (const issue of lazy(p)) {
      const seen = codes.get(issue.code);
      if (seen) {
        seen.f.count++;
        if (seen.f.probeIds.length < EXAMPLES) seen.f.probeIds.push(p.facts.id);
        if (worse(issue, seen.issue)) {
          seen.issue = issue;
          seen.probe = p;
        }
        continue;
      }
      const where = entryLabel(labels, p.facts.siteId, p.facts.serviceLineId, p.facts.channel);
      codes.set(issue.code, {
        issue,
        probe: p,
        f: {
          code: issue.code,
          severity: SEVERITY[issue.code],
          entryKey: k,
          siteId: p.facts.siteId,
          serviceLineId: p.facts.serviceLineId,
          channel: p.facts.channel,
          where,
          what: '',
          count: 1,
          of: 0,
          probeIds: [p.facts.id],
          text: '',
        },
      });
    }
  }
  const out: Finding[] = [];
  for (const { f, issue, probe } of [...byEntry.values()].flatMap((m) => [...m.values()])) {
    const text = probeIssues(probe, s).find((i) => i.code === issue.code)!.text;
    f.of = testedPerEntry.get(f.entryKey) ?? f.count;
    f.what = text;
    f.text = `${f.where}: ${text}${f.of > 1 ? ` (${f.count} of ${f.of} inquiries)` : ''}`;
    out.push(f);
  }
  return out.sort((a, b) => a.severity - b.severity || b.count / b.of - a.count / a.of || b.count - a.count || a.text.localeCompare(b.text));
}

/** A message probe answered in time, owned, followed up and aware: nothing to say. */
function isClean(p: ProbeScore): boolean {
  const f = p.facts;
  return (
    p.kind === 'message' &&
    !f.stopRequested &&
    !f.bounced &&
    p.within.firstResponse !== false &&
    p.within.human !== false &&
    p.firstHuman?.ms !== null &&
    (!p.callback || p.within.callback !== false) &&
    (!p.callback || p.callback.ms !== null || p.watchedMs < p.windowMs) &&
    !p.passedAlong &&
    p.followedUp !== false &&
    p.campaignAware !== false
  );
}

function worse(a: ProbeIssue, b: ProbeIssue): boolean {
  if (a.value === null || b.value === null) return false;
  // "No reply after N" must hold for every probe counted: keep the shortest wait.
  return a.code === 'never-answered' || a.code === 'callback-missing' || a.code === 'no-human' ? a.value < b.value : a.value > b.value;
}

/** "3.5 h", or "3.5 h (2 h of it while open)" beside a business-hours figure. */
function timeWords(ms: number, businessMs: number | null): string {
  return businessMs === null ? durationWords(ms) : `${durationWords(ms)} (${durationWords(businessMs)} of it while open)`;
}
