import { startRedisServer } from '@wb/redis-harness';
import type { BenchContext } from '../harness/context.js';
import { startFleetWorkers } from '../harness/fleet-workers.js';
import type { BenchResult } from '../harness/result.js';
import { round } from '../harness/stats.js';

const REPLICAS = 4;

/**
 * `fleet_cold_exchanges_ratio` and `fleet_steady_exchanges_ratio`: replica processes sharing one
 * real `redis-server` through `redisTokenStore`, each acting for the same identities
 * (`withAccessToken` children of a service instance), against the shared emulator.
 *
 * - cold: every replica asks for every identity's token at the same moment; exchanges ÷ identities
 *   (without a store it would be the number of replicas).
 * - steady: then every identity asks every 100 ms for three token lifetimes, in the fleet and, at
 *   the same time, in one process without a store acting for other identities (the reference: the
 *   exchanges one process needs for that many identities over those lifetimes, refreshes
 *   included); fleet exchanges ÷ reference exchanges.
 */
export async function fleetMetrics(ctx: BenchContext): Promise<BenchResult[]> {
  const { wb, quick } = ctx;
  const identities = quick ? 50 : 200;
  const durationSeconds = quick ? 5 : 10;
  const redis = await startRedisServer();
  const pats = () =>
    JSON.stringify(Array.from({ length: identities }, () => wb.issueAccessToken()));
  const common = { WB_URL: wb.url, DURATION: String(durationSeconds) };
  const fleet = await startFleetWorkers(REPLICAS, {
    ...common,
    REDIS_URL: redis.url,
    SERVICE_PAT: wb.issueAccessToken(),
    PATS: pats(),
  });
  const [alone] = await startFleetWorkers(1, {
    ...common,
    SERVICE_PAT: wb.issueAccessToken(),
    PATS: pats(),
  });
  try {
    const before = wb.stats.exchanges.ok;
    const cold = await Promise.all(fleet.map((w) => w.ask('cold')));
    const coldExchanges = wb.stats.exchanges.ok - before;
    const coldFailed = cold.reduce((n, r) => n + r.failed, 0);
    const aloneCold = await alone?.ask('cold');

    const windowMs = 3 * durationSeconds * 1000;
    const fleetBefore = cold.reduce((n, r) => n + r.exchanges, 0);
    const aloneBefore = aloneCold?.exchanges ?? 0;
    const [steady, aloneSteady] = await Promise.all([
      Promise.all(fleet.map((w) => w.ask(`steady ${windowMs}`))),
      alone?.ask(`steady ${windowMs}`),
    ]);
    const fleetSteady = steady.reduce((n, r) => n + r.exchanges, 0) - fleetBefore;
    const reference = (aloneSteady?.exchanges ?? 0) - aloneBefore;
    const steadyFailed = steady.reduce((n, r) => n + r.failed, 0) + (aloneSteady?.failed ?? 0);
    if (coldFailed + steadyFailed > 0)
      throw new Error(`fleet: ${coldFailed + steadyFailed} requests failed`);
    if (reference === 0)
      throw new Error('fleet: the reference process made no refresh in three lifetimes');
    return [
      {
        metric: 'fleet_cold_exchanges_ratio',
        ours: coldExchanges,
        baseline: identities,
        ratio: round(coldExchanges / identities),
        goal: 1.1,
        better: 'lower',
        unit: 'exchanges',
        note: `${REPLICAS} replica processes × ${identities} identities asking at once, one redis-server; ratio = exchanges ÷ identities (${REPLICAS} without a store); ${coldFailed} requests failed`,
      },
      {
        metric: 'fleet_steady_exchanges_ratio',
        ours: fleetSteady,
        baseline: reference,
        ratio: round(fleetSteady / reference),
        goal: 1.2,
        better: 'lower',
        unit: 'exchanges',
        note: `the same fleet, every identity asking every 100 ms for three ${durationSeconds} s token lifetimes (${windowMs / 1000} s); baseline = exchanges of one process without a store for ${identities} other identities over the same window (identities × lifetimes, refreshes included); ${steadyFailed} requests failed`,
      },
    ];
  } finally {
    await Promise.all([...fleet, ...(alone === undefined ? [] : [alone])].map((w) => w.exit()));
    await redis.stop();
  }
}
