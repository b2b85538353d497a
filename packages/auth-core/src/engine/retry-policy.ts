import { isWitboostAuthError, WitboostAuthError } from '../errors.js';
import { isDurationRefusal } from '../exchange-errors.js';
import type { ResolvedRefresh } from '../options.js';
import { sanitizeCause } from '../redact.js';
import type { Principal, WitboostAuthErrorCode } from '../types.js';

// The engine's pure decisions: what is retried, when, and where a token's life is cut.

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
// Whole-second `exp`/`iat` claims: the true expiry may be up to this much earlier.
const CLAIM_ROUNDING_MS = 1000;
// The least time kept for a refresh exchange before the hand-out deadline.
const MIN_REFRESH_LEAD_MS = 200;
// Below this a token would be refreshed more often than it is worth: a refused duration is
// halved down to it, no further.
const MIN_ADAPTIVE_DURATION_S = 30;

export function toAuthError(error: unknown, principal: Principal): WitboostAuthError {
  if (isWitboostAuthError(error)) return error;
  return new WitboostAuthError('token_source_failed', 'obtaining a token failed unexpectedly', {
    principal,
    cause: sanitizeCause(error),
  });
}

/**
 * A shorter duration to ask for, only when the server said the duration was too long (it exceeds
 * the access token's remaining life); any other 400 is a plain refusal and fails fast.
 */
export function halvedDuration(error: WitboostAuthError, seconds: number): number | undefined {
  if (!isDurationRefusal(error) || seconds < 2 * MIN_ADAPTIVE_DURATION_S) {
    return undefined;
  }
  return Math.floor(seconds / 2);
}

/** The backoff of one (access token, scope). */
export interface Backoff {
  readonly failures: number;
  /** No attempt before this (local epoch ms); 0: none. */
  readonly nextAttemptAt: number;
}

export const NO_BACKOFF: Backoff = Object.freeze({ failures: 0, nextAttemptAt: 0 });

/**
 * While the ceiling `initialBackoffMs × 2^(failures − 1)` grows, the retry comes after a random
 * part of it (full jitter); at `maxBackoffMs`, one attempt per `maxBackoffMs` follows, at the
 * phase the growth left. So an outage costs one attempt per ceiling, and its end is seen within
 * one. Never before a `Retry-After`.
 */
export function nextBackoff(
  previous: Backoff,
  startedAt: number,
  failedAt: number,
  retryAfterMs: number | undefined,
  refresh: ResolvedRefresh,
  random: () => number,
): Backoff {
  const failures = previous.failures + 1;
  const ceiling = refresh.initialBackoffMs * 2 ** Math.min(failures - 1, 52);
  const planned =
    ceiling >= refresh.maxBackoffMs
      ? Math.max(failedAt, startedAt + refresh.maxBackoffMs)
      : failedAt + Math.floor(random() * ceiling);
  const asked = retryAfterMs === undefined ? 0 : failedAt + retryAfterMs;
  return { failures, nextAttemptAt: Math.max(planned, asked) };
}

/** Smoothed exchange latency, as TCP smooths round trips (RFC 6298). */
export interface Latency {
  readonly smoothedMs: number;
  readonly deviationMs: number;
}

export function observeLatency(previous: Latency | undefined, sampleMs: number): Latency {
  if (previous === undefined) return { smoothedMs: sampleMs, deviationMs: sampleMs / 2 };
  const deviationMs = 0.75 * previous.deviationMs + 0.25 * Math.abs(previous.smoothedMs - sampleMs);
  return { smoothedMs: 0.875 * previous.smoothedMs + 0.125 * sampleMs, deviationMs };
}

/** Local epoch ms. */
export interface TokenTimes {
  readonly refreshAt: number;
  readonly deadline: number;
}

/**
 * The two points of a JWT's life, from the local send time: the deadline cuts only the claims'
 * rounding and the travel allowance; the refresh point is a jittered fraction of the life, early
 * enough for an exchange as slow as the link has been (smoothed + 4 deviations) to end before it.
 * `undefined`: unusable on arrival.
 */
export function tokenTimes(
  sentAt: number,
  arrivedAt: number,
  lifetimeMs: number,
  latency: Latency,
  refresh: ResolvedRefresh,
  random: () => number,
): TokenTimes | undefined {
  const deadline = sentAt + lifetimeMs - CLAIM_ROUNDING_MS - refresh.expiryMarginMs;
  if (arrivedAt >= deadline) return undefined;
  const lead = Math.max(MIN_REFRESH_LEAD_MS, latency.smoothedMs + 4 * latency.deviationMs);
  const planned = sentAt + lifetimeMs * (refresh.refreshAtRatio + random() * refresh.jitterRatio);
  // A link too slow for an early enough refresh still gets half the servable time before it.
  const earliest = arrivedAt + (deadline - arrivedAt) / 2;
  const refreshAt = Math.min(planned, Math.max(deadline - lead, earliest));
  return { refreshAt: Math.floor(refreshAt), deadline };
}

// A Basic header never expires, but the source is read again this often, so a rotated access
// token reaches Basic mode without waiting for a 401.
const BASIC_RECHECK_MS = 60_000;

export function basicTimes(now: number): TokenTimes {
  return { refreshAt: now + BASIC_RECHECK_MS, deadline: Number.POSITIVE_INFINITY };
}
