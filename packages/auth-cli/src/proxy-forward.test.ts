import { createServer, get, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type ForwardHooks, forward, upstreamOrigin } from './proxy-forward.js';

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    s.close();
  }
});

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const hooks: ForwardHooks = { onStatus: () => undefined, onUpstreamError: () => undefined };

function fetchRaw(url: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      res.resume();
      resolve(res);
    }).on('error', reject);
  });
}

describe('forward', () => {
  it('a draining server (connection: close set before) still passes repeated headers on', async () => {
    const upstream = await listen(
      createServer((_req, res) => {
        res.writeHead(200, ['Link', '</a>; rel=preload', 'Link', '</b>; rel=preload']);
        res.end('ok');
      }),
    );
    const target = upstreamOrigin(upstream);
    const front = await listen(
      createServer((req, res) => {
        // What the proxy server does for every request once SIGTERM came.
        res.setHeader('connection', 'close');
        forward(req, res, target, req.url ?? '/', 'Bearer x', 5_000, hooks);
      }),
    );
    const res = await fetchRaw(`${front}/api/x`);
    expect(res.statusCode).toBe(200);
    expect(res.headers.connection).toBe('close');
    expect(res.rawHeaders.filter((_, i, raw) => raw[i - 1] === 'Link')).toEqual([
      '</a>; rel=preload',
      '</b>; rel=preload',
    ]);
  });
});
