import { sanitizeCause } from './redact.js';
import type { Principal, WitboostAuthErrorCode } from './types.js';

/**
 * Extra facts an error can carry.
 *
 * @example
 * ```ts
 * import { WitboostAuthError } from '@wb/auth-core';
 * throw new WitboostAuthError('rate_limited', 'slow down', { status: 429, retryAfterMs: 1_000 });
 * ```
 */
export interface WitboostAuthErrorOptions {
  /** HTTP status of the exchange answer, when there was one. */
  status?: number;
  /** How long the server asked us to wait (`Retry-After`), in ms. */
  retryAfterMs?: number;
  /** Whose access token was involved. */
  principal?: Principal;
  /** The underlying error. Never carries a secret: callers redact before wrapping. */
  cause?: unknown;
}

/**
 * The one error type of `@wb/auth-core`. Messages are prefixed with the package name and never
 * contain an access token or a JWT.
 *
 * @example
 * ```ts
 * import { isWitboostAuthError } from '@wb/auth-core';
 * try {
 *   await auth.getToken();
 * } catch (error) {
 *   if (isWitboostAuthError(error) && error.code === 'access_token_rejected') rotateToken();
 * }
 * ```
 */
export class WitboostAuthError extends Error {
  override readonly name = 'WitboostAuthError';
  readonly code: WitboostAuthErrorCode;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly principal: Principal | undefined;

  constructor(
    code: WitboostAuthErrorCode,
    message: string,
    options: WitboostAuthErrorOptions = {},
  ) {
    super(
      `[@wb/auth-core] ${message}`,
      options.cause === undefined ? {} : { cause: options.cause },
    );
    this.code = code;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.principal = options.principal;
  }
}

/**
 * Whether `error` is a {@link WitboostAuthError}, also when it comes from another copy of the
 * package (two versions installed side by side).
 *
 * @example
 * ```ts
 * import { isWitboostAuthError } from '@wb/auth-core';
 * if (isWitboostAuthError(error)) console.log(error.code, error.status);
 * ```
 */
export function isWitboostAuthError(error: unknown): error is WitboostAuthError {
  if (error instanceof WitboostAuthError) return true;
  return (
    error instanceof Error &&
    error.name === 'WitboostAuthError' &&
    typeof (error as { code?: unknown }).code === 'string'
  );
}

/** The caller's signal aborted the wait or the exchange. */
export function abortedError(
  principal: Principal | undefined,
  reason?: unknown,
): WitboostAuthError {
  return new WitboostAuthError('aborted', 'the operation was aborted by the caller', {
    principal,
    cause: reason instanceof Error ? sanitizeCause(reason) : undefined,
  });
}

/** The error of every call on a closed instance. */
export function closedError(principal: Principal | undefined): WitboostAuthError {
  return new WitboostAuthError('closed', 'this WitboostAuth instance is closed', { principal });
}

/** Throws the `invalid_options` error every validator uses. */
export function invalidOption(message: string): never {
  throw new WitboostAuthError('invalid_options', message);
}

/** The kind of a bad option value for a message; never the value, which may be a secret. */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
