import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { WitboostAuthOptions } from '@wb/auth-core';
import { startWitboostMock, type WitboostMock } from '@wb/witboost-mock';
import { expect, it } from 'vitest';
import { createLeakCapture, type LeakCapture } from './capture.js';
import { createRandom } from './random.js';
import { exchangeBound, runSoak, SLOTS, soakAuthOptions, type Target } from './soak.js';
import { activeTimeouts, trackTimers } from './timers.js';

/** An adapter wired to the emulator, ready to be soaked. */
export interface AdapterUnderSoak {
  request(target: Target): Promise<void>;
  /** Objects of ours (auth, request contexts, middleware, service) for the leak hunt. */
  objects(): Record<string, unknown>;
  /** Closes the app and whatever the adapter holds. */
  close(): Promise<void>;
}

export interface SoakSetup {
  wb: WitboostMock;
  capture: LeakCapture;
  accessToken: string;
  /** Core options with the soak's lifetime, refresh tuning, logger, onEvent and JWT sniffer. */
  authOptions: WitboostAuthOptions;
}

export interface SoakAdapterOptions {
  loops?: number;
  durationMs?: number;
}

const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 50));

/**
 * Declares the soak of one adapter path: 50 request loops against the emulator with 5-second
 * JWTs while the exchange endpoint fails in bursts, then the checks the design asks for: no
 * failed request, exchanges within the bound, no unhandled rejection, no timer left, no secret
 * in anything captured.
 */
export function soakAdapter(
  name: string,
  setup: (context: SoakSetup) => Promise<AdapterUnderSoak>,
  { loops = 50, durationMs = 7_000 }: SoakAdapterOptions = {},
): void {
  it(
    `${name}: ${loops} loops for ${durationMs / 1000}s survive exchange faults without a failed request or a leak`,
    async () => {
      const rejections: unknown[] = [];
      const onRejection = (reason: unknown) => rejections.push(reason);
      process.on('unhandledRejection', onRejection);
      const timers = trackTimers();
      const baselineTimeouts = activeTimeouts();
      const random = createRandom();
      const capture = createLeakCapture();
      let wb: WitboostMock | undefined;
      let adapter: AdapterUnderSoak | undefined;
      try {
        wb = await startWitboostMock({ port: 0 });
        const accessToken = wb.issueAccessToken();
        capture.secret(accessToken);
        adapter = await setup({
          wb,
          capture,
          accessToken,
          authOptions: soakAuthOptions(wb, accessToken, capture),
        });
        // Diagnostics only: how much slack of the fault schedule the machine's load ate.
        const lag = monitorEventLoopDelay({ resolution: 20 });
        lag.enable();
        const report = await runSoak({ wb, random, loops, durationMs, request: adapter.request });
        lag.disable();
        for (const [origin, value] of Object.entries(adapter.objects()))
          capture.object(origin, value);
        for (const failure of report.failures)
          capture.error(`failure.${failure.target}`, failure.error);

        const stats = wb.stats;
        const invalidations = capture.events.filter((e) => e.type === 'invalidated').length;
        const bound = exchangeBound({
          windowMs: report.windowMs,
          faultsQueued: report.faultsQueued,
          invalidations,
        });
        const backgroundRefreshes = capture.events.filter(
          (e) => e.type === 'exchange' && e.background,
        ).length;
        const summary = {
          adapter: name,
          seed: random.seed,
          requests: report.requests,
          failed: report.failures.length,
          exchanges: { ...stats.exchanges, byAccessToken: undefined },
          bound,
          backgroundRefreshes,
          invalidations,
          bursts: report.bursts.map(
            (b) =>
              `${b.faults.join('+')}${b.latencyMs ? `@${b.latencyMs}ms` : ''}→${b.failedExchanges}`,
          ),
          maxEventLoopLagMs: Math.round(lag.max / 1e6),
          captured: capture.size,
          logLines: capture.logLines,
        };
        console.info(`[soak] ${JSON.stringify(summary)}`);

        expect(
          report.failures.map((f) => `${f.atMs}ms ${f.target}: ${String(f.error)}`),
          `seed ${random.seed}`,
        ).toEqual([]);
        // The soak really ran, really refreshed and really met faults.
        expect(report.requests).toBeGreaterThan(loops * 4);
        expect(backgroundRefreshes).toBeGreaterThanOrEqual(SLOTS);
        expect(stats.exchanges.failed).toBeGreaterThan(0);
        expect(stats.exchanges.ok).toBeLessThanOrEqual(bound.ok);
        expect(stats.exchanges.failed).toBeLessThanOrEqual(bound.failed);
        expect(stats.exchanges.total).toBeLessThanOrEqual(bound.total);
        expect(capture.logLines).toBeGreaterThan(0);
        expect(capture.leaks()).toEqual([]);
      } finally {
        await adapter?.close();
        await wb?.close();
        await settle();
        const leftovers = timers.pendingFromOurPackages();
        const timeoutsAfter = activeTimeouts();
        timers.restore();
        process.off('unhandledRejection', onRejection);
        expect(rejections.map(String)).toEqual([]);
        expect(leftovers, 'timers created by @wb/* still pending after close').toEqual([]);
        expect(timeoutsAfter).toBeLessThanOrEqual(baselineTimeouts);
      }
    },
    durationMs + 40_000,
  );
}
