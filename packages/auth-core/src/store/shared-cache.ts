import { createHmac, randomBytes } from 'node:crypto';
import { isWitboostAuthError, WitboostAuthError } from '../errors.js';
import type { Principal, WitboostAuthEvent } from '../types.js';
import { createAttentionClock } from './attention-clock.js';
import { createChangeFeed } from './change-feed.js';
import { BREAKER_DEFAULTS, type BreakerOptions, createCircuitBreaker } from './circuit-breaker.js';
import { guardStore, STORE_UNAVAILABLE } from './guarded-store.js';
import { open, seal } from './sealed-value.js';
import { type SlotKey, type SlotKeys, slotKeyCache } from './store-keys.js';
import {
  decodeMark,
  decodeRecord,
  encodeMark,
  encodeRecord,
  recordJwt,
  type SharedMark,
  type SharedTokenRecord,
} from './store-record.js';
import type { TokenStore } from './token-store.js';

export type { SlotKey } from './store-keys.js';
export type { SharedTokenRecord } from './store-record.js';

/** What `watch` reports: another replica wrote a newer token, or removed the shared one. */
export type SharedChange = 'replaced' | 'removed';

/** Options of {@link SharedCache.acquire}. */
export interface AcquireOptions {
  /** The caller's token is due for refresh: only a record before its own refresh point helps. */
  refresh: boolean;
  /** Stops waiting for another replica's exchange. */
  signal?: AbortSignal;
  /** Put on the errors a shared 401/403 or 429 surfaces as. */
  principal?: Principal;
}

/** The engine's view of the shared store (L2), consulted only on a miss or a refresh. */
export interface SharedCache {
  /**
   * Miss or refresh: a record from the store (another process's exchange), or the result of
   * running `exchange` (at most once here) which is then shared. Exchange errors propagate; a
   * shared 401/403 marker or 429 backoff surfaces as the matching WitboostAuthError. Store trouble
   * never fails the call: it falls back to running `exchange` itself.
   */
  acquire(
    key: SlotKey,
    exchange: () => Promise<SharedTokenRecord>,
    options: AcquireOptions,
  ): Promise<{ record: SharedTokenRecord; from: 'store' | 'exchange' }>;
  /** `invalidate()`: removes the shared entry if it still holds this JWT (background, never throws). */
  drop(key: SlotKey, jwt: string): void;
  /**
   * Calls `onChange` when another process removed the entry, or replaced it with a newer JWT,
   * which it passes along (read from the store: a notification never causes an exchange).
   * Returns an unsubscribe.
   */
  watch(
    key: SlotKey,
    onChange: (change: SharedChange, record?: SharedTokenRecord) => void,
  ): () => void;
  close(): Promise<void>;
}

/** Timings of the shared cache; the defaults suit a store on the same network. */
export interface SharedCacheTuning {
  /** Longest wait for one store call. */
  callTimeoutMs: number;
  /** Longest wait for another replica's exchange before exchanging here. */
  waitBoundMs: number;
  /** Lifetime of an exchange lease: a crashed holder blocks nobody longer than the wait bound anyway. */
  leaseMs: number;
  /** First poll interval while waiting; it doubles each round up to `pollMaxMs`, jittered ±50%. */
  pollMinMs: number;
  pollMaxMs: number;
  /** The same while change messages arrive (they wake a waiter): polling is only a safety net. */
  livePollMinMs: number;
  livePollMaxMs: number;
  /** How long a shared 401/403 keeps other replicas from asking with the same access token. */
  rejectionMarkMs: number;
  /** Longest shared 429 backoff honoured. */
  maxBackoffMarkMs: number;
  breaker: BreakerOptions;
}

export const SHARED_CACHE_DEFAULTS: SharedCacheTuning = {
  callTimeoutMs: 150,
  waitBoundMs: 3_000,
  leaseMs: 10_000,
  pollMinMs: 20,
  pollMaxMs: 480,
  livePollMinMs: 250,
  livePollMaxMs: 1_000,
  rejectionMarkMs: 5_000,
  maxBackoffMarkMs: 300_000,
  breaker: BREAKER_DEFAULTS,
};

/** Slots whose last JWT this process knows, to ignore the echo of a write it already holds. */
const MAX_KNOWN = 10_000;

