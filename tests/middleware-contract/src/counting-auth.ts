import { createWitboostAuth, type WitboostAuth } from '@wb/auth-core';

/**
 * A service `WitboostAuth` that counts its live caller instances (created by `withAccessToken`,
 * not yet closed): proves evicted identities are closed, not just forgotten.
 *
 * @param baseUrl - the Witboost base URL
 * @param accessToken - the service's access token
 * @returns the auth and how many caller instances are open
 * @example
 * ```ts
 * import { countingAuth } from '@wb/middleware-contract';
 * const { auth, open } = countingAuth(wb.url, serviceToken);
 * ```
 */
export function countingAuth(
  baseUrl: string,
  accessToken: string,
): { auth: WitboostAuth; open: () => number } {
  const auth = createWitboostAuth({ baseUrl, accessToken });
  let open = 0;
  const counting: WitboostAuth = {
    ...auth,
    withAccessToken(token, principal) {
      const caller = auth.withAccessToken(token, principal);
      open++;
      let closed = false;
      const close = () => {
        if (!closed) open--;
        closed = true;
        return caller.close();
      };
      return { ...caller, close, [Symbol.asyncDispose]: close };
    },
  };
  return { auth: counting, open: () => open };
}
