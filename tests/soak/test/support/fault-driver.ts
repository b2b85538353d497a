import type { WitboostMock } from '@wb/witboost-mock';
import type { Random } from './random.js';

/**
 * Shape of the outages. Why they cannot fail a request once a first token exists, with the
 * soak's core options (5 s JWTs, refresh at 10–20 % of the lifetime, default expiry margin,
 * backoff 50–1000 ms, maxAttempts 3) — two independent arguments:
 *
 * 1. Timing. A token is handed out until U = sent + 5 s − 1.5 s (margin: 10 % of the lifetime
 *    + 1 s) and the 50 loops trigger its background refresh at R ≤ sent + 1 s, so the refresh
 *    window U − R is ≥ 2.5 s, longer than any burst (≤ 1.2 s). Only an exchange reaching the
 *    emulator during a burst can fail (`reset()` ends a burst: pending faults and latency gone).
 *    After a failure seen at f ≤ burstEnd + 400 ms (largest latency spike) the next attempt comes
 *    at most max(maxBackoffMs, Retry-After) = 1 s later, and never after U: by burstEnd + 1.4 s,
 *    inside the healthy window that follows (≥ 2.4 s). If R falls in a burst, that burst ends
 *    before U, so the attempt at U at the latest is healthy too. So the background refresh
 *    always succeeds while the old token is still handed out: callers never wait on a failure.
 * 2. Count. Each burst queues at most 2 faults, fewer than maxAttempts (3): even if a stalled
 *    machine pushed a token past U into a burst, the flight callers wait on makes 3 attempts,
 *    at most 2 of which can fail (the next burst is ≥ 2.4 s later, while 3 attempts take at most
 *    2 × (1 s + 0.4 s)); and maxBackoffMs ≥ Retry-After, so a waiting caller retries a 429
 *    instead of failing fast.
 * The margins (≥ 1 s each) absorb event-loop lag on a busy 2-core machine.
 */
export const FAULT_SCHEDULE = {
  firstBurstAfterMs: 300,
  burstMinMs: 500,
  burstMaxMs: 1200,
  healthyMinMs: 2400,
  healthyMaxMs: 2800,
  maxFaultsPerBurst: 2,
  latencyMinMs: 150,
  latencyMaxMs: 400,
} as const;

export type FaultKind = '500' | '502' | '503' | '504' | '429' | 'drop';
const KINDS: readonly FaultKind[] = ['500', '502', '503', '504', '429', 'drop'];

export interface BurstRecord {
  startMs: number;
  durationMs: number;
  faults: FaultKind[];
  latencyMs: number;
  /** Exchanges that failed while the burst lasted (faults actually consumed). */
  failedExchanges: number;
}

export interface FaultDriver {
  readonly bursts: readonly BurstRecord[];
  /** Faults queued over all bursts: an upper bound of failed exchanges. */
  readonly faultsQueued: number;
  /** Ends the current burst (clearing every fault) and stops. */
  stop(): Promise<void>;
}

/** Makes the emulator's exchange endpoint fail in random, time-bounded bursts. */
export function startFaultDriver(wb: WitboostMock, random: Random): FaultDriver {
  const s = FAULT_SCHEDULE;
  const bursts: BurstRecord[] = [];
  const startedAt = Date.now();
  let faultsQueued = 0;
  let stopped = false;
  let wake: (() => void) | undefined;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });

  async function burst(): Promise<void> {
    const began = Date.now();
    const failedBefore = wb.stats.exchanges.failed;
    const faults = Array.from({ length: random.int(1, s.maxFaultsPerBurst) }, () =>
      random.pick(KINDS),
    );
    const latencyMs = random.next() < 0.5 ? random.int(s.latencyMinMs, s.latencyMaxMs) : 0;
    if (latencyMs > 0) wb.faults.setExchangeLatency(latencyMs);
    for (const kind of faults) {
      if (kind === 'drop') wb.faults.dropNextExchanges(1);
      else if (kind === '429')
        wb.faults.failNextExchanges(1, { status: 429, retryAfterSeconds: 1 });
      else wb.faults.failNextExchanges(1, { status: Number(kind) });
    }
    faultsQueued += faults.length;
    await sleep(random.int(s.burstMinMs, s.burstMaxMs - 300));
    // Stretch a burst that no refresh met yet (one comes every ≤ 1.5 s), within the bound.
    while (
      !stopped &&
      Date.now() - began < s.burstMaxMs &&
      wb.stats.exchanges.failed === failedBefore
    ) {
      await sleep(25);
    }
    // Once met, let the retries run into the remaining faults for a while.
    const left = s.burstMaxMs - (Date.now() - began);
    if (!stopped && left > 0) await sleep(Math.min(left, random.int(100, 300)));
    wb.faults.reset();
    bursts.push({
      startMs: began - startedAt,
      durationMs: Date.now() - began,
      faults,
      latencyMs,
      failedExchanges: wb.stats.exchanges.failed - failedBefore,
    });
  }

  const run = (async () => {
    await sleep(s.firstBurstAfterMs);
    while (!stopped) {
      await burst();
      if (stopped) break;
      await sleep(random.int(s.healthyMinMs, s.healthyMaxMs));
    }
  })();

  return {
    bursts,
    get faultsQueued() {
      return faultsQueued;
    },
    async stop() {
      stopped = true;
      wake?.();
      await run;
      wb.faults.reset();
    },
  };
}
