/** Figures as short text, shared by the terminal, Markdown, HTML and JUnit renderers. */
import type { GroupStats } from '../score/aggregate.js';
import type { Quantile } from '../score/km.js';
import { durationWords, percent } from '../score/words.js';

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

/** ISO date-time in UTC to the minute: reports are reproducible whatever the machine's zone. */
export function when(ms: number | null): string {
  if (ms === null) return '—';
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}

export function day(ms: number | null): string {
  return ms === null ? '—' : new Date(ms).toISOString().slice(0, 10);
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
  probes: 'Probes',
  answered: 'Answered',
  first: '1st reply',
  human: 'Human reply',
  inSla: 'In SLA 1st/hum.',
  passAlong: 'Passed on',
  callback: 'Callback',
  followUp: 'Follow-up',
  phone: 'Phone ans. · hold',
  grade: 'Grade',
};

/** What each column means (Markdown and HTML legends). */
export const ROW_LEGEND: Record<keyof RowText, string> = {
  probes: 'probes tested (pending: still inside their wait window; not tested: could not be sent or confirmed)',
  answered: 'share of inquiries that got any response (Kaplan–Meier estimate over the time watched)',
  first: 'median time to the first response of any kind; "> x" when fewer than half were answered within the x watched',
  human: 'median time to the first reply from a person (email, text or callback)',
  inSla: 'share answered within sla.firstResponse / sla.humanResponse',
  passAlong: 'share of personal replies that handed the inquiry to another number or department instead of answering',
  callback: 'share of inquiries that gave a phone number and were called back',
  followUp: 'share of answered inquiries with a later follow-up (sla.followUpAfter … sla.followUpWindow)',
  phone: 'share of test calls answered · median time on hold (callers who gave up count as "still holding")',
  grade: '0–100, weighted as configured in scoring.weights',
};

export function rowText(st: GroupStats): RowText {
  const c = st.counts;
  const msg = c.messages > 0;
  const extra = [c.pending ? `${c.pending} pend.` : '', c.notSent + c.unknown ? `${c.notSent + c.unknown} untested` : ''].filter(Boolean).join(', ');
  return {
    probes: `${c.tested}${extra ? ` (${extra})` : ''}`,
    answered: msg ? percent(st.firstResponse.rate) : '—',
    first: msg ? quantileText(st.firstResponse.median) : '—',
    human: msg ? quantileText(st.firstHuman.median) : '—',
    inSla: msg ? `${percent(st.firstResponse.withinSla)} / ${percent(st.firstHuman.withinSla)}` : '—',
    passAlong: st.humanAnswered ? percent(st.passAlongRate) : '—',
    callback: st.callback.expected ? percent(st.callback.rate) : '—',
    followUp: st.followUpRate !== null ? percent(st.followUpRate) : st.followUpPending ? 'pending' : '—',
    phone: st.phone.calls ? `${percent(st.phone.answerRate)} · ${quantileText(st.phone.medianHold)}` : '—',
    grade: gradeText(st.grade, st),
  };
}

/** The headline comparison with the published reference (HBR 2011). */
export function referenceLines(st: GroupStats): Array<{ label: string; ours: string; theirs: string }> {
  if (!st.counts.messages) return [];
  const never = st.firstResponse.rate === null ? null : 1 - st.firstResponse.rate;
  return [
    { label: 'answered within an hour', ours: percent(st.firstResponse.withinHour), theirs: '37%' },
    { label: 'never answered', ours: percent(never), theirs: '23%' },
    {
      label: 'mean time to first response, of those answered',
      ours: st.firstResponse.meanAnsweredMs === null ? '—' : durationWords(st.firstResponse.meanAnsweredMs),
      theirs: '42 h',
    },
  ];
}

export const REFERENCE_NOTE = 'HBR 2011: 2,241 U.S. companies, web-form leads (Oldroyd, McElheran & Elkington, "The Short Life of Online Sales Leads")';
