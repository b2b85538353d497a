import { Socket } from 'node:net';

/**
 * Runs one command over a raw connection and resolves its reply as text: a status (`+OK`), an
 * error (`-ERR …`), an integer (`:1`) or the content of a bulk string. Enough for PING, CONFIG
 * SET, FLUSHALL and CLUSTER INFO without a client that would reconnect or queue.
 */
export function redisCommand(port: number, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    const timer = setTimeout(() => socket.destroy(new Error('no reply within 2 s')), 2_000);
    let reply = Buffer.alloc(0);
    const done = (text: string) => {
      clearTimeout(timer);
      socket.end();
      resolve(text);
    };
    socket.on('data', (chunk) => {
      reply = Buffer.concat([reply, chunk]);
      const lineEnd = reply.indexOf('\r\n');
      if (lineEnd < 0) return;
      const line = reply.subarray(0, lineEnd).toString('utf8');
      if (!line.startsWith('$')) return done(line);
      const length = Number(line.slice(1));
      if (length < 0) return done('');
      const body = reply.subarray(lineEnd + 2);
      if (body.length >= length + 2) done(body.subarray(0, length).toString('utf8'));
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.connect(port, '127.0.0.1', () => {
      const body = args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('');
      socket.write(`*${args.length}\r\n${body}`);
    });
  });
}
