// The report over a big store: 100,000 probes and 1,000,000 events. `report --format json`
// and the terminal report (the real CLI, in a fresh process each time), next to the sqlite3
// command-line tool computing the same per-site figures (response rate, SLA shares, medians,
// pass-along, follow-up, callback and answer rates, median hold) in the same run.
// Goals: ≤ 3× the sqlite3 figure and ≤ 2 s; peak RSS ≤ 400 MB.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_ENV, configYaml, generate } from './report-data.mjs';

const MAIN = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));

// The same figures as the report's per-site scorecard, in one SQL statement (simple medians
// by row number: the sqlite3 shell has no Kaplan–Meier, so the baseline is, if anything, cheaper).
const BASELINE_SQL = `
WITH agg AS (
  SELECT probe_id,
    MIN(CASE WHEN kind IN ('auto-ack','human-reply','sms-reply','callback','stop-request') THEN occurred_at END) AS fr,
    MIN(CASE WHEN kind IN ('human-reply','sms-reply','callback') THEN occurred_at END) AS fh,
    MIN(CASE WHEN kind = 'callback' THEN occurred_at END) AS cb,
    MAX(pass_along AND kind IN ('human-reply','sms-reply','callback')) AS pa,
    MAX(follow_up) AS fu
  FROM events WHERE probe_id IS NOT NULL AND attribution IN ('exact','likely') GROUP BY probe_id),
calls AS (
  SELECT probe_id, json_extract(details, '$.reached') AS reached, json_extract(details, '$.secondsOnHold') AS hold,
         json_extract(details, '$.secondsToAnswer') AS ans, json_extract(details, '$.gaveUp') AS gave_up
  FROM events WHERE kind = 'call' AND probe_id IS NOT NULL AND attribution IN ('exact','likely')),
pp AS MATERIALIZED (
  SELECT p.site_id, p.channel, p.shopper_phone IS NOT NULL AS cbx, a.fr - p.submitted_at AS dfr, a.fh - p.submitted_at AS dfh,
         a.cb - p.submitted_at AS dcb, a.pa, a.fu, c.reached, c.hold, c.ans, c.gave_up
  FROM probes p LEFT JOIN agg a ON a.probe_id = p.id LEFT JOIN calls c ON c.probe_id = p.id
  WHERE p.status = 'submitted'),
med AS (SELECT site_id, dfr, ROW_NUMBER() OVER (PARTITION BY site_id ORDER BY dfr) AS rn, COUNT(*) OVER (PARTITION BY site_id) AS n
  FROM pp WHERE channel != 'phone' AND dfr IS NOT NULL),
hold AS (SELECT site_id, hold, ROW_NUMBER() OVER (PARTITION BY site_id ORDER BY hold) AS rn, COUNT(*) OVER (PARTITION BY site_id) AS n
  FROM pp WHERE channel = 'phone' AND hold IS NOT NULL),
medp AS (SELECT site_id, MAX(CASE WHEN rn = (n + 1) / 2 THEN dfr END) AS median_first_response,
  MAX(CASE WHEN rn = (n * 9 + 9) / 10 THEN dfr END) AS p90_first_response FROM med GROUP BY site_id),
holdp AS (SELECT site_id, MAX(CASE WHEN rn = (n + 1) / 2 THEN hold END) AS median_hold FROM hold GROUP BY site_id),
figures AS (SELECT site_id, COUNT(*) AS probes,
  AVG(CASE WHEN channel != 'phone' THEN dfr IS NOT NULL END) AS response_rate,
  AVG(CASE WHEN channel != 'phone' THEN COALESCE(dfr <= 3600000, 0) END) AS within_first_sla,
  AVG(CASE WHEN channel != 'phone' THEN COALESCE(dfh <= 86400000, 0) END) AS within_human_sla,
  AVG(CASE WHEN dfh IS NOT NULL THEN pa END) AS pass_along_rate,
  AVG(CASE WHEN dfh IS NOT NULL THEN fu END) AS follow_up_rate,
  AVG(CASE WHEN cbx THEN dcb IS NOT NULL END) AS callback_rate,
  AVG(CASE WHEN channel = 'phone' THEN COALESCE(reached, 0) END) AS answer_rate,
  AVG(CASE WHEN reached THEN gave_up END) AS gave_up_rate
  FROM pp GROUP BY site_id)
SELECT f.*, m.median_first_response, m.p90_first_response, h.median_hold
FROM figures f LEFT JOIN medp m USING (site_id) LEFT JOIN holdp h USING (site_id) ORDER BY f.site_id;`;

