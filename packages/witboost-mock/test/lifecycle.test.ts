import { request } from 'node:http';
import { startWitboostMock, type WitboostMock } from '@wb/witboost-mock';
import { afterEach, describe, expect, test } from 'vitest';
import { exchange } from './helpers.js';

const started: WitboostMock[] = [];
async function start(options: Parameters<typeof startWitboostMock>[0] = {}) {
  const wb = await startWitboostMock(options);
  started.push(wb);
  return wb;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((wb) => wb.close()));
});

describe('startWitboostMock', () => {
  test('defaults to 127.0.0.1 on a free port, url without trailing slash', async () => {
    const wb = await start();
    expect(wb.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(wb.url).toBe(`http://127.0.0.1:${wb.port}`);
  });

  test.each([
    [{ port: -1 }, 'port must be an integer between 0 and 65535'],
    [{ port: 1.5 }, 'port must be'],
    [{ host: '' }, 'host must be a non-empty string'],
    [{ defaultDurationSeconds: 0 }, 'defaultDurationSeconds must be an integer >= 1'],
    [{ issuer: '' }, 'issuer must be a non-empty string'],
  ])('rejects %o eagerly', async (options, message) => {
    await expect(startWitboostMock(options)).rejects.toThrow(`[@wb/witboost-mock] ${message}`);
  });

  test('rejects when the port is taken', async () => {
    const wb = await start();
    await expect(startWitboostMock({ port: wb.port })).rejects.toThrow(/EADDRINUSE/);
  });
});

describe('close()', () => {
  test('does not hang on an open keep-alive connection, and is idempotent', async () => {
    const wb = await startWitboostMock({ port: 0 });
    // Resolves once the response is complete, with a promise of the kept-alive socket closing.
    const kept = await new Promise<{ closed: Promise<void> }>((resolve, reject) => {
      const req = request(`${wb.url}/.well-known/jwks.json`, {
        headers: { connection: 'keep-alive' },
      });
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => {
          // The socket stays open: the server would keep it for keepAliveTimeout.
          const socket = req.socket;
          resolve({ closed: new Promise<void>((done) => socket?.on('close', () => done())) });
        });
      });
      req.on('error', reject);
      req.end();
    });
    const before = performance.now();
    await wb.close();
    await wb.close();
    expect(performance.now() - before).toBeLessThan(1_000);
    await kept.closed;
    await expect(fetch(wb.url)).rejects.toThrow();
  });

  test('works with await using', async () => {
    let url = '';
    {
      await using wb = await startWitboostMock({ port: 0 });
      url = wb.url;
      expect((await fetch(`${url}/api/auth/jwks`)).status).toBe(200);
    }
    await expect(fetch(`${url}/api/auth/jwks`)).rejects.toThrow();
  });
});

describe('GET /__test/redirect', () => {
  test('answers a redirect to another origin, without following credentials itself', async () => {
    const wb = await start();
    const target = await start();
    const res = await fetch(
      `${wb.url}/__test/redirect?to=${encodeURIComponent(`${target.url}/api/catalog/entities`)}`,
      {
        redirect: 'manual',
      },
    );
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`${target.url}/api/catalog/entities`);

    // fetch follows and, being cross-origin, drops Authorization: the target sees no scheme.
    const jwt = await exchange(wb, wb.issueAccessToken());
    const followed = await fetch(
      `${wb.url}/__test/redirect?status=307&to=${encodeURIComponent(`${target.url}/api/catalog/entities`)}`,
      { headers: { authorization: `Bearer ${jwt}` } },
    );
    expect(followed.status).toBe(401);
    expect(target.lastRequests.at(-1)).toMatchObject({ authScheme: null, status: 401 });
  });

  test('rejects a missing target or a non-redirect status', async () => {
    const wb = await start();
    expect((await fetch(`${wb.url}/__test/redirect`)).status).toBe(400);
    expect((await fetch(`${wb.url}/__test/redirect?to=http://x.invalid&status=200`)).status).toBe(
      400,
    );
  });
});
