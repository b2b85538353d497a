import { createAuthFetch } from './auth-fetch.js';
import { WitboostAuthError } from './errors.js';
import { createObserver } from './observer.js';
import { type ResolvedConfig, resolveOptions } from './options.js';
import { isValidScope } from './scope.js';
import { toAccessTokenSource } from './sources/resolve-source.js';
import { createSharedCache, type SharedCache } from './store/shared-cache.js';
import { createTokenManager } from './token-manager.js';
import type { Slot } from './token-state.js';
import type {
  AccessTokenSource,
  GetTokenOptions,
  Principal,
  WitboostAuth,
  WitboostAuthOptions,
} from './types.js';
import { classifyUrl, createDecisionCache } from './url-rules.js';

const NO_AUTHORIZATION: Promise<string | undefined> = Promise.resolve(undefined);

/** A URL decision bound to the cache slot that serves it (`undefined`: no credential). */
interface BoundDecision {
  readonly allowed: boolean;
  readonly scope: string | undefined;
  readonly slot: Slot | undefined;
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
  const config = resolveOptions(options);
  const source = toAccessTokenSource(options.accessToken, config.principal);
  // Store seam (issue 14): one shared cache (and circuit breaker) per instance, shared by the
  // identities withAccessToken() makes from it; closed with the instance.
  const shared =
    config.store === undefined
      ? undefined
      : createSharedCache(config.store, createObserver(config.logger, config.onEvent));
  return assemble(config, source, shared, true);
}

function assemble(
  config: ResolvedConfig,
  source: AccessTokenSource,
  shared: SharedCache | undefined,
  ownsShared: boolean,
): WitboostAuth {
  const emit = createObserver(config.logger, config.onEvent);
  const manager = createTokenManager(config, source, emit, shared);
  const { principal } = config;

  const decisions = createDecisionCache((input): BoundDecision => {
    const { allowed, scope } = classifyUrl(config, input);
    return { allowed, scope, slot: allowed ? manager.slotFor(scope) : undefined };
  });
  const decide = decisions.lookup;
  const knownUrls = decisions.entries;
  let closed = false;
  // One-entry memo in front of the map: clients tend to call the same URL again and again.
  let lastUrl: string | undefined;
  let lastDecision: BoundDecision | undefined;

  function badUrl(): WitboostAuthError {
    return new WitboostAuthError('invalid_options', 'url must be a string or a URL', { principal });
  }

  function authorizationFor(
    url: string | URL,
    options?: { signal?: AbortSignal },
  ): Promise<string | undefined> {
    // Warm path, inlined on purpose: a map lookup, no allocation, the clock only now and then.
    if (!closed && typeof url === 'string') {
      const decision = url === lastUrl ? lastDecision : knownUrls.get(url);
      if (decision !== undefined) {
        if (decision.slot === undefined) return NO_AUTHORIZATION;
        const token = decision.slot.token;
        if (token !== undefined && manager.isFresh(token)) {
          lastUrl = url;
          lastDecision = decision;
          return token.headerPromise;
        }
      }
    }
    return authorizationForSlow(url, options);
  }

  function authorizationForSlow(
    url: string | URL,
    options?: { signal?: AbortSignal },
  ): Promise<string | undefined> {
    if (manager.isClosed()) return Promise.reject(manager.closedError());
    if (typeof url !== 'string' && !(url instanceof URL)) return Promise.reject(badUrl());
    const slot = decide(url).slot;
    if (slot === undefined) return NO_AUTHORIZATION;
    return manager.header(slot, options?.signal);
  }

  function getToken(options?: GetTokenOptions): Promise<string> {
    if (manager.isClosed()) return Promise.reject(manager.closedError());
    if (config.mode === 'basic') {
      return Promise.reject(
        new WitboostAuthError(
          'invalid_options',
          "getToken() needs mode 'bearer': in basic mode there is no JWT; use authorizationFor(url)",
          { principal },
        ),
      );
    }
    const scope = options?.scope;
    let slot = manager.peekSlot(scope);
    if (slot === undefined) {
      if (!isValidScope(scope)) {
        return Promise.reject(
          new WitboostAuthError(
            'invalid_options',
            'getToken({ scope }) needs a space-separated list of scopes such as service:computational-governance',
            { principal },
          ),
        );
      }
      slot = manager.slotFor(scope);
    }
    return manager.value(slot, options?.signal);
  }

  function checkUrl(url: unknown): asserts url is string | URL {
    if (manager.isClosed()) throw manager.closedError();
    if (typeof url !== 'string' && !(url instanceof URL)) throw badUrl();
  }

  function isWitboostUrl(url: string | URL): boolean {
    checkUrl(url);
    return decide(url).allowed;
  }

  function scopeFor(url: string | URL): string | undefined {
    checkUrl(url);
    return decide(url).scope;
  }

  function withAccessToken(
    accessToken: string | AccessTokenSource,
    childPrincipal: Principal = 'caller',
  ): WitboostAuth {
    if (manager.isClosed()) throw manager.closedError();
    if (childPrincipal !== 'service' && childPrincipal !== 'caller') {
      throw new WitboostAuthError('invalid_options', "principal must be 'service' or 'caller'");
    }
    const child: ResolvedConfig = {
      ...config,
      principal: childPrincipal,
      // A caller identity is short-lived and request-driven: nothing to keep warm.
      keepWarm: childPrincipal === 'service' && config.keepWarm,
    };
    return assemble(child, toAccessTokenSource(accessToken, childPrincipal), shared, false);
  }

  function invalidate(authorization: string): void {
    manager.invalidate(authorization);
  }

  const close = async () => {
    closed = true;
    await manager.close();
    if (ownsShared) await shared?.close(); // store seam
  };

  return {
    baseUrl: config.baseUrl,
    mode: config.mode,
    principal,
    authorizationFor,
    isWitboostUrl,
    scopeFor,
    getToken,
    invalidate,
    fetch: createAuthFetch({
      baseUrl: config.baseUrl,
      authorizationFor: (url, signal) =>
        authorizationFor(url, signal === undefined ? undefined : { signal }),
      invalidate,
      fetch: config.fetch,
      emit,
    }),
    withAccessToken,
    close,
    [Symbol.asyncDispose]: close,
  };
}
