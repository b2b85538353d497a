import { redirectKeepsCredentials, stripCredentialHeaders, type WitboostAuth } from '@wb/auth-core';
import axios, {
  type AxiosAdapter,
  AxiosHeaders,
  type AxiosRequestConfig,
  type InternalAxiosRequestConfig,
} from 'axios';
import { toAxiosError } from './errors.js';
import { recordFetchFinalUrl } from './final-url.js';
import { scrubSentRequest } from './scrub.js';

/** The credential we put on a request, and the URL we put it there for. */
export interface Authorised {
  readonly url: string;
  readonly header: string;
}

const ABSOLUTE_URL = /^([a-z][a-z\d+\-.]*:)?\/\//i;

/**
 * The URL axios sends `config` to (its `buildFullPath`, `params` left out: they change neither
 * origin nor path, and keep core's per-URL cache hot), or `undefined` for a relative URL without
 * `baseURL`, which axios cannot send anywhere.
 */
export function destinationOf(config: AxiosRequestConfig): string | undefined {
  const url = config.url ?? '';
  const base = config.baseURL;
  if (base && (!ABSOLUTE_URL.test(url) || config.allowAbsoluteUrls === false)) {
    return url ? `${base.replace(/\/?\/$/, '')}/${url.replace(/^\/+/, '')}` : base;
  }
  return ABSOLUTE_URL.test(url) ? url : undefined;
}

/** The headers with `Authorization` set, copied as they are (already normalised by axios). */
function copyWith(headers: object, value: string): AxiosHeaders {
  const copy = new AxiosHeaders();
  Object.assign(copy, headers);
  return copy.set('Authorization', value);
}

async function authorise(
  auth: WitboostAuth,
  config: InternalAxiosRequestConfig,
): Promise<Authorised | undefined> {
  // The caller's own Authorization wins.
  if (config.headers.has('Authorization')) return undefined;
  const url = destinationOf(config);
  if (url === undefined) return undefined;
  const signal = config.signal instanceof AbortSignal ? { signal: config.signal } : undefined;
  try {
    const header = await auth.authorizationFor(url, signal);
    return header === undefined ? undefined : { url, header };
  } catch (error) {
    throw toAxiosError(error, config);
  }
}

/**
 * The adapter our request interceptor puts in place of each request's own one (kept under
 * `slot`). It runs when axios dispatches the request, after every request interceptor, and asks
 * core for the `Authorization` of the URL the request really goes to. The header goes on a copy
 * of the headers that only the inner adapter sees, and once the request is done, on any copy of
 * axios, the transport's record of it (Node's raw request, follow-redirects' options, the fetch
 * `Request`) no longer holds it: nothing a caller can print holds the credential. A failed
 * request we sent our header with is recorded in `failed`, for the 401 replay.
 */
export function createDispatcher(
  auth: WitboostAuth,
  slot: symbol,
  failed: WeakMap<object, Authorised>,
): AxiosAdapter {
  return async function witboostDispatch(config) {
    const own = (config as unknown as Record<symbol, AxiosRequestConfig['adapter']>)[slot];
    config.adapter = own; // a replay of this config starts from the user's adapter
    const authorised = await authorise(auth, config);
    const spec = own ?? axios.defaults.adapter;
    let adapter = axios.getAdapter(spec, config);
    if (authorised === undefined) return adapter(config);
    // axios's fetch adapter hides where redirects ended (for the replay); it reads env.fetch
    // when resolved, hence resolving again.
    if (recordFetchFinalUrl(adapter, config)) adapter = axios.getAdapter(spec, config);
    const { headers, beforeRedirect } = config;
    config.headers = copyWith(headers, authorised.header);
    // follow-redirects keeps Authorization on a redirect to a subdomain or from http to https;
    // core's rule (same origin only) decides instead, for this hop and every later one.
    config.beforeRedirect = function witboostBeforeRedirect(options, ...rest) {
      if (!redirectKeepsCredentials(authorised.url, String(options.href))) {
        stripCredentialHeaders(options.headers ?? {});
      }
      beforeRedirect?.(options, ...rest);
    };
    try {
      const response = await adapter(config);
      scrubSentRequest(response.request, authorised.header);
      return response;
    } catch (error) {
      const failure = error as { request?: unknown; response?: { request?: unknown } } | null;
      scrubSentRequest(failure?.request, authorised.header);
      scrubSentRequest(failure?.response?.request, authorised.header);
      if (typeof error === 'object' && error !== null) failed.set(error, authorised);
      throw error;
    } finally {
      config.headers = headers;
      config.beforeRedirect = beforeRedirect;
    }
  };
}
