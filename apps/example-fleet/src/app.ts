import type { TokenStore } from '@wb/auth-core';
import { witboostAuth, witboostErrorHandler } from '@wb/auth-express';
import express, { type Express, type Request } from 'express';

/** One replica of the service: the Express app and how to release what it holds. */
export interface ReplicaApp {
  app: Express;
  /** Exchanges this replica made itself (the others' JWTs came from Redis). */
  exchanges(): number;
  close(): Promise<void>;
}

/**
 * The service every replica runs: `GET /data-products` as the service, `GET /me/data-products`
 * on behalf of the caller (its PAT in `X-Witboost-Access-Token`). With `store`, the replicas
 * share every JWT, the callers' included, through Redis.
 *
 * @example
 * ```ts
 * import { redisTokenStore } from '@wb/auth-redis';
 * const { app } = createReplicaApp({ baseUrl, accessToken, store: redisTokenStore({ client }) });
 * app.listen(3000, '127.0.0.1');
 * ```
 */
export function createReplicaApp(config: {
  baseUrl: string;
  accessToken: string;
  store: TokenStore;
}): ReplicaApp {
  let exchanges = 0;
  const witboost = witboostAuth({
    ...config,
    identity: (req: Request) =>
      req.path.startsWith('/me/') ? (req.get('x-witboost-access-token') ?? '') : undefined,
    onEvent: (event) => {
      if (event.type === 'exchange') exchanges++;
    },
  });
  const app = express();
  app.disable('x-powered-by');
  app.use(witboost);
  const list = async (req: Request, res: express.Response) => {
    const answer = await req.witboost.fetch('/api/catalog/entities?kind=DataProduct');
    res
      .status(answer.status)
      .type('application/json')
      .send(await answer.text());
  };
  app.get('/data-products', list);
  app.get('/me/data-products', list);
  app.get('/exchanges', (_req, res) => {
    res.json({ exchanges });
  });
  app.use(witboostErrorHandler());
  return { app, exchanges: () => exchanges, close: () => witboost.close() };
}
