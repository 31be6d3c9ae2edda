/** Checks beyond the schema, each a small named rule returning issues by path. */
import { existsSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { DateTime, IANAZone } from 'luxon';
import { parseWindow } from './window.js';
import { parseHours } from './hours.js';
import type { PathSeg } from './positions.js';
import type { AuditConfig, SilenceableWarning } from './schema.js';
import { SECRET_PATHS } from './schema.js';
import { EMAIL_RE, checkTargetUrl, isLocalHost } from './targets.js';
import { closest } from './suggest.js';
import { notifyRule } from './notify-rules.js';

export interface RuleIssue {
  path: PathSeg[];
  message: string;
  severity?: 'error' | 'warning';
  /** A warning's code: `silence: [code]` at the config's top level turns it off. */
  code?: SilenceableWarning;
}


export interface RuleContext {
  configDir: string;
  probesDir: string;
  inquiryNames: string[];
  envRefPaths: Set<string>;
}

type Rule = (c: AuditConfig, ctx: RuleContext) => RuleIssue[];

export const uniqueIds: Rule = (c) => {
  const out: RuleIssue[] = [];
  const seenSites = new Map<string, number>();
  c.sites.forEach((s, si) => {
    if (seenSites.has(s.id)) out.push({ path: ['sites', si, 'id'], message: `duplicate site id "${s.id}" (also sites[${seenSites.get(s.id)}])` });
    else seenSites.set(s.id, si);
    const seenLines = new Map<string, number>();
    s.serviceLines.forEach((l, li) => {
      if (seenLines.has(l.id))
        out.push({ path: ['sites', si, 'serviceLines', li, 'id'], message: `duplicate service line id "${l.id}" in site "${s.id}"` });
      else seenLines.set(l.id, li);
      const seenEps = new Map<string, number>();
      l.entryPoints.forEach((e, ei) => {
        const eid = e.id ?? e.type;
        if (seenEps.has(eid))
          out.push({
            path: ['sites', si, 'serviceLines', li, 'entryPoints', ei, e.id ? 'id' : 'type'],
            message: `duplicate entry point id "${eid}" in ${s.id}/${l.id}; give each entry point of the same type its own id`,
          });
        else seenEps.set(eid, ei);
      });
    });
  });
  return out;
};

const CHANNEL_FOR = { webform: 'browser', email: 'smtp', phone: 'twilio', sms: 'twilio' } as const;

export const channelsConfigured: Rule = (c) => {
  const out: RuleIssue[] = [];
  eachEntry(c, (e, path) => {
    const ch = CHANNEL_FOR[e.type];
    if (!c.channels[ch])
      out.push({ path: [...path, 'type'], message: `${e.type === 'email' ? 'an' : 'a'} ${e.type} entry point needs channels.${ch} to be configured` });
  });
  const anyReplies = c.sites.some((s) => s.serviceLines.some((l) => l.entryPoints.some((e) => e.type === 'webform' || e.type === 'email')));
  if (anyReplies && !c.channels.imap)
    out.push({
      path: ['channels'],
      message:
        'no channels.imap: replies to the web forms and emails will not be collected, so their response times and reply verdicts stay empty; add channels.imap, or `silence: [no-imap]` if that is deliberate',
      severity: 'warning',
      code: 'no-imap',
    });
  return out;
};

export const phoneNumbers: Rule = (c) => {
  const out: RuleIssue[] = [];
  // Sites share a few numbers across many entry points: each distinct number is parsed once.
  const valid = new Map<string, boolean>();
  const check = (n: string, path: PathSeg[]) => {
    let ok = valid.get(n);
    if (ok === undefined) {
      const p = n.startsWith('+') ? parsePhoneNumberFromString(n) : undefined;
      valid.set(n, (ok = !!p && p.isValid() && p.number === n));
    }
    if (!ok) out.push({ path, message: `must be a valid phone number in E.164 form, e.g. +13125550100 (got "${n}")` });
  };
  c.shopper.phones.forEach((n, i) => check(n, ['shopper', 'phones', i]));
  c.sites.forEach((s, si) => s.phones.forEach((n, i) => check(n, ['sites', si, 'phones', i])));
  eachEntry(c, (e, path) => {
    if (e.type === 'phone' || e.type === 'sms') check(e.number, [...path, 'number']);
  });
  if (c.sites.some((s) => s.serviceLines.some((l) => l.entryPoints.some((e) => e.type === 'phone' || e.type === 'sms'))) && c.shopper.phones.length === 0)
    out.push({ path: ['shopper', 'phones'], message: 'phone and sms probes need at least one shopper number' });
  return out;
};

export const urls: Rule = (c) => {
  const out: RuleIssue[] = [];
  const allow = c.safety.allowLocal;
  eachEntry(c, (e, path) => {
    if (e.type !== 'webform') return;
    const err = checkTargetUrl(e.url, allow);
    if (err) out.push({ path: [...path, 'url'], message: err });
  });
  const api = c.channels.twilio?.apiBaseUrl;
  if (api !== undefined) {
    const err = checkTargetUrl(api, true);
    if (err) out.push({ path: ['channels', 'twilio', 'apiBaseUrl'], message: err });
    else if (!isLocalHost(new URL(api).hostname) || !allow)
      out.push({ path: ['channels', 'twilio', 'apiBaseUrl'], message: 'is for the sandbox only: a loopback URL, with safety.allowLocal: true' });
  }
  const ws = c.channels.browser?.wsEndpoint;
  if (ws !== undefined && checkTargetUrl(ws, true, ['ws:', 'wss:', 'http:', 'https:']))
    out.push({ path: ['channels', 'browser', 'wsEndpoint'], message: 'must be a ws:// or wss:// URL of a Playwright server' });
  return out;
};

export const emails: Rule = (c) => {
  const out: RuleIssue[] = [];
  if (!c.shopper.email.includes('{token}'))
    out.push({ path: ['shopper', 'email'], message: 'must carry {token} for plus-addressing, e.g. jordan+{token}@example.net' });
  else if (!EMAIL_RE.test(c.shopper.email.replace('{token}', 'tok')))
    out.push({ path: ['shopper', 'email'], message: 'must be an email address template such as jordan+{token}@example.net' });
  eachEntry(c, (e, path) => {
    if (e.type === 'email' && !EMAIL_RE.test(e.to)) out.push({ path: [...path, 'to'], message: `must be an email address (got "${e.to}")` });
    if (e.type === 'email' && !c.safety.allowLocal && /@localhost$/i.test(e.to))
      out.push({ path: [...path, 'to'], message: 'is a local address; set safety.allowLocal: true for sandboxes and tests' });
  });
  return out;
};

export const timezones: Rule = (c) => {
  const out: RuleIssue[] = [];
  if (!IANAZone.isValidZone(c.timezone)) out.push({ path: ['timezone'], message: `unknown timezone "${c.timezone}"; use an IANA name like America/Chicago` });
  c.sites.forEach((s, si) => {
    if (s.timezone && !IANAZone.isValidZone(s.timezone))
      out.push({ path: ['sites', si, 'timezone'], message: `unknown timezone "${s.timezone}"; use an IANA name like America/Chicago` });
  });
  return out;
};

export const campaignDates: Rule = (c) => {
  const k = c.campaign;
  if (!k) return [];
  const out: RuleIssue[] = [];
  for (const f of ['starts', 'ends'] as const) {
    const v = k[f];
    if (v && Number.isNaN(Date.parse(v + 'T00:00:00Z'))) out.push({ path: ['campaign', f], message: `"${v}" is not a real date` });
  }
  if (k.starts && k.ends && k.starts > k.ends) out.push({ path: ['campaign', 'ends'], message: `ends (${k.ends}) before it starts (${k.starts})` });
  return out;
};

export const schedules: Rule = (c) => {
  const out: RuleIssue[] = [];
  const check = (at: string | undefined, path: PathSeg[]) => {
    if (at === undefined) return;
    const w = parseWindow(at);
    if ('error' in w) out.push({ path: [...path, 'schedule', 'at'], message: w.error });
  };
  check(c.schedule?.at, []);
  c.sites.forEach((s, si) => {
    check(s.schedule?.at, ['sites', si]);
    s.serviceLines.forEach((l, li) => {
      check(l.schedule?.at, ['sites', si, 'serviceLines', li]);
      l.entryPoints.forEach((e, ei) => check(e.schedule?.at, ['sites', si, 'serviceLines', li, 'entryPoints', ei]));
    });
  });
  const q = c.safety.quietHours;
  if (q && q.start === q.end) out.push({ path: ['safety', 'quietHours', 'end'], message: 'quiet hours must not start and end at the same time' });
  return out;
};

/** Opening hours parse, and holidays are real dates (the schema only checks their shape). */
export const businessHours: Rule = (c) => {
  const out: RuleIssue[] = [];
  const check = (o: { hours?: string; holidays?: (string | { date: string })[] }, path: PathSeg[]) => {
    if (o.hours !== undefined) {
      const h = parseHours(o.hours);
      if ('error' in h) out.push({ path: [...path, 'hours'], message: h.error });
    }
    o.holidays?.forEach((d, i) => {
      const date = typeof d === 'string' ? d : d.date;
      if (!DateTime.fromISO(date).isValid)
        out.push({ path: [...path, 'holidays', i, ...(typeof d === 'string' ? [] : ['date'])], message: `"${date}" is not a real date` });
    });
  };
  c.sites.forEach((s, si) => {
    check(s, ['sites', si]);
    s.serviceLines.forEach((l, li) => check(l, ['sites', si, 'serviceLines', li]));
  });
  return out;
};

export const secretsFromEnv: Rule = (c, ctx) => {
  const out: RuleIssue[] = [];
  for (const p of SECRET_PATHS) {
    const path = p.split('.');
    let v: unknown = c;
    for (const seg of path) v = (v as Record<string, unknown> | undefined)?.[seg];
    if (typeof v === 'string' && !ctx.envRefPaths.has(path.join('\u0000')))
      out.push({ path, message: 'secrets may not be written in the file; use ${ENV_NAME} and set it in the environment' });
  }
  return out;
};

export const inquiriesExist: Rule = (c, ctx) => {
  const out: RuleIssue[] = [];
  const check = (name: string | undefined, path: PathSeg[]) => {
    if (name === undefined || ctx.inquiryNames.includes(name)) return;
    const hint = closest(name, ctx.inquiryNames);
    out.push({
      path,
      message: `no inquiry template "${name}" in ${relative(ctx.configDir, ctx.probesDir) || '.'}/${hint ? ` (did you mean "${hint}"?)` : ''}`,
    });
  };
  check(c.probes.default, ['probes', 'default']);
  c.sites.forEach((s, si) =>
    s.serviceLines.forEach((l, li) => {
      check(l.inquiry, ['sites', si, 'serviceLines', li, 'inquiry']);
      l.entryPoints.forEach((e, ei) => check(e.inquiry, ['sites', si, 'serviceLines', li, 'entryPoints', ei, 'inquiry']));
    }),
  );
  return out;
};

export const scriptsExist: Rule = (c, ctx) => {
  const out: RuleIssue[] = [];
  eachEntry(c, (e, path) => {
    if (e.type !== 'webform' || !e.script) return;
    const full = isAbsolute(e.script) ? e.script : resolve(ctx.configDir, '..', e.script);
    const alt = resolve(ctx.configDir, e.script);
    if (!existsSync(full) && !existsSync(alt)) out.push({ path: [...path, 'script'], message: `script ${e.script} does not exist` });
  });
  return out;
};

/** An OAuth2 sign-in needs a token endpoint it can reach: the provider's, or a URL for custom. */
export const oauth2Endpoints: Rule = (c) => {
  const out: RuleIssue[] = [];
  for (const kind of ['imap', 'smtp'] as const) {
    const o = c.channels[kind]?.oauth2;
    if (!o) continue;
    const path: PathSeg[] = ['channels', kind, 'oauth2'];
    if (o.provider === 'custom' && !o.tokenUrl) out.push({ path: [...path, 'provider'], message: 'provider custom needs oauth2.tokenUrl (the token endpoint)' });
    if (o.tokenUrl) {
      const bad = checkTargetUrl(o.tokenUrl, c.safety.allowLocal);
      if (bad) out.push({ path: [...path, 'tokenUrl'], message: bad });
      else if (new URL(o.tokenUrl).protocol === 'http:' && !isLocalHost(new URL(o.tokenUrl).hostname))
        out.push({ path: [...path, 'tokenUrl'], message: 'must be an https URL: the refresh token and client secret travel in the request' });
    }
    if (!c.channels[kind]?.user) out.push({ path: ['channels', kind, 'user'], message: 'OAuth2 sign-in needs the mailbox user name' });
  }
  return out;
};

/** `phone:`: the TwiML Bin URL, the <Say> voice and language, and a listening time Twilio accepts. */
export const phoneCall: Rule = (c) => {
  const out: RuleIssue[] = [];
  const p = c.phone;
  if (p.twimlBin !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(p.twimlBin);
    } catch {
      out.push({ path: ['phone', 'twimlBin'], message: 'must be the https URL of a TwiML Bin, e.g. https://handler.twilio.com/twiml/EH…' });
    }
    if (url && (url.protocol !== 'https:' || url.username || url.password || url.search))
      out.push({ path: ['phone', 'twimlBin'], message: 'must be an https URL without credentials or query (Twilio fetches it; respond-audit adds the query)' });
  }
  if (!/^(man|woman|alice|Polly\.[A-Z][A-Za-z]+(-Neural|-Generative)?|Google\.[a-z]{2,3}-[A-Z]{2}-[A-Za-z0-9-]+)$/.test(p.voice))
    out.push({ path: ['phone', 'voice'], message: `"${p.voice}" is not a <Say> voice: use man, woman, alice, Polly.<Name> or Google.<language>-<name>` });
  if (!/^[a-z]{2,3}-[A-Z]{2}$/.test(p.language)) out.push({ path: ['phone', 'language'], message: 'must be a language tag like en-US or es-MX' });
  if (p.listen < 1000 || p.listen > 60_000) out.push({ path: ['phone', 'listen'], message: 'must be between 1s and 60s' });
  return out;
};

export const RULES: Rule[] = [
  phoneCall,
  uniqueIds,
  channelsConfigured,
  phoneNumbers,
  urls,
  emails,
  timezones,
  campaignDates,
  schedules,
  businessHours,
  secretsFromEnv,
  inquiriesExist,
  scriptsExist,
  oauth2Endpoints,
  notifyRule,
];

function eachEntry(c: AuditConfig, fn: (e: AuditConfig['sites'][number]['serviceLines'][number]['entryPoints'][number], path: PathSeg[]) => void) {
  c.sites.forEach((s, si) =>
    s.serviceLines.forEach((l, li) => l.entryPoints.forEach((e, ei) => fn(e, ['sites', si, 'serviceLines', li, 'entryPoints', ei]))),
  );
}
