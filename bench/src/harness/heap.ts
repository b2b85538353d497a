import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** `global.gc`, from `--expose-gc` or, failing that, switched on at run time. */
function gcFunction(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** Heap used after full collections, in bytes. */
export async function settledHeapUsed(): Promise<number> {
  const gc = gcFunction();
  // Several passes with a turn between them: finalizers and weak callbacks free more on each.
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
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
