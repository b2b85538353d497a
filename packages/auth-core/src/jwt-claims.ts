import { decodeJwt } from 'jose';
import { WitboostAuthError, type WitboostAuthErrorOptions } from './errors.js';

/**
 * The JWT claims the client reads (decoded, never verified: the client holds no key).
 *
 * @example
 * ```ts
 * import { exchangeAccessToken, type JwtClaims } from '@wb/auth-core';
 * const claims: JwtClaims = (await exchangeAccessToken({ baseUrl, accessToken })).claims;
 * console.log(claims.sub, claims.scope, claims.exp);
 * ```
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

const SEGMENT = /^[A-Za-z0-9_-]+$/;

/**
 * Checks the shape of an exchanged JWT and decodes the claims that drive caching. Every defect
 * gets its own message; none of them quotes the token.
 */
export function decodeExchangedJwt(jwt: string, errorOptions: WitboostAuthErrorOptions): JwtClaims {
  const invalid = (why: string) =>
    new WitboostAuthError(
      'invalid_exchange_response',
      `the JWT exchange answered 200 but ${why}`,
      errorOptions,
    );
  const segments = jwt.split('.');
  if (segments.length !== 3) {
    throw invalid(
      `its jwt is not a compact JWS of three dot-separated segments (found ${segments.length})`,
    );
  }
  if (segments.some((segment) => !SEGMENT.test(segment))) {
    throw invalid('its jwt has an empty or non-base64url segment');
  }
  let payload: Record<string, unknown>;
  try {
    payload = decodeJwt(jwt);
  } catch {
    throw invalid('the payload of its jwt does not decode to a JSON object');
  }
  const { exp, iat, sub, iss, scope } = payload;
  if (exp === undefined) throw invalid('its jwt has no exp claim, so its expiry is unknown');
  if (typeof exp !== 'number' || !Number.isFinite(exp)) {
    throw invalid('the exp claim of its jwt is not a number');
  }
  if (exp <= 0) throw invalid('the exp claim of its jwt is not a positive number');
  if (iat !== undefined && (typeof iat !== 'number' || !Number.isFinite(iat))) {
    throw invalid('the iat claim of its jwt is not a number');
  }
  if (iat !== undefined && exp <= iat) {
    throw invalid(
      'the exp claim of its jwt is not after its iat claim (a token that is born expired)',
    );
  }
  const claims: JwtClaims = { exp };
  if (typeof iat === 'number') claims.iat = iat;
  if (typeof sub === 'string') claims.sub = sub;
  if (typeof iss === 'string') claims.iss = iss;
  if (typeof scope === 'string') claims.scope = scope;
  return claims;
}
