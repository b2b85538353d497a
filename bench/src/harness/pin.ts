import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

/**
 * Pins every thread of process `pid` to CPU `cpu` (Linux `taskset`). A side-by-side metric puts
 * the two processes it compares on one CPU and their load on the other: unpinned, whichever of
 * the pair shared a core with the load that window paid for it, and an A/A run of the axios
 * metric spread its per-window ratios over 0.75–1.46 (pinned: 0.98–1.04). `false` where that is
 * not possible (no taskset, one CPU): the metric then runs unpinned and says so.
 */
export function pinToCpu(pid: number | undefined, cpu: number): boolean {
  if (pid === undefined || availableParallelism() < 2) return false;
  try {
    execFileSync('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The note's words for a metric's placement. */
export const placement = (pinned: boolean, measured: string, load: string): string =>
  pinned ? `${measured} pinned to CPU 1, ${load} to CPU 0` : 'unpinned (no taskset or one CPU)';
