// One replica process: `WITBOOST_BASE_URL`, `WITBOOST_ACCESS_TOKEN` and `REDIS_URL` in the
// environment; prints `listening on http://…` and serves until SIGTERM.
import type { AddressInfo } from 'node:net';
import { redisTokenStore } from '@wb/auth-redis';
import { createClient } from 'redis';
import { createReplicaApp } from './app.js';

const client = await createClient({ url: process.env.REDIS_URL })
  .on('error', (error: Error) => console.error(`redis: ${error.message}`))
  .connect();
const replica = createReplicaApp({
  baseUrl: process.env.WITBOOST_BASE_URL ?? '',
  accessToken: process.env.WITBOOST_ACCESS_TOKEN ?? '',
  store: redisTokenStore({ client }),
});
const server = replica.app.listen(0, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
process.once('SIGTERM', async () => {
  server.close();
  await replica.close();
  client.destroy();
});
