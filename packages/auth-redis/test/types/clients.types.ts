// Compiled by `tsc --noEmit` (typecheck), never run: every node-redis client the peer range
// allows must fit `redisTokenStore({ client })` as it is, standalone or cluster.
import { redisTokenStore } from '@wb/auth-redis';
import { createClient, createCluster } from 'redis';
import { createClient as createClient5, createCluster as createCluster5 } from 'redis5';

const url = 'redis://127.0.0.1:6379';
redisTokenStore({ client: createClient({ url }) });
redisTokenStore({ client: createClient({ url, RESP: 3 }), keyPrefix: 'svc:' });
redisTokenStore({ client: createCluster({ rootNodes: [{ url }] }) });
redisTokenStore({ client: createClient5({ url }) });
redisTokenStore({ client: createCluster5({ rootNodes: [{ url }] }) });
