/**
 * The shopper's optional profile (company, address parts, contact preferences, date of birth)
 * as `fields: auto` uses it, with the defaults the config documents already applied.
 */
import type { AuditConfig } from './schema.js';

export interface ShopperProfile {
  company?: string;
  jobTitle?: string;
  postalCode?: string;
  city?: string;
  state?: string;
  /** Unset: phone when the inquiry asks for a call back and a number is given, else email. */
  contactMethod?: 'phone' | 'email' | 'text';
  /** HH:MM */
  preferredTime: string;
  customerStatus: 'new' | 'existing';
  /** YYYY-MM-DD; unset: never invented. */
  dateOfBirth?: string;
}

export const DEFAULT_PROFILE: ShopperProfile = { preferredTime: '10:00', customerStatus: 'new' };

export function profileOf(shopper: AuditConfig['shopper']): ShopperProfile {
  const out: ShopperProfile = { preferredTime: shopper.preferredTime ?? '10:00', customerStatus: shopper.customerStatus ?? 'new' };
  for (const k of ['company', 'jobTitle', 'postalCode', 'city', 'state', 'contactMethod', 'dateOfBirth'] as const) {
    const v = shopper[k];
    if (v !== undefined) (out as unknown as Record<string, string>)[k] = v;
  }
  return out;
}
