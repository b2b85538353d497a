import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createWitboostAuth, type WitboostAuth } from '@wb/auth-core';
import express5 from 'express';
import express4 from 'express4';

/**
 * Both supported Express majors. The runtime is what these tests prove; the types of each major
 * are proven by test/types/*.types.ts, so Express 4 is viewed through Express 5's types here.
 */
export const expressMajors = [
  { major: 'express 5', express: express5 },
  { major: 'express 4', express: express4 as unknown as typeof express5 },
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
