/** A timer handle: what `setTimeout` returns, reduced to what the engine uses. */
export interface TimerHandle {
  ref?(): unknown;
  unref?(): unknown;
}

/**
 * Time as the engine sees it. Internal (not exported from the package): production uses the
 * globals, looked up at each call so fake timers installed later still apply; the simulation
 * passes a virtual clock.
 */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

// setTimeout fires at once for larger delays, so long lifetimes are clamped.
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * The delay to arm for a wake-up `ms` away: exact up to 1 s, else the largest power of two below
 * it (the slot re-arms for the rest when it wakes early). Node keeps a list per distinct delay,
 * and an emptied unref'd list lingers until its own expiry: with one distinct delay per exchange,
 * that bookkeeping grew with every exchange (issue 19). Now there are at most ~1,050 delays.
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
