import type { TokenStore, TokenStoreCallOptions } from '@wb/auth-core';
import { createBatcher } from './batcher.js';
import {
  checkClient,
  checkPrefix,
  checkTimeout,
  isCluster,
  type RedisClientLike,
} from './client-shape.js';
import { CALLS, callAnswer, runScript } from './script.js';
import { createSubscriber } from './subscriber.js';

/**
 * Options of {@link redisTokenStore}.
 *
 * @example
 * ```ts
 * import { redisTokenStore, type RedisTokenStoreOptions } from '@wb/auth-redis';
 * const options: RedisTokenStoreOptions = { client, keyPrefix: 'billing:wb:' };
 * const store = redisTokenStore(options);
 * ```
 */
export interface RedisTokenStoreOptions {
  /** A connected node-redis client (`createClient()` or `createCluster()`), which you own and close. */
  client: RedisClientLike;
  /**
   * Prepended to every key and to the change channel, e.g. to share one Redis between services.
   * No braces (they would break the cluster hash tag).
   * @default 'wb:auth:'
   */
  keyPrefix?: string;
  /**
   * How long Redis may stay silent before the process stops waiting for a call and exchanges on
   * its own (integer ms, 1 to 10,000). Raise it for a Redis far away; calls that time out trip
   * the circuit breaker.
   * @default 150
   */
  timeoutMs?: number;
}

/**
 * A {@link TokenStore} on Redis, Redis Cluster or Valkey through the node-redis client you pass
 * in, for `createWitboostAuth({ store })`. Keys are `keyPrefix` + `{HMAC}:jwt|lease|mark`, values
 * AES-256-GCM ciphertext: the store holds no secret. The lease is `SET NX PX`, its release and
 * `invalidate()` a compare-and-delete, change notices a `PUBLISH` on `keyPrefix + 'changes'`
 * (received on one duplicate connection, opened on first use and closed when the last
 * `WitboostAuth` using it closes). A miss reads its keys and takes the lease in one Lua script
 * call (`EVALSHA`, the text sent only when Redis does not know it yet). With a standalone client,
 * the calls of one event-loop turn go out together: only reads as one `MGET`, else one script
 * call, the notices as one `PUBLISH` (a cold start of hundreds of identities costs a few
 * commands, not hundreds). With a cluster client every call is its own command in its token's
 * slot. Core bounds every call (about 150 ms) behind a circuit breaker.
 *
 * @param options `client` (required), `keyPrefix`, `timeoutMs`.
 * @returns A `TokenStore`; the client stays yours to close.
 * @throws {WitboostAuthError} `invalid_options` for a missing client, a bad `keyPrefix` or `timeoutMs`.
 *
 * @example
 * ```ts
 * import { createWitboostAuth } from '@wb/auth-core';
 * import { redisTokenStore } from '@wb/auth-redis';
 * import { createClient } from 'redis';
 *
 * const client = await createClient({ url: process.env.REDIS_URL })
 *   .on('error', (error) => console.error('redis', error.message))
 *   .connect();
 * const auth = createWitboostAuth({
 *   baseUrl: 'https://witboost.example.com',
 *   store: redisTokenStore({ client }),
 * });
 * ```
 */
export function redisTokenStore(options: RedisTokenStoreOptions): TokenStore {
  const own = typeof options === 'object' && options !== null ? options : undefined;
  const client = checkClient(own && Object.hasOwn(own, 'client') ? own.client : undefined);
  const prefix = checkPrefix(own && Object.hasOwn(own, 'keyPrefix') ? own.keyPrefix : undefined);
  const timeoutMs = checkTimeout(
    own && Object.hasOwn(own, 'timeoutMs') ? own.timeoutMs : undefined,
  );
  const channel = `${prefix}changes`;

  // A command not yet sent when core gives up (e.g. queued while reconnecting) is dropped.
  const using = (call: TokenStoreCallOptions | undefined): RedisClientLike => {
    const signal = call?.signal;
    const scoped = client as RedisClientLike & {
      withAbortSignal?: (s: AbortSignal) => RedisClientLike;
    };
    return signal !== undefined && typeof scoped.withAbortSignal === 'function'
      ? scoped.withAbortSignal(signal)
      : client;
  };

  const subscribe = createSubscriber(client, channel);
  if (!isCluster(client)) {
    // One connection to one server: the calls of a turn go out together (batcher.ts).
    const batch = createBatcher(client, channel);
    return {
      timeoutMs,
      async get(key, call) {
        return asValue(await batch.get(prefix + key, call?.signal));
      },
      async set(key, value, ttlMs, call) {
        await batch.write(prefix + key, ['s', value, String(ttlMs)], call?.signal);
      },
      async setIfAbsent(key, value, ttlMs, call) {
        return (
          Number(await batch.write(prefix + key, ['n', value, String(ttlMs)], call?.signal)) === 1
        );
      },
      async deleteIfEquals(key, value, call) {
        return Number(await batch.write(prefix + key, ['d', value], call?.signal)) === 1;
      },
      async readAndLease(keys, lease, call) {
        const signal = call?.signal;
        // Queued together, so they go out in one script call (with the other calls of the turn).
        const [values, leased] = await Promise.all([
          Promise.all(keys.map((key) => batch.get(prefix + key, signal))),
          batch.write(prefix + lease.key, ['n', lease.value, String(lease.ttlMs)], signal),
        ]);
        return { values: values.map(asValue), leased: Number(leased) === 1 };
      },
      async publish(message) {
        await batch.publish(message);
      },
      subscribe,
    };
  }

  return {
    timeoutMs,
    async get(key, call) {
      return asValue(await using(call).get(prefix + key));
    },
    async set(key, value, ttlMs, call) {
      await using(call).set(prefix + key, value, { PX: ttlMs });
    },
    async setIfAbsent(key, value, ttlMs, call) {
      return (await using(call).set(prefix + key, value, { PX: ttlMs, NX: true })) !== null;
    },
    async deleteIfEquals(key, value, call) {
      const reply = await runScript(using(call), CALLS, [prefix + key], ['d', value]);
      return Number(callAnswer(reply, 0, true)) === 1;
    },
    async readAndLease(keys, lease, call) {
      // A token's keys share its hash tag, hence one slot: one script call on its node.
      const answer = await runScript(
        using(call),
        CALLS,
        [...keys, lease.key].map((key) => prefix + key),
        [...keys.map(() => 'g'), 'n', lease.value, String(lease.ttlMs)],
      );
      return {
        values: keys.map((_, i) => asValue(callAnswer(answer, i, false))),
        leased: Number(callAnswer(answer, keys.length, true)) === 1,
      };
    },
    async publish(message, call) {
      await using(call).publish(channel, message);
    },
    subscribe,
  };
}

/** A reply as a stored value: nil is none, anything else its text. */
function asValue(value: unknown): string | undefined {
  return value === null || value === undefined ? undefined : String(value);
}
