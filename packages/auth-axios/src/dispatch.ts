import { redirectKeepsCredentials, stripCredentialHeaders, type WitboostAuth } from '@wb/auth-core';
import type { AxiosAdapter, AxiosError, AxiosRequestConfig } from 'axios';
import axios, { AxiosHeaders } from 'axios';
import { toAxiosError } from './errors.js';
import { answeredByWitboost, recordingFetch } from './final-url.js';
import { scrubSent } from './scrub.js';

const ABSOLUTE_URL = /^([a-z][a-z\d+\-.]*:)?\/\//i;

/**
 * The URL axios sends `config` to (its `buildFullPath`; `params` left out, as they change neither
 * origin nor path), or `undefined` for a relative URL without `baseURL`, which axios cannot send.
 */
function destinationOf({ url = '', baseURL, allowAbsoluteUrls }: AxiosRequestConfig) {
  const absolute = ABSOLUTE_URL.test(url);
  // biome-ignore lint/suspicious/noDoubleEquals: axios 1.12 joins on `== false`, later releases on `=== false` (a subset): joined whenever any release would join
  if (baseURL && (!absolute || allowAbsoluteUrls == false)) {
    return url ? `${baseURL.replace(/\/?\/$/, '')}/${url.replace(/^\/+/, '')}` : baseURL;
  }
  return absolute ? url : undefined;
}

/**
 * The adapter our request interceptor puts in place of each request's own one (kept under
 * `slot`). It runs when axios dispatches the request, after every request interceptor, and asks
 * core for the `Authorization` of the URL the request really goes to (unless the caller set
 * one). The header goes on a copy of the headers that only the inner adapter sees, and once the
 * request is done, on any copy of axios, the transport's record of it no longer holds it. A 401
 * from Witboost to a request we sent our header with is recorded in `stale`, for the replay.
 */
export function createDispatcher(
  auth: WitboostAuth,
  slot: symbol,
  stale: WeakMap<object, string>,
): AxiosAdapter {
  return async function witboostDispatch(config) {
    const own = (config as unknown as Record<symbol, AxiosRequestConfig['adapter']>)[slot];
    config.adapter = own; // a replay of this config starts from the user's adapter
    const url = config.headers.has('Authorization') ? undefined : destinationOf(config);
    let header: string | undefined;
    try {
      const signal = config.signal instanceof AbortSignal ? { signal: config.signal } : undefined;
      header = url === undefined ? undefined : await auth.authorizationFor(url, signal);
    } catch (error) {
      throw toAxiosError(error, config);
    }
    const { headers, beforeRedirect, env } = config;
    let adapter = axios.getAdapter(own ?? axios.defaults.adapter, config);
    if (url === undefined || header === undefined) return adapter(config);
    // The fetch adapter hides where redirects ended (for the replay): a wrapper of env.fetch
    // records it. The http adapter tells, and ignores env.
    if (adapter.name !== 'http') {
      config.env = { ...env, fetch: recordingFetch(env?.fetch) };
      adapter = axios.getAdapter(own ?? axios.defaults.adapter, config);
    }
    // A plain copy and a plain write: axios has normalised these headers, and none of them is
    // an Authorization in any letter case (checked above).
    config.headers = Object.assign(new AxiosHeaders(), headers, { Authorization: header });
    // follow-redirects keeps Authorization on a redirect to a subdomain or from http to https;
    // core's rule (same origin only) decides instead, for this hop and every later one.
    config.beforeRedirect = function witboostBeforeRedirect(options, ...rest) {
      if (!redirectKeepsCredentials(url, String(options.href))) {
        stripCredentialHeaders(options.headers ?? {});
      }
      beforeRedirect?.(options, ...rest);
    };
    try {
      return scrubSent(await adapter(config), header);
    } catch (error) {
      const { request, response } = scrubSent(error, header) as AxiosError;
      if (response?.status === 401 && answeredByWitboost(auth, request, config.maxRedirects)) {
        stale.set(error as object, header);
      }
      throw error;
    } finally {
      Object.assign(config, { headers, beforeRedirect, env });
    }
  };
}
