import type { InternalAxiosRequestConfig } from 'axios';

type Fetch = typeof fetch;

/** Final response URLs of the fetch adapter's requests, by the `Request` axios sent. */
const finalUrls = new WeakMap<object, string>();
/** Our recording wrappers, by the fetch they wrap (one each, so axios's per-fetch cache stays small). */
const recorders = new WeakMap<Fetch, Fetch>();
const ours = new WeakSet<Fetch>();

function recorder(target: () => Fetch): Fetch {
  const recording: Fetch = async function witboostRecordingFetch(input, init) {
    const response = await target()(input, init);
    if (typeof input === 'object' && input !== null && typeof response?.url === 'string') {
      if (response.url !== '') finalUrls.set(input, response.url);
    }
    return response;
  };
  ours.add(recording);
  return recording;
}

// Reads globalThis.fetch on every call, as axios does without env.fetch (mocking libraries swap it).
const viaGlobal = recorder(() => globalThis.fetch);

/**
 * Sets `config.env.fetch` to a wrapper that remembers where each response came from after
 * redirects: axios's fetch adapter (>= 1.12, which honours `env.fetch`) exposes no final URL.
 * Other adapters ignore it.
 */
export function recordFetchFinalUrl(config: InternalAxiosRequestConfig): void {
  const env: { fetch?: unknown } = config.env ?? {};
  const given = env.fetch;
  let fetch: Fetch | undefined;
  if (typeof given === 'function') {
    const underlying = given as Fetch;
    fetch = ours.has(underlying) ? underlying : recorders.get(underlying);
    if (fetch === undefined) {
      fetch = recorder(() => underlying);
      recorders.set(underlying, fetch);
    }
  } else if (given === undefined && typeof globalThis.fetch === 'function') {
    fetch = viaGlobal;
  }
  if (fetch !== undefined && fetch !== given) config.env = { ...config.env, fetch };
}

/**
 * Where the response to `request` came from after redirects, when the adapter tells: the Node
 * http adapter (`res.responseUrl`, follow-redirects), XMLHttpRequest (`responseURL`) or the fetch
 * adapter through {@link recordFetchFinalUrl}. `undefined` when unknown.
 */
export function finalUrlOf(request: unknown): string | undefined {
  if (typeof request !== 'object' || request === null) return undefined;
  const candidate = request as { res?: { responseUrl?: unknown }; responseURL?: unknown };
  const url = candidate.res?.responseUrl ?? candidate.responseURL ?? finalUrls.get(request);
  return typeof url === 'string' && url !== '' ? url : undefined;
}

/** Whether the request followed no redirect, so it was answered where it was sent. */
export function followedNoRedirect(config: InternalAxiosRequestConfig): boolean {
  const redirect = (config.fetchOptions as { redirect?: unknown } | undefined)?.redirect;
  return config.maxRedirects === 0 || redirect === 'manual' || redirect === 'error';
}
