import { fileURLToPath } from 'node:url';
import { startWitboostMock } from '@wb/witboost-mock';
import type { BenchContext } from './harness/context.js';
import { loadAverage, machineDescription } from './harness/machine.js';
import { formatTable, writeJson } from './harness/report.js';
import { type BenchResult, meetsGoal } from './harness/result.js';

/**
 * Each metric module, loaded lazily so one whose package is not built yet is reported, not fatal.
 * The process-pair metrics (Express, Koa, axios) run last: their processes load both cores, which
 * the in-process latency figures would feel.
 */
const METRICS: ReadonlyArray<{ name: string; run: (ctx: BenchContext) => Promise<BenchResult[]> }> =
  [
    {
      name: 'cold_herd_exchanges',
      run: async (ctx) => [await (await import('./metrics/cold-herd.js')).coldHerdMetric(ctx)],
    },
    {
      name: 'warm_header_vs_*',
      run: async (ctx) => (await import('./metrics/warm-header.js')).warmHeaderMetrics(ctx),
    },
    {
      name: 'warm_header_many_urls_vs_*',
      run: async (ctx) =>
        (await import('./metrics/warm-header-many-urls.js')).warmHeaderManyUrlsMetrics(ctx),
    },
    {
      name: 'warm_header_vs_limit_with_otel',
      run: async (ctx) => [
        await (await import('./metrics/warm-header-otel.js')).warmHeaderOtelMetric(ctx),
      ],
    },
    {
      name: 'rollover_p99_vs_steady',
      run: async (ctx) => [await (await import('./metrics/rollover.js')).rolloverMetric(ctx)],
    },
    {
      name: 'heap_growth_per_1m_calls_mb',
      run: async (ctx) => [await (await import('./metrics/heap-growth.js')).heapGrowthMetric(ctx)],
    },
    {
      name: 'identity_cache_bound',
      run: async (ctx) => [
        await (await import('./metrics/identity-cache.js')).identityCacheMetric(ctx),
      ],
    },
    {
      name: 'heap_growth_per_10k_exchanges_mb',
      run: async (ctx) => [
        await (await import('./metrics/exchange-heap.js')).exchangeHeapMetric(ctx),
      ],
    },
    {
      name: 'identity_memory_bytes',
      run: async (ctx) => [
        await (await import('./metrics/identity-memory.js')).identityMemoryMetric(ctx),
      ],
    },
    {
      name: 'express_overhead_vs_bare',
      run: async (ctx) => [
        await (await import('./metrics/middleware-overhead.js')).middlewareOverheadMetric(
          ctx,
          'express',
        ),
      ],
    },
    {
      name: 'koa_overhead_vs_bare',
      run: async (ctx) => [
        await (await import('./metrics/middleware-overhead.js')).middlewareOverheadMetric(
          ctx,
          'koa',
        ),
      ],
    },
    {
      name: 'cli_token_vs_raw_node',
      run: async (ctx) => [await (await import('./metrics/cli-token.js')).cliTokenMetric(ctx)],
    },
    {
      name: 'proxy_vs_bare_forwarder',
      run: async (ctx) => [
        await (await import('./metrics/proxy-throughput.js')).proxyThroughputMetric(ctx),
      ],
    },
    {
      name: 'store_*',
      run: async (ctx) => (await import('./metrics/store-path.js')).storePathMetrics(ctx),
    },
    {
      name: 'fleet_*',
      run: async (ctx) => (await import('./metrics/fleet.js')).fleetMetrics(ctx),
    },
    {
      name: 'axios_overhead_vs_static',
      run: async (ctx) => [
        await (await import('./metrics/axios-overhead.js')).axiosOverheadMetric(ctx),
      ],
    },
  ];

const RESULTS_PATH = fileURLToPath(new URL('../results/latest.json', import.meta.url));

/** A package (or one of its exports) that does not exist yet: the metric cannot run at all. */
function isMissingModule(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | null;
  return (
    e?.code === 'ERR_MODULE_NOT_FOUND' ||
    e?.code === 'ERR_PACKAGE_PATH_NOT_EXPORTED' ||
    /does not provide an export named|is not a function/.test(e?.message ?? '')
  );
}

async function main(): Promise<number> {
  const quick = process.env.BENCH_QUICK === '1';
  const only = process.env.BENCH_ONLY?.split(',');
  const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);
  const wb = await startWitboostMock({ port: 0 });
  const ctx: BenchContext = { wb, quick, log };
  const results: BenchResult[] = [];
  const skipped: string[] = [];
  const started = performance.now();
  const loadBefore = loadAverage();
  try {
    for (const metric of METRICS) {
      if (only && !only.some((o) => metric.name.startsWith(o))) continue;
      const t0 = performance.now();
      log(`${metric.name} …`);
      try {
        results.push(...(await metric.run(ctx)));
      } catch (error) {
        if (!isMissingModule(error)) throw error;
        skipped.push(`${metric.name}: ${(error as Error).message}`);
      }
      log(`${metric.name} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
  } finally {
    await wb.close();
  }

  console.log(`\n${machineDescription()}, ${new Date().toISOString().slice(0, 10)}`);
  console.log(
    `total ${((performance.now() - started) / 1000).toFixed(0)} s${quick ? ' (quick)' : ''}, load average ${loadBefore} before, ${loadAverage()} after\n`,
  );
  console.log(formatTable(results));
  const missed = results.filter((r) => !meetsGoal(r));
  console.log(
    missed.length === 0
      ? `\nAll ${results.length} goals met.`
      : `\nGOAL MISSED: ${missed.map((r) => `${r.metric} (${r.ratio}, goal ${r.better === 'higher' ? '>=' : '<='} ${r.goal})`).join(', ')}`,
  );
  for (const line of skipped) console.log(`NOT RUN: ${line}`);
  writeJson(RESULTS_PATH, results);
  console.log(`\nwrote ${RESULTS_PATH}`);
  // A missed goal is a finding, not a crash; a metric that could not run at all is an error.
  return skipped.length === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
