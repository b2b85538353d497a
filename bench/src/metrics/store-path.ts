import { createWitboostAuth } from '@wb/auth-core';
import { redisTokenStore } from '@wb/auth-redis';
import { startRedisServer } from '@wb/redis-harness';
import { createClient } from 'redis';
import type { BenchContext } from '../harness/context.js';
import { catalogUrl } from '../harness/context.js';
import { interleave } from '../harness/ops.js';
import type { BenchResult } from '../harness/result.js';
import { median, round } from '../harness/stats.js';

/**
 * `store_warm_path_vs_none` and `store_cold_added_ms`, in this process, over a real
 * `redis-server` on loopback.
 *
 * - warm: ops/s of `authorizationFor(url)` with a cached JWT, an instance with a store ÷ one
 *   without, in interleaved rounds (the warm path must never touch the store).
 * - cold: a new caller identity's first `getToken()` (a store miss: the reads and the lease
 *   in one command, then the exchange; the token is written back after the caller has it)
 *   against a new identity's first `getToken()` without a store (the exchange alone), on the same
 *   emulator, alternately; the median of the per-pair differences. After every sample, of
 *   either side, the same short pause lets the store's write and notice of the sample before
 *   land, so that neither side is charged for the other's background work.
 */
export async function storePathMetrics(ctx: BenchContext): Promise<BenchResult[]> {
  const { wb, quick } = ctx;
  const redis = await startRedisServer();
  const client = await createClient({ url: redis.url })
    .on('error', () => {})
    .connect();
  const base = { baseUrl: wb.url, durationSeconds: 3600 };
  const stored = createWitboostAuth({
    ...base,
    accessToken: wb.issueAccessToken(),
    store: redisTokenStore({ client }),
  });
  const plain = createWitboostAuth({ ...base, accessToken: wb.issueAccessToken() });
  try {
    const url = catalogUrl(wb);
    await Promise.all([stored.authorizationFor(url), plain.authorizationFor(url)]);
    const rounds = quick ? 3 : 7;
    const warm = await interleave(
      [
        { name: 'store', op: () => stored.authorizationFor(url) },
        { name: 'none', op: () => plain.authorizationFor(url) },
      ],
      { rounds, sampleMs: quick ? 100 : 250, warmupMs: quick ? 100 : 400 },
    );

    const pairs = quick ? 30 : 200;
    const settleMs = 5;
    const differences: number[] = [];
    const withStore: number[] = [];
    const without: number[] = [];
    const first = async (auth: typeof stored) => {
      const child = auth.withAccessToken(wb.issueAccessToken());
      const startedAt = performance.now();
      await child.getToken();
      const ms = performance.now() - startedAt;
      await child.close();
      await new Promise((resolve) => setTimeout(resolve, settleMs));
      return ms;
    };
    for (let i = 0; i < 10; i++) await Promise.all([first(stored), first(plain)]); // warm-up
    for (let i = 0; i < pairs; i++) {
      // Alternate which goes first, so neither always meets a warmer emulator.
      const a = i % 2 === 0 ? await first(stored) : undefined;
      const b = await first(plain);
      const s = a ?? (await first(stored));
      withStore.push(s);
      without.push(b);
      differences.push(s - b);
    }
    const added = median(differences);
    return [
      {
        metric: 'store_warm_path_vs_none',
        ours: Math.round(warm.median('store')),
        baseline: Math.round(warm.median('none')),
        ratio: round(warm.pairedRatio('store', 'none'), 2),
        goal: 0.95,
        better: 'higher',
        unit: 'ops/s',
        note: `warm authorizationFor(url), an instance with a redisTokenStore ÷ one without; medians of ${rounds} interleaved rounds, ratio = median of per-round ratios`,
      },
      {
        metric: 'store_cold_added_ms',
        ours: round(median(withStore), 2),
        baseline: round(median(without), 2),
        ratio: round(added, 2),
        goal: 2,
        better: 'lower',
        unit: 'ms',
        note: `first getToken() of a new caller identity with a store (miss: the reads and the lease in one script call, then the exchange; the write follows the hand-out) vs without (exchange only), ${pairs} alternating pairs on loopback, ${settleMs} ms pause after every sample; ours/baseline = medians, ratio = median of per-pair differences`,
      },
    ];
  } finally {
    await Promise.all([stored.close(), plain.close()]);
    client.destroy();
    await redis.stop();
  }
}
