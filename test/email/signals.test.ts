/**
 * The classifier's general signals, each on a message written for the test (not a corpus
 * message): a structural rule (read receipts), where the writer's words are taken from
 * (receipts copying the inquiry back, a desk notice quoting the requester), numbers of other
 * numbering plans, sign-offs, and the header and wording traits the weights are learned over.
 */
import { describe, expect, it } from 'vitest';
import { classifyEmail } from '../../src/classify/email.js';
import { extractFeatures } from '../../src/classify/features.js';
import { messageFromEml } from '../../src/classify/message.js';
import { splitReply } from '../../src/classify/reply-parts.js';
import { classifyReplyText } from '../../src/classify/text.js';

function eml(headers: Record<string, string>, body: string, contentType = 'text/plain; charset=utf-8'): Buffer {
  const h = {
    From: 'Front Desk <desk@clinic.example.org>',
    To: 'Jordan Avery <jordan+abc123@example.net>',
    Subject: 'Re: Appointment',
    Date: 'Tue, 09 Mar 2027 15:00:00 +0000',
    'Message-ID': '<r1@clinic.example.org>',
    'In-Reply-To': '<q1@example.net>',
    'MIME-Version': '1.0',
    'Content-Type': contentType,
    ...headers,
  };
  const block = Object.entries(h)
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `${k}: ${v}`)
    .join('\r\n');
  return Buffer.from(`${block}\r\n\r\n${body.replace(/\n/g, '\r\n')}`);
}

async function features(headers: Record<string, string>, body: string): Promise<Record<string, number>> {
  const msg = await messageFromEml(eml(headers, body));
  return extractFeatures(msg, classifyReplyText(msg.text, { recipientName: msg.to[0]?.name ?? undefined }));
}

