/** A loopback TCP proxy in front of Dovecot that records the client's IMAP command lines. */
import { createServer, connect, type Socket } from 'node:net';

/**
 * `dropWhen` sees each chunk the server sends (bytes so far on that connection, the commands
 * so far) and may cut that connection there, as a dropped link would.
 */
export async function commandLog(
  targetPort: number,
  opts: { dropWhen?: (downstreamBytes: number, commands: string[]) => boolean } = {},
): Promise<{ port: number; commands: string[]; close(): Promise<void> }> {
  const commands: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    let down = 0;
    const dropWhen = opts.dropWhen;
    let buf = '';
    client.on('data', (d) => {
      buf += d.toString('latin1');
      let i;
      while ((i = buf.indexOf('\r\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        if (/^[A-Za-z0-9]+ [A-Za-z]/.test(line)) commands.push(line.replace(/^(\S+ (LOGIN|AUTHENTICATE)).*/i, '$1 ***'));
      }
    });
    client.pipe(upstream);
    if (!dropWhen) upstream.pipe(client);
    else
      // Forwarded 512 bytes at a time with a turn of the event loop between, so the client has
      // read what came before when dropWhen decides.
      upstream.on('data', (d: Buffer) => {
        upstream.pause();
        const send = (at: number) => {
          if (client.destroyed) return;
          if (at >= d.length) return void upstream.resume();
          const slice = d.subarray(at, at + 512);
          down += slice.length;
          client.write(slice);
          if (dropWhen(down, commands)) return void (client.destroy(), upstream.destroy());
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
