/**
 * Public types of `@wb/auth-core`. This file is the contract the adapters (axios, Express, Koa,
 * NestJS) are written against: change it only with them in mind.
 */

import type { MessageLogger } from './logger-adapter.js';
import type { TokenStore } from './store/token-store.js';
import type { TelemetryMeterProvider, TelemetryTracerProvider } from './telemetry/otel-shapes.js';

/**
 * How credentials are presented to Witboost.
 *
 * @example
 * ```ts
 * import { createWitboostAuth } from '@wb/auth-core';
 * createWitboostAuth({ baseUrl: 'https://witboost.example.com', mode: 'basic' });
 * ```
 */
export type AuthMode = 'bearer' | 'basic';

/**
 * The scope that the Computational Governance API requires in a JWT.
 *
 * @example
 * ```ts
 * import type { ComputationalGovernanceScope } from '@wb/auth-core';
 * const scope: ComputationalGovernanceScope = 'service:computational-governance';
 * const jwt = await auth.getToken({ scope });
 * ```
 */
export type ComputationalGovernanceScope = 'service:computational-governance';

/**
 * Where the access token (`wbat-…`) comes from. Called before every exchange, so a source that
 * rotates (a mounted Kubernetes secret, Vault) is picked up by the next exchange.
 *
 * @example
 * ```ts
 * import type { AccessTokenSource } from '@wb/auth-core';
 * const source: AccessTokenSource = {
 *   description: 'vault secret witboost/ci',
 *   getAccessToken: async () => readFromVault(),
 * };
 * ```
 */
export interface AccessTokenSource {
  /** Human-readable origin of the token for error messages, e.g. `env WITBOOST_ACCESS_TOKEN`. Never the token. */
  readonly description: string;
  /** Returns the current access token. */
  getAccessToken(): Promise<string>;
  /** Releases watchers or handles the source holds. Called by `WitboostAuth.close()`. */
  close?(): void | Promise<void>;
}

/**
 * A credential-receiving origin besides `baseUrl`, e.g. a Computational Governance host.
 *
 * @example
 * ```ts
 * import { createWitboostAuth } from '@wb/auth-core';
 * createWitboostAuth({
 *   baseUrl: 'https://witboost.example.com',
 *   origins: [{ url: 'https://wcg.example.com', scope: 'service:computational-governance' }],
 * });
 * ```
 */
export interface ExtraOrigin {
  /** Absolute URL; only its origin (scheme, host, port) is used. */
  url: string | URL;
  /**
   * Scope requested for every request to this origin, e.g. `service:computational-governance`
   * for a dedicated CG host. Scope rules still apply first.
   */
  scope?: string;
}

/**
 * Maps a path prefix on a credential-receiving origin to the scope its JWT needs.
 *
 * @example
 * ```ts
 * import { createWitboostAuth } from '@wb/auth-core';
 * createWitboostAuth({
 *   baseUrl: 'https://witboost.example.com',
 *   scopes: [{ pathPrefix: '/api/reports', scope: 'service:reports' }],
 * });
 * ```
 */
export interface ScopeRule {
  /** Path prefix, matched on segment boundaries, e.g. `/api/computational-governance`. */
  pathPrefix: string;
  /** Space-separated scopes to request, e.g. `service:computational-governance`. */
  scope: string;
  /** Restrict the rule to one origin; all credential-receiving origins when omitted. */
  origin?: string | URL;
}

/**
 * Pino-compatible logger subset. Every line is free of secrets.
 *
 * @example
 * ```ts
 * import { createWitboostAuth } from '@wb/auth-core';
 * import pino from 'pino';
 * createWitboostAuth({ baseUrl: 'https://witboost.example.com', logger: pino() });
 * ```
 */
export interface WitboostLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/**
 * Refresh and retry tuning. Defaults suit tokens from a few seconds to 24 hours.
 *
 * @example
 * ```ts
 * import { createWitboostAuth } from '@wb/auth-core';
 * createWitboostAuth({
 *   baseUrl: 'https://witboost.example.com',
 *   refresh: { refreshAtRatio: 0.5, jitterRatio: 0.2, exchangeTimeoutMs: 5_000 },
 * });
 * ```
 */
