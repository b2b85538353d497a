import { hash } from 'node:crypto';
import { invalidOption, WitboostAuthError } from './errors.js';
import { ownOptions } from './options.js';
import { hasOnlyTokenChars, MAX_ACCESS_TOKEN_LENGTH } from './sources/token-checks.js';
import type {
  IdentityPool,
  IdentityPoolOptions,
  WitboostAuth,
  WitboostRequestContext,
} from './types.js';

const DEFAULT_MAX_IDENTITIES = 1000;
const DEFAULT_IDLE_TIMEOUT_MS = 10 * 60_000;

/** A node of the recency list: `head` is the least recently used. */
interface Entry {
  key: string;
  auth: WitboostAuth;
  context: WitboostRequestContext;
  lastUsedAt: number;
  /** Calls through `context` still running: an evicted identity is closed once they settle. */
  inFlight: number;
  evicted: boolean;
  older: Entry | undefined;
  newer: Entry | undefined;
}

/**
 * The service identity plus a bounded cache of caller identities, to act on behalf of a caller
 * (e.g. with the PAT a request carried): one `auth.withAccessToken(token, 'caller')` per distinct
 * token, keyed by its SHA-256, the least recently used closed beyond `maxIdentities`, idle ones on
 * the next `contextFor`. A context held across an eviction keeps working. No timer.
 *
 * @param auth - The service identity; the pool never closes it.
 * @param given - See {@link IdentityPoolOptions}.
 * @returns The pool.
 * @throws WitboostAuthError `invalid_options` for a bad `auth` or option.
 *
 * @example
 * ```ts
 * import { createIdentityPool, createWitboostAuth } from '@wb/auth-core';
 * const pool = createIdentityPool(createWitboostAuth({ baseUrl: 'https://witboost.example.com' }));
 * const witboost = pool.contextFor(req.get('x-witboost-token')); // undefined → service identity
 * const res = await witboost.fetch('/api/catalog/entities');
 * ```
 */
export function createIdentityPool(
  auth: WitboostAuth,
  given: IdentityPoolOptions = {},
): IdentityPool {
  const options = ownOptions(given);
  if (
    typeof auth !== 'object' ||
    auth === null ||
    typeof auth.withAccessToken !== 'function' ||
    typeof auth.fetch !== 'function'
  ) {
    invalidOption(
      'createIdentityPool(auth): auth must be a WitboostAuth (from createWitboostAuth)',
    );
  }
  if (typeof options !== 'object' || options === null) {
    invalidOption('createIdentityPool: options must be an object');
  }
  const { maxIdentities = DEFAULT_MAX_IDENTITIES, maxAccessTokenLength = MAX_ACCESS_TOKEN_LENGTH } =
    options;
  for (const [name, value] of Object.entries({ maxIdentities, maxAccessTokenLength })) {
    if (!Number.isSafeInteger(value) || value < 1) {
      invalidOption(`createIdentityPool: ${name} must be an integer >= 1`);
    }
  }
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  if (typeof idleTimeoutMs !== 'number' || Number.isNaN(idleTimeoutMs) || idleTimeoutMs <= 0) {
    invalidOption(
      'createIdentityPool: idleTimeoutMs must be a number > 0 (Infinity disables idle eviction)',
    );
  }

  // A recency list of our own: iterating a Map from its head after many deletions is far from
  // O(1) in V8 (measured: seconds for 100k callers).
  const entries = new Map<string, Entry>();
  let head: Entry | undefined;
  let tail: Entry | undefined;
  const serviceContext = contextOf(auth);
  let closed = false;

  const unlink = (entry: Entry): void => {
    if (entry.older === undefined) head = entry.newer;
    else entry.older.newer = entry.newer;
    if (entry.newer === undefined) tail = entry.older;
    else entry.newer.older = entry.older;
    entry.older = undefined;
    entry.newer = undefined;
  };

  const append = (entry: Entry): void => {
    entry.older = tail;
    if (tail === undefined) head = entry;
    else tail.newer = entry;
    tail = entry;
  };

  const evict = (entry: Entry): void => {
    unlink(entry);
    entries.delete(entry.key);
    entry.evicted = true;
    if (entry.inFlight === 0) closeQuietly(entry.auth);
  };

  const touch = (entry: Entry, now: number): void => {
    entry.lastUsedAt = now;
    unlink(entry);
    append(entry);
  };
  const sweepIdle = (now: number): void => {
    while (head !== undefined && now - head.lastUsedAt >= idleTimeoutMs) evict(head);
  };
  const acquire = (callerAccessToken: string, key: string, now: number): Entry => {
    const hit = entries.get(key);
    if (hit !== undefined) {
      touch(hit, now);
      return hit;
    }
    const entry: Entry = {
      key,
      auth: auth.withAccessToken(callerAccessToken, 'caller'),
      context: serviceContext, // replaced below: the context needs the entry itself
      lastUsedAt: now,
      inFlight: 0,
      evicted: false,
      older: undefined,
      newer: undefined,
    };
    // The token stays in this closure (never a key, nothing inspectable), to re-acquire with.
    entry.context = callerContextOf(entry, (current) => {
      if (closed) throw new WitboostAuthError('closed', 'the identity pool is closed');
      const at = Date.now();
      if (!current.evicted) {
        touch(current, at);
        return current;
      }
      sweepIdle(at);
      return acquire(callerAccessToken, current.key, at);
    });
    entries.set(key, entry);
    append(entry);
    while (entries.size > maxIdentities && head !== undefined) evict(head);
    return entry;
  };
  return {
    contextFor(callerAccessToken?: string): WitboostRequestContext {
      if (closed) throw new WitboostAuthError('closed', 'the identity pool is closed');
      const now = Date.now();
      sweepIdle(now);
      if (callerAccessToken === undefined || callerAccessToken === null) return serviceContext;
      checkCallerToken(callerAccessToken, maxAccessTokenLength);
      // One-shot hash (Node >= 20.12): no per-call Hash object.
      const key = hash('sha256', callerAccessToken, 'hex');
      return acquire(callerAccessToken, key, now).context;
    },
    get size() {
      return entries.size;
    },
    async close() {
      closed = true;
      const all = [...entries.values()];
      entries.clear();
      head = undefined;
      tail = undefined;
      for (const entry of all) entry.evicted = true;
      await Promise.allSettled(all.map((entry) => entry.auth.close()));
    },
  };
}
function contextOf(auth: WitboostAuth): WitboostRequestContext {
  return Object.freeze({
    auth,
    fetch: auth.fetch.bind(auth),
    getToken: auth.getToken.bind(auth),
    authorizationFor: auth.authorizationFor.bind(auth),
  });
}
/**
 * Calls go to the caller's current instance (`current` re-acquires one after an eviction), so a
 * request never sees `closed` because other callers pushed its identity out.
 */
