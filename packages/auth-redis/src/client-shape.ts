import { WitboostAuthError } from '@wb/auth-core';

/**
 * The part of a node-redis client (`createClient()` or `createCluster()`, v5 or v6) that the
 * store uses. Declared structurally, so any connected node-redis client fits without this package
 * importing `redis` itself.
 *
 * @example
 * ```ts
 * import type { RedisClientLike } from '@wb/auth-redis';
 * import { createClient } from 'redis';
 * const client: RedisClientLike = await createClient({ url: process.env.REDIS_URL }).connect();
 * ```
 */
export interface RedisClientLike {
  get(key: string): Promise<unknown>;
  mGet(keys: string[]): Promise<unknown>;
  set(key: string, value: string, options: { PX: number; NX?: true }): Promise<unknown>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  /** Used when present (node-redis has it): a script sent by its SHA-1 instead of its text. */
  evalSha?(sha1: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  publish(channel: string, message: string): Promise<unknown>;
  subscribe(channel: string, listener: ChannelListener): Promise<unknown>;
  unsubscribe(channel: string, listener?: ChannelListener): Promise<unknown>;
  duplicate(): RedisSubscriberLike;
}

/**
 * What the store does with a duplicate connection: subscribe to the change channel, and close.
 *
 * @example
 * ```ts
 * import type { RedisSubscriberLike } from '@wb/auth-redis';
 * import { createClient } from 'redis';
 * const subscriber: RedisSubscriberLike = createClient().duplicate();
 * ```
 */
export interface RedisSubscriberLike {
  on(event: 'error', listener: (error: unknown) => void): unknown;
  connect(): Promise<unknown>;
  subscribe(channel: string, listener: ChannelListener): Promise<unknown>;
  destroy(): unknown;
}

/**
 * A pub/sub callback; node-redis passes Buffers in buffer mode, strings otherwise.
 *
 * @example
 * ```ts
 * import type { ChannelListener } from '@wb/auth-redis';
 * const listener: ChannelListener = (message) => console.log(String(message));
 * ```
 */
export type ChannelListener = (message: string | Buffer, channel: string | Buffer) => void;

const METHODS = ['get', 'mGet', 'set', 'eval', 'publish', 'subscribe', 'duplicate'] as const;

/** Whether `client` is a cluster client: it routes pub/sub to a node of its own, no duplicate needed. */
export function isCluster(client: RedisClientLike): boolean {
  return typeof (client as { getMasters?: unknown }).getMasters === 'function';
}

/** The client if it looks like a node-redis client, else a typed option error. */
export function checkClient(client: unknown): RedisClientLike {
  const candidate = client as Record<string, unknown> | null;
  if (
    typeof client !== 'object' ||
    client === null ||
    METHODS.some((m) => typeof candidate?.[m] !== 'function')
  ) {
    throw new WitboostAuthError(
      'invalid_options',
      "redisTokenStore needs { client }: a node-redis client from createClient() or createCluster() (package 'redis' v5 or v6), connected",
    );
  }
  return client as RedisClientLike;
}

/** The key prefix, checked: braces would break the cluster hash tag of every key. */
export function checkPrefix(prefix: unknown): string {
  if (prefix === undefined) return 'wb:auth:';
  if (typeof prefix !== 'string' || prefix.length > 100 || /[{}\s]/.test(prefix)) {
    throw new WitboostAuthError(
      'invalid_options',
      'redisTokenStore keyPrefix must be a string of at most 100 characters without braces or spaces (braces would break the Redis Cluster hash tag of every key)',
    );
  }
  return prefix;
}

/** The per-call timeout, checked. */
export function checkTimeout(timeoutMs: unknown): number {
  if (timeoutMs === undefined) return 150;
  if (
    typeof timeoutMs !== 'number' ||
    !Number.isInteger(timeoutMs) ||
    timeoutMs < 1 ||
    timeoutMs > 10_000
  ) {
    throw new WitboostAuthError(
      'invalid_options',
      'redisTokenStore timeoutMs must be an integer number of milliseconds from 1 to 10000',
    );
  }
  return timeoutMs;
}
