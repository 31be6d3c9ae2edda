// Generates a large store for the report benchmark: N probes and about 10·N events (with one
// observation each), shaped like the demo organization (sites × service lines × channels,
// runs every night, auto-acks, human replies, callbacks, follow-ups, test calls). Written in
// one transaction with prepared statements, from a seeded generator so runs are comparable.
import Database from 'better-sqlite3';
import { Store } from '../dist/store/store.js';

export const SITES = 40;
export const LINES = ['ortho', 'cardio', 'derm', 'peds', 'onc'];
export const CHANNELS = ['webform', 'email', 'phone', 'sms'];
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A config YAML describing the generated organization (for `report <config>`; needs BENCH_ENV). */
export const BENCH_ENV = { BENCH_TWILIO_SID: 'ACbench0000', BENCH_TWILIO_TOKEN: 'bench-token-0000' };

export function configYaml(storeFile) {
  const lines = [
    'version: 1',
    'organization: Bench Health',
    'shopper:',
    '  name: Jordan Avery',
    '  email: jordan+{token}@example.net',
    '  phones: ["+13125550101"]',
    'channels:',
    '  browser: {}',
    '  smtp:',
    '    host: smtp.example.net',
    '  twilio:',
    '    accountSid: ${BENCH_TWILIO_SID}',
    '    authToken: ${BENCH_TWILIO_TOKEN}',
    'campaign:',
    '  name: Spring Knee Check',
    '  keywords: [knee]',
    'store:',
    `  path: ${JSON.stringify(storeFile)}`,
    'probes:',
    '  dir: probes',
    'sites:',
  ];
  for (let s = 0; s < SITES; s++) {
    lines.push(`  - id: site${s}`, `    name: Site ${s}`, `    region: R${s % 4}`, `    unit: U${s % 3}`, '    serviceLines:');
    for (const l of LINES) {
      lines.push(`      - id: ${l}`, `        name: ${l[0].toUpperCase()}${l.slice(1)}`, '        entryPoints:');
      lines.push(`          - type: webform`, `            url: https://site${s}.example.org/${l}`);
      lines.push(`          - type: email`, `            to: ${l}@site${s}.example.org`);
      lines.push(`          - type: phone`, `            number: "+1312555${String(1000 + s).slice(-4)}"`);
      lines.push(`          - type: sms`, `            number: "+1312556${String(1000 + s).slice(-4)}"`);
    }
  }
  return lines.join('\n') + '\n';
}

