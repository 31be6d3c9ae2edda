/** classifyReplyText (shared with SMS replies) and the front desk's weekday scheduling. */
import { describe, expect, it } from 'vitest';
import { campaignInInquiry, campaignMention, classifyReplyText, stem } from '../../src/classify/text.js';
import { nextWorkingMoment } from '../../src/sandbox/frontdesk.js';

const ctx = { campaign: { name: 'Spring Knee Check', keywords: ['free knee screening'] }, shopperPhones: ['+13125550101'] };

describe('classifyReplyText', () => {
  it('without a configured campaign, reads the one the quoted inquiry names, and checks only the writer\'s words', () => {
    const quoted = 'On Tue, Mar 9, 2027 at 9:12 AM Jordan Avery <jordan@example.net> wrote:\n> Hello, I saw the Harbor Autumn Tune-Up ad. Is the free brake inspection still on?\n';
    expect(campaignInInquiry(quoted)).toEqual({ name: 'Harbor Autumn Tune-Up', keywords: ['free brake inspection'] });
    const aware = classifyReplyText(`Yes, the Autumn Tune-Up runs until November, I can book you Friday.\n\n${quoted}`);
    expect(aware.campaignAware).toBe(true);
    expect(aware.reasons.join('\n')).toContain('named in the quoted inquiry');
    // The campaign only in the quote, not in the writer's own words: not aware.
    expect(classifyReplyText(`Sure, we have Friday at 10 open.\n\n${quoted}`).campaignAware).toBe(false);
    // A quote that names no campaign ("your email", "the ad") gives nothing to look for.
    expect(campaignInInquiry('> I saw the ad and have a question about brakes.')).toBeUndefined();
    expect(campaignInInquiry('')).toBeUndefined();
  });

  it('leaves out each sentence about emergencies, and only that sentence, before reading numbers', () => {
    const v = classifyReplyText('If this is an emergency, call 911 or go to the nearest ER! Otherwise call our front desk at 312-555-0166.\nUrgent matters: 312-555-0100\nThanks', { ...ctx, plain: true });
    expect(v.phoneNumbers).toEqual(['+13125550166']);
    expect(v.reasons).toContain('emergency and urgent-matters lines ignored');
    // A long line with no sentence end and no emergency word is kept whole.
    const long = `${'we can look at your knee and the times that suit you and '.repeat(400)}call 312-555-0155`;
    expect(classifyReplyText(long, { ...ctx, plain: true }).phoneNumbers).toEqual(['+13125550155']);
  });

  it('texts: STOP is a stop request; a hand-off to another number is a pass-along', () => {
    expect(classifyReplyText('STOP', { ...ctx, plain: true })).toMatchObject({ stopRequest: true, passAlong: false });
    const v = classifyReplyText('Hi! Please call our scheduling line at 312-555-0177 to book.', { ...ctx, plain: true });
    expect(v).toMatchObject({ passAlong: true, phoneNumbers: ['+13125550177'] });
    expect(v.reasons.some((r) => r.startsWith('pass-along'))).toBe(true);
  });

  it('an answer that books the shopper, or echoes the shopper\'s own number, is not a pass-along', () => {
    expect(classifyReplyText('I booked you for Tuesday 10am. Questions? Call me at 312-555-0188.', { ...ctx, plain: true }).passAlong).toBe(false);
    expect(classifyReplyText('We will call you back at 312-555-0101 today.', { ...ctx, plain: true }).passAlong).toBe(false);
  });

  it('campaign awareness tolerates wording; every verdict has reasons', () => {
    expect(classifyReplyText('yes the spring knee-checks are on, free screening for knees', ctx).campaignAware).toBe(true);
    expect(classifyReplyText('We offer a free knee screening this month', ctx).campaignAware).toBe(true);
    const none = classifyReplyText('What service do you mean?', ctx);
    expect(none.campaignAware).toBe(false);
    expect(none.reasons.length).toBeGreaterThan(0);
  });
});

describe('campaign stems', () => {
  it('strip the suffix the documented pattern /(ings|ing|ies|es|s|ed)$/ strips, then cut at 7 letters', () => {
    const byRegex = (w: string) => (w.length <= 4 ? w : w.replace(/(ings|ing|ies|es|s|ed)$/, '').slice(0, 7));
    const words = ['screenings', 'screening', 'knees', 'knee', 'checks', 'checked', 'therapies', 'boxes', 'joints', 'sing', 'things', 'offered', 'classes', 'ies', 'series', 'bus', 'orthopedics', 'consultation', 'dress', 'bed', 'speed'];
    for (const w of words) expect(stem(w), w).toBe(byRegex(w));
  });

  it('two campaigns classified in turn keep their own terms', () => {
    const a = { name: 'Spring Knee Check', keywords: ['free knee screening'] };
    const b = { name: 'Heart Month', keywords: ['cholesterol test'] };
    expect(campaignMention('ask about our free knee screenings', a)).toMatch(/keyword "free knee screening"/);
    expect(campaignMention('ask about our free knee screenings', b)).toBeUndefined();
    expect(campaignMention('cholesterol tests all month', b)).toMatch(/cholesterol test/);
    expect(campaignMention('cholesterol tests all month', a)).toBeUndefined();
  });
});

describe('front desk weekday scheduling', () => {
  it('moves a reply to the next working weekday at 09:30 local', () => {
    // Saturday 2026-03-07 12:00 in Chicago → Monday 09:30 when only Mon/Wed answer.
    const sat = Date.parse('2026-03-07T18:00:00Z');
    expect(new Date(nextWorkingMoment(sat, [1, 3], 'America/Chicago')).toISOString()).toBe('2026-03-09T14:30:00.000Z');
    const mon = Date.parse('2026-03-09T16:00:00Z');
    expect(nextWorkingMoment(mon, [1, 3], 'America/Chicago')).toBe(mon);
  });
});
