import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createWitboostAuth, isWitboostAuthError, type WitboostAuth } from '@wb/auth-core';
import { describe, expect, it } from 'vitest';
import { thrown } from './support/leaks.js';

/** Issue 12, items 5 and 6: an attacker who controls inputs or the server must not grow us without bound. */

/** A JWT the client can read (`exp`/`iat`): it decodes, it never verifies. */
function readableJwt(lifetimeSeconds: number): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ sub: 'svc', iat: now, exp: now + lifetimeSeconds })}.c2ln`;
}

/** Answers every exchange at once, without a network round trip. */
const instantExchange: typeof fetch = async () =>
  new Response(JSON.stringify({ jwt: readableJwt(3600) }), {
    status: 200,
    headers: { 'content-type': 'application/json' },
  });

describe('unbounded growth', () => {
  it('10,000 distinct getToken({ scope }) calls keep a bounded number of scopes', async () => {
    const auth: WitboostAuth = createWitboostAuth({
      baseUrl: 'https://witboost.example.com',
      accessToken: 'wbat-Qz9_Lm4-Kp2Rt7Vw1Yb6Nc3Hd5Jf0Gs8X',
      fetch: instantExchange,
    });
    try {
      // Issue 12 measured 50,000 (about 62 MB kept); 10,000 is plenty to show a bound, in a few seconds.
      for (let batch = 0; batch < 100; batch++) {
        await Promise.all(
          Array.from({ length: 100 }, (_, i) =>
            auth.getToken({ scope: `attacker:scope-${batch * 100 + i}` }),
          ),
        );
      }
      const status = auth.status();
      // Whatever the bound is (slots in flight are kept), it is far below what was asked for.
      expect(status.scopes.length).toBeLessThanOrEqual(200);
    } finally {
      await auth.close();
    }
  }, 120_000);

  it('a huge exchange response is cut off early with invalid_exchange_response', async () => {
    let written = 0;
    const server = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(1 << 20, 0x20);
      const pump = () => {
        // 256 MB of whitespace before the JSON: far beyond any JWT answer.
        while (written < 256 << 20) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end('{"jwt":"x"}');
      };
      res.on('close', () => res.destroy());
      pump();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const auth = createWitboostAuth({
      baseUrl: `http://127.0.0.1:${port}`,
      accessToken: 'wbat-Qz9_Lm4-Kp2Rt7Vw1Yb6Nc3Hd5Jf0Gs8X',
    });
    try {
      const error = await thrown(() => auth.getToken());
      expect(isWitboostAuthError(error) && error.code).toBe('invalid_exchange_response');
      // Socket buffers hold a few MB at most: the client stopped reading long before 256 MB.
      expect(written).toBeLessThan(32 << 20);
    } finally {
      await auth.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  }, 60_000);
});
