import { decodeJwt } from 'jose';
import { WitboostAuthError } from './errors.js';
import type { JwtClaims, WitboostAuthErrorOptions } from './types.js';

const SEGMENT = /^[A-Za-z0-9_-]+$/;

/** What is wrong with a 200 answer of the exchange; never the token. */
export function invalidAnswer(why: string, errorOptions: WitboostAuthErrorOptions) {
  return new WitboostAuthError(
    'invalid_exchange_response',
    `the JWT exchange answered 200 but ${why}`,
    errorOptions,
  );
}

/** The claims that drive caching, decoded (the client holds no key); each defect named, never the token. */
export function decodeExchangedJwt(jwt: string, errorOptions: WitboostAuthErrorOptions): JwtClaims {
  const invalid = (why: string) => invalidAnswer(why, errorOptions);
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
