/** A loopback TCP proxy in front of Dovecot that records the client's IMAP command lines. */
import { createServer, connect, type Socket } from 'node:net';

/**
 * `dropWhen` sees each chunk the server sends (bytes so far on that connection, the commands
 * so far) and may cut that connection there, as a dropped link would. `rewrite` sees each
 * line the server sends (CRLF cut off, commands so far) and returns what the client gets in
 * its place (null: nothing).
 */
export async function commandLog(
  targetPort: number,
  opts: {
    dropWhen?: (downstreamBytes: number, commands: string[]) => boolean;
    rewrite?: (line: string, commands: string[]) => string | null;
  } = {},
): Promise<{ port: number; commands: string[]; close(): Promise<void> }> {
  const commands: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    let downBytes = 0;
    const dropWhen = opts.dropWhen;
    let buf = '';
    client.on('data', (d: Buffer) => {
      buf += d.toString('latin1');
      let i;
      while ((i = buf.indexOf('\r\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        if (/^[A-Za-z0-9]+ [A-Za-z]/.test(line)) commands.push(line.replace(/^(\S+ (LOGIN|AUTHENTICATE)).*/i, '$1 ***'));
      }
    });
    client.pipe(upstream);
    const rewrite = opts.rewrite;
    let down = '';
    if (rewrite)
      upstream.on('data', (d: Buffer) => {
        down += d.toString('latin1');
        const end = down.lastIndexOf('\r\n');
        if (end < 0) return;
        const lines = down.slice(0, end).split('\r\n');
        down = down.slice(end + 2);
        let out = '';
        for (const l of lines) {
          const r = rewrite(l, commands);
          if (r !== null) out += `${r}\r\n`;
        }
        if (out) client.write(Buffer.from(out, 'latin1'));
      });
    else if (!dropWhen) upstream.pipe(client);
    else
      // Forwarded 512 bytes at a time with a turn of the event loop between, so the client has
      // read what came before when dropWhen decides.
      upstream.on('data', (d: Buffer) => {
        upstream.pause();
        const send = (at: number) => {
          if (client.destroyed) return;
          if (at >= d.length) return void upstream.resume();
          const slice = d.subarray(at, at + 512);
          downBytes += slice.length;
          client.write(slice);
          if (dropWhen(downBytes, commands)) return void (client.destroy(), upstream.destroy());
          setImmediate(() => send(at + 512));
        };
        send(0);
      });
    const end = () => (client.destroy(), upstream.destroy());
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    commands,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
