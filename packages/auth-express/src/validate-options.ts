import { WitboostAuthError } from '@wb/auth-core';

/** Options of the middleware itself; every other key belongs to `createWitboostAuth`. */
const MIDDLEWARE_KEYS = new Set([
  'auth',
  'identity',
  'maxIdentities',
  'identityIdleTimeoutMs',
  'maxAccessTokenLength',
]);

function invalid(message: string): WitboostAuthError {
  return new WitboostAuthError('invalid_options', `@wb/auth-express: ${message}`);
}

/**
 * Checks the shape of `witboostAuth` options before anything is created, so every mistake is a
 * `WitboostAuthError` with code `invalid_options` like core's own. The values of the core and
 * pool options are left to core, which validates them with the same code.
 */
export function validateExpressOptions(options: unknown): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalid('witboostAuth(options) needs an object: { auth } or { baseUrl, ... }');
  }
  const given = options as Record<string, unknown>;
  if (given.identity !== undefined && typeof given.identity !== 'function') {
    throw invalid('identity must be a function (req) => string | undefined');
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
