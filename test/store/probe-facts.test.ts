// better-sqlite3 directly, not through Store: writes a store at an old schema for the migration to fill (fault injection).
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { setEventFollowUp } from '../../src/store/imap-queries.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { probeFacts, type ProbeFacts } from '../../src/store/report-queries.js';
import { Store } from '../../src/store/store.js';
import type { EventKind } from '../../src/store/types.js';
import { tempTree } from '../helpers/tmp.js';
import { rawDb } from '../helpers/raw-store.js';

// The report reads each probe's events as summed by the triggers of migration 2
// (probe_facts). These tests hold that table to the events themselves: after any mix of
// inserts, upserts that re-attribute or change an event, follow-up flags recomputed, call
// details completed (a recording arriving) and deletes, probeFacts() must equal the facts
// summed straight from the events (the query the report ran before probe_facts existed).

const RESPONSE = ['auto-ack', 'human-reply', 'sms-reply', 'callback', 'stop-request'];
const HUMAN = ['human-reply', 'sms-reply', 'callback'];

/** The facts summed from the events table directly (the report's queries before migration 2). */
function factsFromEvents(store: Store): ProbeFacts[] {
  const base = probeFacts(store).map((f) => ({
    ...f,
    firstResponseAt: null,
    firstHumanAt: null,
    firstCallbackAt: null,
    callbackVoicemail: false,
    passAlong: false,
    followUpAt: null,
    campaignAware: false,
    bounced: false,
    stopRequested: false,
    call: null,
  })) as ProbeFacts[];
  const byId = new Map(base.map((f) => [f.id, f]));
  const inList = (l: string[]) => `(${l.map((k) => `'${k}'`).join(', ')})`;
  const sums = rawDb(store)
    .prepare(
      `SELECT probe_id,
        MIN(CASE WHEN kind IN ${inList(RESPONSE)} THEN occurred_at END),
        MIN(CASE WHEN kind IN ${inList(HUMAN)} THEN occurred_at END),
        MIN(CASE WHEN kind = 'callback' THEN occurred_at END),
        MAX(CASE WHEN kind = 'callback' THEN COALESCE(json_extract(details, '$.voicemail'), 0) ELSE 0 END),
        MAX(pass_along AND kind IN ${inList(HUMAN)}),
        MIN(CASE WHEN follow_up = 1 THEN occurred_at END),
        MAX(campaign_aware AND kind IN ${inList(HUMAN)}),
        MAX(kind = 'bounce'), MAX(kind = 'stop-request')
      FROM events WHERE probe_id IS NOT NULL AND attribution IN ('exact', 'likely') GROUP BY probe_id`,
    )
    .raw()
    .all() as unknown[][];
  for (const r of sums) {
    const f = byId.get(r[0] as number);
    if (!f) continue;
    Object.assign(f, {
      firstResponseAt: r[1], firstHumanAt: r[2], firstCallbackAt: r[3], callbackVoicemail: r[4] === 1, passAlong: r[5] === 1,
      followUpAt: r[6], campaignAware: r[7] === 1, bounced: r[8] === 1, stopRequested: r[9] === 1,
    });
  }
  const calls = rawDb(store)
    .prepare(
      `SELECT probe_id, occurred_at, json_extract(details, '$.reached'), json_extract(details, '$.status'), json_extract(details, '$.answeredBy'),
        json_extract(details, '$.secondsToAnswer'), json_extract(details, '$.secondsToHuman'), json_extract(details, '$.secondsOnHold'),
        json_extract(details, '$.gaveUp'), json_extract(details, '$.ivrCampaignReady'), json_array_length(details, '$.ivrExpected'),
        json_extract(details, '$.recorded')
      FROM events WHERE kind = 'call' AND probe_id IS NOT NULL AND attribution IN ('exact', 'likely') ORDER BY probe_id, occurred_at, id`,
    )
    .raw()
    .all() as unknown[][];
  for (const r of calls) {
    const f = byId.get(r[0] as number);
    if (!f) continue;
    f.call = {
      at: r[1] as number, reached: r[2] === 1, status: r[3] as string | null, answeredBy: r[4] as string | null,
      secondsToAnswer: r[5] as number | null, secondsToHuman: r[6] as number | null, secondsOnHold: r[7] as number | null,
      gaveUp: r[8] === 1, ivrCampaignReady: r[9] === null ? null : r[9] === 1, ivrExpected: (r[10] as number | null) ?? 0, recorded: r[11] === 1,
    };
  }
  return base;
}

function seeded(seed: number) {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x80000000);
}

