import type { TokenStore, TokenStoreCallOptions } from '@wb/auth-core';
import { createBatcher } from './batcher.js';
import {
  checkClient,
  checkPrefix,
  checkTimeout,
  isCluster,
  type RedisClientLike,
} from './client-shape.js';
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

// Compare-and-delete: releases a lease or drops a token only if it is still the same value.
const DELETE_IF_EQUALS =
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

/**
 * A {@link TokenStore} on Redis, Redis Cluster or Valkey through the node-redis client you pass
 * in, for `createWitboostAuth({ store })`. Keys are `keyPrefix` + `{HMAC}:jwt|lease|mark`, values
 * AES-256-GCM ciphertext: the store holds no secret. The lease is `SET NX PX`, its release and
 * `invalidate()` a compare-and-delete script, change notices a `PUBLISH` on `keyPrefix + 'changes'`
 * (received on one duplicate connection, opened on first use and closed when the last
 * `WitboostAuth` using it closes). With a standalone client, the calls of one event-loop turn go
 * out together: the reads as one `MGET`, the writes as one script, the notices as one `PUBLISH`
 * (a cold start of hundreds of identities costs a few commands, not hundreds). With a cluster
 * client every call is its own command in its token's slot. Core bounds every call (about
 * 150 ms) behind a circuit breaker.
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
    // One connection to one server: the calls of a turn go out as one MGET and one script.
    const batch = createBatcher(client, channel);
    return {
      timeoutMs,
      async get(key, call) {
        const value = await batch.get(prefix + key, call?.signal);
        return value === null || value === undefined ? undefined : String(value);
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
      async publish(message) {
        await batch.publish(message);
      },
      subscribe,
    };
  }

  return {
    timeoutMs,
    async get(key, call) {
      const value = await using(call).get(prefix + key);
      return value === null || value === undefined ? undefined : String(value);
    },
    async set(key, value, ttlMs, call) {
      await using(call).set(prefix + key, value, { PX: ttlMs });
    },
    async setIfAbsent(key, value, ttlMs, call) {
      return (await using(call).set(prefix + key, value, { PX: ttlMs, NX: true })) !== null;
    },
    async deleteIfEquals(key, value, call) {
      const deleted = await using(call).eval(DELETE_IF_EQUALS, {
        keys: [prefix + key],
        arguments: [value],
      });
      return Number(deleted) === 1;
    },
    async publish(message, call) {
      await using(call).publish(channel, message);
    },
    subscribe,
  };
}
