import { createWitboostAuth } from './create-witboost-auth.js';
import { WitboostAuthError } from './errors.js';
import { createIdentityPool } from './identity-pool.js';
import { ownOptions } from './options.js';
import type {
  IdentityPool,
  RequestIdentities,
  RequestIdentitiesAdapter,
  RequestIdentitiesOptions,
  WitboostAuthOptions,
} from './types.js';

/** Options of the middleware itself; every other key belongs to `createWitboostAuth`. */
const MIDDLEWARE_KEYS = new Set([
  'auth',
  'identity',
  'maxIdentities',
  'identityIdleTimeoutMs',
  'maxAccessTokenLength',
]);

/**
 * Everything a framework middleware needs but the framework: checks its options, uses `auth` or
 * creates (and later closes) one, keeps the pool of caller identities and calls `identity(req)`
 * per request. An adapter only stores `contextFor(req)` where its framework keeps request state.
 *
 * @param given - `{ auth }` or the options of `createWitboostAuth`, plus on-behalf-of settings.
 * @param adapter - Who is asking, for error messages.
 * @returns `{ contextFor, identities, close }`.
 * @throws WitboostAuthError `invalid_options` for a bad option, prefixed with the adapter's name.
 *
 * @example
 * ```ts
 * import { createRequestIdentities } from '@wb/auth-core';
 * const identities = createRequestIdentities<IncomingMessage>(
 *   {
 *     baseUrl: 'https://witboost.example.com',
 *     identity: (req) => req.headers['x-witboost-access-token'] as string | undefined,
 *   },
 *   { name: 'my-http-adapter' },
 * );
 * const answer = await identities.contextFor(req).fetch('/api/catalog/entities');
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

/** The shape of the options; their values are left to `createWitboostAuth` and the pool. */
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
