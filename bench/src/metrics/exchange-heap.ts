import { createWitboostAuth } from '@wb/auth-core';
import type { BenchContext } from '../harness/context.js';
import { settledHeapUsed } from '../harness/heap.js';
import { jwtFetch } from '../harness/jwt-fetch.js';
import type { BenchResult } from '../harness/result.js';
import { round } from '../harness/stats.js';

const MB = 1024 * 1024;
const URL = 'https://witboost.example.com/api/catalog/entities';

/**
 * `heap_growth_per_10k_exchanges_mb`: heap still used after full GCs once one long-lived
 * instance made 10,000 exchanges (each forced by `invalidate()` of the header just handed out),
 * minus the figure after a 500-exchange warm-up. The warm-path heap metric cannot see a
 * per-exchange leak: warm calls do not exchange. Baseline: the same loop calling the fetch
 * stub directly (the noise floor of the method).
 */
export async function exchangeHeapMetric(ctx: BenchContext): Promise<BenchResult> {
  const exchanges = ctx.quick ? 2_000 : 10_000;
  const stub = jwtFetch();
  const auth = createWitboostAuth({
    baseUrl: 'https://witboost.example.com',
    accessToken: 'wbat-BenchExchangeHeap0123456789abcdefgh',
    fetch: stub.fetch,
  });
  const floor = await growth(500, exchanges, () =>
    stub.fetch(URL, { body: '{}' }).then((r) => r.text()),
  );
  const ours = await growth(500, exchanges, async () => {
    const header = await auth.authorizationFor(URL);
    auth.invalidate(header ?? '');
  });
  await auth.close();
  const scale = 10_000 / exchanges;
  const oursMb = (ours / MB) * scale;
  return {
    metric: 'heap_growth_per_10k_exchanges_mb',
    ours: round(oursMb, 3),
    baseline: round((floor / MB) * scale, 3),
    ratio: round(oursMb, 3),
    goal: 0.5,
    better: 'lower',
    unit: 'MB',
    note: `retained heap after full GCs over ${exchanges.toLocaleString('en-US')} exchanges of one instance (invalidate() after each)${exchanges === 10_000 ? '' : ', scaled to 10k'}; baseline = the same loop on the fetch stub alone`,
  };
}

async function growth(warmup: number, count: number, op: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < warmup; i++) await op();
  const before = await settledHeapUsed();
  for (let i = 0; i < count; i++) await op();
  return (await settledHeapUsed()) - before;
}