describe('reply signals', () => {
  it('a read receipt (RFC 8098) is automatic by structure, sure, and passes nothing along', async () => {
    const body = [
      'This is a multi-part message in MIME format.',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Your message was read on Tuesday. Please call me at (312) 555-0199 about it.',
      '--b1',
      'Content-Type: message/disposition-notification',
      '',
      'Reporting-UA: mail.clinic.example.org',
      'Final-Recipient: rfc822;desk@clinic.example.org',
      'Original-Message-ID: <q1@example.net>',
      'Disposition: manual-action/MDN-sent-manually; displayed',
      '--b1--',
      '',
    ].join('\n');
    const msg = await messageFromEml(eml({}, body, 'multipart/report; report-type=disposition-notification; boundary="b1"'));
    const v = classifyEmail(msg);
    expect(v).toMatchObject({ kind: 'auto-ack', passAlong: false, needsReview: false });
    expect(v.reasons[0]).toMatch(/read receipt/);
  });

  it('a receipt that copies the inquiry back: the copy is the shopper\'s text, the footer after "-- " the sender\'s', () => {
    const parts = splitReply('We got your message. Here is a copy of what you sent us:\n\nName: Jordan\nMessage: Please call me at (312) 555-0101.\n-- \nThis is a receipt from our website.');
    expect(parts.body).toBe('We got your message.');
    expect(parts.quoted).toContain('Please call me at');
    expect(parts.signature).toContain('receipt from our website');
    for (const intro of ['You wrote:', 'Message Body:', 'Ihre Ticketdaten:', 'Sua mensagem:', 'Votre message :'])
      expect(splitReply(`Danke.\n\n${intro}\nI want a knee check, call me at 312 555 0101.`).body, intro).not.toMatch(/knee/);
  });

  it('a desk notice whose newest comment is the recipient\'s own: the notice is the writer\'s words', () => {
    const text = 'Your request (123) has been received.\n\n----------\n\nJordan Avery, Mar 9, 2027, 10:12 AM CST\n\nHi, please call me at (312) 555-0101.\n';
    expect(splitReply(text, { recipient: 'Jordan Avery' }).body).toBe('Your request (123) has been received.');
    // Someone else's comment is theirs.
    expect(splitReply(text.replace('Jordan Avery,', 'Dana Ruiz,'), { recipient: 'Jordan Avery' }).body).toMatch(/call me/);
  });

  it('numbers of other numbering plans count as numbers; dates and ticket numbers do not', async () => {
    expect((await features({}, 'Para marcar, ligue para a Central no (11) 5555-0190.'))['phone_in_body']).toBe(1);
    expect((await features({}, 'Contactez le cabinet au 01 55 55 02 40.'))['phone_in_body']).toBe(1);
    expect((await features({}, 'Ich bin vom 08.03. bis 12.03.2027 abwesend.'))['phone_in_body']).toBeUndefined();
    expect((await features({}, 'Your ticket #2027031010 is open.'))['phone_in_body']).toBeUndefined();
  });

  it('sign-offs: "Thanks, Tamara", a bare first name, German closings; not "The team" or a sign-off word', async () => {
    expect((await features({}, 'We can see you Monday.\nThanks, Tamara'))['signed_by_person']).toBe(1);
    expect((await features({}, 'We can see you Monday.\n\nRosa\nFront desk'))['signed_by_person']).toBe(1);
    expect((await features({}, 'Bitte rufen Sie an.\n\nFreundliche Grüße\nJörg Maier'))['signed_by_person']).toBe(1);
    expect((await features({}, 'We got your message.\n\nThanks\nThe Clinic Team'))['signed_by_person']).toBeUndefined();
    expect((await features({}, 'We got your message.\n\nReception'))['signed_by_person']).toBeUndefined();
  });

  it('header traits: a "Re:" that answers nothing, loop guards, desk software named in X-Mailer', async () => {
    expect((await features({ 'In-Reply-To': '' }, 'Hi'))['fake_reply_subject']).toBe(1);
    expect((await features({}, 'Hi'))['fake_reply_subject']).toBeUndefined();
    expect((await features({ 'X-Loop': 'yes' }, 'Hi'))['loop_header']).toBe(1);
    expect((await features({ 'X-Mailer': 'OTRS Mail Service (6.0.34)' }, 'Hi'))['helpdesk_headers']).toBe(1);
    expect((await features({ 'X-Powered-By': 'Zammad' }, 'Hi'))['helpdesk_headers']).toBe(1);
    expect((await features({ 'X-Mailer': 'Apple Mail (2.3774)' }, 'Hi'))['helpdesk_headers']).toBeUndefined();
  });

  it('template wording in several languages: receipts, turnaround promises, out-of-office, ticket numbers', async () => {
    const on = async (body: string, k: string) => (await features({}, body))[k];
    expect(await on("We've received your message.", 'acknowledges_receipt')).toBe(1);
    expect(await on('A new ticket has been created for your request.', 'acknowledges_receipt')).toBe(1);
    expect(await on('Merci pour votre message.', 'acknowledges_receipt')).toBe(1);
    expect(await on('An intake specialist will reply within one business day.', 'promises_reply_later')).toBe(1);
    expect(await on('It will be answered as soon as possible.', 'promises_reply_later')).toBe(1);
    expect(await on('We answer emails in the order they arrive.', 'promises_reply_later')).toBe(1);
    expect(await on('Ich melde mich nach meiner Rückkehr.', 'out_of_office')).toBe(1);
    expect(await on('Your conversation number is #4127.', 'ticket_number_in_body')).toBe(1);
    expect(await on('This is an automatic note to say we have it.', 'says_automated')).toBe(1);
    expect(await on('Just circling back in case my last email got buried.', 'sales_follow_up')).toBe(1);
    expect(await on("I'm at a medical conference until March 15 with limited email.", 'out_of_office')).toBe(1);
    expect(await on("I'm sure we can fit you in on Monday.", 'out_of_office')).toBeUndefined();
    expect(await on('I checked with Dr. Ruiz and she can see you Monday.', 'acknowledges_receipt')).toBeUndefined();
  });

  it('tracking in a one-to-one message is a sales tool\'s trait; in a newsletter it is the list\'s', async () => {
    const pixel = async (headers: Record<string, string>) => {
      const msg = await messageFromEml(eml(headers, '--b\nContent-Type: text/html\n\n<p>Hi Jordan, quick question?</p><img src="https://t.example.com/o.gif" width="1" height="1">\n--b--\n', 'multipart/alternative; boundary="b"'));
      return extractFeatures(msg, classifyReplyText(msg.text, {}));
    };
    expect((await pixel({}))['tracked_one_to_one']).toBe(1);
    expect((await pixel({ 'List-Unsubscribe': '<mailto:u@example.org>' }))['tracked_one_to_one']).toBeUndefined();
  });

  it('a person asking us to stop is a signal of a person', async () => {
    const f = await features({}, 'Please stop contacting us. These inquiries are not genuine.');
    expect(f['stop_request']).toBe(1);
  });
});

