import { WitboostAuthError } from './errors.js';
import type { ExchangeRequest } from './exchange.js';
import { redactHeldSecrets, redactSecrets, truncate } from './redact.js';
import type { WitboostAuthErrorCode, WitboostAuthErrorOptions } from './types.js';

/** The error of a non-200 answer, with the server's own (redacted) words when it gave some. */
export function statusError(
  response: Response,
  text: string,
  request: ExchangeRequest,
  errorOptions: WitboostAuthErrorOptions,
  now: number,
): WitboostAuthError {
  const status = response.status;
  const said = serverMessage(text, request.accessToken);
  const suffix = said === undefined ? '' : `: ${said}`;
  const options = { ...errorOptions, status };
  const error = (code: WitboostAuthErrorCode, message: string) =>
    new WitboostAuthError(code, message, options);
  if (status === 400) {
    const scope = request.scope === undefined ? '' : `, scope ${request.scope}`;
    const refused = error(
      'exchange_bad_request',
      `the JWT exchange refused the request (HTTP 400${scope}, duration ${request.durationSeconds}s)${suffix}`,
    );
    if (said !== undefined && saysDurationTooLong(said)) DURATION_REFUSALS.add(refused);
    return refused;
  }
  if (status === 401 || status === 403) {
    const label = request.tokenLabel === undefined ? '' : ` (${request.tokenLabel})`;
    const scope = status === 403 ? ', or not allowed this scope' : '';
    return error(
      'access_token_rejected',
      `the access token${label} was rejected by the JWT exchange (HTTP ${status}): it may be unknown, revoked or expired${scope}${suffix}`,
    );
  }
  const headers = response.headers;
  const retryAfterMs = parseRetryAfter(headers.get('retry-after'), now, headers.get('date'));
  if (retryAfterMs !== undefined) options.retryAfterMs = retryAfterMs;
  const wait =
    retryAfterMs === undefined ? '' : ` (retry after ${Math.ceil(retryAfterMs / 1000)}s)`;
  if (status === 429) {
    return error('rate_limited', `the JWT exchange is rate limiting (HTTP 429)${wait}${suffix}`);
  }
  if (status >= 300 && status < 400) {
    return error(
      'server_error',
      `the JWT exchange answered a redirect (HTTP ${status}); it is not followed because the request carries the access token — check baseUrl`,
    );
  }
  return error('server_error', `the JWT exchange failed (HTTP ${status})${wait}${suffix}`);
}

// 400s whose server text blames the requested duration. Kept beside the error rather than on it:
// the public error shape stays as documented, and our own message (which names the duration)
// can never be mistaken for the server's words.
const DURATION_REFUSALS = new WeakSet<WitboostAuthError>();

/**
 * Whether the server refused this exchange because the duration was longer than it grants (as
 * Witboost does past the access token's remaining life): only then is a shorter one worth a try.
 */
export function isDurationRefusal(error: WitboostAuthError): boolean {
  return DURATION_REFUSALS.has(error);
}

// "duration_seconds exceeds the access token's remaining lifetime" and kin; a malformed duration
// ("must be an integer") or any other 400 does not match, so it fails fast.
const DURATION_WORD = /duration/i;
const TOO_LONG =
  /exceed|too (?:long|large|big|high)|longer|greater|more than|beyond|remaining|max/i;

function saysDurationTooLong(said: string): boolean {
  return DURATION_WORD.test(said) && TOO_LONG.test(said);
}

/**
 * The server's words from `{ error: { message } }` or `{ message }`, short, with every trace of
 * the access token we sent removed: token formats are opaque, so the generic patterns may miss an echo.
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
  return truncate(redactHeldSecrets(stripControlCharacters(message), [accessToken]).trim(), 200);
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

/** A fetch failure in a few redacted words, for a `network_error` message. */
export function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return 'fetch failed';
  const inner = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return truncate(redactSecrets(`${error.message}${inner}`), 200);
}

// A longer Retry-After (a misconfigured proxy, a year) would block every caller that long.
const MAX_RETRY_AFTER_MS = 5 * 60_000;

/** `Retry-After` in ms: an HTTP date counts from the response's `Date` (same clock), else `now`. */
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
