import type { WitboostAuth } from '@wb/auth-core';
import type { InternalAxiosRequestConfig } from 'axios';

type Fetch = typeof fetch;

/** Final response URLs of the fetch adapter's requests, by the `Request` axios sent. */
const finalUrls = new WeakMap<object, string>();
/** One recording wrapper per fetch it wraps: axios caches an adapter per `env.fetch`. */
const recorders = new WeakMap<Fetch, Fetch>();

/**
 * A fetch that calls `given` (the caller's `env.fetch`, else the global fetch) and remembers
 * where each response came from after redirects, which axios's fetch adapter does not expose.
 * Anything but a function or nothing is returned as it is.
 */
export function recordingFetch(given: unknown): Fetch {
  const target = (given ?? globalThis.fetch) as Fetch;
  if (typeof target !== 'function') return given as Fetch;
  let recording = recorders.get(target);
  if (recording === undefined) {
    recording = async function witboostRecordingFetch(input, init) {
      const response = await target(input, init);
      if (typeof input === 'object' && typeof response?.url === 'string' && response.url !== '') {
        finalUrls.set(input, response.url);
      }
      return response;
    };
    recorders.set(target, recording);
  }
  return recording;
}

/**
 * Whether the answer to `request` came from a Witboost origin: where the transport says it came
 * from after redirects (Node's http adapter, XMLHttpRequest, or {@link recordingFetch}), or, when
 * it does not tell, only if the request could follow no redirect.
 */
export function answeredByWitboost(
  auth: WitboostAuth,
  config: InternalAxiosRequestConfig,
  request: unknown,
): boolean {
  const sent = request as { res?: { responseUrl?: unknown }; responseURL?: unknown } | undefined;
  const url = sent?.res?.responseUrl ?? sent?.responseURL ?? finalUrls.get(sent as object);
  if (typeof url === 'string' && url !== '') return auth.isWitboostUrl(url);
  const redirect = (config.fetchOptions as { redirect?: unknown } | undefined)?.redirect;
  return config.maxRedirects === 0 || redirect === 'manual' || redirect === 'error';
}
