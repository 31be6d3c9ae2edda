/**
 * Which probe an emailed reply answers. Exact: the probe's token in a recipient address
 * (the shopper's plus-address) or a thread header naming the probe's Message-ID. Likely:
 * the sender's domain is one of the site's domains and the reply names the shopper.
 * Anything else stays unattributed, and says why.
 */
import type { LoadedConfig } from '../config/load.js';
import type { Site } from '../config/schema.js';
import { probeByMessageIdAnyCase, probesAwaitingAt } from '../store/imap-queries.js';
import type { Store } from '../store/store.js';
import type { Attribution, ProbeRow } from '../store/types.js';

export interface AttributionResult {
  probe: ProbeRow | null;
  attribution: Attribution;
  reasons: string[];
  /** Tokens of the probes it could belong to, when ambiguous. */
  candidates?: string[];
}

/** What the headers say about where a message went and what it answers. */
export interface MailFacts {
  /** To, Cc, Delivered-To, X-Original-To (lowercased addresses). */
  recipients: string[];
  inReplyTo: string[];
  references: string[];
  from: string | null;
  occurredAt: number;
}

/** Regexes that pull the token out of a shopper address, built from the configured templates. */
export function tokenPatterns(loaded: LoadedConfig): RegExp[] {
  const templates = [loaded.config.shopper.email, ...loaded.config.shopper.personas.map((p) => p.email).filter((e): e is string => !!e)];
  const out: RegExp[] = [];
  for (const t of new Set(templates.map((x) => x.toLowerCase()))) {
    if (!t.includes('{token}')) continue;
    const [before, after] = t.split('{token}') as [string, string];
    out.push(new RegExp(`^${escapeRe(before)}([a-z0-9]{4,40})${escapeRe(after)}$`));
  }
  // Any plus-address as a fallback (a persona without a template, a forwarded copy).
  out.push(/^[^+@\s]+\+([a-z0-9]{4,40})@/);
  return out;
}

export function tokensIn(addresses: string[], patterns: RegExp[]): string[] {
  const out = new Set<string>();
  for (const a of addresses)
    for (const re of patterns) {
      const m = a.toLowerCase().match(re);
      if (m?.[1]) out.add(m[1]);
    }
  return [...out];
}

/** How exact attribution finds probes: one query per key (attributeExact), or maps filled for a whole batch (the collector). */
export interface ProbeLookups {
  byToken(token: string): ProbeRow | undefined;
  /** Case-insensitive. */
  byMessageId(messageId: string): ProbeRow | undefined;
}

/** Exact attribution from the headers alone, or null. */
export function attributeExact(store: Store, facts: MailFacts, patterns: RegExp[]): AttributionResult | null {
  return attributeExactWith(facts, patterns, { byToken: (t) => store.probeByToken(t), byMessageId: (id) => probeByMessageIdAnyCase(store, id) });
}

export function attributeExactWith(facts: MailFacts, patterns: RegExp[], lookups: ProbeLookups): AttributionResult | null {
  for (const token of tokensIn(facts.recipients, patterns)) {
    const probe = lookups.byToken(token);
    if (probe) return { probe, attribution: 'exact', reasons: [`sent to the probe's address (token ${token})`] };
  }
  for (const [list, name] of [
    [facts.inReplyTo, 'In-Reply-To'],
    [facts.references, 'References'],
  ] as const) {
    for (const id of list) {
      const probe = lookups.byMessageId(id);
      if (probe) return { probe, attribution: 'exact', reasons: [`${name} names the probe's Message-ID ${id}`] };
    }
  }
  return null;
}

/** Whether exact attribution has anything to look up (a token in a recipient, a thread header), without a query. */
export function mayAttributeExactly(facts: MailFacts, patterns: RegExp[]): boolean {
  return facts.inReplyTo.length > 0 || facts.references.length > 0 || tokensIn(facts.recipients, patterns).length > 0;
}

/** Lookups for a batch of messages: every token and thread-header ID among them resolved with two queries. */
export function batchLookups(store: Store, batch: MailFacts[], patterns: RegExp[]): ProbeLookups {
  const tokens = new Set<string>();
  const ids = new Set<string>();
  for (const f of batch) {
    for (const t of tokensIn(f.recipients, patterns)) tokens.add(t);
    for (const id of f.inReplyTo) ids.add(id.toLowerCase());
    for (const id of f.references) ids.add(id.toLowerCase());
  }
  const byToken = new Map(store.probesByTokens([...tokens]).map((p) => [p.token, p]));
  const byId = new Map<string, ProbeRow>();
  // The lowest id first, as probeByMessageIdAnyCase's LIMIT 1 would find it by the index.
  for (const p of store.probesByMessageIds([...ids])) {
    const k = p.messageId!.toLowerCase();
    if (!byId.has(k)) byId.set(k, p);
  }
  return { byToken: (t) => byToken.get(t.toLowerCase()), byMessageId: (id) => byId.get(id.toLowerCase()) };
}

