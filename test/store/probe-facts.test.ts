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
import { rawSql } from '../helpers/raw-store.js';
import { useStoreBackends } from '../helpers/store-backends.js';
import { PG_MIGRATIONS } from '../../src/store/migrations-pg.js';

// The report reads each probe's events as summed by the triggers of migration 2
// (probe_facts). These tests hold that table to the events themselves: after any mix of
// inserts, upserts that re-attribute or change an event, follow-up flags recomputed, call
// details completed (a recording arriving) and deletes, probeFacts() must equal the facts
// summed straight from the events (the query the report ran before probe_facts existed).

const RESPONSE = ['auto-ack', 'human-reply', 'sms-reply', 'callback', 'stop-request'];
const HUMAN = ['human-reply', 'sms-reply', 'callback'];

/**
 * The facts summed from the events themselves, in JavaScript (what the report's queries did
 * before migration 2, with SQLite's json_extract reading of true as 1): an oracle that shares
 * no SQL with either engine's triggers.
 */
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
  const scored = store.listEvents().filter((e) => e.probeId !== null && (e.attribution === 'exact' || e.attribution === 'likely'));
  const min = (l: number[]) => (l.length ? Math.min(...l) : null);
  const truthy = (v: unknown) => v === true || (typeof v === 'number' && v !== 0);
  for (const f of byId.values()) {
    const ev = scored.filter((e) => e.probeId === f.id);
    if (!ev.length) continue;
    const human = ev.filter((e) => HUMAN.includes(e.kind));
    Object.assign(f, {
      firstResponseAt: min(ev.filter((e) => RESPONSE.includes(e.kind)).map((e) => e.occurredAt)),
      firstHumanAt: min(human.map((e) => e.occurredAt)),
      firstCallbackAt: min(ev.filter((e) => e.kind === 'callback').map((e) => e.occurredAt)),
      callbackVoicemail: ev.some((e) => e.kind === 'callback' && truthy(e.details['voicemail'])),
      passAlong: human.some((e) => e.passAlong),
      followUpAt: min(ev.filter((e) => e.followUp).map((e) => e.occurredAt)),
      campaignAware: human.some((e) => e.campaignAware),
      bounced: ev.some((e) => e.kind === 'bounce'),
      stopRequested: ev.some((e) => e.kind === 'stop-request'),
    });
    const call = ev.filter((e) => e.kind === 'call').sort((a, b) => b.occurredAt - a.occurredAt || b.id - a.id)[0];
    if (!call) continue;
    const d = call.details;
    const num = (v: unknown) => (typeof v === 'number' ? v : null);
    f.call = {
      at: call.occurredAt, reached: truthy(d['reached']), status: (d['status'] as string | undefined) ?? null, answeredBy: (d['answeredBy'] as string | undefined) ?? null,
      secondsToAnswer: num(d['secondsToAnswer']), secondsToHuman: num(d['secondsToHuman']), secondsOnHold: num(d['secondsOnHold']),
      gaveUp: truthy(d['gaveUp']), ivrCampaignReady: d['ivrCampaignReady'] === null || d['ivrCampaignReady'] === undefined ? null : truthy(d['ivrCampaignReady']),
      ivrExpected: Array.isArray(d['ivrExpected']) ? d['ivrExpected'].length : 0, recorded: truthy(d['recorded']),
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
    const row = rawSql(s).get<{ o: number; kind: EventKind }>('SELECT observation_id AS o, kind FROM events ORDER BY random() LIMIT 1');
    if (row) s.upsertEvent({ observationId: row.o, ...randomEvent(rand, probeIds), kind: row.kind });
  } else if (op < 0.8) {
    const row = rawSql(s).get<{ id: number }>('SELECT id FROM events ORDER BY random() LIMIT 1');
    if (row) setEventFollowUp(s, row.id, rand() < 0.5);
  } else if (op < 0.9) {
    // A tool editing the details in place (the triggers must follow any writer).
    const row = rawSql(s).get<{ id: number; details: string }>("SELECT id, details FROM events WHERE kind = 'call' ORDER BY random() LIMIT 1");
    if (row) {
      const details = { ...JSON.parse(row.details), recorded: true, recordingPending: false, secondsOnHold: Math.floor(rand() * 100) };
      rawSql(s).run('UPDATE events SET details = ? WHERE id = ?', JSON.stringify(details), row.id);
    }
  } else rawSql(s).run('DELETE FROM events WHERE id = (SELECT id FROM events ORDER BY random() LIMIT 1)');
  return null;
}

