/**
 * The IMAP collector. Per mailbox a cursor (UIDVALIDITY, last UID, HIGHESTMODSEQ when the
 * server has CONDSTORE): one LIST-STATUS round trip tells whether anything is new; new
 * messages are fetched in UID chunks, and each chunk's observations, events and the cursor
 * advance are committed in one transaction, so a crash or a dropped connection resumes
 * exactly where the last commit left off. A UIDVALIDITY change rescans the mailbox;
 * observations are unique per account + Message-ID, so nothing is counted twice.
 */
import type { ListResponse } from 'imapflow';
import { attributeExactWith, batchLookups, bodyCouldAttribute, mayAttributeExactly, tokenPatterns, type AttributionResult } from '../attribute/email.js';
import { isDoctorMessageId } from '../doctor/marker.js';
import { recordMail, unmatchedMailRow, type CollectedMail } from '../attribute/record-reply.js';
import type { UnmatchedMailInput } from '../store/types.js';
import { adaptersOf } from '../adapters.js';
import { UsageError } from '../errors.js';
import { earliestProbeStart } from '../store/imap-queries.js';
import { isConnectionDrop, openImap, type ImapConnection, type ImapSettings } from './imap-client.js';
import { fetchBodies, fetchPass1, sourceIdFor, type FetchedBody, type Pass1 } from './imap-fetch.js';
import { emptyStats, type CollectDeps, type Collector, type CollectorFactory, type CollectStats } from './types.js';
import { watchMailbox } from './imap-watch.js';

export interface MailboxCursor {
  uidValidity: string;
  lastUid: number;
  uidNext: number;
  highestModseq?: string;
}

export interface ImapCollectorOptions {
  /** Messages per header fetch (and at most per commit). */
  chunkSize: number;
  /** Messages whose bodies are held at once: a chunk with more is stored in several commits. */
  bodyBatch: number;
  /** Mail nothing matched is committed in batches of this many while the header pass streams in. */
  unmatchedBatch: number;
  /** Size limit of each text part fetched. */
  maxTextBytes: number;
  /** Full sweep of every mailbox this often while watching. */
  sweepEveryMs: number;
  /** IDLE is restarted at least this often (servers drop IDLE after 30 minutes). */
  idleRestartMs: number;
  /** Called after each commit (tests use it to break things mid-fetch). */
  onChunkStored?: (info: { mailbox: string; lastUid: number; stored: number }) => void | Promise<void>;
}

export const DEFAULT_IMAP_OPTIONS: ImapCollectorOptions = {
  chunkSize: 10_000,
  bodyBatch: 250,
  unmatchedBatch: 500,
  maxTextBytes: 64 * 1024,
  sweepEveryMs: 5 * 60_000,
  idleRestartMs: 25 * 60_000,
};

export const createImapCollector: CollectorFactory = async (deps) => new ImapCollector(deps);

export class ImapCollector implements Collector {
  readonly name = 'imap';
  readonly settings: ImapSettings;
  readonly account: string;
  readonly opts: ImapCollectorOptions;
  private conn: ImapConnection | null = null;
  private readonly patterns: RegExp[];

  constructor(
    readonly deps: CollectDeps,
    opts: Partial<ImapCollectorOptions> = {},
  ) {
    const s = deps.loaded.config.channels.imap;
    if (!s) throw new UsageError('channels.imap is not configured: nothing to collect mail from', 'ENOIMAP');
    this.settings = s;
    this.account = `${s.user.toLowerCase()}@${s.host.toLowerCase()}`;
    this.opts = { ...DEFAULT_IMAP_OPTIONS, ...opts };
    this.patterns = tokenPatterns(deps.loaded);
  }

  async collectOnce(): Promise<CollectStats> {
    const stats = emptyStats('imap');
    for (let attempt = 0; ; attempt++) {
      try {
        await this.sweep(stats);
        return stats;
      } catch (e) {
        await this.dropConnection();
        // A dropped connection gets one fresh client; timeouts and refusals are reported.
        if (attempt === 0 && isConnectionDrop(e) && !this.deps.signal.aborted) {
          stats.notes.push('the IMAP connection dropped; retried with a fresh connection');
          continue;
        }
        throw e;
      }
    }
  }

