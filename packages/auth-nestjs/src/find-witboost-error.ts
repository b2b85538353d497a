import { isWitboostAuthError, type WitboostAuthError } from '@wb/auth-core';

/**
 * The Witboost error behind `error`: itself, or its `cause` when a client wrapped it (the axios
 * interceptors of `@wb/auth-axios`, and so `HttpService`, reject with an `AxiosError` whose
 * `cause` is the core error).
 */
export function findWitboostError(error: unknown): WitboostAuthError | undefined {
  if (isWitboostAuthError(error)) return error;
  const cause: unknown = error instanceof Error ? error.cause : undefined;
  return isWitboostAuthError(cause) ? cause : undefined;
}