const KINDS: EventKind[] = ['auto-ack', 'human-reply', 'sms-reply', 'callback', 'stop-request', 'bounce', 'call', 'unattributed'];
const ATTRIBUTIONS = ['exact', 'likely', 'ambiguous', 'none'] as const;

function fill(s: Store, rand: () => number, probes: number): number[] {
  const run = s.startRun('run', 'x.yaml');
  const ids: number[] = [];
  for (let i = 0; i < probes; i++) {
    const channel = ['webform', 'email', 'phone', 'sms'][i % 4]!;
    const p = s.createProbe({ token: `t${i}`, runId: run, entryKey: `a/b/${channel}`, siteId: 'a', serviceLineId: 'b', entryPointId: channel, channel, target: 'x', shopperPhone: i % 3 ? '+13125550101' : null });
    s.updateProbe(p.id, { status: 'submitted', submittedAt: 1_000_000 + i });
    ids.push(p.id);
  }
  return ids;
}

function randomEvent(rand: () => number, probeIds: number[]) {
  const pick = <T>(l: readonly T[]) => l[Math.floor(rand() * l.length)]!;
  const kind = pick(KINDS);
  const details =
    kind === 'call'
      ? { reached: rand() < 0.6, status: pick(['completed', 'no-answer', 'busy']), answeredBy: pick(['human', 'machine', 'unknown']), secondsToAnswer: Math.floor(rand() * 40), secondsToHuman: rand() < 0.5 ? null : 12, secondsOnHold: rand() < 0.3 ? null : Math.floor(rand() * 400), gaveUp: rand() < 0.2, ivrCampaignReady: pick([true, false, null]), ivrExpected: ['spring knee'], ivrHeard: [], recorded: rand() < 0.5, recordingPending: rand() < 0.5 }
      : kind === 'callback'
        ? { voicemail: rand() < 0.5 }
        : {};
  return {
    probeId: kind === 'unattributed' || rand() < 0.1 ? null : pick(probeIds),
    kind,
    attribution: pick(ATTRIBUTIONS),
    // Few distinct times, so ties (same time, different ids) are exercised too.
    occurredAt: 2_000_000 + Math.floor(rand() * 20) * 1000,
    passAlong: rand() < 0.3,
    campaignAware: rand() < 0.3,
    followUp: rand() < 0.3,
    details,
  };
}

/**
 * One random change to the events: a new observation with an event (returns its id), the same
 * observation and kind again (ON CONFLICT DO UPDATE: re-attribution, new flags), a follow-up
 * flag, a call's details completed in place (a recording arriving), or a delete.
 */
function randomChange(s: Store, rand: () => number, probeIds: number[], sourceId: string, mustInsert: boolean): number | null {
  const op = rand();
  if (op < 0.45 || mustInsert) {
    const o = s.addObservation({ source: 'imap', sourceId, occurredAt: 1, timeSource: 'internaldate' });
    s.upsertEvent({ observationId: o.id, ...randomEvent(rand, probeIds) });
    return o.id;
  }
  if (op < 0.7) {
    const row = rawDb(s).prepare('SELECT observation_id AS o, kind FROM events ORDER BY random() LIMIT 1').get() as { o: number; kind: EventKind } | undefined;
    if (row) s.upsertEvent({ observationId: row.o, ...randomEvent(rand, probeIds), kind: row.kind });
  } else if (op < 0.8) {
    const row = rawDb(s).prepare('SELECT id FROM events ORDER BY random() LIMIT 1').get() as { id: number } | undefined;
    if (row) setEventFollowUp(s, row.id, rand() < 0.5);
  } else if (op < 0.9) {
    const row = rawDb(s).prepare("SELECT id FROM events WHERE kind = 'call' ORDER BY random() LIMIT 1").get() as { id: number } | undefined;
    if (row) rawDb(s).prepare("UPDATE events SET details = json_set(details, '$.recorded', json('true'), '$.recordingPending', json('false'), '$.secondsOnHold', ?) WHERE id = ?").run(Math.floor(rand() * 100), row.id);
  } else rawDb(s).prepare('DELETE FROM events WHERE id = (SELECT id FROM events ORDER BY random() LIMIT 1)').run();
  return null;
}

