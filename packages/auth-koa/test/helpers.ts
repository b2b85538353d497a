import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createWitboostAuth, type WitboostAuth } from '@wb/auth-core';
import Koa3 from 'koa';
import Koa2 from 'koa2';

/**
 * Both supported Koa majors. The runtime is what these tests prove; the types of each major are
 * proven by test/types/*.types.ts, so Koa 2 is viewed through Koa 3's types here.
 */
export const koaMajors = [
  { major: 'koa 3', Koa: Koa3 },
  { major: 'koa 2', Koa: Koa2 as unknown as typeof Koa3 },
] as const;

export interface Listening {
  url: string;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1, a free port; `close()` also ends keep-alive connections. */
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

/** A server on another origin that records the headers it receives. */
export async function foreignServer(): Promise<Listening & { seen: IncomingHttpHeaders[] }> {
  const seen: IncomingHttpHeaders[] = [];
  const server = await listen((req, res) => {
    seen.push(req.headers);
    res.setHeader('content-type', 'application/json');
    res.end('{"foreign":true}');
  });
  return { ...server, seen };
}

/** Reads a JSON request body (tests need no body-parser dependency). */
export async function readJson(req: AsyncIterable<Uint8Array>): Promise<unknown> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of req) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/**
 * A service `WitboostAuth` that counts its live caller instances (created by `withAccessToken`,
 * not yet closed): proves evicted identities are closed, not just forgotten.
 */
export function countingAuth(
  baseUrl: string,
  accessToken: string,
): { auth: WitboostAuth; open: () => number } {
  const auth = createWitboostAuth({ baseUrl, accessToken });
  let open = 0;
  const counting: WitboostAuth = {
    ...auth,
    withAccessToken(token, principal) {
      const caller = auth.withAccessToken(token, principal);
      open++;
      let closed = false;
      const close = () => {
        if (!closed) open--;
        closed = true;
        return caller.close();
      };
      return { ...caller, close, [Symbol.asyncDispose]: close };
    },
  };
  return { auth: counting, open: () => open };
}
