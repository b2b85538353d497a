import type { WitboostAuth } from '@wb/auth-core';
import axios, {
  type AxiosAdapter,
  AxiosHeaders,
  type AxiosRequestConfig,
  type AxiosRequestTransformer,
  type AxiosResponse,
  type InternalAxiosRequestConfig,
} from 'axios';
import { destinationOf, stillGoesTo } from './destination.js';
import { toAxiosError } from './errors.js';
import { recordFetchFinalUrl } from './final-url.js';
import { guardRedirects } from './redirect.js';
import { hideResponseRequest } from './response.js';
import { markWrapper } from './wrapper.js';

type AdapterSpec = AxiosRequestConfig['adapter'];
type GetAdapter = (spec: AdapterSpec, config?: InternalAxiosRequestConfig) => AxiosAdapter;

/** The credential we put on a request, and the URL we put it there for. */
export interface Authorised {
  readonly url: string;
  readonly header: string;
}

/** `axios.getAdapter` exists from axios 1.5.0; before it, named adapters cannot be resolved. */
const getAdapter = (axios as { getAdapter?: GetAdapter }).getAdapter;

/** axios's built-in adapters that never go through `env.fetch` (and report their final URL). */
const NOT_FETCH = new Set(['http', 'xhr']);

/**
 * Whether {@link guardDispatch} can resolve the request's adapter as axios itself would: a
 * function always; a name only with `axios.getAdapter` (axios >= 1.5) of the same axios copy as
 * the instance (its headers are our `AxiosHeaders`), else another release's adapter would send it.
 */
export function canGuardDispatch(
  config: InternalAxiosRequestConfig,
  resolver: unknown = getAdapter,
): boolean {
  if (typeof config.adapter === 'function') return true;
  return typeof resolver === 'function' && config.headers instanceof AxiosHeaders;
}

function headersOf(holder: unknown): { get?: unknown; delete?: unknown } | undefined {
  const headers = (holder as { config?: { headers?: unknown } } | null | undefined)?.config
    ?.headers;
  return typeof headers === 'object' && headers !== null ? headers : undefined;
}

/** Removes our header from a config that failed: a retry elsewhere asks core for a fresh one. */
export function forgetHeader(holder: unknown, header: string): void {
  const headers = headersOf(holder) as Record<string, unknown> | undefined;
  for (const name of Object.keys(headers ?? {})) {
    if (name.toLowerCase() === 'authorization' && headers?.[name] === header) delete headers[name];
  }
}

/**
 * A copy of `headers` with `name` set: the headers are copied as they are, already normalised
 * by axios (`new AxiosHeaders(headers)` would normalise each one again, which costs more than
 * the rest of our work on a request).
 */
function copyWith(headers: object, name: string, value: string): AxiosHeaders {
  const copy = new AxiosHeaders();
  const from = headers as Record<string, unknown>;
  const to = copy as unknown as Record<string, unknown>;
  for (const key of Object.keys(from)) to[key] = from[key];
  return copy.set(name, value);
}

/**
 * The Node `ClientRequest` of a response or error keeps the raw header lines it sent, our JWT
 * among them: made non-enumerable, it stays readable (`error.request`) but
 * `console.error(error)`, `util.inspect` and `JSON.stringify` no longer print it.
 */
export function hideRawRequest(holder: unknown): void {
  if (typeof holder !== 'object' || holder === null) return;
  const candidate = holder as { response?: unknown };
  for (const owner of [holder, candidate.response]) {
    if (typeof owner === 'object' && owner !== null && Object.hasOwn(owner, 'request')) {
      Object.defineProperty(owner, 'request', { enumerable: false });
    }
  }
}

/**
 * Sends `config` through `inner` (resolved as axios resolves it); `authorised` is what to send.
 * Our header goes on a copy of the headers that only the adapter sees: the request's own config,
 * which the caller gets back as `response.config` or `error.config`, never holds the JWT, so
 * nothing has to be hidden in or removed from it afterwards. (Making the header non-enumerable
 * on a headers object axios had used cost about 5% of a request's CPU time in `pnpm bench`.)
 */