/** Fills `path` with `probes` probes and about `eventsPerProbe`·probes events. Returns counts and `now`. */
export function generate(path, { probes = 100_000, eventsPerProbe = 10, now = Date.UTC(2027, 5, 1), runs = 100 } = {}) {
  // The Store creates and migrates the file; the bulk rows then go in over a connection of
  // our own (a benchmark fixture, written the fastest way, not the program's way in).
  new Store(path, { now: () => now }).close();
  const db = new Database(path);
  db.pragma('temp_store = MEMORY');
  db.pragma('synchronous = OFF');
  const rand = rng(42);
  const insRun = db.prepare("INSERT INTO runs (id, kind, config_path, started_at, finished_at, status) VALUES (?, 'run', 'bench.yaml', ?, ?, 'finished')");
  const insProbe = db.prepare(
    `INSERT INTO probes (id, token, run_id, entry_key, site_id, service_line_id, entry_point_id, channel, target, status, outcome,
       planned_at, submitting_at, submitted_at, closes_at, shopper_phone) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insObs = db.prepare('INSERT INTO observations (id, source, source_id, occurred_at, time_source, collected_at, sender, subject, excerpt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const insEvent = db.prepare(
    `INSERT INTO events (id, observation_id, probe_id, kind, attribution, occurred_at, pass_along, campaign_aware, follow_up, reasons, details)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  let nEvents = 0;
  const event = (probeId, kind, at, { attribution = 'exact', passAlong = 0, campaign = 0, followUp = 0, details = '{}' } = {}) => {
    nEvents++;
    const source = kind === 'call' ? 'twilio-call' : kind === 'callback' ? 'twilio-call' : kind === 'sms-reply' ? 'twilio-sms' : 'imap';
    const excerpt = nEvents % 10 === 0 ? 'Thanks for reaching out, we have availability next week. Best regards, Pat' : null;
    at = Math.round(at);
    insObs.run(nEvents, source, `bench-${nEvents}`, at, 'internaldate', at, kind === 'call' ? null : 'front@site.example.org', null, excerpt);
    insEvent.run(nEvents, nEvents, probeId, kind, attribution, at, passAlong, campaign, followUp, '[]', details);
  };
  const span = 120 * DAY;
  const start = now - span;
  const fill = db.transaction(() => {
    for (let r = 1; r <= runs; r++) insRun.run(r, start + ((r - 1) * span) / runs, start + ((r - 1) * span) / runs + HOUR);
    for (let id = 1; id <= probes; id++) {
      const run = 1 + Math.floor(((id - 1) * runs) / probes);
      const site = Math.floor(rand() * SITES);
      const line = LINES[Math.floor(rand() * LINES.length)];
      const channel = CHANNELS[Math.floor(rand() * CHANNELS.length)];
      const sent = Math.round(start + ((run - 1) * span) / runs + rand() * HOUR);
      const x = rand();
      const status = x < 0.02 ? 'not-sent' : x < 0.03 ? 'unknown' : 'submitted';
      const phone = channel === 'webform' && rand() < 0.6 ? '+13125550101' : null;
      insProbe.run(
        id, `tok${id}`, run, `site${site}/${line}/${channel}`, `site${site}`, line, channel, channel, 'target', status,
        status === 'not-sent' ? 'blocked' : status === 'unknown' ? 'timeout' : 'submitted',
        sent, sent, status === 'submitted' ? sent : null, sent + 7 * DAY, phone,
      );
      if (status !== 'submitted') continue;
      const quality = (site % 5) / 5; // some sites are better than others
      if (channel === 'phone') {
        const reached = rand() < 0.6 + quality * 0.35;
        const hold = reached ? Math.floor(rand() * 400) : null;
        const gaveUp = reached && hold > 180;
        event(id, 'call', sent, {
          details: JSON.stringify({
            reached, status: reached ? 'completed' : 'no-answer', answeredBy: reached ? 'human' : 'unknown',
            secondsToAnswer: reached ? Math.floor(rand() * 40) : null, secondsToHuman: reached && !gaveUp ? hold : null,
            secondsOnHold: hold, gaveUp, ivrTranscript: null, ivrExpected: ['spring knee'], ivrHeard: [],
            ivrCampaignReady: reached ? rand() < 0.5 : null, recorded: false, recordingPending: false,
          }),
        });
      } else {
        if (rand() < 0.75) event(id, 'auto-ack', sent + 60_000 + rand() * 5 * 60_000);
        const human = rand() < 0.5 + quality * 0.45;
        let t = sent + Math.exp(rand() * 5) * HOUR * 0.5;
        if (human) {
          const replies = 1 + Math.floor(rand() * 10);
          for (let k = 0; k < replies; k++) {
            event(id, channel === 'sms' ? 'sms-reply' : 'human-reply', t, {
              passAlong: rand() < 0.2 ? 1 : 0, campaign: rand() < 0.4 ? 1 : 0, followUp: k > 0 && rand() < 0.5 ? 1 : 0,
            });
            t += rand() * 2 * DAY;
          }
        }
        if (phone && rand() < 0.5) event(id, 'callback', sent + rand() * 2 * DAY, { details: '{"voicemail":false}' });
      }
    }
    // The rest: messages nobody could attribute (newsletters, other people's threads).
    let obsId = nEvents;
    const target = probes * eventsPerProbe;
    while (nEvents < target) {
      nEvents++;
      obsId++;
      const at = Math.round(start + rand() * span);
      insObs.run(obsId, 'imap', `bench-${obsId}`, at, 'internaldate', at, 'news@example.com', 'News', null);
      insEvent.run(nEvents, obsId, null, 'unattributed', 'none', at, 0, 0, 0, '[]', '{}');
    }
  });
  fill();
  db.pragma('synchronous = NORMAL');
  db.exec('ANALYZE');
  db.close();
  return { probes, events: nEvents, now };
}
