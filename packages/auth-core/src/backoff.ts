/**
 * Exponential backoff with full jitter: `random(0, min(max, initial × 2^attempt))`, but never
 * shorter than what the server asked for with `Retry-After`.
 *
 * @param attempt 0 for the first retry.
 */
export function backoffDelay(
  attempt: number,
  initialMs: number,
  maxMs: number,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 52));
  const delay = Math.floor(random() * ceiling);
  return retryAfterMs !== undefined && retryAfterMs > delay ? retryAfterMs : delay;
}
