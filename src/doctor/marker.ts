/**
 * What marks `doctor --round-trip`'s test message, shared with the collector so a copy left
 * in the mailbox (an IMAP user that may not delete) is never stored: not as a reply, not as
 * unmatched mail. Its plus tag `doctor-<hex>` has a hyphen, which no probe token has, so it
 * can never be attributed to a probe either.
 */
export const DOCTOR_HEADER = 'X-Respond-Audit-Doctor';
const ID_PREFIX = 'respond-audit-doctor.';

export function doctorMessageId(id: string, domain: string): string {
  return `<${ID_PREFIX}${id}@${domain}>`;
}

/** True for the Message-ID of a doctor test message (with or without angle brackets, any case). */
export function isDoctorMessageId(messageId: string | null | undefined): boolean {
  return !!messageId && messageId.replace(/^</, '').toLowerCase().startsWith(ID_PREFIX);
}
