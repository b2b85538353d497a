import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';

export interface LatencyWindow {
  histogram: RecordableHistogram;
  calls: number;
}

/** Calls issued per event-loop turn. */
const BURST = 16;

/**
 * Open-loop latency sampling for `ms`: every event-loop turn issues a burst of calls without
 * waiting for earlier ones, and records each call's time from issue to settlement (ns). Because
 * arrivals don't stop while a call is slow, a caller stuck behind an exchange shows up in the
 * tail instead of hiding it; and because the loop yields every turn, background I/O (a refresh)
 * really runs during the window.
 */
export async function sampleLatency(
  op: () => Promise<unknown>,
  ms: number,
): Promise<LatencyWindow> {
  const histogram = createHistogram();
  const pending = new Set<Promise<unknown>>();
  const deadline = performance.now() + ms;
  let calls = 0;
  while (performance.now() < deadline) {
    for (let i = 0; i < BURST; i++) {
      const start = performance.now();
      const call = op().then(() => {
        histogram.record(Math.max(1, Math.round((performance.now() - start) * 1e6)));
        pending.delete(call);
      });
      pending.add(call);
      calls++;
    }
    // Bound the backlog so a stalled op can't grow memory without limit.
    if (pending.size > 100_000) await Promise.race(pending);
    await new Promise((resolve) => setImmediate(resolve));
  }
  await Promise.all(pending);
  return { histogram, calls };
}