export interface RefreshOptions {
  /**
   * Fraction of the JWT lifetime after which a background refresh starts.
   * @default 0.5
   */
  refreshAtRatio?: number;
  /**
   * Random extra fraction of the lifetime added to the refresh point, so a fleet spreads out.
   * @default 0.2
   */
  jitterRatio?: number;
  /**
   * Travel allowance: a token stops being handed out this long (plus 1 s for whole-second
   * claims) before its expiry, so a request carrying it still arrives in time. The lifetime is
   * counted from the local send time of the exchange, so that is never after the true expiry.
   * @default 500
   */
  expiryMarginMs?: number;
  /**
   * Timeout of one exchange request.
   * @default 10_000
   */
  exchangeTimeoutMs?: number;
  /** First backoff delay after a retryable failure. @default 500 */
  initialBackoffMs?: number;
  /** Largest backoff delay. @default 30_000 */
  maxBackoffMs?: number;
  /**
   * Exchange attempts a waiting caller (no servable token) sits through at most, within its
   * `maxWaitMs`; then it gets the last error.
   * @default 3
   */
  maxAttempts?: number;
  /**
   * Longest a caller waits when no servable token exists; it then gets a token or a clear error
   * (the last one, with `retryAfterMs`), never a wait behind a backoff ceiling.
   * @default refresh.exchangeTimeoutMs
   */
  maxWaitMs?: number;
  /**
   * After the exchange rejected an access token (400/401/403), further calls with the same
   * access token and scope fail at once with that error for this long, instead of hammering
   * Witboost. A different access token from the source is tried immediately.
   * @default 5_000
   */
  rejectionCooldownMs?: number;
}

/**
 * Identity an instance acts for; errors carry it so edges can map a rejected caller token to 401.
 *
 * @example
 * ```ts
 * import { isWitboostAuthError } from '@wb/auth-core';
 * if (isWitboostAuthError(error) && error.principal === 'caller') respondUnauthorized();
 * ```
 */
export type Principal = 'service' | 'caller';

/**
 * Options of {@link createWitboostAuth}.
 *
 * @example
 * ```ts
 * import { createWitboostAuth } from '@wb/auth-core';
 * const auth = createWitboostAuth({
 *   baseUrl: 'https://witboost.example.com',
 *   accessToken: process.env.WITBOOST_ACCESS_TOKEN,
 *   durationSeconds: 600,
 *   keepWarm: true,
 * });
 * ```
 */
export interface WitboostAuthOptions {
  /** Witboost origin that receives credentials, e.g. `https://witboost.example.com`. Required. */
  baseUrl: string | URL;
  /**
   * The access token or where to read it.
   * @default fromEnv('WITBOOST_ACCESS_TOKEN')
   */
  accessToken?: string | AccessTokenSource;
  /** @default 'bearer' */
  mode?: AuthMode;
  /**
   * Requested JWT lifetime in seconds (integer >= 1).
   * @default 300
   */
  durationSeconds?: number;
  /** Other origins that receive credentials (e.g. a dedicated CG host). */
  origins?: ReadonlyArray<string | URL | ExtraOrigin>;
  /**
   * Path-prefix scope rules, checked in order before the default rule
   * (`/api/computational-governance` → `service:computational-governance`).
   */
  scopes?: readonly ScopeRule[];
  /** Refresh and retry tuning. */
  refresh?: RefreshOptions;
  /**
   * Keep a token warm with an unref'd timer even when idle (bearer mode, default scope).
   * @default false
   */
  keepWarm?: boolean;
  /** Allow `http://` to a non-loopback host. Loopback http is always allowed. @default false */
  allowInsecureHttp?: boolean;
  /** fetch implementation. @default globalThis.fetch */
  fetch?: typeof globalThis.fetch;
  /** A pino-compatible logger, or a NestJS `Logger` / `LoggerService` (see {@link toWitboostLogger}). @default silent */
  logger?: WitboostLogger | MessageLogger;
  /** Observability hook; never receives a secret. Exceptions thrown by it are swallowed. */
  onEvent?: (event: WitboostAuthEvent) => void;
  /** Whom this instance acts for. @default 'service' */
  principal?: Principal;
  /** Most scopes whose JWTs are cached at once; the least recently used is dropped beyond it. @default 32 */
  maxScopes?: number;
  /**
   * OpenTelemetry tracer provider for the spans around each exchange and shared-store round trip
   * (never a cache hit). The core README lists every span and attribute.
   * @default the global provider of `@opentelemetry/api` when that optional peer is installed; else no spans
   */
  tracerProvider?: TelemetryTracerProvider;
  /**
   * OpenTelemetry meter provider for the `witboost.auth.*` metrics listed in the core README.
   * @default the global provider of `@opentelemetry/api` when that optional peer is installed; else no metrics
   */
  meterProvider?: TelemetryMeterProvider;
  /**
   * A store shared by the replicas of a fleet, e.g. `redisTokenStore({ client })` from
   * `@wb/auth-redis`. A miss or a refresh looks there before exchanging, so N replicas cause
   * about one exchange per caller per token lifetime; the warm path never leaves the process.
   * Keys and values are opaque to the store (HMAC keys, AES-256-GCM values under a key derived
   * from the access token); a slow, full or unreachable store never fails a request.
   * Identities made by `withAccessToken` (and the adapters' caller identities) share it.
   * @default undefined (in-process cache only)
   */
  store?: TokenStore;
}

