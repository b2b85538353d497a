import { createWitboostAuth, isWitboostAuthError } from '@wb/auth-core';
import { redisTokenStore } from '@wb/auth-redis';
import { type RedisServer, startRedisServer } from '@wb/redis-harness';
import { startWitboostMock, type WitboostMock } from '@wb/witboost-mock';
import { createClient } from 'redis';
import { createClient as createClient5 } from 'redis5';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let redis: RedisServer;
let wb: WitboostMock;

beforeAll(async () => {
  redis = await startRedisServer();
  wb = await startWitboostMock({ port: 0 });
});

afterAll(async () => {
  await wb.close();
  await redis.stop();
});

describe('README', () => {
  it('shares one exchange between two replicas over Redis', async () => {
    const accessToken = wb.issueAccessToken();
    const before = wb.stats.exchanges.ok;
    const replicas = await Promise.all(
      [1, 2].map(async () => {
        const client = await createClient({ url: redis.url })
          .on('error', () => {})
          .connect();
        const auth = createWitboostAuth({
          baseUrl: wb.url,
          accessToken,
          store: redisTokenStore({ client }),
        });
        return { client, auth };
      }),
    );
    const [a, b] = await Promise.all(replicas.map(({ auth }) => auth.getToken()));
    expect(a).toBe(b);
    expect(wb.stats.exchanges.ok - before).toBe(1);
    for (const { auth, client } of replicas) {
      await auth.close();
      client.destroy();
    }
  });
});

// The same calls through both majors of the peer range (their client types differ, hence the cast).
const majors = [
  ['redis 6', createClient],
  ['redis 5', createClient5 as unknown as typeof createClient],
] as const;

