import { WitboostAuthError, type WitboostAuthErrorOptions } from './errors.js';
import { invalidOption } from './fail.js';
import { decodeExchangedJwt, type JwtClaims } from './jwt-claims.js';
import { DEFAULT_DURATION_SECONDS, REFRESH_DEFAULTS } from './options.js';
import { redactSecrets, redactToken } from './redact.js';
import { parseRetryAfter } from './retry-after.js';
import { sanitizeCause } from './sanitize-cause.js';
import { assertScope, canonicalScope } from './scope.js';
import type { Principal } from './types.js';
import { parseCredentialUrl, typeName } from './url-policy.js';

/** Path of the JWT exchange endpoint, below the base URL. */
export const EXCHANGE_PATH = '/api/auth/access-tokens/jwt';

/**
 * Options of {@link exchangeAccessToken}.
 *
 * @example
 * ```ts
 * import { exchangeAccessToken, type ExchangeAccessTokenOptions } from '@wb/auth-core';
 * const options: ExchangeAccessTokenOptions = { baseUrl: 'https://witboost.example.com', accessToken };
 * const { jwt } = await exchangeAccessToken(options);
 * ```
 */
export interface ExchangeAccessTokenOptions {
  /** Witboost base URL, e.g. `https://witboost.example.com` (a path prefix is kept). */
  baseUrl: string | URL;
  /** The access token (`wbat-…`) to exchange. */
  accessToken: string;
  /**
   * Requested JWT lifetime in seconds (integer >= 1).
   * @default 300
   */
  durationSeconds?: number;
  /** Space-separated scopes, e.g. `service:computational-governance`. None when omitted. */
  scope?: string;
  /** fetch implementation. @default globalThis.fetch */
  fetch?: typeof globalThis.fetch;
  /** Aborts the exchange (rejects with code `aborted`). */
  signal?: AbortSignal;
  /**
   * Rejects with code `timeout` when the exchange (answer and body) takes longer.
   * @default 10_000
   */
  timeoutMs?: number;
  /** Allow `http://` to a non-loopback host. @default false */
  allowInsecureHttp?: boolean;
  /** Carried by errors, so an edge can tell a rejected caller token from a service one. @default 'service' */
  principal?: Principal;
}

/**
 * One successful exchange. `JSON.stringify` and `util.inspect` show it with the JWT redacted;
 * read `jwt` explicitly to use it.
 *
 * @example
 * ```ts
 * import { exchangeAccessToken } from '@wb/auth-core';
 * const result = await exchangeAccessToken({ baseUrl, accessToken });
 * console.log(result); // { jwt: '[redacted jwt]', lifetimeSeconds: 300, … }
 * await fetch(url, { headers: { authorization: `Bearer ${result.jwt}` } });
 * ```
 */
export interface ExchangeResult {
  /** The compact JWS to send as `Authorization: Bearer <jwt>`. */
  readonly jwt: string;
  /** The scope that was requested (`undefined`: none). */
  readonly scope: string | undefined;
  /**
   * `min(exp − iat, requested duration)` when the JWT has `iat`; otherwise the requested
   * duration, capped at `exp − Date` when the response has a `Date` header.
   */
  readonly lifetimeSeconds: number;
  /** Local epoch ms when the request was sent: the lifetime counts from here, not from the server clock. */
  readonly sentAt: number;
  /** Local epoch ms of the expiry: `sentAt + lifetimeSeconds × 1000` (no safety margin). */
  readonly expiresAt: number;
  /** Claims decoded (not verified) from the JWT payload. */
  readonly claims: Readonly<JwtClaims>;
  /** Secret-free representation. */
  toJSON(): Omit<ExchangeResult, 'jwt' | 'toJSON'> & { jwt: string };
}

