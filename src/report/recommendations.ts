/**
 * What to do about the findings, in the terms of the practice (the seeds): route a
 * single-person inbox to a shared queue, acknowledge and promise a call-back time, own the
 * inquiry, follow up, brief the phone menu and the front desk on the campaign, staff the
 * phone. Several findings share one action; actions are ranked by impact, the severity of
 * each finding times how many test inquiries it hit. Pure, shared by every renderer.
 */
import type { Finding, FindingCode } from '../score/findings.js';
import type { ReportModel } from '../score/model.js';
import { durationWords, targetWords } from '../score/words.js';

export type ActionCode = 'shared-queue' | 'acknowledge' | 'own' | 'call-back' | 'follow-up' | 'campaign-desk' | 'campaign-ivr' | 'staff-phone' | 'fix-address' | 'let-test-through';

/** The action each finding calls for; a finding about our own test (a result that never arrived) calls for none. */
export const ACTION_OF: Record<FindingCode, ActionCode | null> = {
  'never-answered': 'shared-queue',
  'no-human': 'shared-queue',
  'slow-human': 'shared-queue',
  'slow-first': 'acknowledge',
  'passed-along': 'own',
  'callback-missing': 'call-back',
  'callback-late': 'call-back',
  'no-follow-up': 'follow-up',
  'campaign-unaware': 'campaign-desk',
  'ivr-no-campaign': 'campaign-ivr',
  'not-answered': 'staff-phone',
  'gave-up': 'staff-phone',
  'slow-answer': 'staff-phone',
  bounced: 'fix-address',
  'not-sent': 'let-test-through',
  'stop-request': null,
  unknown: null,
};

export interface Recommendation {
  action: ActionCode;
  /** One sentence saying what to do. */
  text: string;
  siteId: string;
  /** Severity weight × test inquiries affected, summed over its findings: bigger comes first. */
  impact: number;
  /** The findings it answers, worst first. */
  findings: Finding[];
}

function actionText(a: ActionCode, m: ReportModel): string {
  const sla = m.settings.sla;
  const campaign = m.settings.campaign ?? 'the current campaign';
  switch (a) {
    case 'shared-queue':
      return `Route web-form and email inquiries to a shared queue that more than one person reads, with a reminder to check it several times a day, so a person replies within ${targetWords(sla.humanResponse, sla.business?.humanResponse)}.`;
    case 'acknowledge':
      return `Acknowledge every inquiry within ${targetWords(sla.firstResponse, sla.business?.firstResponse)} and promise when a person will call back.`;
    case 'own':
      return 'Own the inquiry: answer it or book the appointment instead of passing along another phone number or department.';
    case 'call-back':
      return `When an inquiry leaves a phone number, have a person call back within ${durationWords(sla.callback)}, able to book on that call.`;
    case 'follow-up':
      return 'Follow up a few days after the first answer to check it helped and offer to book.';
    case 'campaign-desk':
      return `Brief the people who answer inquiries on ${campaign} (offer, dates) before it launches.`;
    case 'campaign-ivr':
      return `Put ${campaign} in the phone menu before launch, and call it to check.`;
    case 'staff-phone':
      return `Staff the phone so a person answers within ${durationWords(sla.phoneAnswer)} and hold stays under the caller's patience of ${durationWords(sla.holdPatience)}.`;
    case 'fix-address':
      return 'Fix the published email address: mail to it bounces.';
    case 'let-test-through':
      return 'Let the audit through the form (a CAPTCHA or an error stopped it), or test that form by hand: until then nobody knows whether it works.';
  }
}

/** Severity 1 (worst) weighs 8, severity 8 weighs 1. */
const weight = (severity: number) => Math.max(1, 9 - severity);

/** Every site's actions, most impact first (then worst finding, then site order). */
export function recommendations(m: ReportModel): Recommendation[] {
  const byKey = new Map<string, Recommendation>();
  for (const f of m.findings) {
    const action = ACTION_OF[f.code];
    if (!action) continue;
    const key = `${f.siteId}\u0000${action}`;
    let r = byKey.get(key);
    if (!r) byKey.set(key, (r = { action, text: actionText(action, m), siteId: f.siteId, impact: 0, findings: [] }));
    r.impact += weight(f.severity) * f.count;
    r.findings.push(f);
  }
  const siteOrder = new Map(m.sites.map((s, i) => [s.id, i]));
  const worst = (r: Recommendation) => Math.min(...r.findings.map((f) => f.severity));
  for (const r of byKey.values()) r.findings.sort((a, b) => a.severity - b.severity || b.count - a.count);
  return [...byKey.values()].sort((a, b) => b.impact - a.impact || worst(a) - worst(b) || (siteOrder.get(a.siteId) ?? 0) - (siteOrder.get(b.siteId) ?? 0));
}

/** The first things to fix at each site: its top `n` actions, sites in report order. */
export function firstThingsToFix(m: ReportModel, n = 3): Array<{ siteId: string; siteName: string; actions: Recommendation[] }> {
  const all = recommendations(m);
  return m.sites
    .map((s) => ({ siteId: s.id, siteName: s.name, actions: all.filter((r) => r.siteId === s.id).slice(0, n) }))
    .filter((s) => s.actions.length);
}

/** "because: no reply after 10 days (1 of 2 inquiries); …" */
export function becauseText(r: Recommendation, max = 3): string {
  const parts = r.findings.slice(0, max).map((f) => `${f.where}: ${f.what}${f.of > 1 ? ` (${f.count} of ${f.of})` : ''}`);
  return `${parts.join('; ')}${r.findings.length > max ? `; and ${r.findings.length - max} more` : ''}`;
}
