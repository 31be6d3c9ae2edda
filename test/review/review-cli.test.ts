/**
 * Review and reclassify end to end on loopback: `run --only email` sends through the sandbox
 * intake, the front desk answers into the shopper's Dovecot mailbox, `collect` stores and
 * classifies the replies (keeping their header blocks and text parts), then `review set`
 * corrects a verdict, `report` scores it, and `reclassify` runs the classifier again over the
 * kept mail with the correction standing. All through the CLI against the real SQLite store.
 */
// better-sqlite3 directly, not through Store: snapshots the file, and rewrites rows as an older classifier left them (fault injection).
import Database from 'better-sqlite3';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { systemClock } from '../../src/clock.js';
import { FrontDesk } from '../../src/sandbox/frontdesk.js';
import { startMailIntake } from '../../src/sandbox/mail.js';
import { imapAppendWriter } from '../../src/sandbox/mailbox-writer.js';
import { emailSetup, replyEml } from '../email/setup.js';
import { cli } from '../helpers/cli.js';
import { useDovecot } from '../helpers/dovecot.js';

const dovecot = useDovecot();

interface Item {
  eventId: number;
  kind: string;
  probe: { token: string; entryKey: string } | null;
  correction: { action: string; kind: string | null; note: string | null; reviewer: string | null } | null;
  reclassifiable: boolean;
  text: string;
}

/** A project after `run` and `collect`: north/ortho answered by a person, south/ortho by an autoresponder then a person. */
async function collected() {
  const u = dovecot.freshUser();
  const writer = imapAppendWriter({ host: dovecot.server.host, port: dovecot.server.imapPort, user: u.user, pass: u.pass });
  const desk = new FrontDesk({
    clock: systemClock,
    writer,
    organization: 'Lakeside Health',
    scripts: {
      'ortho@north.example.org': { from: 'Maria Lopez <ortho@north.example.org>', staff: 'Maria', replies: [{ style: 'human', after: 0 }] },
      'ortho@south.example.org': { from: 'South Ortho <ortho@south.example.org>', replies: [{ style: 'auto-ack', after: 0 }, { style: 'human', after: 0 }] },
    },
  });
  const intake = await startMailIntake({ clock: systemClock, onMessage: (m) => desk.onEmail(m) });
  const s = emailSetup({ smtp: { port: intake.port }, imap: { port: dovecot.server.imapPort, user: u.user, pass: u.pass } });
  s.store.close();
  const run = (...args: string[]) => cli(args, { cwd: s.dir, env: s.env });
  try {
    const sent = await run('run', 'configs/audit.yaml', '--only', 'email', '--json');
    expect(sent.code, sent.stderr).toBe(0);
    // A reply to the cardiology inquiry whose text tries to drive the reviewer's terminal.
    const st = JSON.parse((await run('status', '--json')).stdout) as { openProbes: Array<{ token: string; entry: string }> };
    const cardio = st.openProbes.find((p) => p.entry === 'north/cardio/email')!;
    await writer.deliver(
      replyEml({
        from: 'Cardio Desk <cardio@north.example.org>',
        to: `jordan+${cardio.token}@example.net`,
        subject: 'Re: Question about Cardiology',
        date: new Date(),
        body: 'Hi Jordan,\n\nI checked: we can see you Monday at 9 am.\u001b]0;owned\u0007\u001b[2J Does that work?\n\nAna',
      }),
      new Date(),
    );
    const col = await run('collect', '--json');
    expect(col.code, col.stderr).toBe(0);
    expect(JSON.parse(col.stdout).sources[0]).toMatchObject({ attributed: 4 });
  } finally {
    await intake.close();
    await writer.close();
  }
  // Which of these four the classifier is unsure of depends on the shipped weights (retrained
  // as the corpus grows); these tests flag verdicts themselves, so they start from none flagged.
  const db = new Database(s.loaded.storePath);
  db.prepare("UPDATE events SET needs_review = 0, details = json_set(details, '$.needsReview', json('false'))").run();
  db.close();
  return { s, run, dbPath: s.loaded.storePath };
}

async function items(run: (...a: string[]) => ReturnType<typeof cli>, ...extra: string[]): Promise<Item[]> {
  const r = await run('review', '--all', '--json', ...extra);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { items: Item[] }).items;
}

