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
  /** Answer each request this much later (a slow webhook). */
  delayMs: number;
  close(): Promise<void>;
}

export async function startReceiver(secretPath = '/services/T0000/B0000/s3cretW3bhookT0ken'): Promise<Receiver> {
  const received: Received[] = [];
  const r = { received, attempts: 0, answer: 200 as number | 'hang', delayMs: 0 };
  const server = createServer((req: IncomingMessage, res) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (data += c));
    req.on('end', () => {
      r.attempts++;
      const answer = r.answer;
      if (answer === 'hang') return;
      if (answer >= 200 && answer < 300) received.push({ path: req.url ?? '', contentType: req.headers['content-type'], body: JSON.parse(data) as Received['body'] });
      setTimeout(() => res.writeHead(answer, { 'content-type': 'text/plain' }).end(answer < 300 ? 'ok' : 'internal_error'), r.delayMs);
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
