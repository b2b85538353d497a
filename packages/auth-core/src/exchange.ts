import { type Clock, systemClock } from './engine/clock.js';
import { abortedError, invalidOption, typeName, WitboostAuthError } from './errors.js';
import { describeCause, statusError } from './exchange-errors.js';
import { parseSuccess } from './exchange-result.js';
import { invalidAnswer } from './jwt-claims.js';
import {
  checkBaseUrl,
  checkDurationSeconds,
  checkScope,
  checkTimeoutMs,
  DEFAULT_DURATION_SECONDS,
  lateBoundFetch,
  optionalFunction,
  ownOptions,
  REFRESH_DEFAULTS,
} from './options.js';
import { sanitizeCause } from './redact.js';
import type {
  ExchangeAccessTokenOptions,
  ExchangeResult,
  Principal,
  WitboostAuthErrorOptions,
  WitboostAuthEvent,
} from './types.js';

type ClockWarningReason = Extract<WitboostAuthEvent, { type: 'clock_warning' }>['reason'];

export const EXCHANGE_PATH = '/api/auth/access-tokens/jwt';

/** One exchange, validated. */
export interface ExchangeRequest {
  endpoint: string;
  accessToken: string;
  durationSeconds: number;
  scope: string | undefined;
  fetch: typeof globalThis.fetch;
  signal: AbortSignal | undefined;
  timeoutMs: number;
  principal: Principal;
  /** The source's description, for messages. */
  tokenLabel?: string | undefined;
  clock?: Clock;
  /**
   * Told when two server clocks disagree: the JWT's `iat` is far from the response's `Date`
   * (`skew`, `skewMs` = iat − Date), or, without `iat`, its `exp` lies before `Date`
   * (`exp_before_date`, `skewMs` = how far before).
   */
  onClockWarning?: (reason: ClockWarningReason, skewMs: number) => void;
}

// A JWT answer is a few KB: a larger body is refused before it fills memory.
const MAX_BODY_BYTES = 64 * 1024;

/**
 * Exchanges an access token for a JWT once: no cache, no retry. For scripts and tests;
 * applications want {@link createWitboostAuth}.
 *
 * @param given Where and what to exchange.
 * @returns The JWT with its decoded claims and local expiry.
 * @throws {WitboostAuthError} `exchange_bad_request` (400), `access_token_rejected` (401/403),
 * `rate_limited` (429, with `retryAfterMs`), `server_error`, `network_error`, `timeout`,
 * `aborted`, `invalid_exchange_response`, `invalid_options`, `missing_access_token`.
 *
 * @example
 * ```ts
 * import { exchangeAccessToken } from '@wb/auth-core';
 * const { jwt, expiresAt } = await exchangeAccessToken({
 *   baseUrl: 'https://witboost.example.com',
 *   accessToken: process.env.WITBOOST_ACCESS_TOKEN ?? '',
 *   scope: 'service:computational-governance',
 * });
 * ```
 */
export async function exchangeAccessToken(
  given: ExchangeAccessTokenOptions,
): Promise<ExchangeResult> {
  const options = ownOptions(given);
  if (typeof options !== 'object' || options === null) {
    invalidOption(`exchangeAccessToken expects an options object, got ${typeName(options)}`);
  }
  const principal = options.principal ?? 'service';
  const base = checkBaseUrl(options.baseUrl, options.allowInsecureHttp === true);
  if (typeof options.accessToken !== 'string' || options.accessToken.trim() === '') {
    throw new WitboostAuthError(
      'missing_access_token',
      'exchangeAccessToken needs a non-blank accessToken string',
      { principal },
    );
  }
  return exchangeOnce({
    endpoint: base.origin + base.path + EXCHANGE_PATH,
    accessToken: options.accessToken.trim(),
    durationSeconds: checkDurationSeconds(options.durationSeconds ?? DEFAULT_DURATION_SECONDS),
    scope: options.scope === undefined ? undefined : checkScope(options.scope, 'scope'),
    fetch: optionalFunction(options.fetch, 'fetch') ?? lateBoundFetch,
    signal: options.signal,
    timeoutMs: checkTimeoutMs(options.timeoutMs ?? REFRESH_DEFAULTS.exchangeTimeoutMs, 'timeoutMs'),
    principal,
  });
}

export async function exchangeOnce(request: ExchangeRequest): Promise<ExchangeResult> {
  const errorOptions: WitboostAuthErrorOptions = { principal: request.principal };
  const { signal, clock = systemClock } = request;
  if (signal?.aborted) throw abortedError(request.principal, signal.reason);

  const controller = new AbortController();
  let timedOut = false;
  // A fetch that ignores its signal (or a body stream not tied to it) must not hang the exchange:
  // both the answer and the body read race this promise, settled by the deadline or an abort.
  let stop: (reason: unknown) => void = () => undefined;
  const stopped = new Promise<never>((_resolve, reject) => {
    stop = reject;
  });
  stopped.catch(() => undefined);
  const timer = clock.setTimeout(() => {
    timedOut = true;
    controller.abort();
    stop(new Error('timeout'));
  }, request.timeoutMs);
  timer.unref?.();
  const onAbort = () => {
    controller.abort();
    stop(new Error('aborted'));
  };
  signal?.addEventListener('abort', onAbort, { once: true });

  const sentAt = clock.now();
  let settled = false;
  let response: Response | undefined;
  try {
    let text: string | undefined;
    try {
      // A null prototype: fetch reads `mode`, `credentials`… of its init, inherited ones too.
      const answer = request.fetch(
        request.endpoint,
        ownOptions({
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          // JSON.stringify leaves out an undefined scope.
          body: JSON.stringify({
            access_token: request.accessToken,
            duration_seconds: request.durationSeconds,
            scope: request.scope,
          }),
          // The body carries the access token: a redirect must never forward it anywhere.
          redirect: 'manual',
          signal: controller.signal,
        }),
      );
      // An answer arriving after we gave up still holds a connection: release it.
      Promise.resolve(answer).then(
        (late) => {
          if (settled) late.body?.cancel().catch(() => undefined);
        },
        () => undefined,
      );
      response = await Promise.race([answer, stopped]);
      text = await Promise.race([readCapped(response), stopped]);
    } catch (error) {
      if (timedOut || signal?.aborted) response?.body?.cancel().catch(() => undefined);
      if (timedOut) {
        throw new WitboostAuthError(
          'timeout',
          `the JWT exchange at ${request.endpoint} did not answer within ${request.timeoutMs} ms`,
          errorOptions,
        );
      }
      if (signal?.aborted) throw abortedError(request.principal, signal.reason);
      throw new WitboostAuthError(
        'network_error',
        `could not reach the JWT exchange at ${request.endpoint}: ${describeCause(error)}`,
        { ...errorOptions, cause: sanitizeCause(error) },
      );
    }
    if (response.status !== 200)
      throw statusError(response, text ?? '', request, errorOptions, clock.now());
    if (text === undefined) {
      throw invalidAnswer(`its body is larger than ${MAX_BODY_BYTES} bytes`, errorOptions);
    }
    return parseSuccess(text, request, sentAt, response.headers.get('date'), errorOptions);
  } finally {
    settled = true;
    clock.clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

/** The body as text, or `undefined` (the rest cancelled) when it exceeds the cap. */
async function readCapped(response: Response): Promise<string | undefined> {
  if (Number(response.headers.get('content-length')) > MAX_BODY_BYTES) {
    response.body?.cancel().catch(() => undefined);
    return undefined;
  }
  const body = response.body;
  if (body === null) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
