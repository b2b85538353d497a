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

  it('sends the calls of one turn as one MGET and one script, and one PUBLISH', async () => {
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
    expect(await redis.command(['CONFIG', 'RESETSTAT'])).toBe('+OK');
    const tags = Array.from({ length: 40 }, (_, i) => `{t${i}}`);
    const [values, leases, again] = await Promise.all([
      Promise.all(['{x}', ...tags].map((tag) => store.get(`${tag}:jwt`))),
      Promise.all(tags.map((tag) => store.setIfAbsent(`${tag}:lease`, 'me', 5_000))),
      Promise.all(tags.map((tag) => store.setIfAbsent(`${tag}:lease`, 'you', 5_000))),
      store.publish?.('one'),
      store.publish?.('two'),
    ]);
    expect(values).toEqual(['kept', ...tags.map(() => undefined)]);
    expect(leases.every(Boolean)).toBe(true);
    expect(again.some(Boolean)).toBe(false); // same turn, after the first: in order, NX refused
    const stats = await redis.command(['INFO', 'commandstats']);
    const calls = (name: string) =>
      Number(new RegExp(`cmdstat_${name}:calls=(\\d+)`).exec(stats)?.[1] ?? 0);
    // (SETs run inside the script count as SET calls too: Redis counts them.)
    expect([calls('mget'), calls('eval'), calls('publish'), calls('get')]).toEqual([1, 1, 1, 0]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(got).toEqual(['one', 'two']); // one message, two lines, two notifications
    await stop?.();
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
