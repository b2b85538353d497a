import type { WitboostExpressMiddleware } from '@wb/auth-express';
import { witboostAuth, witboostErrorHandler } from '@wb/auth-express';
import { listen, type MiddlewareHarness } from '@wb/middleware-contract';
import express5, { type Request } from 'express';
import express4 from 'express4';

/**
 * Both supported Express majors. The runtime is what these tests prove; the types of each major
 * are proven by test/types/*.types.ts, so Express 4 is viewed through Express 5's types here.
 */
export const expressMajors = [
  { major: 'express 5', express: express5 },
  { major: 'express 4', express: express4 as unknown as typeof express5 },
] as const;

/**
 * The middleware contract under one Express major: `req.witboost`, JSON bodies by
 * `express.json()`, Witboost errors answered by `witboostErrorHandler()`.
 */
export function expressHarness(
  major: string,
  express: typeof express5,
): MiddlewareHarness<Request, WitboostExpressMiddleware> {
  return {
    major,
    packageName: '@wb/auth-express',
    contextName: 'req.witboost',
    witboostAuth,
    identityFromHeader: (header) => (req) => req.get(header),
    serve(middleware, routes) {
      const app = express();
      app.use(middleware);
      for (const { method, path, handler } of routes) {
        const register = method === 'GET' ? app.get.bind(app) : app.post.bind(app);
        // Express 4 does not forward rejected promises: hand them to `next` ourselves.
        register(path, express.json(), (req, res, next) => {
          handler(req.witboost, {
            headers: req.headers,
            body: method === 'POST' ? req.body : undefined,
          })
            .then(({ status = 200, body }) => {
              res.status(status).json(body);
            })
            .catch(next);
        });
      }
      app.use(witboostErrorHandler());
      return listen(app);
    },
  };
}
