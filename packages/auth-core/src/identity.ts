import { createAuthFetch } from './auth-fetch.js';
import { type EngineShared, TokenEngine } from './engine/token-engine.js';
import { closedError, WitboostAuthError } from './errors.js';
import { isValidScope } from './scope.js';
import { toAccessTokenSource } from './sources/resolve-source.js';
import type {
  AccessTokenSource,
  AuthMode,
  GetTokenOptions,
  Principal,
  WitboostAuth,
  WitboostAuthStatus,
} from './types.js';
import type { UrlDecision, UrlRouter } from './url/router.js';

/** Everything the identities of one instance share, with the URL decisions. */
export interface IdentityShared extends EngineShared {
  readonly router: UrlRouter;
}

const NO_AUTHORIZATION: Promise<string | undefined> = Promise.resolve(undefined);

/** The members built on first read (see {@link Identity}). */
const LAZY_MEMBERS = [
  'isWitboostUrl',
  'scopeFor',
  'invalidate',
  'fetch',
  'withAccessToken',
  'status',
  'close',
] as const;
type LazyMember = (typeof LAZY_MEMBERS)[number];

/**
 * One identity of a `createWitboostAuth` instance (the instance itself, or a caller from
 * `withAccessToken`): its own source and slots; config, URL decisions and observer are shared.
 *
 * A pool holds thousands of caller identities, so each costs what it uses. The two warm-path
 * methods are own closures; the rest are own enumerable accessors, shared by all instances,
 * that bind a method on first read. So `{ ...auth }`, `const { fetch } = auth` and
 * `auth.close = …` behave as on a plain object, at about 500 bytes less per identity.
 */
class Identity {
  readonly baseUrl: string;
  readonly mode: AuthMode;
  readonly principal: Principal;
  readonly authorizationFor: WitboostAuth['authorizationFor'];
  readonly getToken: WitboostAuth['getToken'];
  declare readonly isWitboostUrl: WitboostAuth['isWitboostUrl'];
  declare readonly scopeFor: WitboostAuth['scopeFor'];
  declare readonly invalidate: WitboostAuth['invalidate'];
  declare readonly fetch: WitboostAuth['fetch'];
  declare readonly withAccessToken: WitboostAuth['withAccessToken'];
  declare readonly status: WitboostAuth['status'];
  declare readonly close: WitboostAuth['close'];
  declare readonly [Symbol.asyncDispose]: WitboostAuth['close'];
  readonly #shared: IdentityShared;
  readonly #engine: TokenEngine;
  /** Extra work of `close()` (the instance that owns a shared store closes it too). */
  readonly #onClose: (() => Promise<void>) | undefined;
  #bound: Partial<Record<LazyMember, WitboostAuth[LazyMember]>> | undefined;

  constructor(
    shared: IdentityShared,
    engine: TokenEngine,
    onClose: (() => Promise<void>) | undefined,
  ) {
    const { config, router } = shared;
    const principal = engine.principal;
    this.baseUrl = config.baseUrl;
    this.mode = config.mode;
    this.principal = principal;
    this.#shared = shared;
    this.#engine = engine;
    this.#onClose = onClose;
    this.authorizationFor = (url, options) => {
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
      if (typeof url !== 'string' && !(url instanceof URL))
        return Promise.reject(badUrl(principal));
      const { allowed, scope } = router(url);
      if (!allowed) return NO_AUTHORIZATION;
      return engine.slotFor(scope).take(true, options?.signal);
    };
    this.getToken = (options) => {
      const scope = options?.scope;
      const slot = scope === undefined ? engine.defaultSlot : engine.slots?.get(scope);
      const token = slot?.token;
      if (token !== undefined && engine.isFresh(token) && config.mode === 'bearer') {
        return token.valuePromise;
      }
      return this.#slowToken(options);
    };
    Object.defineProperties(this, Identity.#descriptors);
  }

  #slowToken(options: GetTokenOptions | undefined): Promise<string> {
    const engine = this.#engine;
    const principal = engine.principal;
    if (engine.isClosed()) return Promise.reject(closedError(principal));
    if (this.mode === 'basic') {
      return Promise.reject(
        new WitboostAuthError(
          'invalid_options',
          "getToken() needs mode 'bearer': in basic mode there is no JWT; use authorizationFor(url)",
          { principal },
        ),
      );
    }
    const scope = options?.scope;
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

  #decide(url: unknown): UrlDecision {
    const engine = this.#engine;
    if (engine.isClosed()) throw closedError(engine.principal);
    if (typeof url !== 'string' && !(url instanceof URL)) throw badUrl(engine.principal);
    return this.#shared.router(url);
  }