const DAEMON = /^(mailer-daemon|postmaster|mail-daemon|bounces?)@/i;

/** Worth fetching the body of: a site's domain may make it likely; a mail daemon may quote our Message-ID. */
export function bodyCouldAttribute(loaded: LoadedConfig, facts: MailFacts): boolean {
  return !!(facts.from && (DAEMON.test(facts.from) || siteForSender(loaded, facts.from)));
}

const siteDomains = new WeakMap<LoadedConfig, Map<string, Site>>();

/** The site whose domains include the sender's domain or a parent of it: the most specific domain wins (a domain two sites list: the first). */
export function siteForSender(loaded: LoadedConfig, from: string): Site | undefined {
  let byDomain = siteDomains.get(loaded);
  if (!byDomain) {
    byDomain = new Map();
    for (const site of loaded.config.sites) for (const d of site.domains) if (!byDomain.has(d.toLowerCase())) byDomain.set(d.toLowerCase(), site);
    siteDomains.set(loaded, byDomain);
  }
  const at = from.lastIndexOf('@');
  if (at < 0) return undefined;
  // mail.south.example.org, then south.example.org, example.org, org.
  for (let domain = from.slice(at + 1).toLowerCase(); domain; ) {
    const site = byDomain.get(domain);
    if (site) return site;
    const dot = domain.indexOf('.');
    domain = dot < 0 ? '' : domain.slice(dot + 1);
  }
  return undefined;
}

/** With the body: a bounce quoting our Message-ID or token is exact; a site's mail naming the shopper is likely. */
export function attributeFromBody(store: Store, loaded: LoadedConfig, facts: MailFacts, text: string, subject: string, patterns: RegExp[]): AttributionResult {
  // Delivery notices quote the original headers (text/rfc822-headers) or addresses.
  const ids = text.match(/<[^<>\s@]+@[^<>\s]+>/g) ?? [];
  for (const id of ids) {
    const probe = probeByMessageIdAnyCase(store, id);
    if (probe) return { probe, attribution: 'exact', reasons: [`quotes the probe's Message-ID ${id}`] };
  }
  const addrs = (text.match(/[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g) ?? []).map((a) => a.toLowerCase());
  for (const token of tokensIn(addrs, patterns)) {
    const probe = store.probeByToken(token);
    if (probe) return { probe, attribution: 'exact', reasons: [`quotes the probe's address (token ${token})`] };
  }

  const site = facts.from ? siteForSender(loaded, facts.from) : undefined;
  if (!site) return { probe: null, attribution: 'none', reasons: ['no token, no thread header naming a probe, and the sender is not one of a site\'s domains'] };
  const haystack = `${subject}\n${text}`.toLowerCase();
  const candidates = probesAwaitingAt(store, site.id, facts.occurredAt).filter(
    (p) => (p.channel === 'email' || p.channel === 'webform') && nameMentioned(haystack, p.shopperName),
  );
  const why = `sender ${facts.from} is in ${site.name}'s domains (${site.domains.join(', ')})`;
  if (!candidates.length)
    return { probe: null, attribution: 'none', reasons: [`${why}, but it names no shopper of a probe awaiting replies there`] };
  if (candidates.length === 1)
    return { probe: candidates[0]!, attribution: 'likely', reasons: [`${why} and it names the shopper ${candidates[0]!.shopperName} (lower confidence: no token or thread header)`] };
  // Several probes at the site: the service line named in the mail may settle it.
  const bySl = candidates.filter((p) => serviceLineMentioned(loaded, p, haystack));
  if (bySl.length === 1)
    return { probe: bySl[0]!, attribution: 'likely', reasons: [`${why}, names the shopper and the service line of one probe (lower confidence)`] };
  return {
    probe: null,
    attribution: 'ambiguous',
    reasons: [`${why} and names the shopper, but ${candidates.length} probes there await replies; not guessed`],
    candidates: candidates.map((p) => p.token),
  };
}

function nameMentioned(haystack: string, name: string | null): boolean {
  if (!name) return false;
  const parts = name.toLowerCase().split(/\s+/).filter((p) => p.length >= 2);
  if (!parts.length) return false;
  if (haystack.includes(name.toLowerCase())) return true;
  // The first name alone counts ("Hi Jordan,"): shopper names are chosen to be distinctive.
  return new RegExp(`\\b${escapeRe(parts[0]!)}\\b`).test(haystack);
}

function serviceLineMentioned(loaded: LoadedConfig, p: ProbeRow, haystack: string): boolean {
  const site = loaded.config.sites.find((s) => s.id === p.siteId);
  const sl = site?.serviceLines.find((x) => x.id === p.serviceLineId);
  return !!sl && haystack.includes(sl.name.toLowerCase());
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
