import type { WitboostAuthEvent } from '../types.js';
import type { AttentionClock } from './attention-clock.js';
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
  /** `keys` read and the lease taken in one call, when the store can (`readAndLease`). */
  readAndLease:
    | ((keys: readonly string[], lease: string, owner: string, ttlMs: number) => Promise<Leased>)
    | undefined;
  release(key: string, owner: string): Promise<boolean>;
  remove(key: string, value: string): Promise<boolean>;
  /** Fire and forget: a lost message only costs a waiter one poll interval. */
  publish(message: string): void;
  /** Whether a call made now would be attempted. */
  usable(): boolean;
}

/** What a read with a lease found: the values of its keys, and whether the lease was taken. */
export interface Leased {
  values: Array<string | undefined>;
  leased: boolean;
}

/** However busy the store, a call never waits longer than this many timeouts. */
const CAP_FACTOR = 10;

export function guardStore(
  store: TokenStore,
  breaker: CircuitBreaker,
  emit: (event: WitboostAuthEvent) => void,
  timeoutMs: number,
  clock: AttentionClock,
): GuardedStore {
  const capMs = timeoutMs * CAP_FACTOR;
  // When the store last answered any call (clock time).
  let answeredAt = Number.NEGATIVE_INFINITY;

  /**
   * Resolves when the call started at `startedAt` (clock time) should stop waiting: the store has
   * answered nothing for `timeoutMs` (frozen, gone), or the call has waited `capMs`. A call
   * queued behind hundreds of others keeps waiting while answers arrive, and the clock stands
   * still while this process is too busy to read them.
   */
  function stalled(startedAt: number): {
    expired: Promise<typeof STORE_UNAVAILABLE>;
    stop(): void;
  } {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const expired = new Promise<typeof STORE_UNAVAILABLE>((resolve) => {
      const check = () => {
        if (stopped) return;
        const now = clock.now();
        const quietMs = now - Math.max(startedAt, answeredAt);
        if (quietMs >= timeoutMs || now - startedAt >= capMs) return resolve(STORE_UNAVAILABLE);
        arm(Math.min(timeoutMs - quietMs, capMs - (now - startedAt)));
      };
      // Checked a turn late: after a blocked event loop the timer and the answers are due at
      // once, and timers run before I/O; the answers that already arrived must count.
      const arm = (ms: number) => {
        timer = setTimeout(() => setImmediate(check), ms);
        timer.unref?.();
      };
      arm(timeoutMs);
    });
    return {
      expired,
      stop() {
        stopped = true;
        clearTimeout(timer);
      },
    };
  }

  async function call<T>(
    op: Op,
    run: (signal: AbortSignal) => Promise<T>,
    outcomeOf: (value: T) => Outcome,
  ): Promise<T> {
    const permit: Permit = breaker.permit();
    if (permit === undefined) throw STORE_UNAVAILABLE;
    const startedAt = performance.now();
    const release = clock.hold();
    const controller = new AbortController();
    const timeout = stalled(clock.now());
    let outcome: Outcome = 'error';
    let failure = 'error';
    try {
      const pending = Promise.resolve(run(controller.signal));
      // Only a success shows the store is there (a dropped connection fails calls fast, too).
      pending.then(
        () => {
          answeredAt = clock.now();
        },
        () => {}, // a late rejection after the timeout must not go unhandled
      );
      const value = await Promise.race([pending, timeout.expired]);
      if (value === STORE_UNAVAILABLE) {
        outcome = 'timeout';
        failure = `timeout after ${Math.round(performance.now() - startedAt)} ms`;
        controller.abort();
        throw STORE_UNAVAILABLE;
      }
      outcome = outcomeOf(value as T);
      return value as T;
    } catch (error) {
      if (outcome === 'error') failure = `error ${errorName(error)}`;
      throw STORE_UNAVAILABLE;
    } finally {
      timeout.stop();
      release();
      const ok = outcome !== 'error' && outcome !== 'timeout';
      breaker.record(permit, ok, failure);
      emit({ type: 'store_call', op, durationMs: performance.now() - startedAt, outcome });
    }
  }

  const found = (value: string | undefined): Outcome => (value === undefined ? 'miss' : 'hit');
  const done = (): Outcome => 'ok';
  const readAndLease = store.readAndLease?.bind(store);

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
    // One call, one event: reported as the read it is (a hit when any key had a value).
    readAndLease:
      readAndLease === undefined
        ? undefined
        : (keys, lease, owner, ttlMs) =>
            call(
              'get',
              (signal) =>
                readAndLease(keys, { key: lease, value: owner, ttlMs }, { signal }).then((answer) =>
                  asLeased(answer, keys.length),
                ),
              (answer) => found(answer.values.find((value) => value !== undefined)),
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

/** A store's answer to `readAndLease`, checked: a malformed one is a failed call, not a miss. */
function asLeased(answer: unknown, count: number): Leased {
  const { values, leased } = (answer ?? {}) as { values?: unknown; leased?: unknown };
  if (!Array.isArray(values) || values.length !== count || typeof leased !== 'boolean') {
    throw new TypeError('readAndLease answered something else than { values, leased }');
  }
  return { values: values.map(asValue), leased };
}

/** The class of a store failure, for the breaker's event: never its message (it may quote data). */
function errorName(error: unknown): string {
  if (error instanceof Error) return error.name === 'Error' ? 'Error' : error.name;
  return typeof error;
}
