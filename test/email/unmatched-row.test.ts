/** The row stored for mail nothing matched (the collector writes thousands of these per chunk). */
import { describe, expect, it } from 'vitest';
import { unmatchedMailRow } from '../../src/attribute/record-reply.js';

const mail = (mailbox: string, uid: number, uidValidity: string) => ({
  sourceId: `u@h/<m${uid}@x>`,
  occurredAt: 1_000 + uid,
  timeSource: 'date-header' as const,
  clockSkewMs: null,
  mailbox,
  uid,
  uidValidity,
  facts: { recipients: ['jordan@example.net', 'b@example.net'], inReplyTo: [], references: uid % 2 ? ['<a@x>', '<b@x>'] : [], from: 'news@shop.example.com', occurredAt: 1_000 + uid },
  subject: 'S'.repeat(600),
  messageId: `<m${uid}@x>`,
});

describe('unmatchedMailRow', () => {
  it('says where the message sits as JSON.stringify would, for any mailbox name, in any order of mailboxes', () => {
    for (const [box, uid, v] of [['INBOX', 7, '123'], ['Junk "spam" \\ ñ', 8, '9'], ['INBOX', 9, '124'], ['INBOX', 10, '124']] as const) {
      const row = unmatchedMailRow(mail(box, uid, v));
      expect(row.dataJson).toBe(JSON.stringify({ mailbox: box, uid, uidValidity: v }));
      expect(JSON.parse(row.dataJson)).toEqual({ mailbox: box, uid, uidValidity: v });
    }
  });

  it('keeps the first recipient, the first 500 characters of the subject and the references joined', () => {
    expect(unmatchedMailRow(mail('INBOX', 1, '1'))).toMatchObject({ source: 'imap', recipient: 'jordan@example.net', refs: '<a@x> <b@x>', inReplyTo: null, sender: 'news@shop.example.com' });
    expect(unmatchedMailRow(mail('INBOX', 1, '1')).subject).toHaveLength(500);
    expect(unmatchedMailRow(mail('INBOX', 2, '1')).refs).toBeNull();
  });
});
