/** The lookups attribution runs for every collected message: sender domain → site, thread header → probe. */
import { describe, expect, it } from 'vitest';
import { attributeExact, attributeExactWith, batchLookups, mayAttributeExactly, siteForSender, tokenPatterns } from '../../src/attribute/email.js';
import { emailSetup, sentProbe } from './setup.js';
import { rawDb } from '../helpers/raw-store.js';

const extraSite = `  - id: group
    name: Example Group
    domains: [example.org]
    serviceLines:
      - id: ortho
        name: Orthopedics
        entryPoints:
          - type: email
            to: ortho@example.org
`;

describe('attribution lookups', () => {
  it('maps a sender to the site of its most specific domain, subdomains included, look-alikes not', () => {
    const s = emailSetup({ extra: extraSite });
    const site = (from: string) => siteForSender(s.loaded, from)?.id ?? null;
    expect(site('desk@north.example.org')).toBe('north');
    expect(site('Desk@Mail.South.Example.ORG')).toBe('south');
    expect(site('x@billing.example.org')).toBe('group');
    expect(site('x@example.org')).toBe('group');
    expect(site('x@north.example.org.evil.test')).toBeNull();
    expect(site('x@notexample.org')).toBeNull();
    expect(site('no-at-sign')).toBeNull();
    s.store.close();
  });

  it('matches In-Reply-To / References to a probe\'s Message-ID in any case, by index', () => {
    const s = emailSetup({});
    const p = sentProbe(s, { submittedAt: s.clock.now(), messageId: '<Probe.AbC@example.net>' });
    for (let i = 0; i < 50; i++) sentProbe(s, { submittedAt: s.clock.now() });
    const facts = (refs: string[]) => ({ recipients: ['jordan@example.net'], inReplyTo: [], references: refs, from: 'x@y.z', occurredAt: s.clock.now() });
    const hit = attributeExact(s.store, facts(['<other@x>', '<probe.abc@EXAMPLE.net>']), tokenPatterns(s.loaded));
    expect(hit?.probe?.id).toBe(p.id);
    expect(hit?.reasons.join(' ')).toMatch(/References names the probe's Message-ID/);
    expect(attributeExact(s.store, facts(['<nobody@x>']), tokenPatterns(s.loaded))).toBeNull();
    const plan0 = rawDb(s.store).prepare('EXPLAIN QUERY PLAN SELECT id FROM probes WHERE lower(message_id) = lower(?) LIMIT 1').all('<a@b>') as Array<{ detail: string }>;
    expect(plan0.map((r) => r.detail).join(' ')).toMatch(/USING (COVERING )?INDEX probes_message_id_lower/);
    s.store.close();
  });

  it('a chunk\'s lookups resolved together (two queries) attribute exactly as one query per key does', () => {
    const s = emailSetup({});
    const now = s.clock.now();
    const a = sentProbe(s, { submittedAt: now, messageId: '<A.one@example.net>' });
    const b = sentProbe(s, { submittedAt: now });
    // Two probes with the same Message-ID in different case: the older wins either way.
    const c1 = sentProbe(s, { submittedAt: now, messageId: '<Dup@example.net>' });
    sentProbe(s, { submittedAt: now, messageId: '<dup@EXAMPLE.net>' });
    const patterns = tokenPatterns(s.loaded);
    const f = (recipients: string[], inReplyTo: string[] = [], references: string[] = []) => ({ recipients, inReplyTo, references, from: 'x@y.z', occurredAt: now });
    const batch = [
      f([`jordan+${b.token}@example.net`]),
      f([`JORDAN+${b.token.toUpperCase()}@example.net`.toLowerCase()]),
      f(['jordan@example.net'], ['<a.ONE@example.net>']),
      f(['jordan@example.net'], [], ['<x@y>', '<dup@example.net>']),
      f(['jordan+zzzz9999@example.net']),
      f(['jordan@example.net']),
      f([`jordan+${a.token}@example.net`], [`<dup@example.net>`]),
    ];
    const lookups = batchLookups(s.store, batch, patterns);
    const summary = (r: ReturnType<typeof attributeExact>) => (r ? [r.probe?.id, r.reasons.join(' ')] : null);
    for (const facts of batch) expect(summary(attributeExactWith(facts, patterns, lookups))).toEqual(summary(attributeExact(s.store, facts, patterns)));
    expect(summary(attributeExactWith(batch[3]!, patterns, lookups))?.[0]).toBe(c1.id);
    expect(batch.map((x) => mayAttributeExactly(x, patterns))).toEqual([true, true, true, true, true, false, true]);
    s.store.close();
  });
});
