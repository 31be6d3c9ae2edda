/** Figures as short text, shared by the terminal, Markdown, HTML and JUnit renderers. */
import { localText } from '../local-time.js';
import type { GroupStats } from '../score/aggregate.js';
import type { ReportModel } from '../score/model.js';
import type { Quantile } from '../score/km.js';
import { durationWords, percent, targetWords } from '../score/words.js';

export { durationWords, percent };

/** "3.5 h", "> 10 days" (not reached within what was watched), "—" (nothing measured). */
export function quantileText(q: Quantile): string {
  if (q.ms !== null) return durationWords(q.ms);
  if (q.atLeastMs !== null) return `> ${durationWords(q.atLeastMs)}`;
  return '—';
}

/** A grade, or why there is none: still pending, or nothing could be tested. */
export function gradeText(g: number | null, st?: GroupStats): string {
  if (g !== null) return String(g);
  return !st || st.counts.pending ? 'pending' : '—';
}

/** Date-time to the minute in the site's (or organization's) zone, with its abbreviation ("2026-11-26 00:10 CST"). */
export function when(ms: number | null, zone = 'UTC'): string {
  return ms === null ? '—' : localText(ms, zone, 'yyyy-MM-dd HH:mm ZZZZ');
}

export function day(ms: number | null, zone = 'UTC'): string {
  return ms === null ? '—' : localText(ms, zone, 'yyyy-MM-dd');
}

/** "inquiry" / "inquiries". */
export const inquiries = (n: number) => `${n} test inquir${n === 1 ? 'y' : 'ies'}`;

/**
 * How many test inquiries the report covers, said the same way in its header and its summary:
 * "14 test inquiries (1 could not be tested)".
 */
export function inquiryCount(st: GroupStats): string {
  const c = st.counts;
  const untested = c.probes - c.tested;
  const extra = [untested ? `${untested} could not be tested` : '', c.pending ? `${c.pending} still waiting for an answer` : ''].filter(Boolean).join(', ');
  return `${inquiries(c.probes)}${extra ? ` (${extra})` : ''}`;
}

/**
 * Which figure the grade uses, said once: the headline times are medians, the mean only sits
 * beside the published mean it is compared with, and the grade counts shares within targets.
 */
export function gradeBasisNote(m: ReportModel): string {
  const sla = m.settings.sla;
  return (
    `Times shown are medians (half the inquiries were answered faster); the mean appears only beside the published mean it is compared with. ` +
    `The grade uses neither: it counts the share answered within each target (a first response within ${targetWords(sla.firstResponse, sla.business?.firstResponse)}, a reply from a person within ${targetWords(sla.humanResponse, sla.business?.humanResponse)}, a call answered within ${durationWords(sla.phoneAnswer)}).` +
    (m.settings.businessHours
      ? ' Where a site has opening hours, "(x open)" after a time is the same median counted only while the site was open (its hours and holidays, in its own timezone); the published reference stays wall-clock.'
      : '')
  );
}

/** The threshold sentence, or null when there is none worth saying (no threshold, or 0, which every grade meets). */
export function thresholdText(m: ReportModel): { breached: boolean; text: string } | null {
  const t = m.threshold;
  if (t.failUnder === null || (t.failUnder <= 0 && !t.breaches.length)) return null;
  if (t.breaches.length) return { breached: true, text: `Below the pass mark of ${t.failUnder}: ${t.breaches.map((b) => `${b.what} (${b.grade})`).join(', ')}` };
  return { breached: false, text: `Every grade meets the pass mark of ${t.failUnder}.` };
}

/** The columns of a scorecard row, as text. */
export interface RowText {
  probes: string;
  answered: string;
  first: string;
  human: string;
  inSla: string;
  passAlong: string;
  callback: string;
  followUp: string;
  phone: string;
  grade: string;
}

