import { createWitboostAuth } from './create-witboost-auth.js';
import { WitboostAuthError } from './errors.js';
import { createIdentityPool } from './identity-pool.js';
import { ownOptions } from './options.js';
import type {
  IdentityPool,
  WitboostAuth,
  WitboostAuthOptions,
  WitboostRequestContext,
} from './types.js';

/**
 * On-behalf-of settings of a framework middleware, `Req` being what the framework hands it
 * (Express's `req`, Koa's `ctx`).
 *
 * @example
 * ```ts
 * import type { CallerIdentityOptions } from '@wb/auth-core';
 * const onBehalfOf: CallerIdentityOptions<{ headers: Record<string, unknown> }> = {
 *   identity: (req) => {
 *     const token = req.headers['x-witboost-access-token'];
 *     return typeof token === 'string' ? token : undefined;
 *   },
 *   maxIdentities: 500,
 * };
 * ```
 */
export interface CallerIdentityOptions<Req> {
  /**
   * Returns the access token (e.g. a PAT the caller sent in a header) to act on behalf of the
   * caller, or `undefined` to use the service identity. Called once per request; must not read
   * the body.
   * @default () => undefined (every request uses the service identity)
   */
  identity?: (req: Req) => string | undefined;
  /**
   * Most caller identities kept at once; the least recently used one is closed beyond it.
   * @default 1000
   */
  maxIdentities?: number;
  /**
   * A caller identity unused for this long is closed.
   * @default 600_000 (10 minutes)
   */
  identityIdleTimeoutMs?: number;
  /**
   * Longest caller access token accepted; longer ones are rejected before any exchange.
   * @default 4096
   */
  maxAccessTokenLength?: number;
}

/**
 * Options of {@link createRequestIdentities}: either an existing `WitboostAuth` (`{ auth }`, never
 * closed here) or the options of `createWitboostAuth` (the instance is created here and closed by
 * `close()`), plus the on-behalf-of settings.
 *
 * @example
 * ```ts
 * import type { RequestIdentitiesOptions } from '@wb/auth-core';
 * type Req = { headers: Record<string, unknown> };
 * const shared: RequestIdentitiesOptions<Req> = { auth }; // you close `auth`
 * const owned: RequestIdentitiesOptions<Req> = { baseUrl: 'https://witboost.example.com' };
 * ```
 */
export type RequestIdentitiesOptions<Req> = (
  | { /** The service identity's authenticator. */ auth: WitboostAuth }
  | (WitboostAuthOptions & { auth?: never })
) &
  CallerIdentityOptions<Req>;

/**
 * Who is asking, so that an `invalid_options` message points at the user's own call.
 *
 * @example
 * ```ts
 * import type { RequestIdentitiesAdapter } from '@wb/auth-core';
 * const koa: RequestIdentitiesAdapter = { name: '@wb/auth-koa', requestName: 'ctx' };
 * ```
 */
export interface RequestIdentitiesAdapter {
  /** The adapter's package name, e.g. `'@wb/auth-express'`. */
  name: string;
  /**
   * The adapter's factory, as users call it.
   * @default 'witboostAuth'
   */
  factory?: string;
  /**
   * What the framework calls the request `identity` receives.
   * @default 'req'
   */
  requestName?: string;
}

/**
 * What {@link createRequestIdentities} returns: the framework-independent half of a middleware.
 *
 * @example
 * ```ts
 * import { createRequestIdentities, type RequestIdentities } from '@wb/auth-core';
 * const identities: RequestIdentities<IncomingMessage> = createRequestIdentities(options, {
 *   name: 'my-adapter',
 * });
 * ```
 */
export interface RequestIdentities<Req> {
  /**
   * The context for this request: the caller's when `identity(req)` returns an access token,
   * else the service's. Synchronous and free: nothing is exchanged until the context is used.
   * Throws whatever `identity` throws, `invalid_access_token` for a blank or too long caller
   * token, and `closed` after `close()`.
   */
  contextFor(req: Req): WitboostRequestContext;
  /** Caller identities currently held (at most `maxIdentities`), e.g. for a metrics gauge. */
  readonly identities: number;
  /**
   * Closes every caller identity, and the service authenticator when it was created here.
   * Idempotent: every call returns the same promise.
   */
  close(): Promise<void>;
}