// Runs the real CLI in a fresh process and reports its peak RSS (the figure a CI box sees).
const CHILD = `
const { runCli } = await import(${JSON.stringify(MAIN)});
const sink = { write: () => true, isTTY: false };
const code = await runCli(['node', 'respond-audit', 'report', process.argv[1], '--format', process.argv[2]], { stdout: sink, stderr: process.stderr, env: { NO_COLOR: '1', ...JSON.parse(process.argv[3]) }, cwd: process.cwd() });
const u = process.resourceUsage();
process.stderr.write('RSS ' + u.maxRSS + ' CPU ' + (u.userCPUTime + u.systemCPUTime) / 1000 + ' CODE ' + code + '\\n');`;

// CPU seconds too: on a shared CI box (or our 2 cores shared with other jobs) wall time
// mostly measures the neighbours; CPU time of both sides stays comparable.
const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

function timed(cmd, args, opts = {}) {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28, ...opts });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { ms, stdout: r.stdout, stderr: r.stderr };
}

function medianOf(n, fn) {
  const rows = Array.from({ length: n }, fn).sort((a, b) => a.ms - b.ms);
  return rows[Math.floor(n / 2)];
}

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'respond-audit-bench-'));
  try {
    mkdirSync(join(dir, 'probes'));
    writeFileSync(join(dir, 'probes/new-inquiry.yaml'), 'subject: "Question about {serviceLine.name}"\nvariants:\n  - "Hello, an appointment for {serviceLine.name} please. {shopper.name}"\n');
    writeFileSync(join(dir, 'audit.yaml'), configYaml('bench.db'));
    const t = Date.now();
    const g = generate(join(dir, 'bench.db'), { now: Date.now() });
    process.stderr.write(`  generated ${g.probes} probes, ${g.events} events in ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
    const db = join(dir, 'bench.db');
    timed('sqlite3', [db, 'SELECT COUNT(*) FROM events']); // warm the page cache
    const base = medianOf(3, () =>
      GNU_TIME ? timed(GNU_TIME, ['-f', 'CPU %U %S', 'sqlite3', '-json', db], { input: BASELINE_SQL }) : timed('sqlite3', ['-json', db], { input: BASELINE_SQL }),
    );
    const cpuOf = (stderr) => {
      const m = /CPU ([\d.]+) ([\d.]+)/.exec(stderr);
      return m ? (Number(m[1]) + Number(m[2])) * 1000 : /CPU ([\d.]+)/.exec(stderr) ? Number(/CPU ([\d.]+)/.exec(stderr)[1]) : null;
    };
    const baseCpu = cpuOf(base.stderr);
    const rows = [];
    for (const format of ['json', 'terminal']) {
      const r = medianOf(3, () => timed(process.execPath, ['--input-type=module', '-e', CHILD, join(dir, 'audit.yaml'), format, JSON.stringify(BENCH_ENV)], { cwd: dir }));
      const code = /CODE (\d+)/.exec(r.stderr)?.[1];
      if (code !== '0' && code !== '1') throw new Error(`report exited ${code}: ${r.stderr.slice(0, 2000)}`);
      const rss = Number(/RSS (\d+)/.exec(r.stderr)?.[1] ?? 0) / 1024;
      const cpu = cpuOf(r.stderr);
      rows.push(
        { metric: `report --format ${format} (100k probes, 1M events; median of 3), wall`, value: r.ms, unit: 'ms', baseline: base.ms, ratio: r.ms / base.ms, goal: '≤ 3× sqlite3 and ≤ 2000 ms' },
        ...(cpu !== null && baseCpu !== null ? [{ metric: `report --format ${format}, CPU (user+sys)`, value: cpu, unit: 'ms', baseline: baseCpu, ratio: cpu / baseCpu, goal: '≤ 3× sqlite3' }] : []),
        { metric: `report --format ${format} peak RSS`, value: rss, unit: 'MB', goal: '≤ 400 MB' },
      );
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