/** Everything one raw exchange needs, already validated. */
export interface ExchangeRequest {
  endpoint: string;
  accessToken: string;
  durationSeconds: number;
  scope: string | undefined;
  fetch: typeof globalThis.fetch;
  signal: AbortSignal | undefined;
  timeoutMs: number;
  principal: Principal;
  /** Where the access token came from, for messages (`env WITBOOST_ACCESS_TOKEN`). Never the token. */
  tokenLabel?: string | undefined;
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom');
const lateBoundFetch: typeof globalThis.fetch = (input, init) => globalThis.fetch(input, init);

/**
 * Exchanges an access token for a JWT once: no cache, no retry. `createWitboostAuth` is what an
 * application normally wants; this is the building block for scripts and tests.
 *
 * @param options Where and what to exchange.
 * @returns The JWT with its decoded claims and local expiry.
 * @throws {WitboostAuthError} `exchange_bad_request` (400), `access_token_rejected` (401/403),
 * `rate_limited` (429, with `retryAfterMs`), `server_error`, `network_error`, `timeout`,
 * `aborted`, `invalid_exchange_response`, `invalid_options`, `missing_access_token`.
 *
 * @example
 * ```ts
 * import { exchangeAccessToken } from '@wb/auth-core';
 * const { jwt, expiresAt } = await exchangeAccessToken({
 *   baseUrl: 'https://witboost.example.com',
 *   accessToken: process.env.WITBOOST_ACCESS_TOKEN ?? '',
 *   durationSeconds: 600,
 *   scope: 'service:computational-governance',
 * });
 * ```
 */
export async function exchangeAccessToken(
  options: ExchangeAccessTokenOptions,
): Promise<ExchangeResult> {
  if (typeof options !== 'object' || options === null) {
    invalidOption(`exchangeAccessToken expects an options object, got ${typeName(options)}`);
  }
  const principal = options.principal ?? 'service';
  const base = parseCredentialUrl(options.baseUrl, 'baseUrl', options.allowInsecureHttp === true);
  if (base.search !== '' || base.hash !== '') {
    invalidOption('baseUrl must not have a query string or a fragment');
  }
  if (typeof options.accessToken !== 'string' || options.accessToken.trim() === '') {
    throw new WitboostAuthError(
      'missing_access_token',
      'exchangeAccessToken needs a non-blank accessToken string',
      { principal },
    );
  }
  const durationSeconds = options.durationSeconds ?? DEFAULT_DURATION_SECONDS;
  if (!Number.isInteger(durationSeconds) || durationSeconds < 1) {
    invalidOption('durationSeconds must be an integer >= 1');
  }
  const scope =
    options.scope === undefined ? undefined : canonicalScope(assertScope(options.scope, 'scope'));
  const timeoutMs = options.timeoutMs ?? REFRESH_DEFAULTS.exchangeTimeoutMs;
  if (typeof timeoutMs !== 'number' || !(timeoutMs > 0) || timeoutMs > 2_147_483_647) {
    invalidOption('timeoutMs must be a positive number of milliseconds');
  }
  if (options.fetch !== undefined && typeof options.fetch !== 'function') {
    invalidOption('fetch must be a function');
  }
  return exchangeOnce({
    endpoint: base.origin + base.pathname.replace(/\/+$/, '') + EXCHANGE_PATH,
    accessToken: options.accessToken.trim(),
    durationSeconds,
    scope,
    fetch: options.fetch ?? lateBoundFetch,
    signal: options.signal,
    timeoutMs,
    principal,
  });
}

/** One exchange attempt with a validated request. */
export async function exchangeOnce(request: ExchangeRequest): Promise<ExchangeResult> {
  const errorOptions: WitboostAuthErrorOptions = { principal: request.principal };
  const { signal } = request;
  if (signal?.aborted) throw abortedError(errorOptions, signal.reason);

  const controller = new AbortController();
  let timedOut = false;
  // A fetch that ignores its signal (or a body stream not tied to it) must not hang the exchange:
  // both the answer and the body read race this promise, settled by the deadline or an abort.
  let stop: (reason: unknown) => void = () => undefined;
  const stopped = new Promise<never>((_resolve, reject) => {
    stop = reject;
  });
  stopped.catch(() => undefined);
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
    stop(new Error('timeout'));
  }, request.timeoutMs);
  timer.unref?.();
  const onAbort = () => {
    controller.abort();
    stop(new Error('aborted'));
  };
  signal?.addEventListener('abort', onAbort, { once: true });

  const body: Record<string, unknown> = {
    access_token: request.accessToken,
    duration_seconds: request.durationSeconds,
  };
  if (request.scope !== undefined) body.scope = request.scope;

  const sentAt = Date.now();
  let settled = false;
  let response: Response | undefined;
  try {
    let text: string;
    try {
      const answer = request.fetch(request.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
        // The body carries the access token: a redirect must never forward it anywhere.
        redirect: 'manual',
        signal: controller.signal,
      });
      // An answer arriving after we gave up still holds a connection: release it.
      Promise.resolve(answer).then(
        (late) => {
          if (settled) late.body?.cancel().catch(() => undefined);
        },
        () => undefined,
      );
      response = await Promise.race([answer, stopped]);
      text = await Promise.race([response.text(), stopped]);
    } catch (error) {
      if (timedOut || signal?.aborted) response?.body?.cancel().catch(() => undefined);
      if (timedOut) {
        throw new WitboostAuthError(
          'timeout',
          `the JWT exchange at ${request.endpoint} did not answer within ${request.timeoutMs} ms`,
          errorOptions,
        );
      }
      if (signal?.aborted) throw abortedError(errorOptions, signal.reason);
      throw new WitboostAuthError(
        'network_error',
        `could not reach the JWT exchange at ${request.endpoint}: ${describeCause(error)}`,
        { ...errorOptions, cause: sanitizeCause(error) },
      );
    }
    if (response.status !== 200) throw statusError(response, text, request, errorOptions);
    return parseSuccess(text, request, sentAt, response.headers.get('date'), errorOptions);
  } finally {
    settled = true;
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

function parseSuccess(
  text: string,
  request: ExchangeRequest,
  sentAt: number,
  serverDate: string | null,
  errorOptions: WitboostAuthErrorOptions,
): ExchangeResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new WitboostAuthError(
      'invalid_exchange_response',
      'the JWT exchange answered 200 but its body is not JSON',
      errorOptions,
    );
  }
  const jwt = (parsed as { jwt?: unknown } | null)?.jwt;
  if (typeof jwt !== 'string' || jwt === '') {
    throw new WitboostAuthError(
      'invalid_exchange_response',
      'the JWT exchange answered 200 but its body has no string jwt field',
      errorOptions,
    );
  }
  const claims = decodeExchangedJwt(jwt, errorOptions);
  const lifetimeSeconds = lifetimeOf(claims, request.durationSeconds, serverDate);
  if (!Number.isFinite(lifetimeSeconds) || lifetimeSeconds <= 0) {
    throw new WitboostAuthError(
      'invalid_exchange_response',
      "the JWT exchange answered 200 but its jwt is already expired by the server's own Date header",
      errorOptions,
    );
  }
  return createExchangeResult(jwt, request.scope, lifetimeSeconds, sentAt, claims);
}