const backends = useStoreBackends();

/** Statements with literal values, for a store written without Store (an old schema). */
const lit = (v: unknown) => (v === null || v === undefined ? 'NULL' : typeof v === 'number' ? String(v) : `'${String(v).replace(/'/g, "''")}'`);

describe.each(backends)('probe_facts (migrations 2 and 4) on $name', ({ name, fresh, cluster }) => {
  it('equals the facts summed from the events after random inserts, upserts, follow-ups, call updates and deletes', () => {
    const rand = seeded(11);
    const s = new Store(fresh(), fixedClock(3_000_000));
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
    const s = new Store(fresh(), fixedClock(3_000_000));
    const probeIds = fill(s, rand, 20);
    const observations: number[] = [];
    const deferred = () => rawSql(s).get<{ n: number }>('SELECT (SELECT COUNT(*) FROM facts_deferred) + (SELECT COUNT(*) FROM facts_stale) AS n')!.n;
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
    // A store at schema 1: events written with the triggers absent.
    const rand = seeded(5);
    const stmts: string[] = ["INSERT INTO runs (id, kind, config_path, started_at) VALUES (1, 'run', 'x', 0)"];
    for (let i = 1; i <= 20; i++)
      stmts.push(`INSERT INTO probes (id, token, run_id, entry_key, site_id, service_line_id, entry_point_id, channel, target, status, planned_at, submitted_at) VALUES (${i}, 't${i}', 1, 'a/b/phone', 'a', 'b', 'phone', 'phone', 'x', 'submitted', 0, ${1000 + i})`);
    for (let i = 1; i <= 300; i++) {
      const e = randomEvent(rand, Array.from({ length: 20 }, (_, k) => k + 1));
      stmts.push(`INSERT INTO observations (id, source, source_id, occurred_at, time_source, collected_at) VALUES (${i}, 'imap', 'o${i}', 1, 'internaldate', 1)`);
      stmts.push(`INSERT INTO events (observation_id, probe_id, kind, attribution, occurred_at, pass_along, campaign_aware, follow_up, reasons, details) VALUES (${[i, e.probeId, e.kind, e.attribution, e.occurredAt, e.passAlong ? 1 : 0, e.campaignAware ? 1 : 0, e.followUp ? 1 : 0, '[]', JSON.stringify(e.details)].map(lit).join(', ')})`);
    }
    const path = fresh();
    if (name === 'sqlite') {
      const old = new Database(path);
      old.exec(MIGRATIONS[0]!);
      old.pragma('user_version = 1');
      old.exec(stmts.join(';\n'));
      old.close();
    } else {
      const db = new URL(path).pathname.slice(1);
      cluster().psql(db, `${PG_MIGRATIONS[0]!} CREATE TABLE schema_version (one INTEGER PRIMARY KEY, version INTEGER NOT NULL); INSERT INTO schema_version VALUES (1, 1); ${stmts.join(';\n')}`);
    }
    const s = new Store(path);
    expect(s.schemaBehind()).toBe(false);
    const facts = probeFacts(s);
    expect(facts.some((f) => f.call !== null) && facts.some((f) => f.firstResponseAt !== null)).toBe(true);
    expect(facts).toEqual(factsFromEvents(s));
    s.close();
  });
});
