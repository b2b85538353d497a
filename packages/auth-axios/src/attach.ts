import { isReplayableBody, type WitboostAuth } from '@wb/auth-core';
import type { AxiosError, AxiosInstance, AxiosRequestConfig } from 'axios';
import { createDispatcher } from './dispatch.js';
import { assertAuth, check, hasMethods } from './errors.js';

/** Marks a replayed request. A string key: axios 1.12 drops symbol keys when merging configs. */
const REPLAYED = '__witboostReplayed';

/**
 * Adds Witboost credentials to an existing axios instance: a synchronous request interceptor
 * that puts our adapter in front of the request's own one, which asks `auth` for the
 * `Authorization` of each request to a Witboost origin when it is dispatched (after every
 * request interceptor), and a response interceptor that, after a 401 from Witboost, invalidates
 * that credential and replays the request once. Requests to any other origin, and requests whose
 * `Authorization` the caller set, go out untouched. Redirects to another origin carry no
 * credential, and no response, error or config the caller gets back holds one.
 *
 * @param instance - any axios instance (>= 1.12, from any copy of axios), e.g. your own or
 *   `httpService.axiosRef` in NestJS
 * @param auth - a `WitboostAuth` from `createWitboostAuth` in `@wb/auth-core`
 * @returns a function that removes both interceptors (idempotent)
 * @throws WitboostAuthError `invalid_options` when `instance` is not an axios instance or `auth` not a `WitboostAuth`
 * @example
 * ```ts
 * import axios from 'axios';
 * import { createWitboostAuth } from '@wb/auth-core';
 * import { attachWitboostAuth } from '@wb/auth-axios';
 *
 * const auth = createWitboostAuth({ baseUrl: 'https://witboost.example.com' });
 * const client = axios.create({ baseURL: 'https://witboost.example.com' });
 * const detach = attachWitboostAuth(client, auth);
 * const { data } = await client.get('/api/catalog/entities', { params: { kind: 'DataProduct' } });
 * detach();
 * ```
 */
export function attachWitboostAuth(instance: AxiosInstance, auth: WitboostAuth): () => void {
  const { request, response } = (instance as Partial<AxiosInstance> | null)?.interceptors ?? {};
  const usable = hasMethods(request, 'use', 'eject') && hasMethods(response, 'use', 'eject');
  check(usable, 'attachWitboostAuth', 'instance must be an axios instance (axios.create())');
  assertAuth(auth, 'attachWitboostAuth');
  const { interceptors } = instance;
  // The header of each request Witboost answered with a 401, by its error (a WeakMap keeps it
  // out of `error.toJSON()`).
  const stale = new WeakMap<object, string>();
  // Where each request's own adapter waits while ours runs in its place.
  const slot = Symbol('witboost.adapter');
  const dispatch = createDispatcher(auth, slot, stale);

  // Synchronous, so that (with synchronous interceptors of the caller) axios skips its promise
  // chain; it only swaps the adapter, the request is authorised when dispatched.
  const requestId = interceptors.request.use(
    function witboostAuthorizeAtDispatch(config) {
      if (config.adapter !== dispatch) {
        (config as unknown as Record<symbol, unknown>)[slot] = config.adapter;
        config.adapter = dispatch;
      }
      return config;
    },
    undefined,
    { synchronous: true },
  );
  const responseId = interceptors.response.use(undefined, function witboostReplayOn401(error) {
    const header = stale.get(error as object);
    const config = (error as AxiosError).config as AxiosRequestConfig & { [REPLAYED]?: true };
    if (header === undefined || config[REPLAYED] || !isReplayableBody(config.data)) throw error;
    auth.invalidate(header);
    return instance.request({ ...config, [REPLAYED]: true } as AxiosRequestConfig);
  });

  return function detachWitboostAuth() {
    interceptors.request.eject(requestId);
    interceptors.response.eject(responseId);
  };
}