function callerContextOf(first: Entry, current: (entry: Entry) => Entry): WitboostRequestContext {
  let entry = first;
  const settle = (used: Entry): void => {
    used.inFlight--;
    if (used.evicted && used.inFlight === 0) closeQuietly(used.auth);
  };
  const track =
    <A extends unknown[], R>(call: (auth: WitboostAuth, ...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      let used: Entry;
      try {
        used = current(entry);
      } catch (error) {
        return Promise.reject(error);
      }
      entry = used;
      used.inFlight++;
      let result: Promise<R>;
      try {
        result = call(used.auth, ...args);
      } catch (error) {
        settle(used);
        return Promise.reject(error);
      }
      return result.finally(() => settle(used));
    };
  return Object.freeze({
    get auth(): WitboostAuth {
      if (entry.evicted) {
        try {
          entry = current(entry);
        } catch {
          // A closed pool: the last instance, closed too, answers `closed` itself.
        }
      }
      return entry.auth;
    },
    fetch: track((auth, input: Parameters<WitboostAuth['fetch']>[0], init?: RequestInit) =>
      auth.fetch(input, init),
    ),
    getToken: track((auth, options?: Parameters<WitboostAuth['getToken']>[0]) =>
      auth.getToken(options),
    ),
    authorizationFor: track(
      (auth, url: string | URL, options?: Parameters<WitboostAuth['authorizationFor']>[1]) =>
        auth.authorizationFor(url, options),
    ),
  });
}
function checkCallerToken(token: unknown, maxLength: number): asserts token is string {
  const problem =
    typeof token !== 'string'
      ? 'is not a string'
      : token.trim() === ''
        ? 'is blank'
        : token.length > maxLength
          ? `is longer than ${maxLength} characters`
          : !hasOnlyTokenChars(token)
            ? 'contains whitespace, control or non-ASCII characters'
            : undefined;
  if (problem !== undefined) {
    throw new WitboostAuthError('invalid_access_token', `the caller's access token ${problem}`, {
      principal: 'caller',
    });
  }
}

function closeQuietly(auth: WitboostAuth): void {
  // On a request path: closing must neither block nor throw.
  try {
    auth.close().catch(() => undefined);
  } catch {}
}
