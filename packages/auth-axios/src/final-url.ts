import type { WitboostAuth } from '@wb/auth-core';

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
      if (typeof input === 'object' && response?.url) finalUrls.set(input, response.url);
      return response;
    };
    recorders.set(target, recording);
  }
  return recording;
}

/**
 * Whether the answer to `request` came from a Witboost origin: where the transport says it came
 * from after redirects (follow-redirects in Node's http adapter, or {@link recordingFetch}), or,
 * when it does not tell (a custom adapter), only if the request could follow no redirect.
 */
export function answeredByWitboost(auth: WitboostAuth, request: unknown, maxRedirects?: number) {
  const sent = request as { res?: { responseUrl?: unknown } } | undefined;
  const url = sent?.res?.responseUrl ?? finalUrls.get(request as object);
  return typeof url === 'string' && url !== '' ? auth.isWitboostUrl(url) : maxRedirects === 0;
}
