import type { WitboostAuthError } from './errors.js';
import type { HttpProblem, WitboostAuthErrorCode } from './types.js';

type Mapping = readonly [status: number, message: string];

const INTERNAL: Mapping = [500, 'The service is misconfigured for calling Witboost.'];
const UNAVAILABLE: Mapping = [503, 'Witboost is unavailable at the moment; try again later.'];
const BAD_GATEWAY: Mapping = [502, 'Witboost answered unexpectedly.'];

// 5xx sentences are generic on purpose: hosts, statuses, source names stay in logs.
const BY_CODE: Record<WitboostAuthErrorCode, Mapping> = {
  invalid_access_token: [
    401,
    "The caller's access token was rejected: it is blank, too long or malformed.",
  ],
  access_token_rejected: [401, "The caller's access token was rejected."],
  exchange_bad_request: [502, 'Witboost refused the token request.'],
  server_error: BAD_GATEWAY,
  invalid_exchange_response: BAD_GATEWAY,
  rate_limited: [503, 'Witboost is rate limiting requests; try again later.'],
  network_error: UNAVAILABLE,
  timeout: UNAVAILABLE,
  closed: [503, 'The service is shutting down.'],
  aborted: [503, 'The request to Witboost was aborted.'],
  missing_access_token: INTERNAL,
  token_source_failed: INTERNAL,
  invalid_options: INTERNAL,
};

/**
 * Maps a {@link WitboostAuthError} to an HTTP answer for an edge (an error middleware, a filter):
 *
 * | code | status |
 * | --- | --- |
 * | `invalid_access_token` | 401 (500 when `principal` is `'service'`) |
 * | `access_token_rejected` | 401 when `principal` is `'caller'`, else 502 |
 * | `exchange_bad_request` | 401 when `principal` is `'caller'`, else 502 |
 * | `server_error`, `invalid_exchange_response` | 502 |
 * | `rate_limited` | 503, with `Retry-After` (seconds, rounded up) when known |
 * | `network_error`, `timeout`, `closed`, `aborted` | 503 |
 * | `missing_access_token`, `token_source_failed`, `invalid_options` | 500 |
 *
 * The body is `{ error: { code, message } }`, a public sentence per code, never the error's own
 * message. An unknown code (from a newer copy of the package) is a 500.
 *
 * @param error - The error to map.
 * @returns `{ status, headers, body }`; `headers` holds at most `Retry-After`.
 *
 * @example
 * ```ts
 * import { isWitboostAuthError, toHttpProblem } from '@wb/auth-core';
 * app.use((err, req, res, next) => {
 *   if (!isWitboostAuthError(err)) return next(err);
 *   const problem = toHttpProblem(err);
 *   res.status(problem.status).set(problem.headers).json(problem.body);
 * });
 * ```
 */
export function toHttpProblem(error: WitboostAuthError): HttpProblem {
  const code = String(error?.code);
  let mapping: Mapping = Object.hasOwn(BY_CODE, code)
    ? BY_CODE[code as WitboostAuthErrorCode]
    : [500, 'Calling Witboost failed.'];
  if (code === 'access_token_rejected' && error.principal !== 'caller') {
    mapping = [502, 'Witboost rejected the credentials of this service.'];
  }
  if (code === 'invalid_access_token' && error.principal === 'service') mapping = INTERNAL;
  // Even the shortest duration was refused for a caller's token: the caller's to fix.
  if (code === 'exchange_bad_request' && error.principal === 'caller') {
    mapping = [401, "The caller's access token could not be exchanged: it may be about to expire."];
  }
  const headers: Record<string, string> = {};
  const retryAfterMs = error?.retryAfterMs;
  if (
    code === 'rate_limited' &&
    typeof retryAfterMs === 'number' &&
    Number.isFinite(retryAfterMs) &&
    retryAfterMs >= 0
  ) {
    headers['Retry-After'] = String(Math.ceil(retryAfterMs / 1000));
  }
  const [status, message] = mapping;
  const safeCode = /^[a-z_]{1,64}$/.test(code) ? code : 'internal_error';
  return { status, headers, body: { error: { code: safeCode, message } } };
}
