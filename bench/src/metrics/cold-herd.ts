import { createWitboostAuth } from '@wb/auth-core';
import type { BenchContext } from '../harness/context.js';
import { catalogUrl } from '../harness/context.js';
import type { BenchResult } from '../harness/result.js';

const CALLERS = 10_000;
/** Keeps the one exchange in flight long enough that the herd is certainly concurrent. */
const EXCHANGE_LATENCY_MS = 100;

/**
 * `cold_herd_exchanges`: exchanges the emulator sees when 10,000 callers ask a cold instance at
 * once, half through `getToken()` and half through `authorizationFor(url)`.
 */
export async function coldHerdMetric(ctx: BenchContext): Promise<BenchResult> {
  const { wb } = ctx;
  const auth = createWitboostAuth({
    baseUrl: wb.url,
    accessToken: wb.issueAccessToken(),
    durationSeconds: 3600,
  });
  wb.faults.setExchangeLatency(EXCHANGE_LATENCY_MS);
  try {
    const before = wb.stats.exchanges.total;
    const url = catalogUrl(wb);
    const calls = Array.from({ length: CALLERS }, (_, i) =>
      i % 2 === 0
        ? auth.getToken()
        : auth.authorizationFor(url).then((h) => h?.slice('Bearer '.length)),
    );
    const tokens = new Set(await Promise.all(calls));
    const exchanges = wb.stats.exchanges.total - before;
    if (tokens.size !== 1)
      throw new Error(`cold herd: callers got ${tokens.size} different tokens`);
    return {
      metric: 'cold_herd_exchanges',
      ours: exchanges,
      baseline: CALLERS,
      ratio: exchanges,
      goal: 1,
      better: 'lower',
      unit: 'exchanges',
      note: `${CALLERS} concurrent cold callers (getToken / authorizationFor), exchange latency ${EXCHANGE_LATENCY_MS} ms; baseline = callers, the exchanges of a cache without single-flight; every caller got the same JWT`,
    };
  } finally {
    wb.faults.setExchangeLatency(0);
    await auth.close();
  }
}
