import { isWitboostAuthError, type WitboostAuth, WitboostAuthError } from '@wb/auth-core';
import { AxiosError, type InternalAxiosRequestConfig } from 'axios';

/**
 * `code` of the `AxiosError` an axios call rejects with when no credential could be obtained
 * (the exchange failed, the access token is missing or revoked, the auth instance is closed).
 * Its `cause` is the `WitboostAuthError` from `@wb/auth-core`.
 *
 * @example
 * ```ts
 * import { ERR_WITBOOST_AUTH } from '@wb/auth-axios';
 * import { isWitboostAuthError } from '@wb/auth-core';
 * try {
 *   await client.get('/api/catalog/entities');
 * } catch (error) {
 *   if (axios.isAxiosError(error) && error.code === ERR_WITBOOST_AUTH && isWitboostAuthError(error.cause)) {
 *     console.error(error.cause.code, error.cause.status); // e.g. 'access_token_rejected', 401
 *   }
 * }
 * ```
 */
export const ERR_WITBOOST_AUTH = 'ERR_WITBOOST_AUTH';

/**
 * Wraps a core error so the axios call rejects with an `AxiosError` (what axios users handle),
 * keeping the core error as `cause`; core messages are secret-free by contract. (A request the
 * caller aborted while it waited for a token: axios itself turns it into a `CanceledError`.)
 */
export function toAxiosError(error: unknown, config: InternalAxiosRequestConfig): unknown {
  if (!isWitboostAuthError(error)) return error;
  const message = `[@wb/auth-axios] No Witboost credential for this request: ${error.message}`;
  return Object.assign(new AxiosError(message, ERR_WITBOOST_AUTH, config), { cause: error });
}

/** Whether `value` has a function under each of `names`. */
export const hasMethods = (value: unknown, ...names: string[]): boolean =>
  names.every((name) => typeof (value as Record<string, unknown> | null)?.[name] === 'function');

/** Throws `invalid_options`, naming the function `where` it was called, unless `ok`. */
export function check(ok: boolean, where: string, message: string): void {
  if (!ok) throw new WitboostAuthError('invalid_options', `@wb/auth-axios ${where}: ${message}`);
}

/** Throws `invalid_options` unless `auth` looks like a `WitboostAuth` from `createWitboostAuth`. */
export function assertAuth(auth: unknown, where: string): asserts auth is WitboostAuth {
  const ok = hasMethods(auth, 'authorizationFor', 'invalidate', 'isWitboostUrl');
  check(ok, where, 'auth must be a WitboostAuth from createWitboostAuth()');
}
