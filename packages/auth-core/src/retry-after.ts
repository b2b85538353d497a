/**
 * Longest wait a `Retry-After` can impose (5 minutes). A longer one (a misconfigured proxy, a
 * year) would block every caller for that long; after 5 minutes the server is simply asked again.
 */
export const MAX_RETRY_AFTER_MS = 5 * 60_000;

/**
 * `Retry-After` in milliseconds, capped at {@link MAX_RETRY_AFTER_MS}: delta-seconds, or an HTTP
 * date measured against the response's `Date` header (both on the server clock, so a skewed
 * server clock does not matter), else against `now`. `undefined` when absent or unparsable.
 */
export function parseRetryAfter(
  value: string | null,
  now: number,
  serverDate: string | null = null,
): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, MAX_RETRY_AFTER_MS);
  if (!/[a-z]/i.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  const sent = serverDate === null ? Number.NaN : Date.parse(serverDate);
  const reference = Number.isNaN(sent) ? now : sent;
  return Math.min(Math.max(0, date - reference), MAX_RETRY_AFTER_MS);
}
