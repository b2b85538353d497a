import type { AxiosAdapter, InternalAxiosRequestConfig } from 'axios';

type Fetch = typeof fetch;

/** Final response URLs of the fetch adapter's requests, by the `Request` axios sent. */
const finalUrls = new WeakMap<object, string>();
/** One recording wrapper per fetch it wraps: axios caches an adapter per `env.fetch`. */
const recorders = new WeakMap<Fetch, Fetch>();
const ours = new WeakSet<Fetch>();

function recorder(target: () => Fetch): Fetch {
  const recording: Fetch = async function witboostRecordingFetch(input, init) {
    const response = await target()(input, init);
    if (typeof input === 'object' && typeof response?.url === 'string' && response.url !== '') {
      finalUrls.set(input, response.url);
    }
    return response;
  };
  ours.add(recording);
  return recording;
}

// Reads globalThis.fetch on every call, as axios does without env.fetch (mocking libraries swap it).
const viaGlobal = recorder(() => globalThis.fetch);

/**
 * When `adapter` is not one of axios's http and xhr adapters (which report their final URL),
 * points `config.env.fetch` at a wrapper that remembers where each response came from after
 * redirects: axios's fetch adapter exposes no final URL. Returns whether `env.fetch` changed.
 */
export function recordFetchFinalUrl(
  adapter: AxiosAdapter,
  config: InternalAxiosRequestConfig,
): boolean {
  const name = (adapter as { adapterName?: unknown }).adapterName;
  const given: unknown = config.env?.fetch;
  if (name === 'http' || name === 'xhr' || ours.has(given as Fetch)) return false;
  let fetch: Fetch | undefined = given == null ? viaGlobal : undefined;
  if (typeof given === 'function') {
    const underlying = given as Fetch;
    fetch = recorders.get(underlying) ?? recorder(() => underlying);
    recorders.set(underlying, fetch);
  }
  if (fetch === undefined) return false;
  config.env = { ...config.env, fetch };
  return true;
}

/**
 * Where the response to `request` came from after redirects, when the adapter tells: Node's
 * http adapter (`res.responseUrl`, follow-redirects), XMLHttpRequest (`responseURL`) or the
 * fetch adapter through {@link recordFetchFinalUrl}; `undefined` when unknown.
 */
export function finalUrlOf(request: unknown): string | undefined {
  if (typeof request !== 'object' || request === null) return undefined;
  const candidate = request as { res?: { responseUrl?: unknown }; responseURL?: unknown };
  const url = candidate.res?.responseUrl ?? candidate.responseURL ?? finalUrls.get(request);
  return typeof url === 'string' && url !== '' ? url : undefined;
}

/** Whether the request could follow no redirect, so it was answered where it was sent. */
export function followedNoRedirect(config: InternalAxiosRequestConfig): boolean {
  const redirect = (config.fetchOptions as { redirect?: unknown } | undefined)?.redirect;
  return config.maxRedirects === 0 || redirect === 'manual' || redirect === 'error';
}