/** Options of the middleware itself; every other key belongs to `createWitboostAuth`. */
const MIDDLEWARE_KEYS = new Set([
  'auth',
  'identity',
  'maxIdentities',
  'identityIdleTimeoutMs',
  'maxAccessTokenLength',
]);

/**
 * Everything a framework middleware needs besides the framework: checks its options, uses the
 * given `auth` or creates (and later closes) one from core options, keeps the pool of caller
 * identities and calls `identity(req)` for each request. An adapter only stores
 * `contextFor(req)` where its framework keeps per-request state.
 *
 * @param given - `{ auth }` or the options of `createWitboostAuth`, plus on-behalf-of settings
 * @param adapter - the adapter's name (and its factory's and request's), for error messages
 * @returns `{ contextFor, identities, close }`
 * @throws `WitboostAuthError` with code `invalid_options` for any bad option; messages start
 *   with `[@wb/auth-core] <adapter name>: `
 * @example
 * ```ts
 * import type { IncomingMessage } from 'node:http';
 * import { createRequestIdentities } from '@wb/auth-core';
 *
 * const identities = createRequestIdentities<IncomingMessage>(
 *   {
 *     baseUrl: 'https://witboost.example.com',
 *     identity: (req) => req.headers['x-witboost-access-token'] as string | undefined,
 *   },
 *   { name: 'my-http-adapter' },
 * );
 * const witboost = identities.contextFor(req); // the caller's identity, or the service's
 * const answer = await witboost.fetch('/api/catalog/entities');
 * await identities.close();
 * ```
 */
export function createRequestIdentities<Req>(
  given: RequestIdentitiesOptions<Req>,
  adapter: RequestIdentitiesAdapter,
): RequestIdentities<Req> {
  const options = ownOptions(given);
  validateOptions(options, adapter);
  const { identity, maxIdentities, identityIdleTimeoutMs, maxAccessTokenLength, ...authOptions } =
    options;
  // From the own-properties copy: the rest object above has a prototype again.
  const owned = options.auth === undefined;
  const auth =
    options.auth === undefined
      ? createWitboostAuth(authOptions as WitboostAuthOptions)
      : options.auth;
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
  // Closures, not `this`: adapters hand `close` around unbound.
  return {
    contextFor: (req: Req) => pool.contextFor(identity?.(req)),
    get identities() {
      return pool.size;
    },
    close: () => (closing ??= closeAll()),
  };
}

/**
 * Checks the shape of the options before anything is created, so every mistake is a
 * `WitboostAuthError` with code `invalid_options`. The values of the core and pool options are
 * left to `createWitboostAuth` and `createIdentityPool`, which validate them with the same code.
 */
function validateOptions(options: unknown, adapter: RequestIdentitiesAdapter): void {
  const { name, factory = 'witboostAuth', requestName = 'req' } = adapter;
  const invalid = (message: string) =>
    new WitboostAuthError('invalid_options', `${name}: ${message}`);
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalid(`${factory}(options) needs an object: { auth } or { baseUrl, ... }`);
  }
  const given = options as Record<string, unknown>;
  if (given.identity !== undefined && typeof given.identity !== 'function') {
    throw invalid(`identity must be a function (${requestName}) => string | undefined`);
  }
  if (given.auth === undefined) {
    if (given.baseUrl === undefined) {
      throw invalid(
        'pass { auth } (a WitboostAuth) or the options of createWitboostAuth, baseUrl included',
      );
    }
    return;
  }
  // Core options next to `auth` would be silently ignored: the instance has its own.
  const ignored = Object.keys(given).filter(
    (key) => !MIDDLEWARE_KEYS.has(key) && given[key] !== undefined,
  );
  if (ignored.length > 0) {
    throw invalid(
      `pass either { auth } or the options of createWitboostAuth, not both (${ignored.join(', ')} given with auth)`,
    );
  }
}