async function send(
  inner: AdapterSpec,
  config: InternalAxiosRequestConfig,
  authorised: Authorised | undefined,
  failed: WeakMap<object, Authorised>,
  resolver: GetAdapter | undefined,
): Promise<AxiosResponse> {
  // Like dispatchRequest: the request's adapter, else axios's default one.
  const spec = inner ?? axios.defaults.adapter;
  const resolve = () =>
    typeof spec === 'function' ? spec : (resolver as GetAdapter)(spec, config);
  let adapter = resolve();
  // Only a fetch-based adapter hides the final URL after redirects (and reads env.fetch): the
  // http and xhr adapters need no recording, which saves a copy of config.env per request.
  // axios's fetch adapter captures env.fetch when resolved, hence resolving again after it.
  if (authorised && !NOT_FETCH.has(String((adapter as { adapterName?: unknown }).adapterName))) {
    recordFetchFinalUrl(config);
    adapter = resolve();
  }
  if (authorised === undefined) return adapter(config);
  const own = config.headers;
  config.headers = copyWith(own, 'Authorization', authorised.header);
  let response: AxiosResponse;
  try {
    response = await adapter(config);
  } catch (error) {
    if (typeof error === 'object' && error !== null) {
      hideRawRequest(error);
      failed.set(error, authorised);
    }
    throw error;
  } finally {
    config.headers = own;
  }
  return hideResponseRequest(response);
}

/**
 * The `Authorization` core answers for the URL `config` goes to, unless it already has one (the
 * caller's wins) or it goes elsewhere; when there is one, `config` also gets the redirect guard
 * that goes with it. Returns `undefined` when there is none; an exchange failure becomes an
 * `AxiosError`. The header is not set on `config`: the caller decides where it goes.
 */
export async function authorise(
  auth: WitboostAuth,
  config: InternalAxiosRequestConfig,
): Promise<Authorised | undefined> {
  if (config.headers.has('Authorization')) return undefined;
  const url = destinationOf(config);
  // A relative URL here has no baseURL: axios would not send it to Witboost.
  if (url === undefined) return undefined;
  const signal = config.signal instanceof AbortSignal ? { signal: config.signal } : undefined;
  let header: string | undefined;
  try {
    header = await auth.authorizationFor(url, signal);
  } catch (error) {
    throw toAxiosError(error, config);
  }
  if (header === undefined) return undefined;
  config.beforeRedirect = guardRedirects(auth, url, config.beforeRedirect);
  return { url, header };
}

/**
 * An adapter around the request's own one (`inner`, resolved as axios resolves it) that
 * authorises the request when it is dispatched, after every request interceptor and
 * `transformRequest`: it asks `auth` for the `Authorization` of the URL the request really goes
 * to, unless the request already has one (the caller's wins). It also cleans what the request
 * leaves behind before any response interceptor (a logger, say) sees it. A failed request we
 * sent our header with is recorded in `failed`, for the 401 replay.
 */
export function authorizeAtDispatch(
  inner: AdapterSpec,
  auth: WitboostAuth,
  failed: WeakMap<object, Authorised>,
  resolver = getAdapter,
): AxiosAdapter {
  return markWrapper<AxiosAdapter>(async function witboostDispatch(config) {
    const authorised = await authorise(auth, config);
    return send(inner, config, authorised, failed, resolver);
  }, inner);
}

/**
 * The fallback of {@link authorizeAtDispatch} when the request was authorised by an interceptor
 * (an adapter name on axios < 1.5 that a later interceptor of the caller replaced by a function):
 * it drops our `Authorization` when an interceptor that ran after ours moved the request to
 * another origin, and cleans what the request leaves behind like {@link authorizeAtDispatch}.
 */
export function guardDispatch(
  inner: AdapterSpec,
  authorised: Authorised,
  failed: WeakMap<object, Authorised>,
  resolver = getAdapter,
): AxiosAdapter {
  return markWrapper<AxiosAdapter>(async function witboostGuard(config) {
    const ours = config.headers.get('Authorization') === authorised.header;
    // Taken off the config either way: send() puts it on the copy only the adapter sees.
    if (ours) config.headers.delete('Authorization');
    const sent = ours && stillGoesTo(config, authorised.url);
    return send(inner, config, sent ? authorised : undefined, failed, resolver);
  }, inner);
}

/**
 * The fallback of {@link guardDispatch} for named adapters on axios < 1.5: a first
 * `transformRequest`, which also runs after every request interceptor, drops our header when the
 * request moved to another origin. Cleaning a failed request is left to the response interceptor.
 */
export function guardTransform(
  transforms: AxiosRequestConfig['transformRequest'],
  authorised: Authorised,
): AxiosRequestTransformer[] {
  const rest =
    transforms === undefined ? [] : Array.isArray(transforms) ? transforms : [transforms];
  return [
    function witboostTransform(this: InternalAxiosRequestConfig, data, headers) {
      if (
        headers.get('Authorization') === authorised.header &&
        !stillGoesTo(this, authorised.url)
      ) {
        headers.delete('Authorization');
      }
      return data;
    },
    ...rest,
  ];
}