/**
 * Lifetime in seconds: never more than requested (the server cannot grant more, so an `exp` in
 * milliseconds or absurdly far away is not trusted), and `exp − iat` when the JWT has `iat`.
 * Without `iat`, `exp` is compared with the response's `Date` header, both on the server clock.
 */
function lifetimeOf(claims: JwtClaims, requested: number, serverDate: string | null): number {
  if (claims.iat !== undefined) return Math.min(claims.exp - claims.iat, requested);
  const date = serverDate === null ? Number.NaN : Date.parse(serverDate);
  if (Number.isNaN(date)) return requested;
  return Math.min(claims.exp - date / 1000, requested);
}

function createExchangeResult(
  jwt: string,
  scope: string | undefined,
  lifetimeSeconds: number,
  sentAt: number,
  claims: JwtClaims,
): ExchangeResult {
  const publicView = () => ({
    jwt: '[redacted jwt]',
    scope,
    lifetimeSeconds,
    sentAt,
    expiresAt: sentAt + lifetimeSeconds * 1000,
    claims: { ...claims },
  });
  const result = {
    scope,
    lifetimeSeconds,
    sentAt,
    expiresAt: sentAt + lifetimeSeconds * 1000,
    claims: Object.freeze({ ...claims }),
    toJSON: publicView,
    [INSPECT]: () => publicView(),
  };
  // Non-enumerable, so spreading or iterating the result does not copy the token around.
  Object.defineProperty(result, 'jwt', { value: jwt, enumerable: false });
  return Object.freeze(result) as unknown as ExchangeResult;
}