  async watch(until: number, onRound: (s: CollectStats) => void): Promise<void> {
    await watchMailbox(this, until, onRound);
  }

  async close(): Promise<void> {
    await this.dropConnection();
  }

  /** The shared connection (reopened when it was lost). */
  async connection(): Promise<ImapConnection> {
    if (this.conn && this.conn.client.usable) return this.conn;
    await this.dropConnection();
    this.conn = await openImap(this.settings, { ...(this.deps.debug ? { debug: this.deps.debug } : {}), newClient: adaptersOf(this.deps.adapters).imapClient });
    return this.conn;
  }

  private async dropConnection(): Promise<void> {
    const c = this.conn;
    this.conn = null;
    if (c) await c.close();
  }

  /** Configured names → listed mailboxes (`\Junk` is the special-use folder, wherever it is). */
  resolveMailboxes(list: ListResponse[], notes: string[]): ListResponse[] {
    const out: ListResponse[] = [];
    for (const name of this.settings.mailboxes) {
      const byName = (n: string) => list.find((m) => m.path === n || (n.toUpperCase() === 'INBOX' && m.path.toUpperCase() === 'INBOX'));
      // A server that does not mark its Junk folder special-use: the folder by its known name.
      const junk = name.toLowerCase() === '\\junk' && this.settings.junkFolder ? byName(this.settings.junkFolder) : undefined;
      const mb = name.startsWith('\\') ? (list.find((m) => m.specialUse?.toLowerCase() === name.toLowerCase()) ?? junk) : byName(name);
      if (!mb) notes.push(name.startsWith('\\') ? `the server has no ${name} special-use folder; skipped` : `mailbox ${name} does not exist; skipped`);
      else if (!out.includes(mb)) out.push(mb);
    }
    return out;
  }

  private async sweep(stats: CollectStats): Promise<void> {
    const conn = await this.connection();
    const list = await conn.call('LIST-STATUS', (c) =>
      c.list({ statusQuery: { uidNext: true, uidValidity: true, highestModseq: true, messages: true } }),
    );
    for (const mb of this.resolveMailboxes(list, stats.notes)) {
      if (this.deps.signal.aborted) return;
      await this.syncMailbox(conn, mb, stats);
    }
  }

  cursorName(path: string): string {
    return `imap:${this.account}:${path}`;
  }