export const ROW_HEADERS: Record<keyof RowText, string> = {
  probes: 'Test inquiries',
  answered: 'Answered',
  first: 'First reply',
  human: 'Reply from a person',
  inSla: 'On time: first / person',
  passAlong: 'Passed on',
  callback: 'Called back',
  followUp: 'Followed up',
  phone: 'Calls answered · hold',
  grade: 'Grade',
};

/** What each column means (Markdown and HTML legends). */
export const ROW_LEGEND: Record<keyof RowText, string> = {
  probes: 'test inquiries sent or tried (waiting: still inside their wait window; not tested: could not be sent or confirmed)',
  answered: 'share of inquiries that got any response (Kaplan–Meier estimate over the time watched)',
  first: 'median time to the first response of any kind; "> x" when fewer than half were answered within the x watched',
  human: 'median time to the first reply from a person (email, text or callback)',
  inSla: 'share with a first response within its target / a reply from a person within its target (sla.firstResponse / sla.humanResponse)',
  passAlong: 'share of personal replies that handed the inquiry to another number or department instead of answering',
  callback: 'share of inquiries that gave a phone number and were called back',
  followUp: 'share of answered inquiries with a later follow-up (sla.followUpAfter … sla.followUpWindow)',
  phone: 'share of test calls a person answered (a caller who gave up on hold was not answered) · median time on hold ("> x": callers gave up after their patience of x)',
  grade: '0–100, weighted as configured in scoring.weights',
};

export function rowText(st: GroupStats): RowText {
  const c = st.counts;
  const msg = c.messages > 0;
  const extra = [c.pending ? `${c.pending} waiting` : '', c.notSent + c.unknown ? `${c.notSent + c.unknown} not tested` : ''].filter(Boolean).join(', ');
  return {
    probes: `${c.probes}${extra ? ` (${extra})` : ''}`,
    answered: msg ? percent(st.firstResponse.rate) : '—',
    first: msg ? withOpenTime(st.firstResponse.median, st.business?.firstResponse.median) : '—',
    human: msg ? withOpenTime(st.firstHuman.median, st.business?.firstHuman.median) : '—',
    inSla: msg
      ? `${percent(st.business?.onTime.firstResponse ?? st.firstResponse.withinSla)} / ${percent(st.business?.onTime.firstHuman ?? st.firstHuman.withinSla)}`
      : '—',
    passAlong: st.humanAnswered ? percent(st.passAlongRate) : '—',
    callback: st.callback.expected ? percent(st.callback.rate) : '—',
    followUp: st.followUpRate !== null ? percent(st.followUpRate) : st.followUpPending ? 'pending' : '—',
    phone: st.phone.calls ? `${percent(st.phone.answerRate)} · ${quantileText(st.phone.medianHold)}` : '—',
    grade: gradeText(st.grade, st),
  };
}

/** "3 h", or "3 h (1.5 h open)" when opening hours are configured: wall-clock first, then the time the site was open. */
function withOpenTime(wall: Quantile, open: Quantile | undefined): string {
  return open ? `${quantileText(wall)} (${quantileText(open)} open)` : quantileText(wall);
}

/** The headline comparison with the published reference (HBR 2011). */
export function referenceLines(st: GroupStats): Array<{ label: string; ours: string; theirs: string }> {
  if (!st.counts.messages) return [];
  const never = st.firstResponse.rate === null ? null : 1 - st.firstResponse.rate;
  return [
    { label: 'answered within an hour', ours: percent(st.firstResponse.withinHour), theirs: '37%' },
    { label: 'never answered', ours: percent(never), theirs: '23%' },
    {
      label: 'mean time to first response, of those answered (HBR reports a mean)',
      ours: st.firstResponse.meanAnsweredMs === null ? '—' : durationWords(st.firstResponse.meanAnsweredMs),
      theirs: '42 h',
    },
  ];
}

export const REFERENCE_NOTE = 'HBR 2011: 2,241 U.S. companies, web-form leads (Oldroyd, McElheran & Elkington, "The Short Life of Online Sales Leads")';