  /** The lazily bound members: each made once per identity, on first read. */
  #member<K extends LazyMember>(name: K): WitboostAuth[K] {
    // Null prototype: a polluted `Object.prototype.fetch` must never be taken for ours.
    this.#bound ??= Object.create(null) as Partial<Record<LazyMember, WitboostAuth[LazyMember]>>;
    let made = this.#bound[name];
    if (made === undefined) {
      made = this.#make(name);
      this.#bound[name] = made;
    }
    return made as WitboostAuth[K];
  }

  #make(name: LazyMember): WitboostAuth[LazyMember] {
    const engine = this.#engine;
    switch (name) {
      case 'isWitboostUrl':
        return (url: string | URL) => this.#decide(url).allowed;
      case 'scopeFor':
        return (url: string | URL) => this.#decide(url).scope;
      case 'invalidate':
        return (authorization: string) => engine.invalidate(authorization);
      case 'fetch':
        return this.#makeFetch();
      case 'withAccessToken':
        return (accessToken: string | AccessTokenSource, principal?: Principal) =>
          this.#child(accessToken, principal ?? 'caller');
      case 'status':
        return (): WitboostAuthStatus => engine.status();
      case 'close': {
        const onClose = this.#onClose;
        if (onClose === undefined) return () => engine.close();
        return async () => {
          await engine.close();
          await onClose();
        };
      }
    }
  }

  #makeFetch(): WitboostAuth['fetch'] {
    const authorizationFor = this.authorizationFor;
    return createAuthFetch({
      baseUrl: this.baseUrl,
      // The href, not the URL: strings take the router's fast path and the warm path.
      authorizationFor: (url, signal) =>
        authorizationFor(url.href, signal === undefined ? undefined : { signal }),
      invalidate: (authorization) => this.#engine.invalidate(authorization),
      fetch: this.#shared.config.fetch,
      emit: this.#shared.emit,
    });
  }

  #child(accessToken: string | AccessTokenSource, childPrincipal: Principal): WitboostAuth {
    const engine = this.#engine;
    if (engine.isClosed()) throw closedError(engine.principal);
    if (childPrincipal !== 'service' && childPrincipal !== 'caller') {
      throw new WitboostAuthError('invalid_options', "principal must be 'service' or 'caller'");
    }
    const shared = this.#shared;
    // A caller identity is short-lived and request-driven: nothing to keep warm.
    const warm = childPrincipal === 'service' && shared.config.keepWarm;
    const source = toAccessTokenSource(accessToken, childPrincipal);
    return createIdentity(shared, source, childPrincipal, warm);
  }

  /** Own accessor descriptors, one set for all instances (so they share one hidden class). */
  static readonly #descriptors: PropertyDescriptorMap = (() => {
    const map: PropertyDescriptorMap = {};
    const accessor = (name: LazyMember, key: PropertyKey = name): PropertyDescriptor => ({
      enumerable: true,
      configurable: true,
      get(this: Identity) {
        return this.#member(name);
      },
      // Assignable as on a plain object: the new value replaces the accessor.
      set(this: Identity, value: unknown) {
        Object.defineProperty(this, key, {
          value,
          writable: true,
          enumerable: true,
          configurable: true,
        });
      },
    });
    for (const name of LAZY_MEMBERS) map[name] = accessor(name);
    map[Symbol.asyncDispose] = accessor('close', Symbol.asyncDispose);
    return map;
  })();
}

/** A new identity on `shared`, owning `source` (closed by its `close()`). */
export function createIdentity(
  shared: IdentityShared,
  source: AccessTokenSource,
  principal: Principal,
  keepWarm: boolean,
  onClose?: () => Promise<void>,
): WitboostAuth {
  const engine = new TokenEngine(shared, source, principal, keepWarm);
  return new Identity(shared, engine, onClose) as WitboostAuth;
}

function badUrl(principal: Principal): WitboostAuthError {
  return new WitboostAuthError('invalid_options', 'url must be a string or a URL', { principal });
}
