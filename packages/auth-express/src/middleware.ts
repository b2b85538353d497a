import { createRequestIdentities } from '@wb/auth-core';
import type { NextFunction, Request, Response } from 'express';
import type { WitboostExpressOptions } from './options.js';
import './augment.js';

/**
 * The middleware returned by {@link witboostAuth}: use it, then close it on shutdown.
 *
 * @example
 * ```ts
 * import { witboostAuth, type WitboostExpressMiddleware } from '@wb/auth-express';
 * const witboost: WitboostExpressMiddleware = witboostAuth({ auth });
 * app.use(witboost);
 * metrics.gauge('witboost_caller_identities', () => witboost.identities);
 * process.on('SIGTERM', () => void witboost.close());
 * ```
 */
export interface WitboostExpressMiddleware {
  (req: Request, res: Response, next: NextFunction): void;
  /**
   * Closes every caller identity, and the service authenticator when the middleware created it.
   * Idempotent.
   */
  close(): Promise<void>;
  /** Caller identities currently held (at most `maxIdentities`), e.g. for a metrics gauge. */
  readonly identities: number;
}

/**
 * Express middleware that sets `req.witboost` (`{ auth, fetch, getToken, authorizationFor }`)
 * for the service identity or, when `identity(req)` returns an access token, on behalf of the
 * caller. Nothing is exchanged until a handler uses it. A blank or absurdly long caller token
 * goes to `next(WitboostAuthError)` with code `invalid_access_token`.
 *
 * @param options - `{ auth }` or the options of `createWitboostAuth`, plus on-behalf-of settings
 * @returns the middleware, with `close()`
 * @throws `WitboostAuthError` with code `invalid_options` for any bad option
 * @example
 * ```ts
 * import express from 'express';
 * import { witboostAuth, witboostErrorHandler } from '@wb/auth-express';
 *
 * const app = express();
 * const witboost = witboostAuth({
 *   baseUrl: process.env.WITBOOST_BASE_URL!,
 *   identity: (req) => req.get('x-witboost-access-token'),
 * });
 * app.use(witboost);
 * app.get('/data-products', async (req, res, next) => {
 *   try {
 *     const answer = await req.witboost.fetch('/api/catalog/entities?kind=DataProduct');
 *     res.json(await answer.json());
 *   } catch (error) {
 *     next(error);
 *   }
 * });
 * app.use(witboostErrorHandler());
 * ```
 */
export function witboostAuth(options: WitboostExpressOptions): WitboostExpressMiddleware {
  const identities = createRequestIdentities(options, { name: '@wb/auth-express' });
  const middleware = function witboostAuthMiddleware(
    req: Request,
    _res: Response,
    next: NextFunction,
  ): void {
    try {
      req.witboost = identities.contextFor(req);
    } catch (error) {
      next(error);
      return;
    }
    next();
  };
  return Object.defineProperties(middleware, {
    close: { value: identities.close },
    identities: { get: () => identities.identities, enumerable: true },
  }) as WitboostExpressMiddleware;
}
