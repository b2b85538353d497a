/**
 * Every public type of `@wb/auth-core` but the store's: the contract the adapters are written
 * against. Change it only with them in mind.
 */

import type { TokenStore } from './store/token-store.js';

/**
 * How credentials are presented to Witboost.
 * @example
 * createWitboostAuth({ baseUrl: 'https://witboost.example.com', mode: 'basic' });
 */
export type AuthMode = 'bearer' | 'basic';

/**
 * The scope that the Computational Governance API requires in a JWT.
 * @example
 * const scope: ComputationalGovernanceScope = 'service:computational-governance';
 */
export type ComputationalGovernanceScope = 'service:computational-governance';

/**
 * Where the access token (`wbat-…`) comes from. Read before every exchange, so a rotated secret
 * (a mounted Kubernetes secret, Vault) is picked up by the next one.
 * @example
 * const source: AccessTokenSource = { description: 'vault witboost/ci', getAccessToken: readFromVault };
 */
export interface AccessTokenSource {
  /** Where the token comes from, for messages, e.g. `env WITBOOST_ACCESS_TOKEN`. Never the token. */
  readonly description: string;
  /** Returns the current access token. */
  getAccessToken(): Promise<string>;
  /** Releases what the source holds; called by `WitboostAuth.close()`. */
  close?(): void | Promise<void>;
}

/**
 * A credential-receiving origin besides `baseUrl`, e.g. a Computational Governance host.
 * @example
 * const cg: ExtraOrigin = { url: 'https://wcg.example.com', scope: 'service:computational-governance' };
 */
export interface ExtraOrigin {
  /** Absolute URL; only its origin (scheme, host, port) is used. */
  url: string | URL;
  /** Scope of every request to this origin; scope rules still apply first. */
  scope?: string;
}

/**
 * Maps a path prefix on a credential-receiving origin to the scope its JWT needs.
 * @example
 * const rule: ScopeRule = { pathPrefix: '/api/reports', scope: 'service:reports' };
 */
export interface ScopeRule {
  /** Path prefix, matched on segment boundaries, e.g. `/api/computational-governance`. */
  pathPrefix: string;
  /** Space-separated scopes to request. */
  scope: string;
  /** Restrict the rule to one origin; every credential-receiving origin when omitted. */
  origin?: string | URL;
}

/**
 * Pino-compatible logger subset. No line carries a secret.
 * @example
 * createWitboostAuth({ baseUrl: 'https://witboost.example.com', logger: pino() });
 */
export interface WitboostLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

type LogMethod = (message: unknown, ...rest: unknown[]) => void;

/**
 * NestJS's `LoggerService` (what `new Logger()` is): message first; `debug`, `verbose` optional.
 * @example
 * const logger: MessageLogger = { log: console.log, warn: console.warn, error: console.error };
 */
export interface MessageLogger {
  log: LogMethod;
  warn: LogMethod;
  error: LogMethod;
  debug?: LogMethod;
  verbose?: LogMethod;
}

/**
 * Options of {@link toWitboostLogger}.
 * @example
 * toWitboostLogger(new Logger('WitboostAuth'), { minLevel: 'info' });
 */
export interface ToWitboostLoggerOptions {
  /** Lines below this level are dropped (`'info'` drops per-request cache lookups). @default 'debug' */
  minLevel?: keyof WitboostLogger;
}

/**
 * Refresh and retry tuning. The defaults suit lifetimes from a few seconds to 24 hours.
 * @example
 * const refresh: RefreshOptions = { refreshAtRatio: 0.5, jitterRatio: 0.2, exchangeTimeoutMs: 5_000 };
 */
