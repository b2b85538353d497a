import { backoffDelay } from './backoff.js';
import { isWitboostAuthError, WitboostAuthError } from './errors.js';
import type { ResolvedRefresh } from './options.js';
import { sanitizeCause } from './sanitize-cause.js';
import type { Slot, TokenState } from './token-state.js';
import type { Principal, WitboostAuthErrorCode, WitboostAuthEvent } from './types.js';

/** Failures worth another attempt after a backoff pause. */
export const RETRYABLE: ReadonlySet<WitboostAuthErrorCode> = new Set([
  'network_error',
  'timeout',
  'rate_limited',
  'server_error',
]);
/** Refusals of the access token itself: the same token gets the same answer for a while. */
export const REJECTIONS: ReadonlySet<WitboostAuthErrorCode> = new Set([
  'access_token_rejected',
  'exchange_bad_request',
]);
/**
 * Shortest JWT lifetime a refused duration is halved down to: below it a token would be
 * refreshed more often than the exchange is worth, and a 400 is more likely about something else.
 */
const MIN_ADAPTIVE_DURATION_S = 30;

/** Any failure as a `WitboostAuthError`; an unexpected one keeps only a sanitized cause. */
export function toAuthError(error: unknown, principal: Principal): WitboostAuthError {
  if (isWitboostAuthError(error)) return error;
  return new WitboostAuthError('token_source_failed', 'obtaining a token failed unexpectedly', {
    principal,
    cause: sanitizeCause(error),
  });
}

/** The fail-fast error of a caller arriving while the slot is blocked by a Retry-After. */
export function blockedError(
  blocked: NonNullable<Slot['blocked']>,
  now: number,
  principal: Principal,
): WitboostAuthError {
  const { code, status } = blocked.error;
  return new WitboostAuthError(
    code,
    `the JWT exchange asked to wait${status === undefined ? '' : ` (HTTP ${status})`}; retry after ${Math.ceil((blocked.until - now) / 1000)}s`,
    { principal, status, retryAfterMs: blocked.until - now },
  );
}

/** The error `accessToken` was refused with, if recently enough that asking again is pointless. */
export function recentRejection(
  slot: Slot,
  accessToken: string,
  now: number,
): WitboostAuthError | undefined {
  const rejection = slot.rejection;
  if (rejection !== undefined && rejection.accessToken === accessToken && now < rejection.until) {
    return rejection.error;
  }
  return undefined;
}

/**
 * The shorter JWT lifetime to ask for after a 400, or `undefined` when the duration is already
 * as short as it is worth halving to.
 */
export function halvedDuration(
  error: WitboostAuthError,
  durationSeconds: number,
): number | undefined {
  if (error.code !== 'exchange_bad_request' || durationSeconds < 2 * MIN_ADAPTIVE_DURATION_S) {
    return undefined;
  }
  return Math.floor(durationSeconds / 2);
}

/**
 * The pause before retry number `attempt` (0 first) of a retryable failure, or `undefined` to
 * give up now. `usableToken`: the token still handed out meanwhile, if any.
 */
export function retryPause(
  error: WitboostAuthError,
  attempt: number,
  usableToken: TokenState | undefined,
  now: number,
  waitedAttempts: number,
  refresh: ResolvedRefresh,
): number | undefined {
  const { initialBackoffMs, maxBackoffMs } = refresh;
  const delay = backoffDelay(attempt, initialBackoffMs, maxBackoffMs, error.retryAfterMs);
  // Wake up no later than expiry: from then on callers are waiting for this flight.
  if (usableToken !== undefined) return Math.max(0, Math.min(delay, usableToken.usableUntil - now));
  if (
    waitedAttempts < refresh.maxAttempts &&
    !(error.retryAfterMs !== undefined && error.retryAfterMs > maxBackoffMs)
  ) {
    return delay;
  }
  return undefined;
}

/** Remembers a refused access token, so that it is not sent again before `cooldownMs`. */
export function noteRejection(
  slot: Slot,
  error: WitboostAuthError,
  accessToken: string | undefined,
  now: number,
  cooldownMs: number,
): void {
  if (REJECTIONS.has(error.code) && accessToken !== undefined && cooldownMs > 0) {
    slot.rejection = { accessToken, until: now + cooldownMs, error };
  }
}

/**
 * Blocks a slot with no usable token after a final retryable answer with a Retry-After (a 429, a
 * 503…): new callers must not each start an exchange the server just asked us not to send.
 */
export function noteBlock(
  slot: Slot,
  error: WitboostAuthError,
  usable: boolean,
  now: number,
): void {
  if (!usable && RETRYABLE.has(error.code) && error.retryAfterMs !== undefined) {
    slot.blocked = { until: now + error.retryAfterMs, error };
  }
}

/** The error for a JWT that was no longer usable when it arrived, twice in a row. */
export function tooShortError(
  lifetimeSeconds: number,
  roundTripMs: number,
  principal: Principal,
): WitboostAuthError {
  return new WitboostAuthError(
    'invalid_exchange_response',
    `JWT lifetime shorter than the exchange round trip: a ${lifetimeSeconds}s token took ${roundTripMs} ms to arrive and was no longer usable (raise durationSeconds or lower refresh.expiryMarginMs)`,
    { principal },
  );
}

/** The `exchange_failed` event of a failure that ends the attempt. */
export function failureEvent(
  scope: string | undefined,
  error: WitboostAuthError,
  durationMs: number,
  background: boolean,
  retryInMs: number | undefined,
): WitboostAuthEvent {
  const failed: WitboostAuthEvent = {
    type: 'exchange_failed',
    scope,
    durationMs,
    code: error.code,
    background,
  };
  if (error.status !== undefined) failed.status = error.status;
  if (retryInMs !== undefined) failed.retryInMs = retryInMs;
  return failed;
}
