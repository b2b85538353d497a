import { isWitboostAuthError, toHttpProblem } from '@wb/auth-core';
import type { NextFunction, Request, Response } from 'express';

/**
 * The error middleware returned by {@link witboostErrorHandler}.
 *
 * @example
 * ```ts
 * import { witboostErrorHandler, type WitboostErrorHandler } from '@wb/auth-express';
 * const onWitboostError: WitboostErrorHandler = witboostErrorHandler();
 * app.use(onWitboostError);
 * ```
 */
export type WitboostErrorHandler = (
  error: unknown,
  req: Request,
  res: Response,
  next: NextFunction,
) => void;

/**
 * Express error middleware that answers a `WitboostAuthError` with its HTTP problem: a rejected
 * or invalid caller token → 401, Witboost unavailable → 503/502, a JSON body
 * `{ "error": { "code", "message" } }` free of secrets. Any other error goes to `next(error)`.
 * Register it after your routes.
 *
 * @returns the error middleware
 * @example
 * ```ts
 * import { witboostErrorHandler } from '@wb/auth-express';
 * app.use(witboostErrorHandler());
 * // → 401 { "error": { "code": "access_token_rejected", "message": "[@wb/auth-core] …" } }
 * ```
 */
export function witboostErrorHandler(): WitboostErrorHandler {
  return function witboostErrorHandler(error, _req, res, next): void {
    // Once headers are out, only Express's default handler can end the response properly.
    if (!isWitboostAuthError(error) || res.headersSent) {
      next(error);
      return;
    }
    const problem = toHttpProblem(error);
    res.status(problem.status).set(problem.headers).json(problem.body);
  };
}
