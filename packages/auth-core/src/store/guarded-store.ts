import type { WitboostAuthEvent } from '../types.js';
import type { CircuitBreaker, Permit } from './circuit-breaker.js';
import type { TokenStore } from './token-store.js';

/** Thrown (never escaping the shared cache) when a store call was skipped, failed or timed out. */
export const STORE_UNAVAILABLE: unique symbol = Symbol('store unavailable');

type Op = 'get' | 'set' | 'delete' | 'lease' | 'release';
type Outcome = 'ok' | 'hit' | 'miss' | 'error' | 'timeout';

/** The store calls of the shared cache, each bounded by a timeout, observed and breaker-guarded. */
export interface GuardedStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  lease(key: string, owner: string, ttlMs: number): Promise<boolean>;
  release(key: string, owner: string): Promise<boolean>;
  remove(key: string, value: string): Promise<boolean>;
  /** Fire and forget: a lost message only costs a waiter one poll interval. */
  publish(message: string): void;
  /** Whether a call made now would be attempted. */
  usable(): boolean;
}

/** Extra time a call gets for each store call already in flight in this process. */
const QUEUED_CALL_ALLOWANCE_MS = 1.5;

export function guardStore(
  store: TokenStore,
  breaker: CircuitBreaker,
  emit: (event: WitboostAuthEvent) => void,
  timeoutMs: number,
): GuardedStore {
  let inFlight = 0;
  async function call<T>(
    op: Op,
    run: (signal: AbortSignal) => Promise<T>,
    outcomeOf: (value: T) => Outcome,
  ): Promise<T> {
    const permit: Permit = breaker.permit();
    if (permit === undefined) throw STORE_UNAVAILABLE;
    const startedAt = performance.now();
    // The bound is for the store, not for this process's own queue: a cold start of hundreds of
    // identities puts hundreds of commands on one connection at once, and the client alone
    // needs ~0.2 ms for each (measured with node-redis 6 on 2 cores), so the calls behind them
    // get that much more time instead of timing out and opening the circuit.
    const boundMs = timeoutMs + inFlight * QUEUED_CALL_ALLOWANCE_MS;
    inFlight++;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<typeof STORE_UNAVAILABLE>((resolve) => {
      // Resolved a turn late: after a blocked event loop the timer and the reply are due at
      // once, and timers run before I/O; the reply that already arrived must win.
      timer = setTimeout(() => setImmediate(resolve, STORE_UNAVAILABLE), boundMs);
      timer.unref?.();
    });
    let outcome: Outcome = 'error';
    let failure = 'error';
    try {
      const pending = run(controller.signal);
      pending.catch(() => {}); // a late rejection after the timeout must not go unhandled
      const value = await Promise.race([pending, timeout]);
      if (value === STORE_UNAVAILABLE) {
        outcome = 'timeout';
        failure = `timeout after ${Math.round(boundMs)} ms`;
        controller.abort();
        throw STORE_UNAVAILABLE;
      }
      outcome = outcomeOf(value as T);
      return value as T;
    } catch (error) {
      if (outcome === 'error') failure = `error ${errorName(error)}`;
      throw STORE_UNAVAILABLE;
    } finally {
      inFlight--;
      clearTimeout(timer);
      const ok = outcome !== 'error' && outcome !== 'timeout';
      breaker.record(permit, ok, failure);
      emit({ type: 'store_call', op, durationMs: performance.now() - startedAt, outcome });
    }
  }

  const found = (value: string | undefined): Outcome => (value === undefined ? 'miss' : 'hit');
  const done = (): Outcome => 'ok';

  return {
    get: (key) => call('get', (signal) => store.get(key, { signal }).then(asValue), found),
    set: (key, value, ttlMs) =>
      call(
        'set',
        (signal) => store.set(key, value, Math.max(1, Math.ceil(ttlMs)), { signal }),
        done,
      ),
    lease: (key, owner, ttlMs) =>
      call(
        'lease',
        (signal) => store.setIfAbsent(key, owner, ttlMs, { signal }).then(Boolean),
        done,
      ),
    release: (key, owner) =>
      call('release', (signal) => store.deleteIfEquals(key, owner, { signal }).then(Boolean), done),
    remove: (key, value) =>
      call('delete', (signal) => store.deleteIfEquals(key, value, { signal }).then(Boolean), done),
    publish(message) {
      if (store.publish === undefined || !breaker.isClosed()) return;
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), timeoutMs);
      timer.unref?.();
      store
        .publish(message, { signal: controller.signal })
        .catch(() => {})
        .finally(() => clearTimeout(timer));
    },
    usable: () => breaker.wouldPermit(),
  };
}

/** A store answering something other than a string or nothing is as good as a miss. */
function asValue(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The class of a store failure, for the breaker's event: never its message (it may quote data). */
function errorName(error: unknown): string {
  if (error instanceof Error) return error.name === 'Error' ? 'Error' : error.name;
  return typeof error;
}
