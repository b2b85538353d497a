import { sanitizeCause } from './redact.js';
import type { Principal, WitboostAuthErrorCode, WitboostAuthErrorOptions } from './types.js';

/**
 * The one error type of `@wb/auth-core`. Messages start with the package name and never hold an
 * access token or a JWT.
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
 * Whether `error` is a {@link WitboostAuthError}, also one from another copy of the package.
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

export function abortedError(
  principal: Principal | undefined,
  reason?: unknown,
): WitboostAuthError {
  return new WitboostAuthError('aborted', 'the operation was aborted by the caller', {
    principal,
    cause: reason instanceof Error ? sanitizeCause(reason) : undefined,
  });
}

export function closedError(principal: Principal | undefined): WitboostAuthError {
  return new WitboostAuthError('closed', 'this WitboostAuth instance is closed', { principal });
}

export function invalidOption(message: string): never {
  throw new WitboostAuthError('invalid_options', message);
}

/** The kind of a bad option value for a message: never the value, which may be a secret. */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
