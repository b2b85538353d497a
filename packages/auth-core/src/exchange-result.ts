import type { ExchangeRequest } from './exchange.js';
import { decodeExchangedJwt, invalidAnswer } from './jwt-claims.js';
import type { ExchangeResult, JwtClaims, WitboostAuthErrorOptions } from './types.js';

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

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
    throw invalidAnswer('its body is not JSON', errorOptions);
  }
  const jwt = (parsed as { jwt?: unknown } | null)?.jwt;
  if (typeof jwt !== 'string' || jwt === '') {
    throw invalidAnswer('its body has no string jwt field', errorOptions);
  }
  const claims = decodeExchangedJwt(jwt, errorOptions);
  const lifetimeSeconds = lifetimeOf(claims, request, serverDate);
  return createExchangeResult(jwt, request.scope, lifetimeSeconds, sentAt, claims);
}

/**
 * Never more than requested (so an `exp` in ms or absurdly far is not trusted). Without `iat`,
 * `exp` is compared with the `Date` header, both server clocks; an `exp` before `Date` means the
 * signer's and the front's clocks disagree, not that a token just issued is dead.
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
  const fields = { scope, lifetimeSeconds, sentAt, expiresAt: sentAt + lifetimeSeconds * 1000 };
  const publicView = () => ({ jwt: '[redacted jwt]', ...fields, claims: { ...claims } });
  const result = {
    ...fields,
    claims: Object.freeze({ ...claims }),
    toJSON: publicView,
    [INSPECT]: () => publicView(),
  };
  // Non-enumerable: spreading the result does not copy the token around.
  Object.defineProperty(result, 'jwt', { value: jwt, enumerable: false });
  return Object.freeze(result) as unknown as ExchangeResult;
}
