import type { WitboostAuth } from '@wb/auth-core';
import { type AxiosInstance, type InternalAxiosRequestConfig, isAxiosError } from 'axios';
import { toAxiosError } from './errors.js';
import { guardRedirects } from './redirect.js';
import { assertAuth, assertInstance } from './validate.js';

/** Marks a replayed request. A string key: older axios 1.x releases drop symbol keys when merging configs. */
const REPLAYED = '__witboostReplayed';

type Config = InternalAxiosRequestConfig & { [REPLAYED]?: boolean };

function isStream(data: unknown): boolean {
  if (typeof data !== 'object' || data === null) return false;
  const candidate = data as { pipe?: unknown; getReader?: unknown };
  return typeof candidate.pipe === 'function' || typeof candidate.getReader === 'function';
}

const ABSOLUTE_URL = /^([a-z][a-z\d+\-.]*:)?\/\//i;

/**
 * The URL a request goes to, joined the way axios joins `baseURL` and `url`, from the config the
 * interceptor receives (already merged with the instance defaults). `instance.getUri(config)`
 * would merge the whole config again on every request; `params` are left out because they
 * cannot change the origin or the path, and leaving them out keeps core's per-URL cache hot.
 */
function fullUrlOf(config: InternalAxiosRequestConfig): string | undefined {
  const url = config.url ?? '';
  const base = config.baseURL;
  const relative = !ABSOLUTE_URL.test(url);
  if (base && (relative || config.allowAbsoluteUrls === false)) {
    return url ? `${base.replace(/\/?\/$/, '')}/${url.replace(/^\/+/, '')}` : base;
  }
  return relative ? undefined : url;
}

/** Where the response came from after redirects (Node http adapter), else `undefined`. */
function finalUrlOf(request: unknown): unknown {
  return (request as { res?: { responseUrl?: unknown } } | undefined)?.res?.responseUrl;
}

/**
 * The Node `ClientRequest` on an error keeps the raw header lines it sent, our JWT among them:
 * made non-enumerable, it stays readable (`error.request`) but `console.error(error)`,
 * `util.inspect` and `JSON.stringify` no longer print it.
 */
function hideRawRequest(error: { request?: unknown; response?: { request?: unknown } }): void {
  for (const holder of [error, error.response]) {
    if (holder !== undefined && Object.hasOwn(holder, 'request')) {
      Object.defineProperty(holder, 'request', { enumerable: false });
    }
  }
}

/**
 * Adds Witboost credentials to an existing axios instance: a request interceptor that asks
 * `auth` for the `Authorization` of each request to a Witboost origin, and a response
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
  // The header each request got from us; a WeakMap keeps it out of `error.toJSON()`.
  const authorised = new WeakMap<InternalAxiosRequestConfig, string>();

  const requestId = instance.interceptors.request.use(async function witboostAuthorize(config) {
    if (config.headers.has('Authorization')) return config;
    const url = fullUrlOf(config);
    // A relative URL here has no baseURL: axios would not send it to Witboost.
    if (url === undefined) return config;
    const signal = config.signal instanceof AbortSignal ? { signal: config.signal } : undefined;
    let header: string | undefined;
    try {
      header = await auth.authorizationFor(url, signal);
    } catch (error) {
      throw toAxiosError(error, config);
    }
    if (header === undefined) return config;
    config.headers.set('Authorization', header);
    config.beforeRedirect = guardRedirects(auth, url, config.beforeRedirect);
    authorised.set(config, header);
    return config;
  });

  const responseId = instance.interceptors.response.use(
    undefined,
    async function witboostReplayOn401(error: unknown) {
      if (!isAxiosError(error) || !error.config) throw error;
      const config: Config = error.config;
      const header = authorised.get(config);
      // A later interceptor of the caller may have replaced our header: then it is not ours.
      if (header === undefined || config.headers.get('Authorization') !== header) throw error;
      // A failed request keeps its config; without our JWT in it, a logged error holds no
      // credential and a retry by another interceptor asks core for a fresh one.
      config.headers.delete('Authorization');
      hideRawRequest(error);
      const finalUrl = finalUrlOf(error.request);
      const fromWitboost = typeof finalUrl !== 'string' || auth.isWitboostUrl(finalUrl);
      if (error.response?.status !== 401 || !fromWitboost) throw error;
      if (config[REPLAYED] === true || isStream(config.data)) throw error;
      auth.invalidate(header);
      const replay: Config = { ...config, [REPLAYED]: true };
      return instance.request(replay);
    },
  );

  return function detachWitboostAuth() {
    instance.interceptors.request.eject(requestId);
    instance.interceptors.response.eject(responseId);
  };
}
