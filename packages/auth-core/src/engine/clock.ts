export interface TimerHandle {
  ref?(): unknown;
  unref?(): unknown;
}

/** Time as the engine sees it: the globals (looked up per call, for fake timers) or the simulation's. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

// setTimeout fires at once for larger delays.
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * Exact up to 1 s, else the largest power of two below (re-armed for the rest on waking). Node
 * keeps a list per distinct delay, and an emptied unref'd one lingers until its expiry: one delay
 * per exchange grew that bookkeeping without end (issue 19); now there are ~1,050 at most.
 */
export function wakeDelay(ms: number): number {
  if (ms <= 1024) return Math.max(0, Math.ceil(ms));
  return 2 ** Math.floor(Math.log2(Math.min(ms, MAX_TIMER_MS)));
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, Math.min(Math.max(0, ms), MAX_TIMER_MS)),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