export interface RefreshOptions {
  /** Fraction of the JWT lifetime after which a background refresh starts. @default 0.5 */
  refreshAtRatio?: number;
  /** Random extra fraction of the lifetime added to the refresh point, to spread a fleet. @default 0.2 */
  jitterRatio?: number;
  /** Travel allowance: a token is handed out until its expiry minus this and 1 s of claim rounding. @default 500 */
  expiryMarginMs?: number;
  /** Timeout of one exchange request. @default 10_000 */
  exchangeTimeoutMs?: number;
  /** First backoff delay after a retryable failure. @default 500 */
  initialBackoffMs?: number;
  /** Largest backoff delay. @default 30_000 */
  maxBackoffMs?: number;
  /** Most exchange attempts a waiting caller sits through within `maxWaitMs`. @default 3 */
  maxAttempts?: number;
  /** Longest a caller waits when no servable token exists; then a token or the last error. @default refresh.exchangeTimeoutMs */
  maxWaitMs?: number;
  /** How long an access token the exchange refused (400/401/403) fails at once, unsent. @default 5_000 */
  rejectionCooldownMs?: number;
}

/**
 * Whom an instance acts for; errors carry it, so an edge can answer a rejected caller with 401.
 * @example
 * if (isWitboostAuthError(error) && error.principal === 'caller') respondUnauthorized();
 */
export type Principal = 'service' | 'caller';

/**
 * Options of {@link createWitboostAuth}.
 * @example
 * createWitboostAuth({ baseUrl: 'https://witboost.example.com', durationSeconds: 600, keepWarm: true });
 */
export interface WitboostAuthOptions {
  /** Witboost origin (and optional path) that receives credentials. Required. */
  baseUrl: string | URL;
  /** The access token or where to read it. @default fromEnv('WITBOOST_ACCESS_TOKEN') */
  accessToken?: string | AccessTokenSource;
  /** @default 'bearer' */
  mode?: AuthMode;
  /** Requested JWT lifetime in seconds (integer >= 1). @default 300 */
  durationSeconds?: number;
  /** Other origins that receive credentials (e.g. a dedicated CG host). */
  origins?: ReadonlyArray<string | URL | ExtraOrigin>;
  /** Path-prefix scope rules, checked in order before the default CG rule. */
  scopes?: readonly ScopeRule[];
  /** Refresh and retry tuning. */
  refresh?: RefreshOptions;
  /** Keep the default-scope token warm with an unref'd timer even when idle (bearer mode). @default false */
  keepWarm?: boolean;
  /** Allow `http://` to a non-loopback host (loopback http is always allowed). @default false */
  allowInsecureHttp?: boolean;
  /** fetch implementation. @default globalThis.fetch */
  fetch?: typeof globalThis.fetch;
  /** A pino-compatible logger, or a NestJS `Logger` / `LoggerService`. @default silent */
  logger?: WitboostLogger | MessageLogger;
  /** Observability hook; never receives a secret; what it throws is swallowed. */
  onEvent?: (event: WitboostAuthEvent) => void;
  /** Whom this instance acts for. @default 'service' */
  principal?: Principal;
  /** Most scopes whose JWTs are cached at once (least recently used dropped). @default 32 */
  maxScopes?: number;
  /** Tracer provider for the exchange and store spans. @default the `@opentelemetry/api` global, if installed */
  tracerProvider?: TelemetryTracerProvider;
  /** Meter provider for the `witboost.auth.*` metrics. @default the `@opentelemetry/api` global, if installed */
  meterProvider?: TelemetryMeterProvider;
  /** Store shared by a fleet's replicas (e.g. `redisTokenStore` of `@wb/auth-redis`). @default in-process only */
  store?: TokenStore;
}

/**
 * Events emitted through `onEvent`. None carries a token.
 * @example
 * const onEvent = (event: WitboostAuthEvent) => {
 *   if (event.type === 'exchange_failed') metrics.increment(`witboost.${event.code}`);
 * };
 */
