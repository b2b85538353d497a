import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createWitboostAuth,
  fromFile,
  redactToken,
  type WitboostAuth,
  type WitboostAuthEvent,
  type WitboostAuthOptions,
} from '@wb/auth-core';
import { startWitboostMock, type WitboostMock } from '@wb/witboost-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectNoSecret } from './helpers.js';

const CG = 'service:computational-governance';
let wb: WitboostMock;
let instances: WitboostAuth[] = [];
const cleanups: Array<() => Promise<unknown>> = [];

beforeEach(async () => {
  wb = await startWitboostMock({ port: 0 });
});

afterEach(async () => {
  await Promise.all(instances.map((auth) => auth.close()));
  instances = [];
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
  await wb.close();
});

function create(options: Partial<WitboostAuthOptions> = {}): WitboostAuth {
  const auth = createWitboostAuth({
    baseUrl: wb.url,
    accessToken: wb.issueAccessToken(),
    ...options,
  });
  instances.push(auth);
  return auth;
}

const validate = (auth: WitboostAuth) =>
  auth.fetch('/api/computational-governance/validate', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ policy: 'require-owner', resource: { owner: 'team-a' } }),
  });

describe('@wb/auth-core against the Witboost emulator', () => {
  it('a cold herd of 200 concurrent getToken calls causes one exchange', async () => {
    const auth = create();
    const tokens = await Promise.all(Array.from({ length: 200 }, () => auth.getToken()));
    expect(new Set(tokens).size).toBe(1);
    expect(wb.stats.exchanges.total).toBe(1);
  });

  it('chooses the Computational Governance scope from the URL', async () => {
    const auth = create();
    const [catalog, governance] = await Promise.all([
      auth.fetch('/api/catalog/entities'),
      validate(auth),
    ]);
    expect(catalog.status).toBe(200);
    expect(governance.status).toBe(200);
    expect(await governance.json()).toMatchObject({ satisfiesPolicy: true });
    expect(wb.stats.exchanges.byScope).toEqual({ '(none)': 1, [CG]: 1 });
    // A catalog JWT is not enough for CG: the scope really matters on the server.
    const plain = await auth.getToken();
    const res = await fetch(`${wb.url}/api/computational-governance/validate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${plain}` },
      body: JSON.stringify({ policy: 'x' }),
    });
    expect(res.status).toBe(403);
  });

  it('an outage (503s, then a 429 with Retry-After) shorter than the token life fails no call', async () => {
    const failures: WitboostAuthEvent[] = [];
    const auth = create({
      durationSeconds: 4,
      refresh: {
        refreshAtRatio: 0.25,
        jitterRatio: 0.05,
        initialBackoffMs: 50,
        maxBackoffMs: 1500,
      },
      onEvent: (e) => {
        if (e.type === 'exchange_failed') failures.push(e);
      },
    });
    expect((await auth.fetch('/api/catalog/entities')).status).toBe(200);
    expect((await validate(auth)).status).toBe(200);
    wb.faults.failNextExchanges(2, { status: 503 });
    wb.faults.failNextExchanges(1, { status: 429, retryAfterSeconds: 1 });
    const statuses: number[] = [];
    const end = Date.now() + 3200;
    while (Date.now() < end) {
      const [a, b] = await Promise.all([auth.fetch('/api/catalog/entities'), validate(auth)]);
      statuses.push(a.status, b.status);
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    expect(statuses.length).toBeGreaterThan(20);
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(wb.stats.exchanges.failed).toBe(3);
    expect(failures.map((e) => e.type === 'exchange_failed' && e.status).sort()).toEqual([
      429, 503, 503,
    ]);
    expect(failures.every((e) => e.type === 'exchange_failed' && e.background)).toBe(true);
    expect(wb.stats.exchanges.ok).toBeGreaterThanOrEqual(4);
    expect(wb.stats.protectedRequests.unauthorized).toBe(0);
  }, 10_000);

  it.each([3 * 3600, -3 * 3600])('a server clock skewed by %i s does not matter', async (skew) => {
    wb.faults.setClockSkew(skew);
    const auth = create({ durationSeconds: 60 });
    for (let i = 0; i < 20; i++) {
      expect((await auth.fetch('/api/catalog/entities')).status).toBe(200);
    }
    expect(wb.stats.exchanges.total).toBe(1);
  });

  it('a revoked access token fails with access_token_rejected, without a retry storm', async () => {
    const accessToken = wb.issueAccessToken();
    wb.revoke(accessToken);
    const auth = create({ accessToken });
    const results: PromiseSettledResult<unknown>[] = await Promise.allSettled(
      Array.from({ length: 50 }, () => auth.fetch('/api/catalog/entities')),
    );
    for (let i = 0; i < 10; i++) results.push(...(await Promise.allSettled([auth.getToken()])));
    expect(
      results.every((r) => r.status === 'rejected' && r.reason.code === 'access_token_rejected'),
    ).toBe(true);
    expect(wb.stats.exchanges.total).toBe(1);
    const first = results[0] as PromiseRejectedResult;
    expect(first.reason.status).toBe(401);
    expectNoSecret(first.reason, [accessToken]);
  });

  it('picks up a rotated access token from a file on the next exchange', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wb-auth-core-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, 'token');
    const first = wb.issueAccessToken({ subject: 'service-account:rotating' });
    await writeFile(file, `${first}\n`);
    const auth = create({ accessToken: fromFile(file, { checkIntervalMs: 0 }) });
    const jwt1 = await auth.getToken();

    // Regenerating revokes the old token: only a re-read file can make the next exchange work.
    const second = wb.issueAccessToken({ subject: 'service-account:rotating' });
    await writeFile(file, `${second}\n`);
    auth.invalidate(`Bearer ${jwt1}`);
    const jwt2 = await auth.getToken();
    expect(jwt2).not.toBe(jwt1);
    expect(wb.stats.exchanges.byAccessToken).toEqual({
      [redactToken(first)]: 1,
      [redactToken(second)]: 1,
    });
    expect((await auth.fetch('/api/catalog/entities')).status).toBe(200);
  });

  it('a redirect to a second local server carries no credential', async () => {
    const seen: IncomingHttpHeaders[] = [];
    const other: Server = createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('elsewhere');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => other.close(resolve)));
    const target = `http://127.0.0.1:${(other.address() as AddressInfo).port}/landing`;
    const auth = create();
    const res = await auth.fetch(`/__test/redirect?to=${encodeURIComponent(target)}&status=307`, {
      headers: { cookie: 'session=1' },
    });
    expect(await res.text()).toBe('elsewhere');
    expect(seen).toHaveLength(1);
    expect(seen[0]?.authorization).toBeUndefined();
    expect(seen[0]?.cookie).toBeUndefined();
    expect(wb.lastRequests.find((r) => r.path === '/__test/redirect')?.authScheme).toBe('Bearer');
  });

  it('replays once after a 401 from the API with a fresh JWT', async () => {
    const auth = create();
    const jwt = await auth.getToken();
    wb.faults.rejectJwt(jwt);
    const res = await auth.fetch('/api/catalog/entities');
    expect(res.status).toBe(200);
    expect(wb.stats.exchanges.total).toBe(2);
    expect(await auth.getToken()).not.toBe(jwt);
  });

  it('a PAT with less life left than durationSeconds still gets a shorter JWT', async () => {
    const events: WitboostAuthEvent[] = [];
    const auth = create({
      accessToken: wb.issueAccessToken({ expiresInSeconds: 100 }),
      durationSeconds: 300,
      onEvent: (event) => events.push(event),
    });
    const response = await auth.fetch('/api/catalog/entities');
    expect(response.status).toBe(200);
    // 300 s and 150 s are refused (400), 75 s fits in the 100 s the PAT has left.
    expect(wb.stats.exchanges.total).toBe(3);
    expect(events.find((event) => event.type === 'exchange')).toMatchObject({
      lifetimeSeconds: 75,
    });
    // Remembered: the next exchange (another scope) asks for 75 s at once.
    expect((await validate(auth)).status).toBe(200);
    expect(wb.stats.exchanges.total).toBe(4);
  });

  it('a PAT that cannot be exchanged for even a short JWT fails with exchange_bad_request', async () => {
    const accessToken = wb.issueAccessToken({ expiresInSeconds: 20 });
    const auth = create({ accessToken, durationSeconds: 300 });
    const error = await auth.getToken().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'exchange_bad_request', status: 400 });
    // 300, 150, 75, 37: then it stops halving.
    expect(wb.stats.exchanges.total).toBe(4);
    expectNoSecret(error, [accessToken]);
  });

  it('basic mode sends the access token as Basic, without exchanging', async () => {
    await wb.close();
    wb = await startWitboostMock({ port: 0, basicAuth: true });
    const auth = create({ mode: 'basic' });
    expect((await auth.fetch('/api/catalog/entities')).status).toBe(200);
    expect((await validate(auth)).status).toBe(200);
    expect(wb.stats.exchanges.total).toBe(0);
  });
});
