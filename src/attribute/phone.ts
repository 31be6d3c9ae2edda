/**
 * Who does an inbound call or text to a shopper number belong to? Exactly by the number
 * called when that number has one open probe (the pool gives each open probe of a site its
 * own number), narrowed by caller ID against each site's known numbers and entry-point
 * numbers. Several candidates left → ambiguous, never guessed.
 */
import type { LoadedConfig } from '../config/load.js';
import type { ProbeRow, Attribution } from '../store/types.js';

export interface PhoneAttribution {
  probe: ProbeRow | null;
  attribution: Attribution;
  /** Site recognised from the caller ID, if any. */
  siteId: string | null;
  candidates: number[];
  reasons: string[];
}

const digits = (n: string) => n.replace(/[^\d]/g, '');

/** Sites whose known numbers (site.phones, phone and sms entry points) include this caller ID. */
export function sitesForCaller(loaded: LoadedConfig, caller: string): string[] {
  const d = digits(caller);
  if (!d) return [];
  const out = new Set<string>();
  for (const site of loaded.config.sites) {
    if (site.phones.some((p) => digits(p) === d)) out.add(site.id);
    for (const line of site.serviceLines)
      for (const ep of line.entryPoints) if ((ep.type === 'phone' || ep.type === 'sms') && digits(ep.number) === d) out.add(site.id);
  }
  return [...out];
}

/** Probes open at `at` (submitted before it, wait window not over). */
export function openAt(probes: ProbeRow[], at: number): ProbeRow[] {
  return probes.filter((p) => p.submittedAt !== null && p.submittedAt <= at && (p.closesAt === null || at <= p.closesAt));
}

export function attributeInbound(loaded: LoadedConfig, probes: ProbeRow[], inbound: { from: string; to: string; at: number }): PhoneAttribution {
  const open = openAt(probes, inbound.at);
  const sites = sitesForCaller(loaded, inbound.from);
  const onNumber = open.filter((p) => p.shopperPhone && digits(p.shopperPhone) === digits(inbound.to));
  const siteId = sites.length === 1 ? sites[0]! : null;
  const none = (why: string): PhoneAttribution => ({ probe: null, attribution: 'none', siteId, candidates: [], reasons: [why] });
  const callerWhy = sites.length ? `caller ID ${inbound.from} is a known number of ${sites.join(', ')}` : `caller ID ${inbound.from} is not a known number of any site`;

  if (onNumber.length) {
    const bySite = sites.length ? onNumber.filter((p) => sites.includes(p.siteId)) : onNumber;
    if (sites.length && !bySite.length)
      return none(`${callerWhy}, but no open probe of that site used ${inbound.to}`);
    if (bySite.length === 1) {
      const p = bySite[0]!;
      // The pool makes the number called exact; without a known caller ID it is exact only
      // when no other open probe (of any site) was given this number.
      const exact = sites.length > 0 || onNumber.length === 1;
      return {
        probe: p,
        attribution: exact ? 'exact' : 'likely',
        siteId: p.siteId,
        candidates: [p.id],
        reasons: [`${inbound.to} was given only to this open probe${sites.length ? ' of the site' : ''}`, callerWhy],
      };
    }
    return {
      probe: null, attribution: 'ambiguous', siteId, candidates: bySite.map((p) => p.id),
      reasons: [`${bySite.length} open probes gave ${inbound.to}`, callerWhy, 'not guessed'],
    };
  }
  if (!sites.length) return none(`no open probe gave ${inbound.to}, and ${callerWhy}`);
  const bySite = open.filter((p) => sites.includes(p.siteId) && p.shopperPhone);
  if (bySite.length === 1)
    return { probe: bySite[0]!, attribution: 'likely', siteId: bySite[0]!.siteId, candidates: [bySite[0]!.id], reasons: [callerWhy, `its only open probe used another number (${bySite[0]!.shopperPhone})`] };
  if (bySite.length > 1)
    return { probe: null, attribution: 'ambiguous', siteId, candidates: bySite.map((p) => p.id), reasons: [callerWhy, `${bySite.length} open probes of the site`, 'not guessed'] };
  return none(`${callerWhy}, but it has no open probe`);
}