/**
 * The shared cache over `store`: the keys and values it writes are opaque (HMAC keys, AES-GCM
 * values under a key derived from the access token); every call is bounded and breaker-guarded.
 */
export function createSharedCache(
  store: TokenStore,
  emit: (event: WitboostAuthEvent) => void,
  tuning: Partial<SharedCacheTuning> = {},
): SharedCache {
  const t: SharedCacheTuning = { ...SHARED_CACHE_DEFAULTS, ...tuning };
  const breaker = createCircuitBreaker(emit, t.breaker);
  const clock = createAttentionClock();
  const guarded = guardStore(store, breaker, emit, store.timeoutMs ?? t.callTimeoutMs, clock);
  const writer = randomBytes(9).toString('base64url');
  let leases = 0;
  const feed = createChangeFeed(store, writer, guarded.publish);
  const known = new Map<string, string>();
  const keyCache = slotKeyCache();
  const slotKeys = keyCache.of;
  let closed = false;

  const fingerprint = (keys: SlotKeys, jwt: string) =>
    createHmac('sha256', keys.aesKey).update(jwt).digest('base64url').slice(0, 16);

  function remember(keys: SlotKeys, print: string): void {
    known.delete(keys.tag);
    known.set(keys.tag, print);
    if (known.size > MAX_KNOWN) known.delete(known.keys().next().value as string);
  }

  // Work the caller need not wait for (sealing and writing a new token or mark, giving a lease
  // back) runs once it has its answer: on the next tick, after the promise chain that hands the
  // token out, yet before any I/O, so the write goes out in the same turn as before. On a cold
  // miss this was ~0.3 ms of the caller's wait on a loaded 2-core machine (an HMAC, AES-GCM,
  // two guarded calls). drop() and close() run what is pending first, to keep the order.
  let pending: Array<() => void> = [];
  function later(job: () => void): void {
    pending.push(job);
    if (pending.length === 1) process.nextTick(runPending);
  }
  function runPending(): void {
    const jobs = pending;
    pending = [];
    for (const job of jobs) {
      try {
        job();
      } catch {
        // A write is best effort (its failures are store_call events); never an uncaught throw.
      }
    }
  }

  function lookup(key: SlotKey, result: 'hit' | 'miss'): void {
    emit({ type: 'cache_lookup', level: 'store', scope: key.scope, result });
  }

  /** After the hand-out: writes the exchanged token for the other replicas, then the release. */
  function share(keys: SlotKeys, record: SharedTokenRecord, lease: string | undefined): void {
    later(() => {
      const print = fingerprint(keys, record.jwt);
      remember(keys, print);
      const ttlMs = record.deadlineAt - Date.now();
      if (ttlMs >= 1 && guarded.usable()) {
        // Issued before the release on the same slot, so waiters never see the lease gone first.
        guarded
          .set(keys.token, seal(encodeRecord(record), keys.aesKey, keys.token), ttlMs)
          .then(() => feed.announce('token', keys.tag, print))
          .catch(() => {});
      }
      release(keys, lease);
    });
  }

  /** After the error reached the caller: shares a 401/403 or 429 as a mark, then the release. */
  function shareFailure(keys: SlotKeys, error: unknown, lease: string | undefined): void {
    const mark = markFor(error, Date.now(), t);
    later(() => {
      if (mark !== undefined && guarded.usable()) {
        guarded
          .set(keys.mark, seal(encodeMark(mark), keys.aesKey, keys.mark), mark.until - Date.now())
          .then(() => feed.announce('mark', keys.tag, ''))
          .catch(() => {});
      }
      release(keys, lease);
    });
  }

  function release(keys: SlotKeys, lease: string | undefined): void {
    if (lease !== undefined) guarded.release(keys.lease, lease).catch(() => {});
  }

  /** The servable record and the mark of a slot, from one round trip (both keys share a slot). */
  async function read(key: SlotKey, keys: SlotKeys, refresh: boolean) {
    const [sealedToken, sealedMark] = await Promise.all([
      guarded.get(keys.token),
      guarded.get(keys.mark),
    ]);
    return decode(key, keys, sealedToken, sealedMark, refresh);
  }

  /**
   * {@link read} and the lease of a miss, in one store call when the store has `readAndLease`
   * (one guarded call and one Redis command instead of three), else side by side. A failed read
   * throws (a lease taken beside it is given back); a failed lease is returned, as a hit or a
   * mark beside it still counts.
   */
  async function readLeasing(key: SlotKey, keys: SlotKeys, owner: string, refresh: boolean) {
    if (guarded.readAndLease !== undefined) {
      const { values, leased } = await guarded.readAndLease(
        [keys.token, keys.mark],
        keys.lease,
        owner,
        t.leaseMs,
      );
      const found = decode(key, keys, values[0], values[1], refresh);
      return { found, won: leased, leaseFailure: undefined };
    }
    const [got, leased] = await Promise.allSettled([
      read(key, keys, refresh),
      guarded.lease(keys.lease, owner, t.leaseMs),
    ]);
    const won = leased.status === 'fulfilled' && leased.value;
    if (got.status === 'rejected') {
      if (won) later(() => release(keys, owner));
      throw got.reason;
    }
    const leaseFailure = leased.status === 'rejected' ? { reason: leased.reason } : undefined;
    return { found: got.value, won, leaseFailure };
  }

  function decode(
    key: SlotKey,
    keys: SlotKeys,
    sealedToken: string | undefined,
    sealedMark: string | undefined,
    refresh: boolean,
  ) {
    const now = Date.now();
    const tokenText =
      sealedToken === undefined ? undefined : open(sealedToken, keys.aesKey, keys.token);
    const markText =
      sealedMark === undefined ? undefined : open(sealedMark, keys.aesKey, keys.mark);
    return {
      record:
        tokenText === undefined
          ? undefined
          : decodeRecord(tokenText, now, key.durationSeconds, refresh),
      mark: markText === undefined ? undefined : decodeMark(markText, now),
      now,
    };
  }

  async function acquire(
    key: SlotKey,
    exchange: () => Promise<SharedTokenRecord>,
    options: AcquireOptions,
  ): Promise<{ record: SharedTokenRecord; from: 'store' | 'exchange' }> {
    if (closed) return { record: await exchange(), from: 'exchange' };
    const keys = slotKeys(key);
    let exchanged = false;
    const runExchange = async (lease?: string) => {
      exchanged = true;
      let record: SharedTokenRecord;
      try {
        record = await exchange();
      } catch (error) {
        shareFailure(keys, error, lease);
        throw error;
      }
      share(keys, record, lease);
      return { record, from: 'exchange' as const };
    };
    if (!guarded.usable()) return runExchange();
    // The bound counts the time this process could have noticed the value: on a starved machine
    // the other replica's exchange, and our reading of its result, take longer in wall time. Yet
    // never beyond twice the bound in wall time, so a waiting caller (bounded in wall time, 10 s
    // by default) keeps room for an exchange of its own.
    const attending = clock.hold();
    try {
      const waitUntil = clock.now() + t.waitBoundMs;
      const waitUntilWall = Date.now() + 2 * t.waitBoundMs;
      let missed = false;
      let pollMs = 0;
      for (;;) {
        // The read and the lease go out together (one round trip): a cold miss costs one round
        // trip before the exchange. A lease taken beside a hit or a mark is given back once the
        // caller has its answer. The owner is unique across replicas (the writer is random).
        const owner = `${writer}.${(leases++).toString(36)}`;
        const { found, won, leaseFailure } = await readLeasing(key, keys, owner, options.refresh);
        const giveBack = () => (won ? later(() => release(keys, owner)) : undefined);
        const { record, mark, now } = found;
        if (record !== undefined) {
          giveBack();
          lookup(key, 'hit');
          later(() => remember(keys, fingerprint(keys, record.jwt)));
          return { record, from: 'store' };
        }
        if (!missed) lookup(key, 'miss');
        missed = true;
        if (mark !== undefined) {
          giveBack();
          throw markError(mark, now, options.principal);
        }
        if (leaseFailure !== undefined) throw leaseFailure.reason;
        if (won) return await runExchange(owner);
        // Another replica is exchanging: wait for its result, bounded.
        const leftMs = Math.min(waitUntil - clock.now(), waitUntilWall - Date.now());
        if (leftMs <= 0 || options.signal?.aborted) return await runExchange();
        // Waiters back off: a change message wakes them the moment the value lands. Polls cost
        // CPU here (three guarded calls each): 150 waiters per process polling from every 20 ms
        // kept a starved replica's event loop too busy to read its own exchanges' answers (fleet
        // bench, 4 x 200 identities: exchanges of 5-7 s, requests past their 10 s bound).
        const live = feed.live();
        pollMs = Math.min(
          pollMs === 0 ? (live ? t.livePollMinMs : t.pollMinMs) : pollMs * 2,
          live ? t.livePollMaxMs : t.pollMaxMs,
        );
        const delay = pollMs * (0.5 + Math.random());
        await feed.wait(keys.tag, Math.min(delay, leftMs), options.signal);
      }
    } catch (error) {
      if (error === STORE_UNAVAILABLE && !exchanged) return runExchange();
      throw error;
    } finally {
      attending();
    }
  }

  function drop(key: SlotKey, jwt: string): void {
    if (closed || !guarded.usable()) return;
    const keys = slotKeys(key);
    runPending(); // a write of this JWT still pending goes first: then it can be removed
    known.delete(keys.tag);
    (async () => {
      const sealed = await guarded.get(keys.token);
      if (sealed === undefined) return;
      const text = open(sealed, keys.aesKey, keys.token);
      if (text === undefined || recordJwt(text) !== jwt) return; // already replaced
      if (await guarded.remove(keys.token, sealed)) feed.announce('removed', keys.tag, '');
    })().catch(() => {});
  }

  function watch(
    key: SlotKey,
    onChange: (change: SharedChange, record?: SharedTokenRecord) => void,
  ): () => void {
    if (closed) return () => {};
    const keys = slotKeys(key);
    return feed.listen(keys.tag, (kind, fromSelf, print) => {
      if (fromSelf || kind === 'mark') return;
      if (kind === 'removed') {
        known.delete(keys.tag);
        onChange('removed');
        return;
      }
      if (known.get(keys.tag) === print || !guarded.usable()) return; // the JWT held here already
      read(key, keys, true)
        .then(({ record }) => {
          if (record === undefined || closed) return;
          const print = fingerprint(keys, record.jwt);
          if (known.get(keys.tag) === print) return;
          remember(keys, print);
          onChange('replaced', record);
        })
        .catch(() => {});
    });
  }

  return {
    acquire,
    drop,
    watch,
    async close() {
      runPending(); // issued now, as they would have been before the hand-out
      closed = true;
      known.clear();
      keyCache.clear();
      await feed.close();
    },
  };
}