/**
 * Events emitted through `onEvent`. None carries a token.
 *
 * @example
 * ```ts
 * import { createWitboostAuth } from '@wb/auth-core';
 * createWitboostAuth({
 *   baseUrl: 'https://witboost.example.com',
 *   onEvent: (event) => {
 *     if (event.type === 'exchange_failed') metrics.increment(`witboost.${event.code}`);
 *   },
 * });
 * ```
 */
export type WitboostAuthEvent =
  | {
      type: 'exchange';
      scope: string | undefined;
      durationMs: number;
      /** Local epoch ms after which the token is no longer handed out. */
      expiresAt: number;
      lifetimeSeconds: number;
      background: boolean;
    }
  | {
      type: 'exchange_failed';
      scope: string | undefined;
      durationMs: number;
      code: WitboostAuthErrorCode;
      status?: number;
      retryInMs?: number;
      background: boolean;
    }
  | { type: 'refresh_scheduled'; scope: string | undefined; refreshAt: number }
  | { type: 'invalidated'; scope: string | undefined }
  | { type: 'replay_after_401'; url: string; method: string }
  | { type: 'token_source_changed'; source: string }
  /** A fresh token was kept although a server clock disagreed (e.g. `exp` before the `Date` header). */
  | {
      type: 'clock_warning';
      scope: string | undefined;
      reason: 'exp_before_date' | 'skew';
      skewMs: number;
    }
  /** A caller started (+1) or stopped (-1) waiting because no servable token existed. */
  | { type: 'caller_waiting'; scope: string | undefined; delta: 1 | -1 }
  /** A lookup off the warm path: in-process cache (`l1`) or shared store (`store`). */
  | {
      type: 'cache_lookup';
      level: 'l1' | 'store';
      scope: string | undefined;
      result: 'hit' | 'miss';
    }
  /** One round trip to the shared token store. */
  | {
      type: 'store_call';
      op: 'get' | 'set' | 'delete' | 'lease' | 'release';
      durationMs: number;
      outcome: 'ok' | 'hit' | 'miss' | 'error' | 'timeout';
    }
  /** The shared store became unavailable (circuit open) or available again. Once per change. */
  | { type: 'store_state'; state: 'available' | 'unavailable'; reason: string };

/**
 * Every error code a {@link WitboostAuthError} can carry.
 *
 * @example
 * ```ts
 * import { isWitboostAuthError } from '@wb/auth-core';
 * if (isWitboostAuthError(error) && error.code === 'rate_limited') await sleep(error.retryAfterMs ?? 1000);
 * ```
 */
export type WitboostAuthErrorCode =
  /** A constructor or function option is invalid. */
  | 'invalid_options'
  /** No access token: env var missing or blank, file empty. */
  | 'missing_access_token'
  /** The access token source threw or returned something that is not a token. */
  | 'token_source_failed'
  /** A caller-supplied access token is blank or absurdly long: rejected before any exchange. */
  | 'invalid_access_token'
  /** Exchange answered 401/403: unknown, revoked or expired access token, or forbidden. */
  | 'access_token_rejected'
  /** Exchange answered 400 (e.g. duration beyond the access token's lifetime, bad scope). */
  | 'exchange_bad_request'
  /** Exchange answered 429. `retryAfterMs` when the server said. */
  | 'rate_limited'
  /** Exchange answered 5xx or another unexpected status. */
  | 'server_error'
  /** The exchange could not reach Witboost (DNS, refused, reset). */
  | 'network_error'
  /** The exchange took longer than `exchangeTimeoutMs`. */
  | 'timeout'
  /** The exchange answered 200 with something that is not a usable JWT. */
  | 'invalid_exchange_response'
  /** The operation was aborted by the caller's signal. */
  | 'aborted'
  /** The instance was closed. */
  | 'closed';

