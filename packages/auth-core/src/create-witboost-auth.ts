import { createAuthFetch } from './auth-fetch.js';
import { type Clock, systemClock } from './engine/clock.js';
import { type EngineShared, TokenEngine } from './engine/token-engine.js';
import { closedError, WitboostAuthError } from './errors.js';
import { createObserver } from './observer.js';
import { resolveOptions } from './options.js';
import { ownOptions } from './own-options.js';
import { isValidScope } from './scope.js';
import { toAccessTokenSource } from './sources/resolve-source.js';
import { createSharedCache } from './store/shared-cache.js';
import type {
  AccessTokenSource,
  GetTokenOptions,
  Principal,
  WitboostAuth,
  WitboostAuthOptions,
} from './types.js';
import { createUrlRouter, type UrlDecision, type UrlRouter } from './url/router.js';

const NO_AUTHORIZATION: Promise<string | undefined> = Promise.resolve(undefined);

/** Everything the identities of one instance share, with the URL decisions. */
interface Shared extends EngineShared {
  readonly router: UrlRouter;
}

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

/** {@link createWitboostAuth} on a given clock and random source (internal: the simulation). */
export function createWitboostAuthWith(
  given: WitboostAuthOptions,
  clock: Clock,
  random: () => number,
): WitboostAuth {
  const options = ownOptions(given);
  const config = resolveOptions(options);
  const source = toAccessTokenSource(options.accessToken, config.principal);
  const emit = createObserver(config.logger, config.onEvent, config.telemetry?.record);
  const shared: Shared = {
    config,
    emit,
    clock,
    random,
    // The one place URL decisions come from (see `url/fast-path.ts`); pure in `config`.
    router: createUrlRouter(config),
    // One shared cache (and circuit breaker) for the instance and every identity made from it.
    cache: config.store === undefined ? undefined : createSharedCache(config.store, emit),
  };
  const auth = assemble(shared, source, config.principal, config.keepWarm);
  config.telemetry?.watch(auth); // the gauges read its status(); caller identities are not listed
  const cache = shared.cache;
  if (cache === undefined) return auth;
  const close = async () => {
    await auth.close();
    await cache.close();
  };
  return { ...auth, close, [Symbol.asyncDispose]: close };
}

/** One identity: its own source and slots; config, URL decisions and observer are shared. */
function assemble(
  shared: Shared,
  source: AccessTokenSource,
  principal: Principal,
  keepWarm: boolean,
): WitboostAuth {
  const { config, router } = shared;
  const engine = new TokenEngine(shared, source, principal, keepWarm);

  function authorizationFor(
    url: string | URL,
    options?: { signal?: AbortSignal },
  ): Promise<string | undefined> {
    // The warm path, the only one: the router's fast path, no allocation, the clock only now and then.
    if (typeof url === 'string' && !engine.isClosed()) {
      const decision = router(url);
      if (!decision.allowed) return NO_AUTHORIZATION;
      const slot =
        decision.scope === undefined ? engine.defaultSlot : engine.slots?.get(decision.scope);
      const token = slot?.token;
      if (token !== undefined && engine.isFresh(token)) return token.headerPromise;
    }
    if (engine.isClosed()) return Promise.reject(closedError(principal));
    if (typeof url !== 'string' && !(url instanceof URL)) return Promise.reject(badUrl(principal));
    const { allowed, scope } = router(url);
    if (!allowed) return NO_AUTHORIZATION;
    return engine.slotFor(scope).take(true, options?.signal);
  }

  function getToken(options?: GetTokenOptions): Promise<string> {
    const scope = options?.scope;
    const slot = scope === undefined ? engine.defaultSlot : engine.slots?.get(scope);
    const token = slot?.token;
    if (token !== undefined && engine.isFresh(token) && config.mode === 'bearer') {
      return token.valuePromise;
    }
    if (engine.isClosed()) return Promise.reject(closedError(principal));
    if (config.mode === 'basic') {
      return Promise.reject(
        new WitboostAuthError(
          'invalid_options',
          "getToken() needs mode 'bearer': in basic mode there is no JWT; use authorizationFor(url)",
          { principal },
        ),
      );
    }
    if (scope !== undefined && !isValidScope(scope)) {
      return Promise.reject(
        new WitboostAuthError(
          'invalid_options',
          'getToken({ scope }) needs a space-separated list of scopes such as service:computational-governance',
          { principal },
        ),
      );
    }
    return engine.slotFor(scope).take(false, options?.signal);
  }

  function decide(url: unknown): UrlDecision {
    if (engine.isClosed()) throw closedError(principal);
    if (typeof url !== 'string' && !(url instanceof URL)) throw badUrl(principal);
    return router(url);
  }

  function withAccessToken(
    accessToken: string | AccessTokenSource,
    childPrincipal: Principal = 'caller',
  ): WitboostAuth {
    if (engine.isClosed()) throw closedError(principal);
    if (childPrincipal !== 'service' && childPrincipal !== 'caller') {
      throw new WitboostAuthError('invalid_options', "principal must be 'service' or 'caller'");
    }
    // A caller identity is short-lived and request-driven: nothing to keep warm.
    const warm = childPrincipal === 'service' && config.keepWarm;
    return assemble(shared, toAccessTokenSource(accessToken, childPrincipal), childPrincipal, warm);
  }

  const invalidate = (authorization: string) => engine.invalidate(authorization);
  const close = () => engine.close();
  // Built on first use: most caller identities of a pool never call fetch. (A getter instead
  // would turn this object into a dictionary: +800 bytes per identity.)
  let authFetch: WitboostAuth['fetch'] | undefined;

  return {
    baseUrl: config.baseUrl,
    mode: config.mode,
    principal,
    authorizationFor,
    isWitboostUrl: (url) => decide(url).allowed,
    scopeFor: (url) => decide(url).scope,
    getToken,
    invalidate,
    fetch(input, init) {
      authFetch ??= createAuthFetch({
        baseUrl: config.baseUrl,
        authorizationFor: (url, signal) =>
          authorizationFor(url, signal === undefined ? undefined : { signal }),
        invalidate,
        fetch: config.fetch,
        emit: shared.emit,
      });
      return authFetch(input, init);
    },
    withAccessToken,
    status: () => engine.status(),
    close,
    [Symbol.asyncDispose]: close,
  };
}

function badUrl(principal: Principal): WitboostAuthError {
  return new WitboostAuthError('invalid_options', 'url must be a string or a URL', { principal });
}
