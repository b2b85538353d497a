import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createWitboostAuth, type WitboostAuth } from '@wb/auth-core';
import { afterEach, describe, expect, it } from 'vitest';
import { ACCESS_TOKEN, exchangeStub, jwtFor } from './helpers.js';

/** Inputs the WHATWG parser reads as protocol-relative; `HOST` is replaced by another host. */
const PROTOCOL_RELATIVE = [
  '//HOST/x',
  '\\\\HOST/x',
  '/\\HOST/x',
  '\\/HOST/x',
  ' //HOST/x',
  '/\t/HOST/x',
  '\n//HOST/x',
];

let servers: Server[] = [];
let auth: WitboostAuth | undefined;

afterEach(async () => {
  await auth?.close();
  auth = undefined;
  await Promise.all(
    servers.map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
  servers = [];
});

interface Hit {
  server: string;
  path: string;
  authorization: string | undefined;
}

async function recorder(name: string, hits: Hit[]): Promise<string> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.method === 'POST' && req.url?.endsWith('/api/auth/access-tokens/jwt')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ jwt: jwtFor(300) }));
      }
      hits.push({ server: name, path: req.url ?? '', authorization: req.headers.authorization });
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(name);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('protocol-relative request URLs', () => {
  it.each(
    PROTOCOL_RELATIVE.map((input) => [JSON.stringify(input), input.replace('HOST', 'evil.com')]),
  )('authorizationFor(%s) gives no credential', async (_name, input) => {
    const stub = exchangeStub();
    auth = createWitboostAuth({
      baseUrl: 'https://witboost.example.com/wb',
      accessToken: ACCESS_TOKEN,
      fetch: stub.fetch,
    });
    expect(new URL(input, 'https://witboost.example.com/wb/').host).toBe('evil.com');
    await expect(auth.authorizationFor(input)).resolves.toBeUndefined();
    expect(auth.isWitboostUrl(input)).toBe(false);
    expect(stub.calls).toHaveLength(0);
    // Ordinary relative paths keep the base-path semantics.
    await expect(auth.authorizationFor('/api/x')).resolves.toMatch(/^Bearer /);
    await expect(auth.authorizationFor(' api/x\n')).resolves.toMatch(/^Bearer /);
  });

  it('auth.fetch sends no credential to any of them, over real HTTP', async () => {
    const hits: Hit[] = [];
    const witboost = await recorder('witboost', hits);
    const foreign = await recorder('foreign', hits);
    auth = createWitboostAuth({ baseUrl: `http://${witboost}/wb`, accessToken: ACCESS_TOKEN });
    for (const input of PROTOCOL_RELATIVE) {
      const response = await auth.fetch(input.replace('HOST', foreign));
      expect(await response.text()).toBe('foreign');
    }
    expect(hits).toHaveLength(PROTOCOL_RELATIVE.length);
    expect(hits.filter((hit) => hit.authorization !== undefined)).toEqual([]);
    // The control: a relative path on the Witboost origin does get one.
    await auth.fetch('/api/x');
    expect(hits.at(-1)).toMatchObject({ server: 'witboost', path: '/wb/api/x' });
    expect(hits.at(-1)?.authorization).toMatch(/^Bearer /);
  });
});
