/**
 * A synchronous PostgreSQL client: node-postgres (`pg`) runs in a worker thread that owns one
 * connection, and the calling thread blocks on Atomics.wait until the worker has the answer.
 * The Store's interface is synchronous (better-sqlite3 made it so, and every stage calls it
 * that way), so this keeps it: a call costs one loopback round trip plus ~50 µs of messaging.
 * One worker, one connection per Store, so a transaction stays on its connection.
 *
 * Why not synckit: its createSyncFn keeps one worker per worker file for the whole process,
 * so every Store would share one connection (and one transaction); this file is the ~60
 * lines of it we need, per instance. The worker is eval'd source so it runs the same from
 * dist/ and from the TypeScript sources the tests load.
 */
import { createRequire } from 'node:module';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';

export interface PgConfig {
  host: string;
  port: number;
  user?: string;
  password?: string;
  database?: string;
  /** Seconds to wait for the server when connecting. */
  connectTimeoutSeconds?: number;
}

export interface PgResult {
  rows: unknown[];
  rowCount: number;
  fields: string[];
}

export class PgError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly connectionLost: boolean,
  ) {
    super(message);
    this.name = 'PgError';
  }
}

// Runs in the worker (CommonJS, eval'd). Type parsers: int8 (COUNT(*), BIGINT times and ids)
// and numeric (SUM) as JavaScript numbers, as better-sqlite3 gives them: epoch ms and ids
// stay far below 2^53.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const pg = require(workerData.pgPath);
const { port, flag, config } = workerData;
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));
const client = new pg.Client({ ...config, connectionTimeoutMillis: (config.connectTimeoutSeconds || 10) * 1000 });
let lost = null;
client.on('error', (e) => { lost = e; });
const done = (reply) => { port.postMessage(reply); Atomics.store(flag, 0, 1); Atomics.notify(flag, 0); };
const asParam = (v) => (v instanceof Uint8Array && !Buffer.isBuffer(v) ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : v);
port.on('message', async (m) => {
  try {
    if (m.op === 'connect') { await client.connect(); done({ ok: true }); return; }
    if (m.op === 'end') { await client.end().catch(() => undefined); done({ ok: true }); port.close(); return; }
    if (lost) throw lost;
    const r = await client.query(m.values ? { text: m.text, values: m.values.map(asParam), rowMode: m.array ? 'array' : undefined } : m.text);
    const last = Array.isArray(r) ? r[r.length - 1] : r;
    done({ ok: true, rows: last ? last.rows : [], rowCount: last ? (last.rowCount ?? 0) : 0, fields: last && last.fields ? last.fields.map((f) => f.name) : [] });
  } catch (e) {
    done({ ok: false, message: String(e && e.message || e), code: e && e.code, lost: !!lost || !client._connected || client._ending });
  }
});
`;

type Reply = { ok: true; rows?: unknown[]; rowCount?: number; fields?: string[] } | { ok: false; message: string; code?: string; lost: boolean };

const pgPath = () => createRequire(import.meta.url).resolve('pg');

export class PgSyncClient {
  readonly #worker: Worker;
  readonly #port: MessagePort;
  readonly #flag = new Int32Array(new SharedArrayBuffer(4));
  #open = true;

  constructor(config: PgConfig) {
    const { port1, port2 } = new MessageChannel();
    this.#port = port1;
    this.#worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { port: port2, flag: this.#flag, config, pgPath: pgPath() }, transferList: [port2] });
    // A Store left open must not keep the process alive (better-sqlite3 does not either).
    this.#worker.unref();
    this.#port.unref();
    this.#call({ op: 'connect' });
  }

  get open(): boolean {
    return this.#open;
  }

  /** One statement with `$n` parameters; rows as objects, or as arrays when `array`. */
  query(text: string, values: unknown[], array = false): PgResult {
    return this.#call({ op: 'query', text, values, array }) as PgResult;
  }

  /** Several statements separated by `;`, no parameters (migrations). */
  exec(text: string): void {
    this.#call({ op: 'query', text });
  }

  close(): void {
    if (!this.#open) return;
    this.#open = false;
    try {
      this.#call({ op: 'end' });
    } finally {
      void this.#worker.terminate();
    }
  }

  #call(msg: Record<string, unknown>): Omit<PgResult, never> {
    if (!this.#open && msg.op !== 'end') throw new PgError('the store connection is closed', undefined, true);
    Atomics.store(this.#flag, 0, 0);
    this.#port.postMessage(msg);
    for (;;) {
      // The worker answers every message, errors included; the timeout only lets a dead
      // worker be noticed instead of waiting forever.
      Atomics.wait(this.#flag, 0, 0, 1000);
      const got = receiveMessageOnPort(this.#port);
      if (got) {
        const r = got.message as Reply;
        if (!r.ok) throw new PgError(r.message, r.code, r.lost);
        return { rows: (r.rows ?? []).map(fixBuffers), rowCount: r.rowCount ?? 0, fields: r.fields ?? [] };
      }
      if (Atomics.load(this.#flag, 0) === 0 && this.#worker.threadId === -1) throw new PgError('the store worker stopped', undefined, true);
    }
  }
}

// bytea values come back through postMessage as plain Uint8Arrays.
function fixBuffers(row: unknown): unknown {
  const fix = (v: unknown) => (v instanceof Uint8Array && !Buffer.isBuffer(v) ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : v);
  if (Array.isArray(row)) return row.map(fix);
  const o = row as Record<string, unknown>;
  for (const k of Object.keys(o)) o[k] = fix(o[k]);
  return o;
}
