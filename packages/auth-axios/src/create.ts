import { ownOptions, type WitboostAuth } from '@wb/auth-core';
import axios, { type AxiosInstance, type CreateAxiosDefaults } from 'axios';
import { attachWitboostAuth } from './attach.js';
import { assertAuth } from './errors.js';

/**
 * Options of {@link createWitboostAxios}: axios defaults plus the authenticator. axios's own
 * `auth` (Basic credentials) is replaced: credentials come from `@wb/auth-core`.
 *
 * @example
 * ```ts
 * import { createWitboostAuth } from '@wb/auth-core';
 * import { createWitboostAxios, type WitboostAxiosOptions } from '@wb/auth-axios';
 * const options: WitboostAxiosOptions = {
 *   auth: createWitboostAuth({ baseUrl: 'https://witboost.example.com' }),
 *   timeout: 10_000,
 * };
 * const client = createWitboostAxios(options);
 * ```
 */
export interface WitboostAxiosOptions extends Omit<CreateAxiosDefaults, 'auth'> {
  /** The authenticator, from `createWitboostAuth` in `@wb/auth-core`. Required. */
  auth: WitboostAuth;
  /**
   * Base URL of the instance.
   * @default auth.baseUrl
   */
  baseURL?: string;
}

/**
 * Creates an axios instance for Witboost: `baseURL` is the authenticator's base URL and
 * {@link attachWitboostAuth} is already applied.
 *
 * @param options - `auth` plus any axios defaults (`timeout`, `headers`, `adapter`, …)
 * @returns a new axios instance
 * @throws WitboostAuthError `invalid_options` when `auth` is missing or not a `WitboostAuth`
 * @example
 * ```ts
 * import { createWitboostAuth } from '@wb/auth-core';
 * import { createWitboostAxios } from '@wb/auth-axios';
 *
 * const auth = createWitboostAuth({ baseUrl: 'https://witboost.example.com' });
 * const witboost = createWitboostAxios({ auth, timeout: 10_000 });
 * const { data } = await witboost.post('/api/computational-governance/validate', {
 *   policy: 'require-owner',
 *   resource: { owner: 'group:finance' },
 * });
 * ```
 */
export function createWitboostAxios(options: WitboostAxiosOptions): AxiosInstance {
  const { auth, ...axiosConfig } = ownOptions(options ?? ({} as Partial<WitboostAxiosOptions>));
  assertAuth(auth, 'createWitboostAxios');
  const instance = axios.create({ baseURL: auth.baseUrl, ...axiosConfig });
  attachWitboostAuth(instance, auth);
  return instance;
}
