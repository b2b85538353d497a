/**
 * Options every {@link TokenStore} call receives.
 *
 * @example
 * ```ts
 * import type { TokenStoreCallOptions } from '@wb/auth-core';
 * const options: TokenStoreCallOptions = { signal: AbortSignal.timeout(150) };
 * ```
 */
export interface TokenStoreCallOptions {
  /**
   * Aborted when core stops waiting for this call (its timeout, about 150 ms, or close). A store
   * should drop a call that has not been sent yet, e.g. one queued while reconnecting.
   */
  signal?: AbortSignal;
}

/**
 * A shared key-value store for a fleet of replicas (section 6 of the design), such as
 * `redisTokenStore` of `@wb/auth-redis`. A store never sees a secret: every key is an HMAC of the
 * access token and its context, and every value is AES-256-GCM under a key derived from the access
 * token, so a store only moves opaque ASCII strings. All keys of one token share a Redis Cluster
 * hash tag (`{…}`), so multi-key operations stay in one slot.
 *
 * Core wraps every call in a short timeout and a circuit breaker: a store may throw or hang, it
 * never fails a request. Implement `publish` and `subscribe` together, or neither (core then polls).
 *
 * @example
 * ```ts
 * import { createWitboostAuth, type TokenStore } from '@wb/auth-core';
 * const map = new Map<string, { value: string; until: number }>();
 * const live = (key: string) => {
 *   const entry = map.get(key);
 *   return entry !== undefined && Date.now() < entry.until ? entry.value : undefined;
 * };
 * const store: TokenStore = {
 *   get: async (key) => live(key),
 *   set: async (key, value, ttlMs) => void map.set(key, { value, until: Date.now() + ttlMs }),
 *   setIfAbsent: async (key, value, ttlMs) => {
 *     if (live(key) !== undefined) return false;
 *     map.set(key, { value, until: Date.now() + ttlMs });
 *     return true;
 *   },
 *   deleteIfEquals: async (key, value) => live(key) === value && map.delete(key),
 * };
 * const auth = createWitboostAuth({ baseUrl: 'https://witboost.example.com', store });
 * ```
 */
export interface TokenStore {
  /**
   * How long the store may stay silent before core stops waiting for a call and exchanges on its
   * own, e.g. more for a store in another region. Counted only while this process could have
   * read an answer (not while its event loop is blocked or starved of CPU), and reset by every
   * answer, so a call queued behind hundreds of others waits while they are answered (at most
   * ten times this). A call that times out counts as a failure for the circuit breaker.
   * @default 150
   */
  readonly timeoutMs?: number;
  /** The value of `key`, or `undefined` when there is none (missing or expired). */
  get(key: string, options?: TokenStoreCallOptions): Promise<string | undefined>;
  /** Stores `value` under `key`, replacing any value, expiring after `ttlMs` (an integer >= 1). */
  set(key: string, value: string, ttlMs: number, options?: TokenStoreCallOptions): Promise<void>;
  /**
   * Stores `value` only if `key` has none, atomically (Redis `SET key value NX PX ttlMs`): takes
   * the lease of a cross-process exchange. Resolves whether the value was stored.
   */
  setIfAbsent(
    key: string,
    value: string,
    ttlMs: number,
    options?: TokenStoreCallOptions,
  ): Promise<boolean>;
  /**
   * Deletes `key` only if it still holds `value`, atomically (compare-and-delete): releases a
   * lease, or removes a token another replica may have replaced meanwhile. Resolves whether it
   * deleted.
   */
  deleteIfEquals(key: string, value: string, options?: TokenStoreCallOptions): Promise<boolean>;
  /**
   * Optional: a miss in one round trip. Reads `keys` and, together with the reads (atomically
   * when the store can, e.g. a Redis script), does `setIfAbsent(lease.key, lease.value,
   * lease.ttlMs)`. Resolves the values in the order of `keys` (`undefined` for none) and whether
   * the lease was taken. All keys share one hash tag. Without it, core calls `get` per key and
   * `setIfAbsent` at the same time, which costs a store such as Redis more commands.
   */
  readAndLease?(
    keys: readonly string[],
    lease: { key: string; value: string; ttlMs: number },
    options?: TokenStoreCallOptions,
  ): Promise<{ values: Array<string | undefined>; leased: boolean }>;
  /** Sends `message` (opaque ASCII, no secret) to every subscriber, this process included. */
  publish?(message: string, options?: TokenStoreCallOptions): Promise<void>;
  /**
   * Calls `listener` with every published message until the returned function is called. May
   * keep a connection of its own; best effort (core polls too, so a lost message costs latency).
   */
  subscribe?(listener: (message: string) => void): Promise<() => Promise<void>>;
}
