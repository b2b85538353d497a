import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A server listening on 127.0.0.1. */
export interface Listening {
  url: string;
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1, a free port; `close()` also ends keep-alive connections.
 *
 * @param handler - the request listener (an Express app, Koa's `app.callback()`, …)
 * @returns its URL and `close()`
 * @example
 * ```ts
 * import { listen } from '@wb/middleware-contract';
 * const server = await listen(app.callback());
 * ```
 */
export async function listen(handler: Parameters<typeof createServer>[1]): Promise<Listening> {
  const server: Server = createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/**
 * A server on another origin that records the headers it receives.
 *
 * @returns the server and the headers of every request it saw
 * @example
 * ```ts
 * import { foreignServer } from '@wb/middleware-contract';
 * const foreign = await foreignServer();
 * ```
 */
export async function foreignServer(): Promise<Listening & { seen: IncomingHttpHeaders[] }> {
  const seen: IncomingHttpHeaders[] = [];
  const server = await listen((req, res) => {
    seen.push(req.headers);
    res.setHeader('content-type', 'application/json');
    res.end('{"foreign":true}');
  });
  return { ...server, seen };
}
