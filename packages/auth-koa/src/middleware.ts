import { createIdentityPool, createWitboostAuth, type IdentityPool } from '@wb/auth-core';
import type { Context, Next } from 'koa';
import type { WitboostKoaOptions } from './options.js';
import { validateKoaOptions } from './validate-options.js';
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
 * import { witboostAuth, witboostErrorMapper } from '@wb/auth-koa';
 *
 * const app = new Koa();
 * const witboost = witboostAuth({
 *   baseUrl: process.env.WITBOOST_BASE_URL!,
 *   identity: (ctx) => {
 *     const token = ctx.headers['x-witboost-access-token'];
 *     return typeof token === 'string' ? token : undefined;
 *   },
 * });
 * app.use(witboostErrorMapper());
 * app.use(witboost);
 * app.use(async (ctx) => {
 *   const answer = await ctx.state.witboost.fetch('/api/catalog/entities?kind=DataProduct');
 *   ctx.body = await answer.json();
 * });
 * ```
 */
export function witboostAuth(options: WitboostKoaOptions): WitboostKoaMiddleware {
  validateKoaOptions(options);
  const { identity, maxIdentities, identityIdleTimeoutMs, maxAccessTokenLength, ...authOptions } =
    options;
  const owned = authOptions.auth === undefined;
  const auth = authOptions.auth === undefined ? createWitboostAuth(authOptions) : authOptions.auth;
  let pool: IdentityPool;
  try {
    pool = createIdentityPool(auth, {
      maxIdentities,
      idleTimeoutMs: identityIdleTimeoutMs,
      maxAccessTokenLength,
    });
  } catch (error) {
    // A bad pool option must not leave behind the instance this call just created.
    if (owned) void auth.close().catch(() => undefined);
    throw error;
  }
  let closing: Promise<void> | undefined;
  const closeAll = async (): Promise<void> => {
    try {
      await pool.close();
    } finally {
      if (owned) await auth.close();
    }
  };

  const middleware = async function witboostAuthMiddleware(ctx: Context, next: Next) {
    ctx.state.witboost = pool.contextFor(identity?.(ctx));
    await next();
  };
  return Object.defineProperties(middleware, {
    close: { value: (): Promise<void> => (closing ??= closeAll()) },
    identities: { get: () => pool.size, enumerable: true },
  }) as WitboostKoaMiddleware;
}