async function scorecard(run: (...a: string[]) => ReturnType<typeof cli>): Promise<Record<string, unknown>> {
  const r = await run('report', '--format', 'json');
  expect(r.code, r.stderr).toBe(0);
  const j = JSON.parse(r.stdout) as Record<string, unknown>;
  delete j['generatedAt'];
  delete j['generatedAtIso'];
  return j;
}

/** Paths at which two JSON values differ ("sites[north].stats.grade"); arrays of objects with ids are keyed by id. */
function differences(a: unknown, b: unknown, path = ''): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  if (Array.isArray(a) && Array.isArray(b)) {
    const keyed = (x: unknown[]) => x.every((v) => v && typeof v === 'object' && 'id' in (v as object));
    if (keyed(a) && keyed(b) && a.length === b.length) {
      return a.flatMap((v, i) => {
        const id = String((v as { id: unknown }).id);
        const w = b.find((x) => String((x as { id: unknown }).id) === id);
        return differences(v, w, `${path}[${id}]`);
      });
    }
    return [path];
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((k) => differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k));
  }
  return [path];
}

/** What reclassify --dry-run must leave alone: every event, correction, kept mail and observation excerpt. */
function snapshot(dbPath: string): string {
  const db = new Database(dbPath, { readonly: true });
  try {
    return JSON.stringify([
      db.prepare('SELECT * FROM events ORDER BY id').all(),
      db.prepare('SELECT * FROM corrections ORDER BY id').all(),
      db.prepare('SELECT observation_id, hex(kept), truncated FROM mail_evidence ORDER BY observation_id').all(),
      db.prepare('SELECT id, excerpt FROM observations ORDER BY id').all(),
      db.prepare('SELECT * FROM suppressions ORDER BY id').all(),
    ]);
  } finally {
    db.close();
  }
}

