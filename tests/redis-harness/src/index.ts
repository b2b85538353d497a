export { type RedisCluster, startRedisCluster } from './redis-cluster.js';
export { redisCommand } from './redis-command.js';
export {
  hasRedisServer,
  type RedisServer,
  type RedisServerOptions,
  startRedisServer,
} from './redis-server.js';
