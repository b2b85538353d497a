import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in Witboost for the proxy tests: its exchange endpoint relays to the emulator, and
 * a few endpoints show what arrived (headers, body digest) or stream on command.
 */
export interface Upstream {
  url: string;
  /** Requests seen, with the headers as received. */
  seen: Array<{ path: string; headers: IncomingMessage['headers'] }>;
  /** Finishes the pending /api/stream response. */
  release(): void;
  /** Answer the next n /api/* requests with 401. */
  rejectNext(n: number): void;
  close(): Promise<void>;
}

export async function startUpstream(emulatorUrl: string): Promise<Upstream> {
  const seen: Upstream['seen'] = [];
  let releaseStream: () => void = () => undefined;
  let rejections = 0;
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://upstream.invalid');
    if (url.pathname === '/api/auth/access-tokens/jwt') {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const answer = await fetch(emulatorUrl + url.pathname, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: Buffer.concat(chunks),
      });
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(await answer.text());
      return;
    }
    seen.push({ path: url.pathname, headers: req.headers });
    if (rejections > 0) {
      rejections--;
      req.resume();
      res.writeHead(401, { 'www-authenticate': 'Bearer' }).end('{"message":"expired"}');
      return;
    }
    if (url.pathname === '/api/echo') {
      const hash = createHash('sha256');
      let length = 0;
      for await (const chunk of req) {
        hash.update(chunk as Buffer);
        length += (chunk as Buffer).length;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': 'session=upstream' });
      res.end(
        JSON.stringify({
          method: req.method,
          headers: req.headers,
          length,
          sha256: hash.digest('hex'),
        }),
      );
      return;
    }
    if (url.pathname === '/api/hop-by-hop') {
      req.resume();
      // A header named in Connection, and a repeated one, as a server may send them.
      res.writeHead(200, [
        'Connection',
        'X-Upstream-Hop',
        'X-Upstream-Hop',
        'internal',
        'Link',
        '</a>; rel=preload',
        'Link',
        '</b>; rel=preload',
        'Content-Length',
        '2',
      ]);
      res.end('ok');
      return;
    }
    if (url.pathname === '/api/download') {
      const total = Number(url.searchParams.get('bytes'));
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const block = Buffer.alloc(64 * 1024, 'abcdefgh');
      let sent = 0;
      const pump = () => {
        while (sent < total) {
          const piece = block.subarray(0, Math.min(block.length, total - sent));
          sent += piece.length;
          if (!res.write(piece)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
      return;
    }
    if (url.pathname === '/api/stream') {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first\n');
      releaseStream = () => res.end('last\n');
      return;
    }
    if (url.pathname === '/api/slow') {
      req.resume();
      setTimeout(() => res.writeHead(200).end('slow done'), Number(url.searchParams.get('ms')));
      return;
    }
    req.resume();
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    release: () => releaseStream(),
    rejectNext(n) {
      rejections = n;
    },
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
