import { createWitboostAuth } from '@wb/auth-core';
import type { BenchContext } from '../harness/context.js';
import { settledHeapUsed } from '../harness/heap.js';
import { jwtFetch } from '../harness/jwt-fetch.js';
import type { BenchResult } from '../harness/result.js';
import { median, round } from '../harness/stats.js';

const MB = 1024 * 1024;
const URL = 'https://witboost.example.com/api/catalog/entities';

/**
 * `heap_growth_per_10k_exchanges_mb`: heap still used after full GCs once one long-lived
 * instance made a block of exchanges (each forced by `invalidate()` of the header just handed
 * out), minus the figure before the block, per 10,000 exchanges: the median over several blocks.
 * The warm-path heap metric cannot see a per-exchange leak: warm calls do not exchange.
 * Baseline: the same blocks of the loop calling the fetch stub directly (the noise floor of the
 * method), interleaved with ours.
 */
export async function exchangeHeapMetric(ctx: BenchContext): Promise<BenchResult> {
  // A long warm-up: JIT code still grows for the first thousands of exchanges (heap snapshots
  // showed code and deoptimization data, not our objects, in the growth after 500).
  const warmup = ctx.quick ? 500 : 2_000;
  const block = ctx.quick ? 1_000 : 4_000;
  const rounds = ctx.quick ? 3 : 5;
  const stub = jwtFetch();
  const auth = createWitboostAuth({
    baseUrl: 'https://witboost.example.com',
    accessToken: 'wbat-BenchExchangeHeap0123456789abcdefgh',
    fetch: stub.fetch,
  });
  const contenders = {
    floor: () => stub.fetch(URL, { body: '{}' }).then((r) => r.text()),
    ours: async () => {
      const header = await auth.authorizationFor(URL);
      auth.invalidate(header ?? '');
    },
  };
  const growth = { floor: [] as number[], ours: [] as number[] };
  try {
    for (let i = 0; i < warmup; i++) {
      await contenders.floor();
      await contenders.ours();
    }
    for (let r = 0; r < rounds; r++) {
      // Alternate which goes first, so neither always follows the other's garbage.
      for (const name of r % 2 === 0
        ? (['ours', 'floor'] as const)
        : (['floor', 'ours'] as const)) {
        const before = await settledHeapUsed();
        for (let i = 0; i < block; i++) await contenders[name]();
        growth[name].push(((await settledHeapUsed()) - before) * (10_000 / block));
      }
    }
  } finally {
    await auth.close();
  }
  if (stub.count() < (warmup + rounds * block) * 2)
    throw new Error('exchange heap: an exchange was skipped');
  const oursMb = median(growth.ours) / MB;
  return {
    metric: 'heap_growth_per_10k_exchanges_mb',
    ours: round(oursMb, 3),
    baseline: round(median(growth.floor) / MB, 3),
    ratio: round(oursMb, 3),
    goal: 0.5,
    better: 'lower',
    unit: 'MB',
    note: `retained heap after full GCs (least of 8 readings) over a block of ${block.toLocaleString('en-US')} exchanges of one instance (invalidate() after each), scaled to 10k; median of ${rounds} blocks after ${warmup.toLocaleString('en-US')} warm-up exchanges; baseline = the same blocks of the loop on the fetch stub alone, interleaved`,
  };
}