describe('probe_facts (migrations 2 and 4)', () => {
  it('equals the facts summed from the events after random inserts, upserts, follow-ups, call updates and deletes', () => {
    const rand = seeded(11);
    const s = new Store(join(tempTree(), 'facts.db'), fixedClock(3_000_000));
    const probeIds = fill(s, rand, 30);
    const observations: number[] = [];
    for (let step = 0; step < 1500; step++) {
      const o = randomChange(s, rand, probeIds, `m${step}`, observations.length < 5);
      if (o !== null) observations.push(o);
      if (step % 100 === 99) expect(probeFacts(s)).toEqual(factsFromEvents(s));
    }
    expect(probeFacts(s)).toEqual(factsFromEvents(s));
    expect(probeFacts(s, { runIds: [1] })).toEqual(factsFromEvents(s));
    s.close();
  });

  it('inside Store.batch (migration 4) ends up equal to the events too; a failed batch leaves nothing deferred', () => {
    const rand = seeded(23);
    const s = new Store(join(tempTree(), 'batch.db'), fixedClock(3_000_000));
    const probeIds = fill(s, rand, 20);
    const observations: number[] = [];
    const deferred = () => (rawDb(s).prepare('SELECT (SELECT COUNT(*) FROM facts_deferred) + (SELECT COUNT(*) FROM facts_stale) AS n').get() as { n: number }).n;
    for (let round = 0; round < 40; round++) {
      const before = probeFacts(s);
      const failing = round % 7 === 3;
      const attempt = () =>
        s.batch(() => {
          for (let k = 0; k < 25; k++) {
            const o = randomChange(s, rand, probeIds, `b${round}.${k}`, observations.length < 5);
            if (o !== null && !failing) observations.push(o);
            // Inside the batch the triggers only note probes.
            expect(deferred()).toBeGreaterThan(0);
          }
          if (failing) throw new Error('crash inside the batch');
        });
      if (failing) {
        expect(attempt).toThrow('crash inside the batch');
        expect(probeFacts(s)).toEqual(before);
      } else attempt();
      expect(deferred()).toBe(0);
      expect(probeFacts(s)).toEqual(factsFromEvents(s));
    }
    // Writes outside a batch (any other writer) still refresh at once.
    const o = s.addObservation({ source: 'imap', sourceId: 'after', occurredAt: 1, timeSource: 'internaldate' });
    s.upsertEvent({ observationId: o.id, probeId: probeIds[0]!, kind: 'human-reply', attribution: 'exact', occurredAt: 1_500_000 });
    expect(probeFacts(s).find((f) => f.id === probeIds[0])?.firstHumanAt).toBe(1_500_000);
    expect(probeFacts(s)).toEqual(factsFromEvents(s));
    // A batch inside a batch (or a transaction) is part of the outer one.
    s.batch(() => s.batch(() => s.upsertEvent({ observationId: o.id, probeId: probeIds[1]!, kind: 'auto-ack', attribution: 'exact', occurredAt: 1_400_000 })));
    expect(deferred()).toBe(0);
    expect(probeFacts(s)).toEqual(factsFromEvents(s));
    s.close();
  });

  it('is filled from the events already in a store written before it existed', () => {
    const path = join(tempTree(), 'old.db');
    const raw = new Database(path);
    raw.exec(MIGRATIONS[0]!);
    raw.pragma('user_version = 1');
    raw.close();
    // A store at schema 1: events written with the triggers absent.
    const old = new Database(path);
    const rand = seeded(5);
    old.prepare("INSERT INTO runs (id, kind, config_path, started_at) VALUES (1, 'run', 'x', 0)").run();
    for (let i = 1; i <= 20; i++)
      old.prepare("INSERT INTO probes (id, token, run_id, entry_key, site_id, service_line_id, entry_point_id, channel, target, status, planned_at, submitted_at) VALUES (?, ?, 1, 'a/b/phone', 'a', 'b', 'phone', 'phone', 'x', 'submitted', 0, ?)").run(i, `t${i}`, 1000 + i);
    for (let i = 1; i <= 300; i++) {
      const e = randomEvent(rand, Array.from({ length: 20 }, (_, k) => k + 1));
      old.prepare("INSERT INTO observations (id, source, source_id, occurred_at, time_source, collected_at) VALUES (?, 'imap', ?, 1, 'internaldate', 1)").run(i, `o${i}`);
      old.prepare('INSERT INTO events (observation_id, probe_id, kind, attribution, occurred_at, pass_along, campaign_aware, follow_up, reasons, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(i, e.probeId, e.kind, e.attribution, e.occurredAt, e.passAlong ? 1 : 0, e.campaignAware ? 1 : 0, e.followUp ? 1 : 0, '[]', JSON.stringify(e.details));
    }
    old.close();
    const s = new Store(path);
    expect(rawDb(s).pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    const facts = probeFacts(s);
    expect(facts.some((f) => f.call !== null) && facts.some((f) => f.firstResponseAt !== null)).toBe(true);
    expect(facts).toEqual(factsFromEvents(s));
    s.close();
  });
});
