import type { WitboostAuth } from '@wb/auth-core';
import { type AxiosInstance, type InternalAxiosRequestConfig, isAxiosError } from 'axios';
import {
  type Authorised,
  authorise,
  authorizeAtDispatch,
  canGuardDispatch,
  forgetHeader,
  guardDispatch,
  guardTransform,
  hideRawRequest,
} from './dispatch.js';
import { finalUrlOf, followedNoRedirect } from './final-url.js';
import { assertAuth, assertInstance } from './validate.js';
import { unwrapped } from './wrapper.js';

/** Marks a replayed request. A string key: older axios 1.x releases drop symbol keys when merging configs. */
const REPLAYED = '__witboostReplayed';

type Config = InternalAxiosRequestConfig & { [REPLAYED]?: boolean };

function isStream(data: unknown): boolean {
  if (typeof data !== 'object' || data === null) return false;
  const candidate = data as { pipe?: unknown; getReader?: unknown };
  return typeof candidate.pipe === 'function' || typeof candidate.getReader === 'function';
}

/**
 * Adds Witboost credentials to an existing axios instance: a synchronous request interceptor
 * that wraps the adapter, which asks `auth` for the `Authorization` of each request to a
 * Witboost origin when it is dispatched (after every request interceptor), and a response
 * interceptor that, after a 401 from Witboost, invalidates that credential and replays the
 * request once. Requests to any other origin, and requests whose `Authorization` the caller set,
 * go out untouched. Redirects to another origin carry no credential.
 *
 * @param instance - any axios instance, e.g. your own or `httpService.axiosRef` in NestJS
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
  assertInstance(instance);
  assertAuth(auth, 'attachWitboostAuth');
  // Requests that failed with our header, by error (WeakMaps keep it out of `error.toJSON()`).
  const failed = new WeakMap<object, Authorised>();
  // Fallback for named adapters on axios < 1.5 (no dispatch guard): by config.
  const pending = new WeakMap<InternalAxiosRequestConfig, Authorised>();

  // Authorised at dispatch, after every request interceptor: this one only wraps the adapter.
  // Synchronous, so that (with synchronous interceptors of the caller) axios skips its promise
  // chain.
  const requestId = instance.interceptors.request.use(
    function witboostAuthorizeAtDispatch(config) {
      const adapter = unwrapped(config.adapter);
      // No copy of the config: only the adapter and the headers decide.
      config.adapter = canGuardDispatch({ adapter, headers: config.headers } as typeof config)
        ? authorizeAtDispatch(adapter, auth, failed)
        : adapter;
      return config;
    },
    undefined,
    { synchronous: true, runWhen: (config) => canGuardDispatch(config) },
  );

  // The fallback, when the adapter cannot be wrapped (a name on axios < 1.5, an instance of
  // another axios copy): authorised by this interceptor, checked again by `guardTransform`.
  const fallbackId = instance.interceptors.request.use(
    async function witboostAuthorize(config) {
      config.adapter = unwrapped(config.adapter);
      const authorised = await authorise(auth, config);
      if (authorised === undefined) return config;
      config.headers.set('Authorization', authorised.header);
      // Request interceptors added before ours run after it and may still move the request
      // elsewhere: the destination is checked again when the request is dispatched.
      if (canGuardDispatch(config)) {
        config.adapter = guardDispatch(config.adapter, authorised, failed);
      } else {
        config.transformRequest = guardTransform(config.transformRequest, authorised);
        pending.set(config, authorised);
      }
      return config;
    },
    undefined,
    { runWhen: (config) => !canGuardDispatch(config) },
  );

  const responseId = instance.interceptors.response.use(
    undefined,
    async function witboostReplayOn401(error: unknown) {
      if (!isAxiosError(error) || !error.config) throw error;
      const config: Config = error.config;
      let sent = failed.get(error);
      const fallback = pending.get(config);
      // On the fallback, a later interceptor of the caller may have replaced our header.
      if (
        sent === undefined &&
        fallback !== undefined &&
        config.headers.get('Authorization') === fallback.header
      ) {
        sent = fallback;
        forgetHeader(error, fallback.header);
        hideRawRequest(error);
      }
      if (sent === undefined) throw error;
      // Where the 401 came from; when the adapter does not tell (axios < 1.12's fetch adapter, a
      // custom adapter) and redirects were possible, it may be another origin's: not replayed.
      const finalUrl = finalUrlOf(error.request);
      const fromWitboost =
        finalUrl === undefined ? followedNoRedirect(config) : auth.isWitboostUrl(finalUrl);
      if (error.response?.status !== 401 || !fromWitboost) throw error;
      if (config[REPLAYED] === true || isStream(config.data)) throw error;
      auth.invalidate(sent.header);
      const replay: Config = { ...config, [REPLAYED]: true };
      return instance.request(replay);
    },
  );

  return function detachWitboostAuth() {
    instance.interceptors.request.eject(requestId);
    instance.interceptors.request.eject(fallbackId);
    instance.interceptors.response.eject(responseId);
  };
}
