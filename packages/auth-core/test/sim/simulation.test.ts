import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenario, type Scenario } from './scenario.js';

/**
 * The engine in virtual time against a scripted Witboost, over generated worlds. Invariants,
 * checked for every call and every exchange request (see scenario.ts):
 * - while a token within its hand-out deadline exists, no call fails and no call waits;
 * - no token is handed out at or after its true expiry minus the travel allowance, none after
 *   close(), and no call waits longer than maxWaitMs;
 * - at most one exchange in flight per (access token, scope);
 * - no exchange starts while a token before its refresh point exists, hence
 *   exchanges ≤ 1 + invalidations + rejections + D / min(refreshAt − sentAt) over a run of D,
 *   with refreshAt − sentAt ≥ (L − 1 s − travel − latency) / 2 for a lifetime L;
 * - through an outage, once the backoff reached its ceiling, attempts are ≥ 30 s apart;
 * - a caller arriving one ceiling (+ Retry-After, + latency) after the outage ended gets a token;
 * - every call settles, no timer is left after close(), no unhandled rejection.
 * SIM_RUNS=<n> multiplies the runs; SIM_SEED=random draws fresh worlds; SIM_SEED=<n> (and
 * SIM_PATH) replay a reported failure.
 */
const scale = Number(process.env.SIM_RUNS ?? 1);
// `pnpm test` replays one fixed set of worlds, so CI is deterministic; SIM_SEED=random draws a
// fresh set (one such run in CI spun in a timer loop, which the virtual clock now reports).
const DEFAULT_SEED = 20_261_201;
const seedVar = process.env.SIM_SEED ?? String(DEFAULT_SEED);
const replay = seedVar === 'random' ? {} : { seed: Number(seedVar), path: process.env.SIM_PATH };

const fraction = fc.double({ min: 0, max: 1, noNaN: true });
const lifetime = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 10 }) },
  { weight: 4, arbitrary: fc.integer({ min: 11, max: 900 }) },
  { weight: 2, arbitrary: fc.integer({ min: 901, max: 86_400 }) },
);
const latency = fc.oneof(
  fc.record({
    baseMs: fc.integer({ min: 0, max: 50 }),
    tail: fc.double({ min: 1.2, max: 4, noNaN: true }),
    maxMs: fc.constant(2_000),
  }),
  fc.record({
    baseMs: fc.integer({ min: 0, max: 3_000 }),
    tail: fc.double({ min: 1.05, max: 3, noNaN: true }),
    maxMs: fc.constant(30_000),
  }),
);
const fault = fc.record({
  kind: fc.constantFrom('outage', 'drop', 'rate_limit', 'reject') as fc.Arbitrary<
    Scenario['faults'][number]['kind']
  >,
  at: fraction,
  lengthMs: fc.oneof(
    fc.integer({ min: 0, max: 20_000 }),
    fc.integer({ min: 20_000, max: 3_600_000 }),
  ),
  retryAfterSeconds: fc.integer({ min: 0, max: 120 }),
});
const scenario: fc.Arbitrary<Scenario> = fc.record({
  lifetimeSeconds: lifetime,
  latency,
  skewSeconds: fc.integer({ min: -6 * 3600, max: 6 * 3600 }),
  disagreeingClocks: fc.boolean(),
  faults: fc.array(fault, { maxLength: 3 }),
  rotations: fc.array(fraction, { maxLength: 2 }),
  sourceCacheMs: fc.constantFrom(0, 1_000, 60_000),
  calls: fc.array(fraction, { minLength: 1, maxLength: 80 }),
  bursts: fc.array(
    fc.record({
      at: fraction,
      size: fc.oneof(
        { weight: 150, arbitrary: fc.integer({ min: 1, max: 200 }) },
        { weight: 1, arbitrary: fc.constant(10_000) },
      ),
    }),
    { maxLength: 2 },
  ),
  invalidations: fc.array(fraction, { maxLength: 2 }),
  stream: fc.option(
    fc.record({
      at: fraction,
      periodMs: fc.integer({ min: 100, max: 5_000 }),
      count: fc.integer({ min: 1, max: 600 }),
    }),
    { freq: 2, nil: undefined },
  ),
  keepWarm: fc.boolean(),
  closeAt: fc.option(fraction, { freq: 4, nil: undefined }),
  scopes: fc.constantFrom(1, 2) as fc.Arbitrary<1 | 2>,
  seed: fc.integer(),
});

let unhandled = 0;
const onUnhandled = () => {
  unhandled++;
};
const stackTraceLimit = Error.stackTraceLimit;
beforeAll(() => {
  process.on('unhandledRejection', onUnhandled);
  // Thousands of fail-fast errors per run: their stack traces are most of the cost.
  Error.stackTraceLimit = 0;
});
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
  Error.stackTraceLimit = stackTraceLimit;
});

async function holds(s: Scenario): Promise<boolean> {
  const violations = await runScenario(s);
  if (violations.length > 0) throw new Error(violations.join('\n'));
  return true;
}

describe('engine simulation (virtual time, scripted Witboost)', () => {
  it('keeps every invariant over generated worlds', { timeout: 600_000 }, async () => {
    const started = performance.now();
    const numRuns = Math.round(8_000 * scale);
    await fc.assert(fc.asyncProperty(scenario, holds), { numRuns, ...replay });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`simulation: ${numRuns} generated worlds in ${seconds} s`);
    expect(unhandled).toBe(0);
  });

  it('keeps them in quiet worlds too: no faults, no rotation, steady callers', {
    timeout: 600_000,
  }, async () => {
    const quiet = scenario.map((s) => ({
      ...s,
      faults: [],
      rotations: [],
      invalidations: [],
      closeAt: undefined,
    }));
    await fc.assert(fc.asyncProperty(quiet, holds), {
      numRuns: Math.round(2_000 * scale),
      ...replay,
    });
    expect(unhandled).toBe(0);
  });
});
