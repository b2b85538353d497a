import { describe, expect, it } from 'vitest';
import { ACCESS_TOKEN, jwtFor } from '../../test/helpers.js';
import { memoryTokenStore } from '../../test/memory-token-store.js';
import { WitboostAuthError } from '../errors.js';
import type { WitboostAuthEvent } from '../types.js';
import { createSharedCache, type SharedCacheTuning, type SlotKey } from './shared-cache.js';
import type { TokenStore } from './token-store.js';

const key: SlotKey = {
  accessToken: ACCESS_TOKEN,
  baseUrl: 'https://witboost.example.com',
  scope: undefined,
  durationSeconds: 300,
};
const fast: Partial<SharedCacheTuning> = {
  callTimeoutMs: 50,
  waitBoundMs: 400,
  pollMinMs: 5,
  pollMaxMs: 10,
  livePollMinMs: 5,
  livePollMaxMs: 10,
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function recordFor(lifetimeSeconds = 300) {
  const now = Date.now();
  return { jwt: jwtFor(lifetimeSeconds), refreshAt: now + 150_000, deadlineAt: now + 268_000 };
}

/** An exchange that counts its calls and takes `ms`. */
function exchanger(ms = 20, make = () => recordFor()) {
  const counter = {
    count: 0,
    run: async () => {
      counter.count++;
      await sleep(ms);
      return make();
    },
  };
  return counter;
}

/** The memory store with `readAndLease` (the reads and the lease in one call), counted. */
function withReadAndLease(store: TokenStore) {
  const counted = { calls: 0, fail: false, answer: undefined as unknown };
  const combined: TokenStore = {
    ...store,
    async readAndLease(keys, lease) {
      counted.calls++;
      if (counted.fail) throw new Error('connection reset');
      if (counted.answer !== undefined) return counted.answer as never;
      const values = await Promise.all(keys.map((k) => store.get(k)));
      return { values, leased: await store.setIfAbsent(lease.key, lease.value, lease.ttlMs) };
    },
  };
  return { store: combined, counted };
}

function replica(store: TokenStore, tuning = fast) {
  const events: WitboostAuthEvent[] = [];
  return { cache: createSharedCache(store, (e) => events.push(e), tuning), events };
}

describe('createSharedCache', () => {
  it('exchanges once across replicas started together; the others take the shared JWT', async () => {
    const memory = memoryTokenStore();
    const replicas = [replica(memory.store), replica(memory.store), replica(memory.store)];
    const exchange = exchanger(30);
    const results = await Promise.all(
      replicas.map(({ cache }) => cache.acquire(key, exchange.run, { refresh: false })),
    );
    expect(exchange.count).toBe(1);
    expect(results.map((r) => r.from).sort()).toEqual(['exchange', 'store', 'store']);
    expect(new Set(results.map((r) => r.record.jwt)).size).toBe(1);
    expect(JSON.stringify([...memory.entries])).not.toContain(results[0]?.record.jwt.slice(0, 20));
    await Promise.all(replicas.map(({ cache }) => cache.close()));
  });

  it('in refresh mode ignores a shared JWT past its refresh point', async () => {
    const memory = memoryTokenStore();
    const { cache } = replica(memory.store);
    const now = Date.now();
    const stale = { jwt: jwtFor(300), refreshAt: now + 30, deadlineAt: now + 200_000 };
    await cache.acquire(key, async () => stale, { refresh: false });
    await sleep(50);
    const hit = await cache.acquire(key, exchanger().run, { refresh: false });
    expect(hit.from).toBe('store');
    const exchange = exchanger();
    const refreshed = await cache.acquire(key, exchange.run, { refresh: true });
    expect(refreshed.from).toBe('exchange');
    expect(exchange.count).toBe(1);
    await cache.close();
  });

  it('waits for a lease holder only so long, then exchanges itself', async () => {
    const memory = memoryTokenStore();
    const a = replica(memory.store);
    const b = replica(memory.store);
    const never = a.cache.acquire(key, () => new Promise(() => {}), { refresh: false });
    void never;
    await sleep(20);
    const exchange = exchanger(1);
    const startedAt = Date.now();
    const result = await b.cache.acquire(key, exchange.run, { refresh: false });
    expect(result.from).toBe('exchange');
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(350);
    expect(Date.now() - startedAt).toBeLessThan(1_500);
    await Promise.all([a.cache.close(), b.cache.close()]);
  });

  it('falls back to its own exchange when the store hangs or throws, and says so once', async () => {
    for (const mode of ['hang', 'throw'] as const) {
      const memory = memoryTokenStore();
      memory.state.mode = mode;
      const { cache, events } = replica(memory.store);
      const exchange = exchanger(1);
      for (let i = 0; i < 6; i++) {
        const startedAt = Date.now();
        const result = await cache.acquire(key, exchange.run, { refresh: false });
        expect(result.from).toBe('exchange');
        expect(Date.now() - startedAt).toBeLessThan(200);
      }
      expect(exchange.count).toBe(6);
      const states = events.filter((e) => e.type === 'store_state');
      expect(states).toHaveLength(1);
      expect(states[0]).toMatchObject({ state: 'unavailable' });
      const calls = events.filter((e) => e.type === 'store_call');
      expect(calls.some((e) => e.outcome === (mode === 'hang' ? 'timeout' : 'error'))).toBe(true);
      await cache.close();
    }
  });

  it('treats an entry that does not decrypt as a miss and replaces it', async () => {
    const memory = memoryTokenStore();
    const { cache, events } = replica(memory.store);
    await cache.acquire(key, exchanger().run, { refresh: false });
    await sleep(5);
    for (const [name, entry] of memory.entries)
      memory.entries.set(name, { ...entry, value: 'garbage' });
    const exchange = exchanger(1);
    const result = await cache.acquire(key, exchange.run, { refresh: false });
    expect(result.from).toBe('exchange');
    expect(events.filter((e) => e.type === 'store_state')).toHaveLength(0);
    await sleep(5);
    const again = await cache.acquire(key, exchanger().run, { refresh: false });
    expect(again.from).toBe('store');
    await cache.close();
  });

  it('shares a 401 as a short marker and a 429 as a backoff', async () => {
    const memory = memoryTokenStore();
    const a = replica(memory.store);
    const b = replica(memory.store);
    const rejected = new WitboostAuthError('access_token_rejected', 'nope', { status: 401 });
    await expect(
      a.cache.acquire(key, () => Promise.reject(rejected), { refresh: false }),
    ).rejects.toBe(rejected);
    await sleep(5);
    const exchange = exchanger();
    const error = await b.cache
      .acquire(key, exchange.run, { refresh: false, principal: 'caller' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'access_token_rejected',
      status: 401,
      principal: 'caller',
    });
    expect(exchange.count).toBe(0);

    const other = { ...key, scope: 'service:computational-governance' };
    const limited = new WitboostAuthError('rate_limited', 'slow', {
      status: 429,
      retryAfterMs: 2_000,
    });
    await expect(
      a.cache.acquire(other, () => Promise.reject(limited), { refresh: false }),
    ).rejects.toBe(limited);
    await sleep(5);
    const backoff = await b.cache
      .acquire(other, exchange.run, { refresh: false })
      .catch((e: unknown) => e);
    expect(backoff).toMatchObject({ code: 'rate_limited', status: 429 });
    expect((backoff as WitboostAuthError).retryAfterMs).toBeGreaterThan(1_500);
    expect(exchange.count).toBe(0);
    await Promise.all([a.cache.close(), b.cache.close()]);
  });

  it('drop removes the shared JWT only if it is still the same, and tells the other replicas', async () => {
    const memory = memoryTokenStore();
    const a = replica(memory.store);
    const b = replica(memory.store);
    const first = await a.cache.acquire(key, exchanger().run, { refresh: false });
    await sleep(5); // a's own announcement has gone by
    const changes: string[] = [];
    const selfChanges: string[] = [];
    b.cache.watch(key, (change) => changes.push(change));
    a.cache.watch(key, (change) => selfChanges.push(change));
    await sleep(5);
    a.cache.drop(key, 'some.other.jwt');
    await sleep(10);
    expect((await b.cache.acquire(key, exchanger().run, { refresh: false })).from).toBe('store');
    a.cache.drop(key, first.record.jwt);
    await sleep(10);
    expect(changes).toEqual(['removed']);
    expect(selfChanges).toEqual([]);
    const exchange = exchanger();
    await b.cache.acquire(key, exchange.run, { refresh: false });
    expect(exchange.count).toBe(1);
    await sleep(10);
    expect(selfChanges).toEqual(['replaced']);
    await Promise.all([a.cache.close(), b.cache.close()]);
  });

  it('never hands the store a secret: keys and values are opaque', async () => {
    const memory = memoryTokenStore();
    const { cache } = replica(memory.store);
    const { record } = await cache.acquire(key, exchanger().run, { refresh: false });
    await sleep(5);
    const dump = JSON.stringify([...memory.entries]);
    for (const secret of [
      ACCESS_TOKEN,
      ACCESS_TOKEN.slice(5),
      record.jwt,
      ...record.jwt.split('.'),
    ]) {
      expect(dump).not.toContain(secret);
    }
    await cache.close();
  });

  it('hands the token out before writing it, and the write still lands', async () => {
    const memory = memoryTokenStore();
    let release: (() => void) | undefined;
    const slowSet: TokenStore = {
      ...memory.store,
      async set(...args) {
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        return memory.store.set(...args);
      },
    };
    const a = replica(slowSet);
    const { record, from } = await a.cache.acquire(key, exchanger(1).run, { refresh: false });
    expect(from).toBe('exchange');
    expect(release).toBeUndefined(); // the caller has it before the write is made
    await sleep(5);
    expect(release).toBeDefined(); // ...which then goes out, and stays pending
    expect([...memory.entries.keys()].some((k) => k.endsWith(':jwt'))).toBe(false);
    release?.();
    await sleep(5);
    const b = replica(memory.store);
    const shared = await b.cache.acquire(key, exchanger().run, { refresh: false });
    expect(shared).toEqual({ record, from: 'store' });
    await Promise.all([a.cache.close(), b.cache.close()]);
  });

  it('reports a write that fails after the hand-out as an event, never as a failure', async () => {
    const memory = memoryTokenStore();
    const failing: TokenStore = {
      ...memory.store,
      set: () => Promise.reject(new Error('OOM command not allowed')),
    };
    const { cache, events } = replica(failing);
    const result = await cache.acquire(key, exchanger(1).run, { refresh: false });
    expect(result.from).toBe('exchange');
    await sleep(5);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'store_call', op: 'set', outcome: 'error' }),
    );
    expect(memory.calls).toContain('deleteIfEquals'); // the lease is still given back
    await cache.close();
  });

  it('writes what is pending before drop() and close(), so nothing is lost or left behind', async () => {
    const memory = memoryTokenStore();
    const a = replica(memory.store);
    const first = await a.cache.acquire(key, exchanger(1).run, { refresh: false });
    a.cache.drop(key, first.record.jwt); // in the same tick: the write goes first, then the drop
    await sleep(10);
    expect([...memory.entries.keys()].some((k) => k.endsWith(':jwt'))).toBe(false);
    const other = { ...key, scope: 'service:computational-governance' };
    const second = await a.cache.acquire(other, exchanger(1).run, { refresh: false });
    await a.cache.close(); // in the same tick: the write is still made
    await sleep(10);
    const b = replica(memory.store);
    expect(await b.cache.acquire(other, exchanger().run, { refresh: false })).toEqual({
      record: second.record,
      from: 'store',
    });
    await b.cache.close();
  });

  it('reads and leases in one call when the store has readAndLease', async () => {
    const memory = memoryTokenStore();
    const { store, counted } = withReadAndLease(memory.store);
    const replicas = [replica(store), replica(store), replica(store)];
    const exchange = exchanger(30);
    const results = await Promise.all(
      replicas.map(({ cache }) => cache.acquire(key, exchange.run, { refresh: false })),
    );
    expect(exchange.count).toBe(1);
    expect(results.map((r) => r.from).sort()).toEqual(['exchange', 'store', 'store']);
    expect(memory.calls.filter((c) => c === 'get' || c === 'setIfAbsent')).toHaveLength(
      3 * counted.calls, // only through readAndLease: a token and a mark read, a lease
    );
    const events = replicas.flatMap((r) => r.events);
    const reads = events.filter((e) => e.type === 'store_call' && e.op === 'get');
    expect(reads).toHaveLength(counted.calls); // one call, one event
    expect(events.some((e) => e.type === 'store_call' && e.op === 'lease')).toBe(false);
    await sleep(5);
    const leases = [...memory.entries.keys()].filter((k) => k.endsWith(':lease'));
    expect(leases).toEqual([]); // every lease given back, the hits' ones included
    await Promise.all(replicas.map(({ cache }) => cache.close()));
  });

  it('exchanges at once when readAndLease fails or answers something malformed', async () => {
    for (const fault of ['throw', 'malformed'] as const) {
      const memory = memoryTokenStore();
      const { store, counted } = withReadAndLease(memory.store);
      if (fault === 'throw') counted.fail = true;
      else counted.answer = { values: ['x'], leased: 'yes' };
      const { cache, events } = replica(store);
      const exchange = exchanger(1);
      const startedAt = Date.now();
      const result = await cache.acquire(key, exchange.run, { refresh: false });
      expect(result.from).toBe('exchange');
      expect(Date.now() - startedAt).toBeLessThan(200);
      expect(events).toContainEqual(
        expect.objectContaining({ type: 'store_call', op: 'get', outcome: 'error' }),
      );
      await cache.close();
    }
  });
});
