export type { ChannelListener, RedisClientLike, RedisSubscriberLike } from './client-shape.js';
export type { RedisTokenStoreOptions } from './redis-token-store.js';
export { redisTokenStore } from './redis-token-store.js';
