import { createWitboostAuth, type WitboostAuth, type WitboostAuthEvent } from '@wb/auth-core';
import { startWitboostMock, type WitboostMock } from '@wb/witboost-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSharedCache } from '../src/store/shared-cache.js';
import { jwtFor } from './helpers.js';
import { memoryTokenStore } from './memory-token-store.js';

let wb: WitboostMock;
let instances: WitboostAuth[] = [];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeEach(async () => {
  wb = await startWitboostMock({ port: 0 });
});

afterEach(async () => {
  await Promise.all(instances.map((auth) => auth.close()));
  instances = [];
  await wb.close();
});

/** N "replicas" of one service: separate instances over one store, like pods over one Redis. */
function fleet(
  n: number,
  store: ReturnType<typeof memoryTokenStore>['store'],
  accessToken: string,
) {
  const events: WitboostAuthEvent[] = [];
  const replicas = Array.from({ length: n }, () =>
    createWitboostAuth({ baseUrl: wb.url, accessToken, store, onEvent: (e) => events.push(e) }),
  );
  instances.push(...replicas);
  return { replicas, events };
}

describe('createWitboostAuth({ store })', () => {
  it('lets replicas share one exchange, and keeps the warm path off the store', async () => {
    const memory = memoryTokenStore();
    const { replicas } = fleet(3, memory.store, wb.issueAccessToken());
    const headers = await Promise.all(replicas.map((auth) => auth.authorizationFor('/api/x')));
    expect(wb.stats.exchanges.ok).toBe(1);
    expect(new Set(headers).size).toBe(1);
    const calls = memory.calls.length;
    for (let i = 0; i < 100; i++) await replicas[i % 3]?.authorizationFor('/api/x');
    expect(memory.calls.length).toBe(calls);
  });

  it('shares the store with caller identities made by withAccessToken', async () => {
    const memory = memoryTokenStore();
    const { replicas } = fleet(2, memory.store, wb.issueAccessToken());
    const pat = wb.issueAccessToken({ subject: 'user:alice' });
    const callers = replicas.map((auth) => auth.withAccessToken(pat));
    instances.push(...callers);
    const [a, b] = await Promise.all(callers.map((auth) => auth.getToken()));
    expect(a).toBe(b);
    expect(wb.stats.exchanges.ok).toBe(1);
  });

  it('drops the other replicas’ copies after invalidate(), with one new exchange', async () => {
    const memory = memoryTokenStore();
    const { replicas, events } = fleet(2, memory.store, wb.issueAccessToken());
    const [a, b] = replicas as [WitboostAuth, WitboostAuth];
    const header = await a.authorizationFor('/api/x');
    expect(await b.authorizationFor('/api/x')).toBe(header);
    a.invalidate(header as string);
    await sleep(30);
    expect(events.filter((e) => e.type === 'invalidated')).toHaveLength(2);
    const [next, nextB] = await Promise.all([
      a.authorizationFor('/api/x'),
      b.authorizationFor('/api/x'),
    ]);
    expect(next).not.toBe(header);
    expect(nextB).toBe(next);
    expect(wb.stats.exchanges.ok).toBe(2);
  });

  it('installs a JWT another replica wrote in its place, without an exchange of its own', async () => {
    const memory = memoryTokenStore();
    const accessToken = wb.issueAccessToken();
    const { replicas } = fleet(1, memory.store, accessToken);
    const b = replicas[0] as WitboostAuth;
    const first = await b.getToken();
    const other = createSharedCache(memory.store, () => {});
    const now = Date.now();
    const newer = { jwt: jwtFor(300), refreshAt: now + 200_000, deadlineAt: now + 299_000 };
    const key = { accessToken, baseUrl: b.baseUrl, scope: undefined, durationSeconds: 300 };
    memory.entries.clear(); // as if the entry had expired there: the other replica exchanges
    await other.acquire(key, async () => newer, { refresh: true });
    await sleep(30);
    expect(await b.getToken()).toBe(newer.jwt);
    expect(first).not.toBe(newer.jwt);
    expect(wb.stats.exchanges.ok).toBe(1);
    await other.close();
  });

  it('serves every request through a dead store, saying so once', async () => {
    const memory = memoryTokenStore();
    memory.state.mode = 'throw';
    const { replicas, events } = fleet(1, memory.store, wb.issueAccessToken());
    for (let i = 0; i < 5; i++) {
      const auth = (replicas[0] as WitboostAuth).withAccessToken(wb.issueAccessToken());
      instances.push(auth);
      expect(await auth.authorizationFor('/api/x')).toMatch(/^Bearer /);
    }
    expect(events.filter((e) => e.type === 'store_state')).toHaveLength(1);
  });

  it('rejects a store that is not a TokenStore, and ignores one on a polluted prototype', () => {
    const base = { baseUrl: wb.url, accessToken: 'wbat-x' };
    expect(() => createWitboostAuth({ ...base, store: {} as never })).toThrow(
      /store must be a TokenStore/,
    );
    const proto = Object.prototype as Record<string, unknown>;
    proto.store = { get: 1 };
    try {
      instances.push(createWitboostAuth(base));
    } finally {
      delete proto.store;
    }
  });
});
