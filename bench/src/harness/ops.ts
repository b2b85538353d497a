import { median } from './stats.js';

/** An async operation under test and its display name. */
export interface Contender {
  name: string;
  op: () => Promise<unknown>;
}

export interface InterleaveOptions {
  /** Measured rounds; each contender runs once per round. */
  rounds: number;
  /** Length of one measured sample. */
  sampleMs: number;
  /** Unmeasured run of each contender before the first round, so the JIT settles. */
  warmupMs: number;
}

/** Ops checked against the clock in batches: reading the clock per op would dominate cheap ops. */
const BATCH = 512;

/** Runs `op` sequentially (each call awaited) for about `ms` and returns ops per second. */
export async function opsPerSecond(op: () => Promise<unknown>, ms: number): Promise<number> {
  const start = performance.now();
  const deadline = start + ms;
  let ops = 0;
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < BATCH; i++) await op();
    ops += BATCH;
    now = performance.now();
  }
  return (ops / (now - start)) * 1000;
}

/** Per-contender samples of interleaved rounds: `samples.get(name)[round]` is ops/s. */
export interface Interleaved {
  samples: Map<string, number[]>;
  /** Median ops/s of a contender. */
  median(name: string): number;
  /**
   * Median over rounds of `a`'s ops/s ÷ `b`'s in the same round. Samples of one round are
   * adjacent in time, so a load change on the machine moves both: this is steadier than the
   * ratio of the two medians.
   */
  pairedRatio(a: string, b: string): number;
}

/** Median over rounds of `a[r] / b[r]`. */
export function pairedRatio(a: readonly number[], b: readonly number[]): number {
  return median(a.map((value, r) => value / (b[r] ?? Number.NaN)));
}

/**
 * Measures every contender side by side: after a warm-up, `rounds` rounds in which each runs one
 * sample, the order rotating each round so no contender always runs right after a GC-heavy one.
 * Yields to the event loop between samples so timers and I/O of one don't land in another.
 */
export async function interleave(
  contenders: readonly Contender[],
  options: InterleaveOptions,
): Promise<Interleaved> {
  for (const c of contenders) await opsPerSecond(c.op, options.warmupMs);
  const samples = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  for (let round = 0; round < options.rounds; round++) {
    for (let k = 0; k < contenders.length; k++) {
      const c = contenders[(round + k) % contenders.length];
      if (!c) continue;
      await new Promise((resolve) => setImmediate(resolve));
      samples.get(c.name)?.push(await opsPerSecond(c.op, options.sampleMs));
    }
  }
  const of = (name: string) => samples.get(name) ?? [];
  return {
    samples,
    median: (name) => median(of(name)),
    pairedRatio: (a, b) => pairedRatio(of(a), of(b)),
  };
}