/**
 * Options of {@link WitboostAuth.getToken}.
 *
 * @example
 * ```ts
 * import { createWitboostAuth } from '@wb/auth-core';
 * const jwt = await auth.getToken({
 *   scope: 'service:computational-governance',
 *   signal: AbortSignal.timeout(2_000),
 * });
 * ```
 */
export interface GetTokenOptions {
  /** Space-separated scopes (deduplicated and sorted: one JWT per set); the default JWT when omitted. */
  scope?: string;
  /** Abort waiting (the shared exchange keeps going for other callers). */
  signal?: AbortSignal;
}

/**
 * A Witboost authenticator. Create with {@link createWitboostAuth}; all methods are safe to call
 * concurrently. Holds no timer that keeps the process alive.
 *
 * @example
 * ```ts
 * import { createWitboostAuth } from '@wb/auth-core';
 * await using auth = createWitboostAuth({ baseUrl: 'https://witboost.example.com' });
 * const header = await auth.authorizationFor('/api/catalog/entities'); // 'Bearer …'
 * const res = await auth.fetch('/api/catalog/entities');
 * ```
 */
export interface WitboostAuth {
  /** Normalised base URL (origin + path, no trailing slash), for building clients. */
  readonly baseUrl: string;
  readonly mode: AuthMode;
  readonly principal: Principal;
  /** `'Bearer …'` / `'Basic …'` for a credential-receiving URL, `undefined` for any other URL. Relative URLs resolve against `baseUrl`. */
  authorizationFor(
    url: string | URL,
    options?: { signal?: AbortSignal },
  ): Promise<string | undefined>;
  /** Whether `url` (relative resolved against baseUrl) is a credential-receiving origin. Synchronous, cheap. */
  isWitboostUrl(url: string | URL): boolean;
  /** The scope a request to `url` needs, per the rules; `undefined` for none. */
  scopeFor(url: string | URL): string | undefined;
  /** The raw JWT (bearer mode). In basic mode rejects with `invalid_options`. */
  getToken(options?: GetTokenOptions): Promise<string>;
  /** A 401 was seen with this Authorization value: drop that token if it is still the current one. */
  invalidate(authorization: string): void;
  /** `fetch`-compatible, with auth, one replay after a 401 when the body is replayable, no credential across origins on redirect. */
  fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>;
  /** An instance with the same options but another access token (e.g. a caller's PAT), sharing this one's configuration; its own token cache. The caller owns and must close it. */
  withAccessToken(accessToken: string | AccessTokenSource, principal?: Principal): WitboostAuth;
  /**
   * A synchronous, secret-free snapshot per cached scope (state, hand-out deadline, refresh
   * point, failures, waiting callers), cheap enough for a readiness probe.
   *
   * @example
   * ```ts
   * import { createWitboostAuth } from '@wb/auth-core';
   * const auth = createWitboostAuth({ baseUrl: 'https://witboost.example.com' });
   * app.get('/readyz', (_req, res) => {
   *   const ok = auth.status().scopes.every((s) => s.state === 'fresh' || s.state === 'refreshing');
   *   res.status(ok ? 200 : 503).end();
   * });
   * ```
   */
  status(): WitboostAuthStatus;
  /** Stops timers, aborts in-flight exchanges, closes the token source. Idempotent. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * What the Express/Koa middleware hands to a request: one identity's authenticated client.
 *
 * @example
 * ```ts
 * import type { WitboostRequestContext } from '@wb/auth-core';
 * async function listEntities(witboost: WitboostRequestContext) {
 *   return (await witboost.fetch('/api/catalog/entities')).json();
 * }
 * ```
 */
export interface WitboostRequestContext {
  /**
   * The instance the calls go to. For a caller identity it is a getter: after the pool evicted
   * the identity, it (and the next call) re-acquires a current instance for the same caller.
   */
  readonly auth: WitboostAuth;
  fetch: WitboostAuth['fetch'];
  getToken: WitboostAuth['getToken'];
  authorizationFor: WitboostAuth['authorizationFor'];
}

/**
 * Options of {@link createIdentityPool}.
 *
 * @example
 * ```ts
 * import { createIdentityPool } from '@wb/auth-core';
 * const pool = createIdentityPool(auth, { maxIdentities: 500, idleTimeoutMs: 5 * 60_000 });
 * ```
 */
export interface IdentityPoolOptions {
  /** Most caller identities kept at once; the least recently used is closed beyond it. @default 1000 */
  maxIdentities?: number;
  /** A caller identity unused for this long is closed. @default 600_000 (10 minutes) */
  idleTimeoutMs?: number;
  /** Longest caller access token accepted. @default 4096 */
  maxAccessTokenLength?: number;
}

/**
 * Service identity plus a bounded, hash-keyed cache of caller identities (on-behalf-of).
 * Shared by the Express and Koa middlewares.
 *
 * @example
 * ```ts
 * import { createIdentityPool } from '@wb/auth-core';
 * const pool = createIdentityPool(auth);
 * const res = await pool.contextFor(callerPat).fetch('/api/catalog/entities');
 * ```
 */
export interface IdentityPool {
  /**
   * Context for the service identity (`callerAccessToken === undefined`) or for the caller.
   * Synchronous and free: nothing is exchanged until the context is used. Throws
   * `invalid_access_token` for a blank or too long caller token.
   */
  contextFor(callerAccessToken?: string): WitboostRequestContext;
  /** Caller identities currently held. */
  readonly size: number;
  /** Closes every caller identity (not the service `auth` passed in). */
  close(): Promise<void>;
}

/**
 * An HTTP answer for an error reaching an edge (Express/Koa/Nest error mappers).
 *
 * @example
 * ```ts
 * import { isWitboostAuthError, toHttpProblem } from '@wb/auth-core';
 * if (isWitboostAuthError(error)) {
 *   const { status, headers, body } = toHttpProblem(error);
 *   res.writeHead(status, headers).end(JSON.stringify(body));
 * }
 * ```
 */
export interface HttpProblem {
  status: number;
  headers: Record<string, string>;
  body: { error: { code: string; message: string } };
}

/**
 * State of one scope's token, as {@link WitboostAuth.status} reports it.
 * `fresh`: servable, before its refresh point. `refreshing`: servable, a refresh is under way.
 * `failing`: the last exchange failed (a servable token may still exist). `expired`: the last
 * token passed its hand-out deadline and none replaced it. `empty`: never exchanged.
 *
 * @example
 * ```ts
 * import type { WitboostScopeState } from '@wb/auth-core';
 * const ready = (state: WitboostScopeState) => state === 'fresh' || state === 'refreshing';
 * ```
 */
export type WitboostScopeState = 'fresh' | 'refreshing' | 'failing' | 'expired' | 'empty';

/**
 * One scope in {@link WitboostAuthStatus}. Times are local epoch milliseconds. Never a secret.
 *
 * @example
 * ```ts
 * import type { WitboostScopeStatus } from '@wb/auth-core';
 * const secondsLeft = (s: WitboostScopeStatus) => ((s.expiresAt ?? Date.now()) - Date.now()) / 1000;
 * ```
 */
export interface WitboostScopeStatus {
  /** The scope (`undefined`: the default JWT). */
  scope: string | undefined;
  state: WitboostScopeState;
  /** Hand-out deadline of the current token. */
  expiresAt?: number;
  /** When the background refresh of the current token starts. */
  refreshAt?: number;
  /** When the last exchange (successful or not) finished. */
  lastExchangeAt?: number;
  consecutiveFailures: number;
  lastError?: { code: WitboostAuthErrorCode; at: number };
  /** Callers waiting now because no servable token exists. */
  waiting: number;
}

/**
 * A synchronous, secret-free snapshot of an instance, cheap enough for a readiness probe.
 *
 * @example
 * ```ts
 * import { createWitboostAuth } from '@wb/auth-core';
 * const auth = createWitboostAuth({ baseUrl: 'https://witboost.example.com' });
 * const ready = auth.status().scopes.every((s) => s.state !== 'expired');
 * ```
 */
export interface WitboostAuthStatus {
  closed: boolean;
  mode: AuthMode;
  scopes: WitboostScopeStatus[];
}
