import { invalidOption } from '../errors.js';
import type { AccessTokenSource, FromFunctionOptions } from '../types.js';
import { withFreshRead } from './resolve-source.js';
import { sharedCall } from './shared-call.js';
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
  const description = options?.description ?? 'function';
  if (typeof description !== 'string' || description.trim() === '') {
    invalidOption('fromFunction: description must be a non-empty string');
  }
  const cacheMs = options?.cacheMs ?? 0;
  if (!Number.isFinite(cacheMs) || cacheMs < 0) {
    invalidOption('fromFunction: cacheMs must be a finite number >= 0');
  }

  let cached: { token: string; at: number } | undefined;
  const call = async (): Promise<string> => {
    let value: unknown;
    try {
      value = await fn();
    } catch (error) {
      throw wrapSourceError(error, description, undefined);
    }
    const token = checkSourceValue(value, description, undefined);
    if (cacheMs > 0) cached = { token, at: Date.now() };
    return token;
  };
  const shared = sharedCall(call);

  return withFreshRead(
    {
      description,
      getAccessToken() {
        if (cached !== undefined && Date.now() - cached.at < cacheMs) {
          return Promise.resolve(cached.token);
        }
        return shared();
      },
      close() {
        cached = undefined;
      },
    },
    shared,
  );
}