describe('respond-audit review and reclassify', () => {
  it('a correction changes the grade it should and nothing else, and every report says so', async () => {
    const { run } = await collected();
    const all = await items(run);
    expect(all.map((i) => `${i.probe?.entryKey} ${i.kind}`).sort()).toEqual([
      'north/cardio/email human-reply',
      'north/ortho/email human-reply',
      'south/ortho/email auto-ack',
      'south/ortho/email human-reply',
    ]);
    expect(all.every((i) => i.reclassifiable && i.correction === null)).toBe(true);
    const target = all.find((i) => i.probe?.entryKey === 'north/ortho/email')!;

    const before = await scorecard(run);
    const set = await run('review', 'set', String(target.eventId), 'passAlong=yes', '--note', 'sends us to the scheduling line', '--by', 'QA Lead', '--json');
    expect(set.code, set.stderr).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({ before: { kind: 'human-reply', passAlong: false }, after: { kind: 'human-reply', passAlong: true }, correction: { action: 'correct', kind: null, passAlong: true, reviewer: 'QA Lead' } });
    const after = await scorecard(run);

    // Only the north orthopedics email cell and the totals that contain it moved (and the
    // findings with what to do about them).
    const changed = differences(before, after);
    expect(changed.length).toBeGreaterThan(0);
    const allowed = [/^overall\./, /^sites\[north\]\.(stats|distribution)\./, /^sites\[north\]\.serviceLines\[ortho\]\.(stats|channels\[email\])/, /^groups\.serviceLines\[ortho\]\./, /^groups\.channels\[email\]\./, /^findings$/, /^recommendations$/, /^trends/, /^review\./];
    expect(changed.filter((p) => !allowed.some((re) => re.test(p)))).toEqual([]);
    expect(changed).toContain('sites[north].serviceLines[ortho].channels[email].stats.grade');
    const grade = (j: Record<string, unknown>, site: string, line: string) =>
      (j['sites'] as Array<{ id: string; serviceLines: Array<{ id: string; channels: Array<{ channel: string; stats: { grade: number } }> }> }>)
        .find((x) => x.id === site)!.serviceLines.find((l) => l.id === line)!.channels.find((c) => c.channel === 'email')!.stats.grade;
    expect(grade(after, 'north', 'ortho')).toBeLessThan(grade(before, 'north', 'ortho'));
    expect(grade(after, 'south', 'ortho')).toBe(grade(before, 'south', 'ortho'));
    expect(grade(after, 'north', 'cardio')).toBe(grade(before, 'north', 'cardio'));
    expect(after['review']).toMatchObject({ corrected: 1, items: [{ eventId: target.eventId, state: 'corrected', classifier: { kind: 'human', passAlong: false }, now: { kind: 'human', passAlong: true }, note: 'sends us to the scheduling line', reviewer: 'QA Lead' }] });

    const countLine = 'Verdicts corrected by hand: 1';
    expect((await run('report')).stdout).toContain(countLine);
    expect((await run('report')).stdout).toMatch(/North Clinic \/ ortho \/ email, event \d+: human → human \(pass-along\) \(corrected by hand by QA Lead: sends us to the scheduling line\)/);
    expect((await run('report', '--format', 'md')).stdout).toContain(countLine);
    expect((await run('report', '--format', 'junit')).stdout).toContain(countLine);
    const html = await run('report', '--format', 'html', '--out', 'reports/r.html');
    expect(html.code, html.stderr).toBe(0);
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const page = readFileSync(join(html.stderr.match(/wrote html report to (.*)\n/)![1]!), 'utf8');
    expect(page).toContain(countLine);
    expect(page).toContain('corrected by hand (the classifier said: reply from a person)');

    // Withdrawn, the scorecard is what it was.
    expect((await run('review', 'set', String(target.eventId), 'clear')).code).toBe(0);
    expect(differences(before, await scorecard(run))).toEqual([]);
  });

  it('review set then reclassify keeps the correction; --dry-run writes nothing; mail not kept says so', async () => {
    const { run, dbPath } = await collected();
    const all = await items(run);
    const north = all.find((i) => i.probe?.entryKey === 'north/ortho/email')!;
    const southAuto = all.find((i) => i.probe?.entryKey === 'south/ortho/email' && i.kind === 'auto-ack')!;
    const cardio = all.find((i) => i.probe?.entryKey === 'north/cardio/email')!;
    expect((await run('review', 'set', String(north.eventId), 'not-a-reply', '--note', 'a newsletter')).code).toBe(0);

    // As an older classifier would have left the store: the autoresponse taken for a person,
    // and the cardiology reply collected before replies were kept.
    const db = new Database(dbPath);
    db.prepare("UPDATE events SET kind = 'human-reply' WHERE id = ?").run(southAuto.eventId);
    db.prepare('DELETE FROM mail_evidence WHERE observation_id = (SELECT observation_id FROM events WHERE id = ?)').run(cardio.eventId);
    db.close();

    const untouched = snapshot(dbPath);
    const dry = await run('reclassify', '--dry-run', '--json');
    expect(dry.code, dry.stderr).toBe(0);
    const d = JSON.parse(dry.stdout);
    expect(d).toMatchObject({ dryRun: true, written: false, notKept: [cardio.eventId] });
    expect(d.changes).toEqual([expect.objectContaining({ eventId: southAuto.eventId, before: expect.objectContaining({ kind: 'human' }), after: expect.objectContaining({ kind: 'auto-ack' }) })]);
    expect(snapshot(dbPath)).toBe(untouched);
    const dryText = await run('reclassify', '--dry-run');
    expect(dryText.stdout).toMatch(/Dry run, nothing written\./);
    expect(dryText.stdout).toMatch(new RegExp(`${southAuto.eventId}\\s+south/ortho/email\\s+human → auto-ack`));
    expect(dryText.stdout).toContain(`1 verdict cannot be reclassified: collected before replies were kept (event ${cardio.eventId})`);
    expect(snapshot(dbPath)).toBe(untouched);

    const real = await run('reclassify', '--json');
    expect(real.code, real.stderr).toBe(0);
    expect(JSON.parse(real.stdout)).toMatchObject({ written: true, reclassified: 3, notKept: [cardio.eventId] });
    const now = await items(run);
    expect(now.find((i) => i.eventId === southAuto.eventId)!.kind).toBe('auto-ack');
    // The correction stands over the new classification: still detached from its inquiry.
    const n = now.find((i) => i.eventId === north.eventId)!;
    expect(n).toMatchObject({ kind: 'unattributed', probe: { entryKey: 'north/ortho/email' }, correction: { action: 'correct', kind: 'not-a-reply', note: 'a newsletter' } });
    expect(now.find((i) => i.eventId === cardio.eventId)).toMatchObject({ kind: 'human-reply', reclassifiable: false });
    const report = JSON.parse((await run('report', '--format', 'json')).stdout);
    expect(report.review).toMatchObject({ corrected: 1, items: [{ eventId: north.eventId, now: { kind: 'not-a-reply' } }] });
    // A second run finds nothing left to change.
    expect(JSON.parse((await run('reclassify', '--json')).stdout).changes).toEqual([]);
  });

  it('walks the flagged verdicts interactively, escaping the message, and refuses bad input', async () => {
    const { run, dbPath, s } = await collected();
    const all = await items(run);
    const cardio = all.find((i) => i.probe?.entryKey === 'north/cardio/email')!;
    // The text keeps the escape sequences as data.
    expect(cardio.text).toContain('\u001b[2J');
    expect((await run('review')).stdout).toMatch(/Nothing needs review/);
    // Flagged by the classifier (as its confidence would flag it).
    const db = new Database(dbPath);
    db.prepare("UPDATE events SET needs_review = 1, details = json_set(details, '$.needsReview', json('true'), '$.confidence', 0.41) WHERE id = ?").run(cardio.eventId);
    db.close();
    const listed = await run('review');
    expect(listed.stdout).toMatch(new RegExp(`event ${cardio.eventId} north/cardio/email .*needs review confidence 0\\.41`));

    const stdin = Object.assign(new PassThrough(), { isTTY: true });
    stdin.end('kind=robot\npassAlong=yes campaignAware=no\nasked to call the scheduling line\n');
    let out = '';
    const sink = { isTTY: false, write: (t: string) => ((out += t), true) };
    const code = await runCli(['node', 'respond-audit', 'review', '--by', 'Sam'], {
      cwd: s.dir,
      env: { ...s.env, NO_COLOR: '1' },
      stdin,
      stdout: sink as unknown as NodeJS.WritableStream,
      stderr: sink as unknown as NodeJS.WritableStream,
    });
    expect(code, out).toBe(0);
    expect(out).toContain('1 of 1: event');
    expect(out).toContain('\\u{1b}[2J');
    expect(out).toContain('\\u{1b}]0;owned\\u{7}');
    expect(out).not.toContain('\u001b');
    expect(out).toMatch(/"kind=robot": kind is auto-ack, human, bounce or not-a-reply/);
    expect(out).toMatch(/human reply, pass-along no, campaign-aware no → human reply, pass-along yes, campaign-aware no \(corrected by hand; note: asked to call the scheduling line\)/);
    expect(out).toContain('1 corrected, 0 confirmed, 0 left as they were.');
    const after = (await items(run)).find((i) => i.eventId === cardio.eventId)!;
    expect(after.correction).toMatchObject({ action: 'correct', reviewer: 'Sam', note: 'asked to call the scheduling line' });
    expect((await run('review')).stdout).toMatch(/Nothing needs review/);
    const report = JSON.parse((await run('report', '--format', 'json')).stdout);
    expect(report.review).toMatchObject({ corrected: 1, needsReview: 0 });

    // Scripts get usage errors (exit 2) for what cannot be done.
    for (const args of [['review', 'set', 'x', 'ok'], ['review', 'set', '99999', 'ok'], ['review', 'set', String(cardio.eventId), 'ok', 'kind=human'], ['review', 'set', String(cardio.eventId), 'passAlong=maybe']]) {
      const r = await run(...args);
      expect(r.code, args.join(' ')).toBe(2);
    }
    // "ok" on a verdict the classifier got right is a confirmation, counted apart.
    const south = all.find((i) => i.probe?.entryKey === 'south/ortho/email' && i.kind === 'auto-ack')!;
    const ok = await run('review', 'set', String(south.eventId), 'ok');
    expect(ok.stdout).toMatch(/confirmed as it is/);
    expect(JSON.parse((await run('report', '--format', 'json')).stdout).review).toMatchObject({ corrected: 1, confirmed: 1 });
  });
});