describe.each(majors)('redisTokenStore over %s', (_, create) => {
  it('sets with a TTL, leases with SET NX PX, compares before deleting, under its prefix', async () => {
    const client = await create({ url: redis.url })
      .on('error', () => {})
      .connect();
    const prefix = `t${Math.random().toString(36).slice(2)}:`;
    const store = redisTokenStore({ client, keyPrefix: prefix });
    expect(await store.get('{a}:jwt')).toBeUndefined();
    await store.set('{a}:jwt', 'v1', 60_000);
    expect(await store.get('{a}:jwt')).toBe('v1');
    expect(await client.pTTL(`${prefix}{a}:jwt`)).toBeGreaterThan(59_000);
    expect(await store.setIfAbsent('{a}:lease', 'me', 5_000)).toBe(true);
    expect(await store.setIfAbsent('{a}:lease', 'you', 5_000)).toBe(false);
    expect(await store.deleteIfEquals('{a}:lease', 'you')).toBe(false);
    expect(await store.deleteIfEquals('{a}:lease', 'me')).toBe(true);
    expect(await store.get('{a}:lease')).toBeUndefined();
    await store.set('{a}:short', 'x', 20);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await store.get('{a}:short')).toBeUndefined();
    expect((await client.keys(`${prefix}*`)).sort()).toEqual([`${prefix}{a}:jwt`]);
    client.destroy();
  });

  it('sends the calls of one turn as one command: reads as one MGET, else one script', async () => {
    const client = await create({ url: redis.url })
      .on('error', () => {})
      .connect();
    const store = redisTokenStore({
      client,
      keyPrefix: `b${Math.random().toString(36).slice(2)}:`,
    });
    await store.set('{x}:jwt', 'kept', 60_000);
    const got: string[] = [];
    const stop = await store.subscribe?.((m) => got.push(m));
    const tags = Array.from({ length: 40 }, (_, i) => `{t${i}}`);
    const stats = async () => {
      const text = await redis.command(['INFO', 'commandstats']);
      const calls = (name: string) =>
        Number(new RegExp(`cmdstat_${name}:calls=(\\d+)`).exec(text)?.[1] ?? 0);
      return ['mget', 'get', 'evalsha', 'eval', 'publish'].map(calls);
    };

    expect(await redis.command(['CONFIG', 'RESETSTAT'])).toBe('+OK');
    const values = await Promise.all(['{x}', ...tags].map((tag) => store.get(`${tag}:jwt`)));
    expect(values).toEqual(['kept', ...tags.map(() => undefined)]);
    expect(await stats()).toEqual([1, 0, 0, 0, 0]);

    // A turn with writes: one script call, by its SHA-1; the text only after SCRIPT FLUSH
    // (NOSCRIPT), and never again once Redis knows it. The calls keep their order.
    expect(await redis.command(['SCRIPT', 'FLUSH'])).toBe('+OK');
    for (const [round, owner] of [
      [0, 'me'],
      [1, 'you'],
    ] as const) {
      expect(await redis.command(['CONFIG', 'RESETSTAT'])).toBe('+OK');
      const [value, leases, again, misses] = await Promise.all([
        store.get('{x}:jwt'),
        Promise.all(tags.map((tag) => store.setIfAbsent(`${tag}:lease`, owner, 5_000))),
        Promise.all(tags.map((tag) => store.setIfAbsent(`${tag}:lease`, 'other', 5_000))),
        Promise.all(tags.map((tag) => store.get(`${tag}:jwt`))),
        store.publish?.(`one ${round}`),
        store.publish?.(`two ${round}`),
      ]);
      expect(value).toBe('kept');
      expect(leases.every(Boolean)).toBe(round === 0);
      expect(again.some(Boolean)).toBe(false); // same turn, after the first: NX refused
      expect(misses.every((v) => v === undefined)).toBe(true);
      // (GETs and SETs run inside the script count as calls of their own: Redis counts them.)
      expect(await stats()).toEqual([0, 41, 1, round === 0 ? 1 : 0, 1]);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(got).toEqual(['one 0', 'two 0', 'one 1', 'two 1']); // one message a turn, a line each
    await stop?.();
    client.destroy();
  });

  it('reads and leases a miss in one script call, and fails only a refused write', async () => {
    const client = await create({ url: redis.url })
      .on('error', () => {})
      .connect();
    const prefix = `r${Math.random().toString(36).slice(2)}:`;
    const store = redisTokenStore({ client, keyPrefix: prefix });
    const lease = (value: string) => ({ key: '{k}:lease', value, ttlMs: 5_000 });
    await store.readAndLease?.(['{w}:jwt'], { key: '{w}:lease', value: 'me', ttlMs: 9 }); // known
    expect(await redis.command(['CONFIG', 'RESETSTAT'])).toBe('+OK');
    expect(await store.readAndLease?.(['{k}:jwt', '{k}:mark'], lease('me'))).toEqual({
      values: [undefined, undefined],
      leased: true,
    });
    const text = await redis.command(['INFO', 'commandstats']);
    const calls = (name: string) =>
      Number(new RegExp(`cmdstat_${name}:calls=(\\d+)`).exec(text)?.[1] ?? 0);
    // One EVALSHA; the two GETs and the SET NX ran inside it (Redis counts those, too).
    expect(['evalsha', 'eval', 'mget', 'get', 'set'].map(calls)).toEqual([1, 0, 0, 2, 1]);
    await client.set(`${prefix}{k}:jwt`, 'sealed');
    await client.lPush(`${prefix}{k}:mark`, 'not a string'); // another type reads as nothing
    expect(await store.readAndLease?.(['{k}:jwt', '{k}:mark'], lease('you'))).toEqual({
      values: ['sealed', undefined],
      leased: false,
    });
    expect(await client.get(`${prefix}{k}:lease`)).toBe('me');

    // Full (noeviction): the writes of a turn are refused, its reads still answer.
    await redis.command(['CONFIG', 'SET', 'maxmemory-policy', 'noeviction']);
    await redis.command(['CONFIG', 'SET', 'maxmemory', '1']);
    try {
      const [read, leased, combined] = await Promise.allSettled([
        store.get('{k}:jwt'),
        store.setIfAbsent('{other}:lease', 'me', 5_000),
        store.readAndLease?.(['{n}:jwt', '{n}:mark'], { key: '{n}:lease', value: 'me', ttlMs: 9 }),
      ]);
      expect(read).toEqual({ status: 'fulfilled', value: 'sealed' });
      expect(leased.status).toBe('rejected');
      expect(String((leased as PromiseRejectedResult).reason)).toMatch(/refused the write: OOM/);
      expect(combined.status).toBe('rejected');
    } finally {
      await redis.command(['CONFIG', 'SET', 'maxmemory', '0']);
    }
    client.destroy();
  });

  it('publishes changes to every subscriber over one duplicate connection', async () => {
    const client = await create({ url: redis.url })
      .on('error', () => {})
      .connect();
    const store = redisTokenStore({ client, keyPrefix: 'pubsub:' });
    const got: string[] = [];
    const stopA = await store.subscribe?.((m) => got.push(`a ${m}`));
    const stopB = await store.subscribe?.((m) => got.push(`b ${m}`));
    const clients = async () =>
      String(await client.sendCommand(['CLIENT', 'LIST']))
        .split('\n')
        .filter(Boolean).length;
    const connected = await clients();
    await store.publish?.('hello');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(got.sort()).toEqual(['a hello', 'b hello']);
    await stopA?.();
    await stopB?.();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await clients()).toBe(connected - 1);
    client.destroy();
  });
});

describe('redisTokenStore options', () => {
  it('rejects a missing client and a prefix that would break the hash tag, with typed errors', () => {
    const attempts = [
      () => redisTokenStore({} as never),
      () => redisTokenStore(undefined as never),
      () => redisTokenStore({ client: { get() {} } } as never),
      () => redisTokenStore({ client: createClient(), keyPrefix: 'a{b}:' }),
      () => redisTokenStore({ client: createClient(), keyPrefix: 42 as never }),
    ];
    for (const attempt of attempts) {
      const error = (() => {
        try {
          attempt();
        } catch (e) {
          return e;
        }
      })();
      expect(isWitboostAuthError(error) && error.code).toBe('invalid_options');
      expect((error as Error).message).toMatch(/redisTokenStore/);
    }
  });
});
