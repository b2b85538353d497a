import { isWitboostAuthError, toHttpProblem } from '@wb/auth-core';
import type { Context, Next } from 'koa';

/**
 * The middleware returned by {@link witboostErrorHandler}.
 *
 * @example
 * ```ts
 * import { witboostErrorHandler, type WitboostErrorHandler } from '@wb/auth-koa';
 * const onWitboostError: WitboostErrorHandler = witboostErrorHandler();
 * app.use(onWitboostError);
 * ```
 */
export type WitboostErrorHandler = (ctx: Context, next: Next) => Promise<void>;

/**
 * Koa middleware that answers a `WitboostAuthError` thrown downstream with its HTTP problem: a
 * rejected or invalid caller token → 401, Witboost unavailable → 503/502, a JSON body
 * `{ "error": { "code", "message" } }` free of secrets. Any other error is rethrown. Register it
 * before `witboostAuth()` and your routes.
 *
 * @returns the middleware
 * @example
 * ```ts
 * import { witboostAuth, witboostErrorHandler } from '@wb/auth-koa';
 * app.use(witboostErrorHandler());
 * app.use(witboostAuth({ auth }));
 * // → 401 { "error": { "code": "access_token_rejected", "message": "[@wb/auth-core] …" } }
 * ```
 */
export function witboostErrorHandler(): WitboostErrorHandler {
  return async function witboostErrorHandler(ctx, next) {
    try {
      await next();
    } catch (error) {
      if (!isWitboostAuthError(error)) throw error;
      const problem = toHttpProblem(error);
      ctx.status = problem.status;
      ctx.set(problem.headers);
      ctx.body = problem.body;
    }
  };
}
