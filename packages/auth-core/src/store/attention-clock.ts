/**
 * A clock of the time this process could have handled a store's answer: wall time minus the
 * time its event loop was blocked (a burst of synchronous work) or starved of CPU (a loaded
 * machine). A store call's timeout counts on it, so an answer that arrived while this process was
 * busy is not taken for a frozen store: on 2 cores shared by 20 busy processes, 60 ms of work for
 * a cold start of 200 identities took ~600 ms of wall time, and every call of the burst timed out.
 */
export interface AttentionClock {
  /** Milliseconds, monotonic, advancing only while the event loop turns freely. */
  now(): number;
  /** Measures while the returned release has not been called (an unref'd 10 ms ticker). */
  hold(): () => void;
}

const TICK_MS = 10;

export function createAttentionClock(): AttentionClock {
  let lost = 0;
  let lastTick = 0;
  let holders = 0;
  let ticker: ReturnType<typeof setInterval> | undefined;

  // The part of a tick's delay beyond its interval, counted up to `at`.
  const lateAt = (at: number) => (ticker === undefined ? 0 : Math.max(0, at - lastTick - TICK_MS));

  const tick = () => {
    const at = performance.now();
    lost += lateAt(at);
    lastTick = at;
  };

  return {
    now() {
      const at = performance.now();
      return at - lost - lateAt(at);
    },
    hold() {
      holders++;
      if (ticker === undefined) {
        lastTick = performance.now();
        ticker = setInterval(tick, TICK_MS);
        ticker.unref?.();
      }
      let released = false;
      return () => {
        if (released) return;
        released = true;
        if (--holders > 0 || ticker === undefined) return;
        tick();
        clearInterval(ticker);
        ticker = undefined;
      };
    },
  };
}
