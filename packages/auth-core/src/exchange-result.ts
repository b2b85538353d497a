import { WitboostAuthError, type WitboostAuthErrorOptions } from './errors.js';
import type { ExchangeRequest } from './exchange.js';
import { decodeExchangedJwt, type JwtClaims } from './jwt-claims.js';

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
   * duration, capped at `exp − Date` when the response has a `Date` header before `exp`.
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

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** The result of a 200 answer with body `text`, or why it cannot be used. */
export function parseSuccess(
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
  const lifetimeSeconds = lifetimeOf(claims, request, serverDate);
  return createExchangeResult(jwt, request.scope, lifetimeSeconds, sentAt, claims);
}

/**
 * Lifetime in seconds: never more than requested (the server cannot grant more, so an `exp` in
 * milliseconds or absurdly far away is not trusted), and `exp − iat` when the JWT has `iat`.
 * Without `iat`, `exp` is compared with the response's `Date` header, both on the server clock;
 * an `exp` before that `Date` means the signer's and the front's clocks disagree, not that a
 * token just issued is dead: the requested duration is trusted, with a clock warning.
 */
function lifetimeOf(
  claims: JwtClaims,
  request: ExchangeRequest,
  serverDate: string | null,
): number {
  const requested = request.durationSeconds;
  if (claims.iat !== undefined) return Math.min(claims.exp - claims.iat, requested);
  const date = serverDate === null ? Number.NaN : Date.parse(serverDate);
  if (Number.isNaN(date)) return requested;
  const left = claims.exp - date / 1000;
  if (left > 0) return Math.min(left, requested);
  request.onClockWarning?.(Math.round(-left * 1000));
  return requested;
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
