/** A webhook receiver on loopback that records every request and answers as scripted. */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  contentType: string | undefined;
  body: { text: string; blocks?: Array<{ type: string; text: { type: string; text: string } }> };
}

export interface Receiver {
  /** The URL the config's ${ENV} reference carries; its path is the "credential". */
  url: string;
  received: Received[];
  /** Requests of any outcome (refused and hung ones too). */
  attempts: number;
  /** What the next requests get: a status, or 'hang' (never answers). */
  answer: number | 'hang';
  close(): Promise<void>;
}

export async function startReceiver(secretPath = '/services/T0000/B0000/s3cretW3bhookT0ken'): Promise<Receiver> {
  const received: Received[] = [];
  const r = { received, attempts: 0, answer: 200 as number | 'hang' };
  const server = createServer((req: IncomingMessage, res) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (data += c));
    req.on('end', () => {
      r.attempts++;
      if (r.answer === 'hang') return;
      if (r.answer >= 200 && r.answer < 300) received.push({ path: req.url ?? '', contentType: req.headers['content-type'], body: JSON.parse(data) as Received['body'] });
      res.writeHead(r.answer, { 'content-type': 'text/plain' }).end(r.answer < 300 ? 'ok' : 'internal_error');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(r, {
    url: `http://127.0.0.1:${port}${secretPath}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

/** All mrkdwn text of a Slack-style body, one string. */
export function bodyText(r: Received): string {
  return [r.body.text, ...(r.body.blocks ?? []).map((b) => b.text.text)].join('\n');
}
