import { isCluster, type RedisClientLike } from './client-shape.js';

/**
 * One subscription to the change channel per store, shared by every listener: a duplicate
 * connection for a standalone client (a subscribed connection can run nothing else), the
 * cluster's own pub/sub node for a cluster. node-redis resubscribes by itself after a reconnect.
 */
export function createSubscriber(client: RedisClientLike, channel: string) {
  const listeners = new Set<(message: string) => void>();
  let connection: Promise<() => Promise<void>> | undefined;

  // One PUBLISH may carry several messages, one a line (see batcher.ts).
  const onMessage = (message: unknown) => {
    for (const line of String(message).split('\n'))
      for (const listener of listeners) listener(line);
  };

  async function connect(): Promise<() => Promise<void>> {
    if (isCluster(client)) {
      await client.subscribe(channel, onMessage);
      return async () => {
        await client.unsubscribe(channel, onMessage);
      };
    }
    const subscriber = client.duplicate();
    // Without a listener an 'error' event (Redis restarting) would crash the process.
    subscriber.on('error', () => {});
    try {
      await subscriber.connect();
      await subscriber.subscribe(channel, onMessage);
    } catch (error) {
      subscriber.destroy();
      throw error;
    }
    return async () => {
      subscriber.destroy();
    };
  }

  return async function subscribe(listener: (message: string) => void) {
    listeners.add(listener);
    if (connection === undefined) {
      connection = connect();
      connection.catch(() => {
        connection = undefined;
      });
    }
    try {
      await connection;
    } catch (error) {
      listeners.delete(listener);
      throw error;
    }
    return async () => {
      listeners.delete(listener);
      if (listeners.size > 0 || connection === undefined) return;
      const stop = connection;
      connection = undefined;
      await (await stop)();
    };
  };
}