  private async syncMailbox(conn: ImapConnection, mb: ListResponse, stats: CollectStats): Promise<void> {
    const { store } = this.deps;
    const name = this.cursorName(mb.path);
    const st = mb.status;
    const cur = store.getCursor<MailboxCursor>(name);
    const uidValidity = String(st?.uidValidity ?? '');
    const uidNext = st?.uidNext ?? 0;
    const modseq = st?.highestModseq !== undefined ? String(st.highestModseq) : undefined;
    const sameEpoch = !!cur && cur.uidValidity === uidValidity;
    if (cur && !sameEpoch) stats.notes.push(`${mb.path}: UIDVALIDITY changed (${cur.uidValidity} → ${uidValidity}); rescanning, already-stored messages are not counted again`);
    let lastUid = sameEpoch ? cur!.lastUid : 0;
    // Nothing new: UIDNEXT says no message arrived since the last stored UID.
    if (sameEpoch && uidNext > 0 && uidNext - 1 <= lastUid) {
      if (modseq && modseq !== cur!.highestModseq) store.tx(() => store.setCursor(name, { ...cur!, uidNext, highestModseq: modseq }));
      return;
    }
    // Empty (STATUS says so): nothing to select or search; whatever arrives next gets a UID
    // from UIDNEXT on.
    if (st?.messages === 0 && uidValidity && uidNext > 0) {
      store.tx(() => store.setCursor(name, { uidValidity, lastUid: Math.max(lastUid, uidNext - 1), uidNext, highestModseq: modseq }));
      return;
    }
    const lock = await conn.call(`EXAMINE ${mb.path}`, (c) => c.getMailboxLock(mb.path, { readOnly: true }));
    try {
      const searchStart = performance.now();
      const found = await conn.call(`UID SEARCH in ${mb.path}`, (c) => c.search({ uid: `${lastUid + 1}:*` }, { uid: true }));
      const searchMs = performance.now() - searchStart;
      const uids = (Array.isArray(found) ? found : []).filter((u) => u > lastUid).sort((a, b) => a - b);
      this.deps.debug?.(`imap ${mb.path}: ${uids.length} message(s) after UID ${lastUid} (UIDVALIDITY ${uidValidity}), in chunks of ${this.opts.chunkSize}`);
      const oldest = earliestProbeStart(store);
      // Mail that predates every probe cannot answer one: not stored, not listed. Dated by its
      // Date header (mail nothing matched), it gets a day of slack for the sender's clock.
      const tooOld = (h: Pass1) => oldest === null || h.facts.occurredAt < oldest - (h.internalDate !== null ? 60_000 : 86_400_000);
      const mailOf = (h: Pass1, body: FetchedBody | null, hit: AttributionResult | null): CollectedMail => ({
        sourceId: sourceIdFor(this.account, h),
        occurredAt: h.facts.occurredAt,
        timeSource: h.internalDate !== null ? 'internaldate' : 'date-header',
        clockSkewMs: h.internalDate !== null && h.dateHeader !== null ? h.dateHeader - h.internalDate : null,
        mailbox: mb.path,
        uid: h.uid,
        uidValidity,
        facts: h.facts,
        subject: h.subject,
        messageId: h.messageId,
        message: body?.message ?? null,
        kept: body?.kept ?? null,
        exact: hit,
      });
      // Where the time goes (--debug): header pass with attribution, body pass, classify + store.
      const phases = { headers: 0, bodies: 0, store: 0 };
      const cpu = { headers: 0, bodies: 0, store: 0 };
      let skippedOld = 0;
      for (let i = 0; i < uids.length; i += this.opts.chunkSize) {
        if (this.deps.signal.aborted) return;
        const chunk = uids.slice(i, i + this.opts.chunkSize);
        const lastChunk = i + this.opts.chunkSize >= uids.length;
        let t = performance.now();
        let c = process.cpuUsage();
        const lap = (phase: keyof typeof phases) => {
          const now = performance.now();
          const used = process.cpuUsage(c);
          phases[phase] += now - t;
          cpu[phase] += (used.user + used.system) / 1000;
          t = now;
          c = process.cpuUsage();
        };
        // As the headers arrive, each message is sorted: a token or thread header (looked up with
        // the chunk's others after the pass), a site's or mail daemon's sender (body wanted), or
        // nothing to match. That last kind is stored as it streams in, in commits of
        // unmatchedBatch that do not move the cursor (after a crash the chunk is fetched again
        // and those rows, unique by Message-ID, are not new), instead of being held for the chunk.
        const exact = new Map<number, AttributionResult>();
        const wanted = new Set<number>();
        const unmatched: UnmatchedMailInput[] = [];
        const storeUnmatched = () => {
          if (!unmatched.length) return;
          store.tx(() => {
            for (const row of unmatched) {
              if (!store.addUnmatchedMail(row)) continue;
              stats.added++;
              stats.unattributed++;
            }
          });
          unmatched.length = 0;
        };
        // Counted once the chunk is stored: a chunk fetched again after a dropped connection is not counted twice.
        let seen = 0;
        const heads = (
          await fetchPass1(conn, chunk, (h) => {
            seen++;
            // doctor --round-trip's test message, left behind: neither a reply nor unmatched mail.
            if (isDoctorMessageId(h.messageId)) return false;
            if (mayAttributeExactly(h.facts, this.patterns)) return true;
            if (bodyCouldAttribute(this.deps.loaded, h.facts)) {
              wanted.add(h.uid);
              return true;
            }
            // Without a Message-ID it is named by its size, without a Date header dated by its
            // INTERNALDATE: both fetched after the pass, for such mail alone.
            if (!h.messageId || h.dateHeader === null) return true;
            if (tooOld(h)) {
              skippedOld++;
              return false;
            }
            unmatched.push(unmatchedMailRow(mailOf(h, null, null)));
            if (unmatched.length >= this.opts.unmatchedBatch) storeUnmatched();
            return false;
          })
        ).sort((a, b) => a.uid - b.uid);
        storeUnmatched();
        // Exact attribution: every token and thread-header ID of the chunk in two queries.
        const lookups = batchLookups(store, heads.map((h) => h.facts), this.patterns);
        for (const h of heads) {
          if (wanted.has(h.uid)) continue;
          const hit = attributeExactWith(h.facts, this.patterns, lookups);
          if (hit) exact.set(h.uid, hit);
          if (hit || bodyCouldAttribute(this.deps.loaded, h.facts)) wanted.add(h.uid);
          else h.headerText = '';
        }
        lap('headers');
        const chunkLast = Math.max(...chunk);
        // Stored in runs of consecutive UIDs holding at most bodyBatch fetched bodies each, so a
        // chunk full of replies never holds more than two runs' bodies in memory (the run being
        // stored and the next one, fetched meanwhile); each run's events and the cursor past its
        // last UID are one transaction. A run ends where the next begins: the mail between,
        // already stored, is behind the cursor too.
        const runs: Array<{ run: Pass1[]; runLast: number; finalRun: boolean }> = [];
        for (let from = 0; from < heads.length || from === 0; ) {
          let to = from;
          for (let n = 0; to < heads.length && (n < this.opts.bodyBatch || !wanted.has(heads[to]!.uid)); to++) if (wanted.has(heads[to]!.uid)) n++;
          const finalRun = to >= heads.length;
          runs.push({ run: heads.slice(from, to), runLast: finalRun ? chunkLast : heads[to]!.uid - 1, finalRun });
          if (finalRun) break;
          from = to;
        }
        const bodiesOf = (k: number) => {
          const p = fetchBodies(conn, runs[k]!.run.filter((h) => wanted.has(h.uid)), this.opts.maxTextBytes);
          p.catch(() => undefined);
          return p;
        };
        let pending = bodiesOf(0);
        for (const [k, { run, runLast, finalRun }] of runs.entries()) {
          let stored = 0;
          const storeHead = (h: Pass1, body: FetchedBody | null) => {
            const hit = exact.get(h.uid) ?? null;
            if (!hit && !body && tooOld(h)) {
              skippedOld++;
              return;
            }
            const r = recordMail(store, this.deps.loaded, mailOf(h, body, hit), this.patterns);
            if (!r.isNew) return;
            stored++;
            stats.added++;
            stats.events += r.events;
            if (r.attributed) stats.attributed++;
            else stats.unattributed++;
          };
          // While the server reads this run's bodies, its mail that needs none (no Message-ID or
          // no Date header, so held back) is stored, without moving the cursor: after a crash
          // here the run is fetched again and those observations are not new.
          await new Promise((r) => setImmediate(r));
          store.tx(() => {
            for (const h of run) if (!wanted.has(h.uid)) storeHead(h, null);
          });
          lap('store');
          const bodies = await pending;
          lap('bodies');
          // The next run's bodies are read by the server while this run is classified and stored.
          if (k + 1 < runs.length) {
            pending = bodiesOf(k + 1);
            await new Promise((r) => setImmediate(r));
          }
          store.batch(() => {
            for (const h of run) if (wanted.has(h.uid)) storeHead(h, bodies.get(h.uid) ?? null);
            const done = lastChunk && finalRun;
            store.setCursor(name, { uidValidity, lastUid: runLast, uidNext: done ? Math.max(uidNext, runLast + 1) : runLast + 1, highestModseq: done ? modseq : cur?.highestModseq });
          });
          lap('store');
          lastUid = runLast;
          if (finalRun) stats.fetched += seen;
          await this.opts.onChunkStored?.({ mailbox: mb.path, lastUid, stored });
        }
      }
      if (!uids.length) store.tx(() => store.setCursor(name, { uidValidity, lastUid, uidNext, highestModseq: modseq }));
      if (uids.length) this.deps.debug?.(`imap ${mb.path}: search ${searchMs.toFixed(0)} ms, ${Object.entries(phases).map(([k, v]) => `${k} ${v.toFixed(0)} ms (CPU ${cpu[k as keyof typeof cpu].toFixed(0)})`).join(', ')}`);
      if (skippedOld) stats.notes.push(`${mb.path}: ${skippedOld} message(s) older than every probe skipped`);
    } finally {
      lock.release();
    }
    // Leave nothing selected: imapflow answers STATUS of the selected mailbox from its own
    // cache, which would hide a recreated mailbox (new UIDVALIDITY) on the next sweep.
    await conn.call(`CLOSE ${mb.path}`, (c) => c.mailboxClose());
  }
}
