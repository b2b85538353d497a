import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** `global.gc`, from `--expose-gc` or, failing that, switched on at run time. */
function gcFunction(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** Full collections per reading of {@link settledHeapUsed}. */
const PASSES = 8;

/**
 * Heap used after full collections, in bytes: the least of several readings, each after a full
 * GC and a turn of the event loop (finalizers and weak callbacks free more on each). One
 * reading after GCs swings by up to ~250 KB from one call to the next with nothing retained in
 * between (measured: ±200 KB between 2,000-exchange blocks); the least of eight held to ~15 KB.
 */
export async function settledHeapUsed(): Promise<number> {
  const gc = gcFunction();
  let least = Number.POSITIVE_INFINITY;
  for (let i = 0; i < PASSES; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
    least = Math.min(least, process.memoryUsage().heapUsed);
  }
  return least;
}

/**
 * Retained heap growth (bytes) over `calls` sequential awaited calls of `op`, after a warm-up of
 * `warmup` calls so lazily built state and JIT code are already in the starting figure.
 */
export async function retainedGrowth(
  op: () => Promise<unknown>,
  calls: number,
  warmup: number,
): Promise<number> {
  for (let i = 0; i < warmup; i++) await op();
  const before = await settledHeapUsed();
  for (let i = 0; i < calls; i++) await op();
  return (await settledHeapUsed()) - before;
}
