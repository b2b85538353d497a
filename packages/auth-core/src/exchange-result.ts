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

// `iat` and `Date` are whole seconds (up to 2 s apart by rounding) and stamped a few ms apart on
// the server; hosts under NTP agree within a second. Past a minute the clocks truly disagree,
// which is worth a warning, while a slow server or ordinary drift stays quiet.
const SKEW_WARNING_MS = 60_000;

/**
 * Never more than requested (so an `exp` in ms or absurdly far is not trusted). With `iat` the
 * life is `exp − iat`, one clock's difference, whatever the `Date` header says; a `Date` far from
 * `iat` is reported (`skew`). Without `iat`, `exp` is compared with `Date`, both server clocks;
 * an `exp` before `Date` means the signer's and the front's clocks disagree, not that a token just
 * issued is dead (`exp_before_date`).
 */
function lifetimeOf(
  claims: JwtClaims,
  request: ExchangeRequest,
  serverDate: string | null,
): number {
  const requested = request.durationSeconds;
  const date = serverDate === null ? Number.NaN : Date.parse(serverDate);
  if (claims.iat !== undefined) {
    const skewMs = claims.iat * 1000 - date;
    if (Math.abs(skewMs) > SKEW_WARNING_MS) request.onClockWarning?.('skew', skewMs);
    return Math.min(claims.exp - claims.iat, requested);
  }
  if (Number.isNaN(date)) return requested;
  const left = claims.exp - date / 1000;
  if (left > 0) return Math.min(left, requested);
  request.onClockWarning?.('exp_before_date', Math.round(-left * 1000));
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