/** The mark a failed exchange leaves for the other replicas, if any. */
function markFor(error: unknown, now: number, t: SharedCacheTuning): SharedMark | undefined {
  if (!isWitboostAuthError(error)) return undefined;
  if (error.code === 'access_token_rejected' && t.rejectionMarkMs > 0) {
    return { kind: 'rejected', until: now + t.rejectionMarkMs, status: error.status };
  }
  if (error.code === 'rate_limited' && error.retryAfterMs !== undefined && error.retryAfterMs > 0) {
    const wait = Math.min(error.retryAfterMs, t.maxBackoffMarkMs);
    return { kind: 'backoff', until: now + wait, status: error.status };
  }
  return undefined;
}

/** The error a replica meets while another one's refusal is still shared. */
function markError(
  mark: SharedMark,
  now: number,
  principal: Principal | undefined,
): WitboostAuthError {
  const http = mark.status === undefined ? '' : ` (HTTP ${mark.status})`;
  const waitMs = mark.until - now;
  if (mark.kind === 'rejected') {
    return new WitboostAuthError(
      'access_token_rejected',
      `the JWT exchange rejected this access token${http}, as another replica sharing the token store saw moments ago; asking again in ${Math.ceil(waitMs / 1000)}s`,
      { principal, status: mark.status },
    );
  }
  return new WitboostAuthError(
    'rate_limited',
    `the JWT exchange asked to wait${http}, as another replica sharing the token store saw; retry after ${Math.ceil(waitMs / 1000)}s`,
    { principal, status: mark.status, retryAfterMs: waitMs },
  );
}
