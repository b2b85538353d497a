import { type Clock, systemClock } from './engine/clock.js';
import { WakeQueue } from './engine/wake-queue.js';
import { createIdentity, type IdentityShared } from './identity.js';
import { createObserver } from './observer.js';
import { ownOptions, resolveOptions } from './options.js';
import { toAccessTokenSource } from './sources/resolve-source.js';
import { createSharedCache } from './store/shared-cache.js';
import type { WitboostAuth, WitboostAuthOptions } from './types.js';
import { createUrlRouter } from './url/router.js';

/**
 * Creates a Witboost authenticator: exchanges the access token for short-lived JWTs (or builds
 * the Basic header), caches them per scope, refreshes them ahead of expiry in the background
 * and hands out credentials only for Witboost origins. Options are validated at once.
 *
 * @param options See {@link WitboostAuthOptions}; only `baseUrl` is required.
 * @returns A {@link WitboostAuth}. Holds no timer that keeps the process alive; `close()` it
 * (or `await using`) when done.
 * @throws {WitboostAuthError} `invalid_options` for a bad option, `missing_access_token` when
 * no access token is configured (naming the env var that was read).
 *
 * @example
 * ```ts
 * import { createWitboostAuth } from '@wb/auth-core';
 * const auth = createWitboostAuth({ baseUrl: 'https://witboost.example.com' }); // token from WITBOOST_ACCESS_TOKEN
 * const res = await auth.fetch('/api/catalog/entities');
 * const cg = await auth.authorizationFor('/api/computational-governance/validate'); // CG-scoped JWT
 * await auth.close();
 * ```
 */
export function createWitboostAuth(options: WitboostAuthOptions): WitboostAuth {
  return createWitboostAuthWith(options, systemClock, Math.random);
}

/** On a given clock and random source, for the simulation. */
export function createWitboostAuthWith(
  given: WitboostAuthOptions,
  clock: Clock,
  random: () => number,
): WitboostAuth {
  const options = ownOptions(given);
  const config = resolveOptions(options);
  const source = toAccessTokenSource(options.accessToken, config.principal);
  const emit = createObserver(config.logger, config.onEvent, config.telemetry?.record);
  const shared: IdentityShared = {
    config,
    emit,
    clock,
    random,
    router: createUrlRouter(config),
    cache: config.store === undefined ? undefined : createSharedCache(config.store, emit),
    link: { latency: undefined },
    wakes: new WakeQueue(clock),
  };
  const cache = shared.cache;
  const closeCache = cache === undefined ? undefined : () => cache.close();
  const auth = createIdentity(shared, source, config.principal, config.keepWarm, closeCache);
  config.telemetry?.watch(auth); // the gauges read its status(); caller identities are not listed
  return auth;
}
