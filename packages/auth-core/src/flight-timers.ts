import { WitboostAuthError } from './errors.js';
import type { Principal } from './types.js';

/** A backoff pause or source-read bound, with the way to fail it on close(). */
export interface PendingTimer {
  timer: ReturnType<typeof setTimeout>;
  reject: (error: unknown) => void;
}

/** What a flight's timers are registered on: a slot, with the callers awaiting its flight. */
export interface TimerHolder {
  /** Callers awaiting the holder's flight: its timers keep the process alive only while > 0. */
  waiters: number;
  timer: PendingTimer | undefined;
}

/** The timers of one token manager's flights, all released at once by close(). */
export interface FlightTimers {
  /**
   * `flight`, awaited by one more caller of `holder` until it settles or `signal` aborts (then
   * rejected with `abortedError()`): the holder's timers stay ref'd while anybody waits.
   */
  waitFor<T>(
    holder: TimerHolder,
    flight: Promise<T>,
    signal: AbortSignal | undefined,
    abortedError: () => unknown,
  ): Promise<T>;
  /**
   * A timer for a backoff pause. Ref'd only while callers wait on it, so a script awaiting a
   * token is not cut short by an idle loop, and a finished script is not kept alive by a pause
   * nobody awaits (a keep-warm or background refresh).
   */
  sleep(holder: TimerHolder, ms: number): Promise<void>;
  /** Bounds a token source read by the exchange timeout and by close(). */
  guard<T>(holder: TimerHolder, work: Promise<T>): Promise<T>;
  /** A promise every flight races, so close() releases waiters whatever the flight is doing. */
  whenClosed(): Promise<never>;
  /** Clears every pending timer and fails it, then fails the close race, each with a new error. */
  release(closedError: () => WitboostAuthError): void;
}

/** Options of {@link createFlightTimers}. */
export interface FlightTimersOptions {
  /** Bound of a token source read, in ms. */
  timeoutMs: number;
  /** Where the access token comes from, for the timeout message. Never the token. */
  sourceDescription: string;
  principal: Principal;
}

/** Creates the timer bookkeeping of one token manager. */
export function createFlightTimers(options: FlightTimersOptions): FlightTimers {
  const { timeoutMs, sourceDescription, principal } = options;
  const pending = new Set<PendingTimer>();
  // Settled by close(): every flight races it, so waiters are released even when the work under
  // the flight (a source, a fetch) never settles. Created with the first flight.
  let closedRace: { promise: Promise<never>; reject: (error: unknown) => void } | undefined;

  function whenClosed(): Promise<never> {
    if (closedRace === undefined) {
      let reject: (error: unknown) => void = () => undefined;
      const promise = new Promise<never>((_resolve, fail) => {
        reject = fail;
      });
      promise.catch(() => undefined);
      closedRace = { promise, reject };
    }
    return closedRace.promise;
  }

  function waitFor<T>(
    holder: TimerHolder,
    flight: Promise<T>,
    signal: AbortSignal | undefined,
    abortedError: () => unknown,
  ): Promise<T> {
    if (signal?.aborted) return Promise.reject(abortedError());
    // The caller's signal detaches this caller only; the shared exchange goes on for the others.
    return new Promise((resolve, reject) => {
      let waiting = true;
      const done = () => {
        if (!waiting) return;
        waiting = false;
        signal?.removeEventListener('abort', onAbort);
        holder.waiters--;
        refTimer(holder);
      };
      const onAbort = () => {
        done();
        reject(abortedError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      holder.waiters++;
      refTimer(holder);
      flight.then(
        (token) => {
          done();
          resolve(token);
        },
        (error: unknown) => {
          done();
          reject(error);
        },
      );
    });
  }

  /** Keeps the holder's pending timer ref'd exactly while somebody awaits the flight. */
  function refTimer(holder: TimerHolder): void {
    const timer = holder.timer?.timer;
    if (timer === undefined) return;
    if (holder.waiters > 0) timer.ref?.();
    else timer.unref?.();
  }

  /** Registers the holder's current timer, ref'd only while callers await the flight. */
  function track(holder: TimerHolder, entry: PendingTimer): void {
    pending.add(entry);
    holder.timer = entry;
    refTimer(holder);
  }

  function untrack(holder: TimerHolder, entry: PendingTimer): void {
    pending.delete(entry);
    if (holder.timer === entry) holder.timer = undefined;
  }

  function sleep(holder: TimerHolder, ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const entry: PendingTimer = {
        timer: setTimeout(() => {
          untrack(holder, entry);
          resolve();
        }, ms),
        reject,
      };
      track(holder, entry);
    });
  }

  function guard<T>(holder: TimerHolder, work: Promise<T>): Promise<T> {
    return new Promise((resolve, reject) => {
      const entry: PendingTimer = {
        timer: setTimeout(() => {
          untrack(holder, entry);
          reject(
            new WitboostAuthError(
              'token_source_failed',
              `the access token source (${sourceDescription}) did not answer within ${timeoutMs} ms`,
              { principal },
            ),
          );
        }, timeoutMs),
        reject,
      };
      track(holder, entry);
      work.then(
        (result) => {
          clearTimeout(entry.timer);
          untrack(holder, entry);
          resolve(result);
        },
        (error: unknown) => {
          clearTimeout(entry.timer);
          untrack(holder, entry);
          reject(error);
        },
      );
    });
  }

  function release(closedError: () => WitboostAuthError): void {
    for (const entry of pending) {
      clearTimeout(entry.timer);
      entry.reject(closedError());
    }
    pending.clear();
    closedRace?.reject(closedError());
  }

  return { waitFor, sleep, guard, whenClosed, release };
}
