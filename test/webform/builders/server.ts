/**
 * The builder-corpus harness: one loopback HTTP server that mounts every page of
 * test/fixtures/builders/pages under `/<slug>`, parses requests as a real backend would
 * (urlencoded, multipart, JSON, cookies) and records each page's verdict on what it got.
 */
import { readdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BuilderCtx, BuilderPage, BuilderRecord, BuilderReply, BuilderRequest } from '../../fixtures/builders/types.js';

export const PAGES_DIR = fileURLToPath(new URL('../../fixtures/builders/pages/', import.meta.url));

export async function loadBuilderPages(only?: string[]): Promise<BuilderPage[]> {
  const files = readdirSync(PAGES_DIR)
    .filter((f) => /\.ts$/.test(f) && !f.startsWith('_'))
    .sort();
  const pages: BuilderPage[] = [];
  for (const f of files) {
    const mod = (await import(pathToFileURL(PAGES_DIR + f).href)) as { default: BuilderPage };
    if (!mod.default?.slug) throw new Error(`${f}: no default export of a BuilderPage`);
    if (only && !only.includes(mod.default.slug)) continue;
    pages.push(mod.default);
  }
  return pages;
}

export interface BuilderServer {
  origin: string;
  urlOf(slug: string): string;
  records: BuilderRecord[];
  /** Every request: method, slug, sub-path. */
  requests: Array<{ method: string; slug: string; path: string; at: number }>;
  close(): Promise<void>;
}

export async function startBuilderServer(pages: BuilderPage[]): Promise<BuilderServer> {
  const bySlug = new Map(pages.map((p) => [p.slug, p]));
  const states = new Map(pages.map((p) => [p.slug, new Map<string, unknown>()]));
  const records: BuilderRecord[] = [];
  const requests: BuilderServer['requests'] = [];
  const sockets = new Set<Socket>();
  let origin = '';

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`harness error: ${e instanceof Error ? e.stack : String(e)}`);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://harness');
    const m = url.pathname.match(/^\/([^/]+)(\/.*)?$/);
    const page = m ? bySlug.get(m[1]!) : undefined;
    if (!m || !page) return void send(res, { status: 404, body: 'no such page' }, '/');
    const base = `/${page.slug}`;
    const path = m[2] ?? '/';
    requests.push({ method: req.method ?? 'GET', slug: page.slug, path, at: Date.now() });
    const body = await readBody(req);
    const request = await parseRequest(req, url, path, body);
    const ctx: BuilderCtx = {
      base,
      origin,
      now: () => Date.now(),
      state: states.get(page.slug)!,
      record: (r) => records.push({ slug: page.slug, at: Date.now(), ...r }),
    };
    const reply = await page.handle(request, ctx);
    send(res, reply ?? { status: 404, body: 'not found' }, base);
  }

  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    urlOf: (slug) => `${origin}/${slug}/`,
    records,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > 5_000_000) throw new Error('body too large');
    chunks.push(c);
  }
  return Buffer.concat(chunks);
}

async function parseRequest(req: IncomingMessage, url: URL, path: string, body: Buffer): Promise<BuilderRequest> {
  const contentType = String(req.headers['content-type'] ?? '');
  const raw = body.toString('utf8');
  const fields: Record<string, string> = {};
  const add = (k: string, v: string) => (fields[k] = k in fields ? `${fields[k]},${v}` : v);
  let json: unknown;
  if (body.length) {
    if (contentType.includes('application/json')) {
      json = JSON.parse(raw || '{}');
      if (json && typeof json === 'object' && !Array.isArray(json))
        for (const [k, v] of Object.entries(json as Record<string, unknown>))
          if (v === null || typeof v !== 'object') add(k, v === null || v === undefined ? '' : String(v));
    } else if (contentType.includes('multipart/form-data')) {
      // The platform's own multipart parser (undici), as a framework's body parser would.
      const form = await new Request('http://harness/', { method: 'POST', headers: { 'content-type': contentType }, body: new Uint8Array(body) }).formData();
      for (const [k, v] of form) add(k, typeof v === 'string' ? v : `[file ${v.name}]`);
    } else {
      for (const [k, v] of new URLSearchParams(raw)) add(k, v);
    }
  }
  const cookies: Record<string, string> = {};
  for (const part of String(req.headers.cookie ?? '').split(/;\s*/)) {
    const i = part.indexOf('=');
    if (i > 0) cookies[part.slice(0, i)] = decodeURIComponent(part.slice(i + 1));
  }
  return { method: req.method ?? 'GET', path, query: url.searchParams, headers: req.headers, cookies, fields, json, raw, contentType };
}

function send(res: ServerResponse, r: BuilderReply, base: string): void {
  const headers: Record<string, string | string[]> = { 'cache-control': 'no-store', ...r.headers };
  if (r.cookies?.length) headers['set-cookie'] = r.cookies;
  if (r.redirect) {
    headers.location = /^https?:|^\//.test(r.redirect) ? (r.redirect.startsWith('/') && !r.redirect.startsWith(base) ? base + r.redirect : r.redirect) : `${base}/${r.redirect}`;
    res.writeHead(r.status ?? 303, headers);
    return void res.end();
  }
  let body = r.body ?? '';
  let type = r.type ?? 'text/html; charset=utf-8';
  if (r.json !== undefined) {
    body = JSON.stringify(r.json);
    type = r.type ?? 'application/json; charset=utf-8';
  }
  headers['content-type'] = type;
  res.writeHead(r.status ?? 200, headers);
  res.end(body);
}
