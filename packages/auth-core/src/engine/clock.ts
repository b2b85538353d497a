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

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, Math.min(Math.max(0, ms), MAX_TIMER_MS)),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
