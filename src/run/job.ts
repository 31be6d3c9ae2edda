/** Turns a planned probe into what a submitter needs: token, shopper identity, the message. */
import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import { render, type Placeholder } from '../config/inquiry.js';
import type { LoadedConfig } from '../config/load.js';
import type { PlannedProbe } from '../plan/plan.js';
import type { ShopperIdentity } from '../submit/types.js';

const ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

/** 10 characters, lowercase, no look-alikes: safe in a plus-address and unguessable. */
export function newToken(): string {
  const bytes = randomBytes(10);
  let t = '';
  for (const b of bytes) t += ALPHABET[b % ALPHABET.length];
  return t;
}

export function shopperFor(p: PlannedProbe, token: string): ShopperIdentity {
  const parts = p.shopperName.trim().split(/\s+/);
  return {
    name: p.shopperName,
    firstName: parts[0] ?? p.shopperName,
    lastName: parts.slice(1).join(' ') || parts[0] || '',
    email: p.shopperEmailTemplate.replace('{token}', token),
    phone: p.shopperPhone,
  };
}

export function messageFor(loaded: LoadedConfig, p: PlannedProbe, shopper: ShopperIdentity) {
  const values: Partial<Record<Placeholder, string>> = {
    'shopper.name': shopper.name,
    'shopper.firstName': shopper.firstName,
    'shopper.lastName': shopper.lastName,
    'shopper.email': shopper.email,
    'shopper.phone': shopper.phone ?? '',
    'site.name': p.entry.site.name,
    'serviceLine.name': p.entry.serviceLine.name,
    'campaign.name': loaded.config.campaign?.name ?? '',
    organization: loaded.config.organization,
  };
  const inq = p.entry.inquiry;
  let body = render(inq.variants[p.variant % inq.variants.length]!, values).trim();
  if (inq.askCallback && shopper.phone && !body.includes(shopper.phone))
    body += `\n\nYou can call me back at ${shopper.phone}.`;
  const smsText = inq.sms.length ? render(inq.sms[p.variant % inq.sms.length]!, values) : body.split(/(?<=[.?!])\s/)[0]!;
  const callText = inq.call.length ? render(inq.call[p.variant % inq.call.length]!, values) : smsText;
  return { subject: render(inq.subject, values), body, sms: smsText.slice(0, 320), call: callText.replace(/\s+/g, ' ').trim() };
}

/** "in 7 days" → the date that many days after `now`, in the site's timezone. */
export function preferredDate(text: string, now: number, zone: string): string {
  const m = /in\s+(\d+)\s+days?/i.exec(text);
  const days = m ? Number(m[1]) : 7;
  let d = DateTime.fromMillis(now, { zone }).plus({ days });
  // A weekday: offices are closed at weekends.
  while (d.weekday > 5) d = d.plus({ days: 1 });
  return d.toISODate()!;
}
