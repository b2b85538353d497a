// The store over a real 3-node Redis Cluster (redis-server --cluster-enabled yes, joined by
// redis-cli --cluster create), through node-redis createCluster of both peer majors: every key
// of one token lands in one slot, replicas share one exchange, and invalidate() reaches the
// others over the cluster's pub/sub.
import { createWitboostAuth, type WitboostAuth, type WitboostAuthEvent } from '@wb/auth-core';
import { redisTokenStore } from '@wb/auth-redis';
import { type RedisCluster, startRedisCluster } from '@wb/redis-harness';
import { startWitboostMock, type WitboostMock } from '@wb/witboost-mock';
import { createClient, createCluster } from 'redis';
import { createCluster as createCluster5 } from 'redis5';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let cluster: RedisCluster;
let wb: WitboostMock;

beforeAll(async () => {
  cluster = await startRedisCluster();
  wb = await startWitboostMock({ port: 0 });
}, 60_000);

afterAll(async () => {
  await wb?.close();
  await cluster?.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every key on every node (each node only lists its own slots). */
async function allKeys(): Promise<string[]> {
  const keys = await Promise.all(
    cluster.nodes.map(async (node) => {
      const client = await createClient({ url: node.url })
        .on('error', () => {})
        .connect();
      const found = await client.keys('*');
      client.destroy();
      return found;
    }),
  );
  return keys.flat().sort();
}

// Both majors of the peer range (their cluster types differ, hence the cast).
const majors = [
  ['redis 6', createCluster],
  ['redis 5', createCluster5 as unknown as typeof createCluster],
] as const;

describe.each(majors)('redisTokenStore over a Redis Cluster with %s', (_, create) => {
  it('shares one exchange, keeps a token’s keys in one slot, and spreads invalidate()', async () => {
    const keyPrefix = `c${Math.random().toString(36).slice(2, 8)}:`;
    const accessToken = wb.issueAccessToken();
    const events: WitboostAuthEvent[] = [];
    const replicas = await Promise.all(
      [1, 2].map(async () => {
        const client = await create({ rootNodes: [...cluster.rootNodes] })
          .on('error', () => {})
          .connect();
        const auth = createWitboostAuth({
          baseUrl: wb.url,
          accessToken,
          store: redisTokenStore({ client, keyPrefix }),
          onEvent: (event) => events.push(event),
        });
        return { client, auth };
      }),
    );
    const [a, b] = replicas.map((r) => r.auth) as [WitboostAuth, WitboostAuth];
    const before = wb.stats.exchanges.ok;
    const [ja, jb] = await Promise.all([a.getToken(), b.getToken()]);
    expect(ja).toBe(jb);
    expect(wb.stats.exchanges.ok - before).toBe(1);

    // One token: one hash tag, one slot, for its value, its lease and its mark.
    const mine = (await allKeys()).filter((k) => k.startsWith(keyPrefix) && k.endsWith(':jwt'));
    expect(mine).toHaveLength(1);
    const tag = /\{[^}]+\}/.exec(mine[0] as string)?.[0] as string;
    const slots = await Promise.all(
      ['jwt', 'lease', 'mark'].map((kind) =>
        cluster.nodes[0]?.command(['CLUSTER', 'KEYSLOT', `${keyPrefix}${tag}:${kind}`]),
      ),
    );
    expect(new Set(slots).size).toBe(1);
    expect(events.some((e) => e.type === 'store_state')).toBe(false);

    // invalidate() on one replica removes the shared JWT; the other drops its copy (pub/sub).
    a.invalidate(`Bearer ${ja}`);
    for (let i = 0; i < 100 && events.filter((e) => e.type === 'invalidated').length < 2; i++)
      await sleep(20);
    expect(events.filter((e) => e.type === 'invalidated')).toHaveLength(2);
    const [na, nb] = await Promise.all([a.getToken(), b.getToken()]);
    expect(na).not.toBe(ja);
    expect(nb).toBe(na);
    expect(wb.stats.exchanges.ok - before).toBe(2);

    for (const { auth, client } of replicas) {
      await auth.close();
      client.destroy();
    }
  });

  it('reads and leases a miss in one script call in its token’s slot', async () => {
    const client = await create({ rootNodes: [...cluster.rootNodes] })
      .on('error', () => {})
      .connect();
    const prefix = `s${Math.random().toString(36).slice(2, 8)}:`;
    const store = redisTokenStore({ client, keyPrefix: prefix });
    const lease = (value: string) => ({ key: '{t}:lease', value, ttlMs: 5_000 });
    await Promise.all(cluster.nodes.map((node) => node.command(['CONFIG', 'RESETSTAT'])));
    expect(await store.readAndLease?.(['{t}:jwt', '{t}:mark'], lease('me'))).toEqual({
      values: [undefined, undefined],
      leased: true,
    });
    await store.set('{t}:jwt', 'sealed', 60_000);
    expect(await store.readAndLease?.(['{t}:jwt', '{t}:mark'], lease('you'))).toEqual({
      values: ['sealed', undefined],
      leased: false,
    });
    expect(await store.deleteIfEquals('{t}:lease', 'me')).toBe(true);
    const stats = await Promise.all(
      cluster.nodes.map((node) => node.command(['INFO', 'commandstats'])),
    );
    const calls = (name: string) =>
      stats.reduce(
        (n, text) => n + Number(new RegExp(`cmdstat_${name}:calls=(\\d+)`).exec(text)?.[1] ?? 0),
        0,
      );
    // Two reads with a lease, and the compare-and-delete: three script calls (plus, on a node
    // that had not seen the script, one EVAL after its NOSCRIPT), one plain SET.
    expect(calls('evalsha')).toBe(3);
    expect(calls('eval')).toBeLessThanOrEqual(1);
    expect(calls('mget')).toBe(0);
    client.destroy();
  });
});
