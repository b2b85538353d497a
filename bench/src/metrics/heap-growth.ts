import { createWitboostAuth } from '@wb/auth-core';
import type { BenchContext } from '../harness/context.js';
import { catalogUrl } from '../harness/context.js';
import { retainedGrowth } from '../harness/heap.js';
import type { BenchResult } from '../harness/result.js';
import { round } from '../harness/stats.js';

const MB = 1024 * 1024;

/**
 * `heap_growth_per_1m_calls_mb`: heap still used after full GCs once 1,000,000 warm
 * `authorizationFor` calls are done, minus the figure before them. The baseline is the same
 * measurement of a constant async function: the noise floor of the method.
 */
export async function heapGrowthMetric(ctx: BenchContext): Promise<BenchResult> {
  const { wb } = ctx;
  const calls = ctx.quick ? 200_000 : 1_000_000;
  const auth = createWitboostAuth({
    baseUrl: wb.url,
    accessToken: wb.issueAccessToken(),
    durationSeconds: 3600,
  });
  try {
    const url = catalogUrl(wb);
    await auth.getToken();
    const limitHeader = 'Bearer x';
    const floor = await retainedGrowth(async () => limitHeader, calls, 100_000);
    const ours = await retainedGrowth(() => auth.authorizationFor(url), calls, 100_000);
    const oursMb = (ours / MB) * (1_000_000 / calls);
    return {
      metric: 'heap_growth_per_1m_calls_mb',
      ours: round(oursMb, 3),
      baseline: round((floor / MB) * (1_000_000 / calls), 3),
      ratio: round(oursMb, 3),
      goal: 1,
      better: 'lower',
      unit: 'MB',
      note: `retained heap after full GCs over ${calls.toLocaleString('en-US')} warm authorizationFor calls${calls === 1_000_000 ? '' : ' (scaled to 1M)'}; baseline = same method on async () => constant (noise floor)`,
    };
  } finally {
    await auth.close();
  }
}
