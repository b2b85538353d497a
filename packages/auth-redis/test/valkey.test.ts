// The same store over Valkey (`valkey-server`, e.g. Debian 12's bookworm-backports package),
// when it is installed; a machine without it skips this file and says so.
import { createWitboostAuth, type WitboostAuth, type WitboostAuthEvent } from '@wb/auth-core';
import { redisTokenStore } from '@wb/auth-redis';
import { hasRedisServer, type RedisServer, startRedisServer } from '@wb/redis-harness';
import { startWitboostMock, type WitboostMock } from '@wb/witboost-mock';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const present = hasRedisServer('valkey-server');
if (!present) console.warn('valkey-server is not on the PATH: the Valkey tests are skipped');

describe.skipIf(!present)('redisTokenStore over Valkey', () => {
  let valkey: RedisServer;
  let wb: WitboostMock;
  beforeAll(async () => {
    valkey = await startRedisServer({ binary: 'valkey-server' });
    wb = await startWitboostMock({ port: 0 });
  });
  afterAll(async () => {
    await wb.close();
    await valkey.stop();
  });

  const connect = () =>
    createClient({ url: valkey.url })
      .on('error', () => {})
      .connect();

  it('is Valkey, and runs the store calls, the miss script and its NOSCRIPT fallback', async () => {
    expect(await valkey.command(['INFO', 'server'])).toMatch(/valkey_version:\d+/);
    const client = await connect();
    const prefix = `v${Math.random().toString(36).slice(2)}:`;
    const store = redisTokenStore({ client, keyPrefix: prefix });
    await store.set('{a}:jwt', 'v1', 60_000);
    expect(await store.get('{a}:jwt')).toBe('v1');
    expect(await client.pTTL(`${prefix}{a}:jwt`)).toBeGreaterThan(59_000);
    expect(await store.setIfAbsent('{a}:lease', 'me', 5_000)).toBe(true);
    expect(await store.deleteIfEquals('{a}:lease', 'you')).toBe(false);
    expect(await store.deleteIfEquals('{a}:lease', 'me')).toBe(true);
    expect(await valkey.command(['SCRIPT', 'FLUSH'])).toBe('+OK');
    const lease = { key: '{a}:lease', value: 'me', ttlMs: 5_000 };
    expect(await store.readAndLease?.(['{a}:jwt', '{a}:mark'], lease)).toEqual({
      values: ['v1', undefined],
      leased: true,
    });
    expect(await store.readAndLease?.(['{a}:jwt', '{a}:mark'], lease)).toEqual({
      values: ['v1', undefined],
      leased: false,
    });
    const text = await valkey.command(['INFO', 'commandstats']);
    expect(text).toMatch(/cmdstat_evalsha:calls=\d+/);
    expect(text).toMatch(/cmdstat_eval:calls=\d+/); // the text went once, after SCRIPT FLUSH
    client.destroy();
  });

  it('shares one exchange between replicas and spreads invalidate()', async () => {
    const accessToken = wb.issueAccessToken();
    const before = wb.stats.exchanges.ok;
    const events: WitboostAuthEvent[] = [];
    const replica = async () => {
      const client = await connect();
      const auth = createWitboostAuth({
        baseUrl: wb.url,
        accessToken,
        store: redisTokenStore({ client }),
        onEvent: (event) => events.push(event),
      });
      return { client, auth };
    };
    const replicas = [await replica(), await replica()];
    const [a, b] = replicas.map((r) => r.auth) as [WitboostAuth, WitboostAuth];
    const [header, same] = await Promise.all([
      a.authorizationFor('/api/x'),
      b.authorizationFor('/api/x'),
    ]);
    expect(same).toBe(header);
    expect(wb.stats.exchanges.ok - before).toBe(1);
    a.invalidate(header as string);
    for (let i = 0; i < 100 && events.filter((e) => e.type === 'invalidated').length < 2; i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(events.filter((e) => e.type === 'invalidated')).toHaveLength(2); // b dropped its copy
    const [next, nextB] = await Promise.all([
      a.authorizationFor('/api/x'),
      b.authorizationFor('/api/x'),
    ]);
    expect(next).not.toBe(header);
    expect(nextB).toBe(next);
    expect(wb.stats.exchanges.ok - before).toBe(2);
    expect(events.some((e) => e.type === 'store_state')).toBe(false);
    for (const { auth, client } of replicas) {
      await auth.close();
      client.destroy();
    }
  });
});
