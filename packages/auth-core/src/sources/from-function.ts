import { invalidOption } from '../errors.js';
import { ownOptions } from '../options.js';
import type { AccessTokenSource, FromFunctionOptions } from '../types.js';
import { reusingSource } from './reusing-source.js';
import { checkSourceValue, wrapSourceError } from './token-checks.js';

/**
 * An access token source calling your function, for secret stores such as Vault or AWS Secrets
 * Manager. Concurrent calls share one invocation (for 5 s at most); whatever it throws becomes a
 * redacted `token_source_failed` error.
 *
 * @param fn - Returns the current access token (surrounding whitespace is ignored).
 * @param options - See {@link FromFunctionOptions}.
 * @returns A source whose description is `options.description` (default `function`).
 * @throws WitboostAuthError `invalid_options` when `fn` is not a function or an option is invalid.
 *
 * @example
 * ```ts
 * import { createWitboostAuth, fromFunction } from '@wb/auth-core';
 * const auth = createWitboostAuth({
 *   baseUrl: 'https://witboost.example.com',
 *   accessToken: fromFunction(async () => (await vault.read('secret/witboost')).data.token, {
 *     description: 'vault secret/witboost',
 *     cacheMs: 60_000,
 *   }),
 * });
 * ```
 */
export function fromFunction(
  fn: () => string | Promise<string>,
  options: FromFunctionOptions = {},
): AccessTokenSource {
  if (typeof fn !== 'function') {
    invalidOption('fromFunction(fn): fn must be a function');
  }
  const own = ownOptions(options ?? {});
  const description = own.description ?? 'function';
  if (typeof description !== 'string' || description.trim() === '') {
    invalidOption('fromFunction: description must be a non-empty string');
  }
  const cacheMs = own.cacheMs ?? 0;
  if (!Number.isFinite(cacheMs) || cacheMs < 0) {
    invalidOption('fromFunction: cacheMs must be a finite number >= 0');
  }

  return reusingSource(description, cacheMs, async () => {
    let value: unknown;
    try {
      value = await fn();
    } catch (error) {
      throw wrapSourceError(error, description, undefined);
    }
    return checkSourceValue(value, description, undefined);
  });
}