function statusError(
  response: Response,
  text: string,
  request: ExchangeRequest,
  errorOptions: WitboostAuthErrorOptions,
): WitboostAuthError {
  const status = response.status;
  const said = serverMessage(text, request.accessToken);
  const suffix = said === undefined ? '' : `: ${said}`;
  const options = { ...errorOptions, status };
  const token =
    request.tokenLabel === undefined
      ? 'the access token'
      : `the access token (${request.tokenLabel})`;
  if (status === 400) {
    return new WitboostAuthError(
      'exchange_bad_request',
      `the JWT exchange refused the request (HTTP 400${request.scope === undefined ? '' : `, scope ${request.scope}`}, duration ${request.durationSeconds}s)${suffix}`,
      options,
    );
  }
  if (status === 401 || status === 403) {
    return new WitboostAuthError(
      'access_token_rejected',
      `${token} was rejected by the JWT exchange (HTTP ${status}): it may be unknown, revoked or expired${status === 403 ? ', or not allowed this scope' : ''}${suffix}`,
      options,
    );
  }
  const retryAfterMs = parseRetryAfter(
    response.headers.get('retry-after'),
    Date.now(),
    response.headers.get('date'),
  );
  if (retryAfterMs !== undefined) options.retryAfterMs = retryAfterMs;
  const wait =
    retryAfterMs === undefined ? '' : ` (retry after ${Math.ceil(retryAfterMs / 1000)}s)`;
  if (status === 429) {
    return new WitboostAuthError(
      'rate_limited',
      `the JWT exchange is rate limiting (HTTP 429)${wait}${suffix}`,
      options,
    );
  }
  if (status >= 300 && status < 400) {
    return new WitboostAuthError(
      'server_error',
      `the JWT exchange answered a redirect (HTTP ${status}); it is not followed because the request carries the access token — check baseUrl`,
      options,
    );
  }
  return new WitboostAuthError(
    'server_error',
    `the JWT exchange failed (HTTP ${status})${wait}${suffix}`,
    options,
  );
}

/**
 * The server's own words from `{ error: { message } }` or `{ message }`, redacted and short. The
 * access token sent is replaced by its redacted form first: token formats are opaque, so a
 * server that echoes one in a shape the patterns don't know must still not leak it.
 */
function serverMessage(text: string, accessToken: string): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null) return undefined;
  const nested = (body as { error?: unknown }).error;
  let message: unknown = (body as { message?: unknown }).message;
  if (typeof nested === 'object' && nested !== null) {
    const inner = (nested as { message?: unknown }).message;
    if (typeof inner === 'string') message = inner;
  } else if (typeof nested === 'string' && typeof message !== 'string') {
    message = nested;
  }
  if (typeof message !== 'string' || message.trim() === '') return undefined;
  const unechoed = message.split(accessToken).join(redactToken(accessToken));
  return truncate(redactSecrets(stripControlCharacters(unechoed).trim()), 200);
}

/** Keeps a hostile server from writing escape sequences or fake lines into our logs. */
function stripControlCharacters(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.charCodeAt(0);
    out += code < 0x20 || code === 0x7f ? ' ' : char;
  }
  return out;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function abortedError(errorOptions: WitboostAuthErrorOptions, reason: unknown): WitboostAuthError {
  return new WitboostAuthError('aborted', 'the operation was aborted by the caller', {
    ...errorOptions,
    cause: reason instanceof Error ? sanitizeCause(reason) : undefined,
  });
}

function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return 'fetch failed';
  const inner = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return truncate(redactSecrets(`${error.message}${inner}`), 200);
}