export type WitboostAuthEvent =
  | {
      type: 'exchange';
      scope: string | undefined;
      durationMs: number;
      /** Local epoch ms of the hand-out deadline. */
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
  /**
   * A fresh token was kept although two server clocks disagreed; its lifetime is the JWT's own.
   * Once per exchange.
   */
  | {
      type: 'clock_warning';
      scope: string | undefined;
      /**
       * `skew`: the JWT's `iat` and the response's `Date` header differ by more than 60 s
       * (whole-second stamps and a slow server stay below that). `exp_before_date`: a JWT without
       * `iat` has an `exp` before the `Date` header.
       */
      reason: 'exp_before_date' | 'skew';
      /**
       * `skew`: `iat − Date` in ms, signed (positive: the signer is ahead). `exp_before_date`: how
       * far `exp` lies before `Date`, in ms.
       */
      skewMs: number;
    }
  /** A caller started (+1) or stopped (-1) waiting because no servable token existed. */
  | { type: 'caller_waiting'; scope: string | undefined; delta: 1 | -1 }
  /** A lookup off the warm path, in process (`l1`) or in the shared store. */
  | {
      type: 'cache_lookup';
      level: 'l1' | 'store';
      scope: string | undefined;
      result: 'hit' | 'miss';
    }
  | {
      type: 'store_call';
      op: 'get' | 'set' | 'delete' | 'lease' | 'release';
      durationMs: number;
      outcome: 'ok' | 'hit' | 'miss' | 'error' | 'timeout';
    }
  /** The shared store became unavailable (circuit open) or available again. */
  | { type: 'store_state'; state: 'available' | 'unavailable'; reason: string };

/**
 * Every code a {@link WitboostAuthError} can carry.
 * @example
 * if (isWitboostAuthError(error) && error.code === 'rate_limited') await sleep(error.retryAfterMs ?? 1000);
 */
export type WitboostAuthErrorCode =
  /** A constructor or function option is invalid. */
  | 'invalid_options'
  /** No access token: env var missing or blank, file empty. */
  | 'missing_access_token'
  /** The access token source threw or returned something that is not a token. */
  | 'token_source_failed'
  /** A caller-supplied access token is blank, too long or malformed. */
  | 'invalid_access_token'
  /** The exchange answered 401/403: unknown, revoked or expired access token, or forbidden. */
  | 'access_token_rejected'
  /** The exchange answered 400 (e.g. a duration beyond the access token's lifetime). */
  | 'exchange_bad_request'
  /** The exchange answered 429; `retryAfterMs` when the server said. */
  | 'rate_limited'
  /** The exchange answered 5xx or another unexpected status. */
  | 'server_error'
  /** The exchange could not reach Witboost (DNS, refused, reset). */
  | 'network_error'
  /** The exchange took longer than `exchangeTimeoutMs`. */
  | 'timeout'
  /** The exchange answered 200 with something that is not a usable JWT. */
  | 'invalid_exchange_response'
  /** The caller's signal aborted the operation. */
  | 'aborted'
  /** The instance was closed. */
  | 'closed';

/**
 * Extra facts a {@link WitboostAuthError} carries.
 * @example
 * throw new WitboostAuthError('rate_limited', 'slow down', { status: 429, retryAfterMs: 1_000 });
 */
export interface WitboostAuthErrorOptions {
  /** HTTP status of the exchange answer, when there was one. */
  status?: number;
  /** How long the server asked us to wait (`Retry-After`), in ms. */
  retryAfterMs?: number;
  /** Whose access token was involved. */
  principal?: Principal;
  /** The underlying error, already redacted. */
  cause?: unknown;
}

/**
 * Options of {@link WitboostAuth.getToken}.
 * @example
 * await auth.getToken({ scope: 'service:computational-governance', signal: AbortSignal.timeout(2_000) });
 */
export interface GetTokenOptions {
  /** Space-separated scopes (one JWT per set, in any order); the default JWT when omitted. */
  scope?: string;
  /** Stops this caller's wait (the shared exchange goes on for the others). */
  signal?: AbortSignal;
}

/**
 * A Witboost authenticator, from {@link createWitboostAuth}. Every method is safe to call
 * concurrently; no timer of it keeps the process alive.
 * @example
 * await using auth = createWitboostAuth({ baseUrl: 'https://witboost.example.com' });
 * const res = await auth.fetch('/api/catalog/entities');
 */
export interface WitboostAuth {
  /** Normalised base URL (origin + path, no trailing slash). */
  readonly baseUrl: string;
  readonly mode: AuthMode;
  readonly principal: Principal;
  /** `'Bearer …'` / `'Basic …'` for a credential-receiving URL (relative to `baseUrl` allowed), else `undefined`. */
  authorizationFor(
    url: string | URL,
    options?: { signal?: AbortSignal },
  ): Promise<string | undefined>;
  /** Whether `url` receives credentials. Synchronous and cheap. */
  isWitboostUrl(url: string | URL): boolean;
  /** The scope a request to `url` needs; `undefined` for none. */
  scopeFor(url: string | URL): string | undefined;
  /** The raw JWT (bearer mode only; basic mode rejects with `invalid_options`). */
  getToken(options?: GetTokenOptions): Promise<string>;
  /** A 401 was seen with this Authorization value: drop that token if it is still current. */
  invalidate(authorization: string): void;
  /** `fetch` with auth, one replay after a 401 (replayable bodies), no credential across origins on redirect. */
  fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>;
  /** An identity with another access token (e.g. a caller's PAT), sharing this one's configuration. The caller closes it. */
  withAccessToken(accessToken: string | AccessTokenSource, principal?: Principal): WitboostAuth;
  /**
   * A synchronous, secret-free snapshot per cached scope, cheap enough for a readiness probe.
   * @example
   * const ready = auth.status().scopes.every((s) => s.state === 'fresh' || s.state === 'refreshing');
   */
  status(): WitboostAuthStatus;
  /** Stops timers, aborts in-flight exchanges, closes the token source. Idempotent. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * What the Express/Koa middleware hands to a request: one identity's authenticated client.
 * @example
 * const entities = await (await req.witboost.fetch('/api/catalog/entities')).json();
 */
export interface WitboostRequestContext {
  /** The identity the calls go to; for a caller evicted from the pool, a current one for the same caller. */
  readonly auth: WitboostAuth;
  fetch: WitboostAuth['fetch'];
  getToken: WitboostAuth['getToken'];
  authorizationFor: WitboostAuth['authorizationFor'];
}

/**
 * Options of {@link createIdentityPool}.
 * @example
 * createIdentityPool(auth, { maxIdentities: 500, idleTimeoutMs: 5 * 60_000 });
 */
export interface IdentityPoolOptions {
  /** Most caller identities kept at once (least recently used closed). @default 1000 */
  maxIdentities?: number;
  /** A caller identity unused for this long is closed. @default 600_000 */
  idleTimeoutMs?: number;
  /** Longest caller access token accepted. @default 4096 */
  maxAccessTokenLength?: number;
}

/**
 * The service identity plus a bounded cache of caller identities (on-behalf-of).
 * @example
 * const res = await createIdentityPool(auth).contextFor(callerPat).fetch('/api/catalog/entities');
 */
export interface IdentityPool {
  /** The service's context (no token) or the caller's; free until used. Throws `invalid_access_token` for a bad token. */
  contextFor(callerAccessToken?: string): WitboostRequestContext;
  /** Caller identities currently held. */
  readonly size: number;
  /** Closes every caller identity (not the service `auth`). */
  close(): Promise<void>;
}

/**
 * On-behalf-of settings of a framework middleware; `Req` is Express's `req` or Koa's `ctx`.
 * @example
 * const onBehalfOf: CallerIdentityOptions<Request> = { identity: (req) => req.get('x-witboost-token') };
 */
export interface CallerIdentityOptions<Req> {
  /** The caller's access token, or `undefined` for the service identity. Must not read the body. @default () => undefined */
  identity?: (req: Req) => string | undefined;
  /** Most caller identities kept at once (least recently used closed). @default 1000 */
  maxIdentities?: number;
  /** A caller identity unused for this long is closed. @default 600_000 */
  identityIdleTimeoutMs?: number;
  /** Longest caller access token accepted. @default 4096 */
  maxAccessTokenLength?: number;
}

/**
 * Options of {@link createRequestIdentities}: `{ auth }` (never closed here) or the options of
 * `createWitboostAuth` (the instance is made here and closed by `close()`), plus on-behalf-of ones.
 * @example
 * const options: RequestIdentitiesOptions<Request> = { baseUrl: 'https://witboost.example.com' };
 */
export type RequestIdentitiesOptions<Req> = (
  | { /** The service identity's authenticator. */ auth: WitboostAuth }
  | (WitboostAuthOptions & { auth?: never })
) &
  CallerIdentityOptions<Req>;

/**
 * Who is asking, so an `invalid_options` message points at the user's own call.
 * @example
 * const koa: RequestIdentitiesAdapter = { name: '@wb/auth-koa', requestName: 'ctx' };
 */
export interface RequestIdentitiesAdapter {
  /** The adapter's package name, e.g. `'@wb/auth-express'`. */
  name: string;
  /** The adapter's factory, as users call it. @default 'witboostAuth' */
  factory?: string;
  /** What the framework calls the request. @default 'req' */
  requestName?: string;
}

/**
 * What {@link createRequestIdentities} returns: the framework-independent half of a middleware.
 * @example
 * const witboost = identities.contextFor(req);
 */
export interface RequestIdentities<Req> {
  /** The caller's context when `identity(req)` gives a token, else the service's; free until used. */
  contextFor(req: Req): WitboostRequestContext;
  /** Caller identities currently held, e.g. for a gauge. */
  readonly identities: number;
  /** Closes every caller identity, and the service one when made here. Idempotent. */
  close(): Promise<void>;
}

/**
 * An HTTP answer for an error reaching an edge, from {@link toHttpProblem}.
 * @example
 * const { status, headers, body }: HttpProblem = toHttpProblem(error);
 */
export interface HttpProblem {
  status: number;
  headers: Record<string, string>;
  body: { error: { code: string; message: string } };
}

/**
 * Options of {@link exchangeAccessToken}.
 * @example
 * const options: ExchangeAccessTokenOptions = { baseUrl: 'https://witboost.example.com', accessToken };
 */
export interface ExchangeAccessTokenOptions {
  /** Witboost base URL (a path prefix is kept). */
  baseUrl: string | URL;
  /** The access token (`wbat-…`) to exchange. */
  accessToken: string;
  /** Requested JWT lifetime in seconds (integer >= 1). @default 300 */
  durationSeconds?: number;
  /** Space-separated scopes; none when omitted. */
  scope?: string;
  /** fetch implementation. @default globalThis.fetch */
  fetch?: typeof globalThis.fetch;
  /** Aborts the exchange (code `aborted`). */
  signal?: AbortSignal;
  /** Rejects with code `timeout` when answer and body take longer. @default 10_000 */
  timeoutMs?: number;
  /** Allow `http://` to a non-loopback host. @default false */
  allowInsecureHttp?: boolean;
  /** Carried by errors, to tell a rejected caller token from a service one. @default 'service' */
  principal?: Principal;
}

/**
 * The JWT claims the client reads (decoded, never verified: the client holds no key).
 * @example
 * const { sub, exp }: JwtClaims = (await exchangeAccessToken({ baseUrl, accessToken })).claims;
 */
export interface JwtClaims {
  sub?: string;
  iss?: string;
  scope?: string;
  /** Issued at, epoch seconds of the server's clock. */
  iat?: number;
  /** Expiry, epoch seconds of the server's clock. */
  exp: number;
}

/**
 * One successful exchange. `JSON.stringify` and `util.inspect` show the JWT redacted.
 * @example
 * const { jwt, expiresAt }: ExchangeResult = await exchangeAccessToken({ baseUrl, accessToken });
 */
export interface ExchangeResult {
  /** The compact JWS to send as `Authorization: Bearer <jwt>`. */
  readonly jwt: string;
  /** The scope requested (`undefined`: none). */
  readonly scope: string | undefined;
  /** `exp − iat` (without `iat`: the requested duration, capped at `exp − Date`), at most what was requested. */
  readonly lifetimeSeconds: number;
  /** Local epoch ms when the request was sent: the lifetime counts from here. */
  readonly sentAt: number;
  /** Local epoch ms of the expiry, `sentAt + lifetimeSeconds × 1000`. */
  readonly expiresAt: number;
  /** Claims decoded (not verified) from the JWT payload. */
  readonly claims: Readonly<JwtClaims>;
  /** Secret-free representation. */
  toJSON(): Omit<ExchangeResult, 'jwt' | 'toJSON'> & { jwt: string };
}

/**
 * Options of {@link fromFile}.
 * @example
 * fromFile('/var/run/secrets/witboost/token', { checkIntervalMs: 5_000 });
 */
export interface FromFileOptions {
  /**
   * Least time between two checks of the file by direct `getAccessToken()` calls. The instance
   * itself checks it (one `stat`) before every exchange, whatever this is. @default 1000
   */
  checkIntervalMs?: number;
}

/**
 * Options of {@link fromFunction}.
 * @example
 * fromFunction(() => vault.read('witboost/ci'), { description: 'vault witboost/ci', cacheMs: 60_000 });
 */
export interface FromFunctionOptions {
  /** Names the source in error messages. Never the token. @default 'function' */
  description?: string;
  /** Reuse the function's answer this long before calling it again (0: every time). @default 0 */
  cacheMs?: number;
}

/**
 * State of one scope's token in {@link WitboostAuth.status}: `fresh` (before its refresh point),
 * `refreshing`, `failing` (the last exchange failed), `expired` (past its hand-out deadline,
 * not replaced) or `empty` (never exchanged).
 * @example
 * const ready = (state: WitboostScopeState) => state === 'fresh' || state === 'refreshing';
 */
export type WitboostScopeState = 'fresh' | 'refreshing' | 'failing' | 'expired' | 'empty';

/**
 * One scope in {@link WitboostAuthStatus}. Times are local epoch ms. Never a secret.
 * @example
 * const secondsLeft = (s: WitboostScopeStatus) => ((s.expiresAt ?? Date.now()) - Date.now()) / 1000;
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
 * A synchronous, secret-free snapshot of an instance, from {@link WitboostAuth.status}.
 * @example
 * const ready = auth.status().scopes.every((s) => s.state !== 'expired');
 */
export interface WitboostAuthStatus {
  closed: boolean;
  mode: AuthMode;
  scopes: WitboostScopeStatus[];
}

/**
 * Attributes of a span or a data point, as core records them.
 * @example
 * const attributes: TelemetryAttributes = { 'witboost.auth.outcome': 'success' };
 */
export type TelemetryAttributes = Record<string, string | number | boolean>;

// The OpenTelemetry shapes core calls, written out so that core's types never import the optional
// `@opentelemetry/api` peer; a real provider from the API or an SDK is assignable to them.

/**
 * The part of an OpenTelemetry `TracerProvider` core uses: any real one fits.
 * @example
 * createWitboostAuth({ baseUrl: 'https://witboost.example.com', tracerProvider: new BasicTracerProvider() });
 */
export interface TelemetryTracerProvider {
  getTracer(
    name: string,
    version?: string,
  ): {
    startSpan(
      name: string,
      options?: { kind?: number; startTime?: number; attributes?: TelemetryAttributes },
    ): {
      setStatus(status: { code: number }): unknown;
      end(endTime?: number): void;
    };
  };
}

/**
 * The part of an OpenTelemetry `MeterProvider` core uses: any real one fits.
 * @example
 * createWitboostAuth({ baseUrl: 'https://witboost.example.com', meterProvider: new MeterProvider() });
 */
export interface TelemetryMeterProvider {
  getMeter(
    name: string,
    version?: string,
  ): {
    createCounter(
      name: string,
      options?: { description?: string; unit?: string },
    ): { add(value: number, attributes?: TelemetryAttributes): void };
    createUpDownCounter(
      name: string,
      options?: { description?: string; unit?: string },
    ): { add(value: number, attributes?: TelemetryAttributes): void };
    createHistogram(
      name: string,
      options?: {
        description?: string;
        unit?: string;
        advice?: { explicitBucketBoundaries?: number[] };
      },
    ): { record(value: number, attributes?: TelemetryAttributes): void };
    createObservableGauge(
      name: string,
      options?: { description?: string; unit?: string },
    ): {
      addCallback(
        callback: (result: {
          observe(value: number, attributes?: TelemetryAttributes): void;
        }) => void,
      ): void;
    };
  };
}
