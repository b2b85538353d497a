import { createRequestIdentities } from '@wb/auth-core';
import type { Context, Next } from 'koa';
import type { WitboostKoaOptions } from './options.js';
import './augment.js';

/**
 * The middleware returned by {@link witboostAuth}: use it, then close it on shutdown.
 *
 * @example
 * ```ts
 * import { witboostAuth, type WitboostKoaMiddleware } from '@wb/auth-koa';
 * const witboost: WitboostKoaMiddleware = witboostAuth({ auth });
 * app.use(witboost);
 * metrics.gauge('witboost_caller_identities', () => witboost.identities);
 * process.on('SIGTERM', () => void witboost.close());
 * ```
 */
export interface WitboostKoaMiddleware {
  (ctx: Context, next: Next): Promise<void>;
  /**
   * Closes every caller identity, and the service authenticator when the middleware created it.
   * Idempotent.
   */
  close(): Promise<void>;
  /** Caller identities currently held (at most `maxIdentities`), e.g. for a metrics gauge. */
  readonly identities: number;
}

/**
 * Koa middleware that sets `ctx.state.witboost` (`{ auth, fetch, getToken, authorizationFor }`)
 * for the service identity or, when `identity(ctx)` returns an access token, on behalf of the
 * caller. Nothing is exchanged until a handler uses it. A blank or absurdly long caller token
 * throws a `WitboostAuthError` with code `invalid_access_token`.
 *
 * @param options - `{ auth }` or the options of `createWitboostAuth`, plus on-behalf-of settings
 * @returns the middleware, with `close()`
 * @throws `WitboostAuthError` with code `invalid_options` for any bad option
 * @example
 * ```ts
 * import Koa from 'koa';
 * import { witboostAuth, witboostErrorHandler } from '@wb/auth-koa';
 *
 * const app = new Koa();
 * const witboost = witboostAuth({
 *   baseUrl: process.env.WITBOOST_BASE_URL!,
 *   identity: (ctx) => {
 *     const token = ctx.headers['x-witboost-access-token'];
 *     return typeof token === 'string' ? token : undefined;
 *   },
 * });
 * app.use(witboostErrorHandler());
 * app.use(witboost);
 * app.use(async (ctx) => {
 *   const answer = await ctx.state.witboost.fetch('/api/catalog/entities?kind=DataProduct');
 *   ctx.body = await answer.json();
 * });
 * ```
 */
export function witboostAuth(options: WitboostKoaOptions): WitboostKoaMiddleware {
  const identities = createRequestIdentities(options, { name: '@wb/auth-koa', requestName: 'ctx' });
  // Not async: returning next()'s promise saves a promise and a microtask turn per request.
  const middleware = function witboostAuthMiddleware(ctx: Context, next: Next): Promise<void> {
    try {
      ctx.state.witboost = identities.contextFor(ctx);
    } catch (error) {
      return Promise.reject(error);
    }
    return next();
  };
  return Object.defineProperties(middleware, {
    close: { value: identities.close },
    identities: { get: () => identities.identities, enumerable: true },
  }) as WitboostKoaMiddleware;
}
