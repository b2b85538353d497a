import type { AxiosRequestConfig } from 'axios';

const ABSOLUTE_URL = /^([a-z][a-z\d+\-.]*:)?\/\//i;

/** The origin of `url`, or `undefined` when it does not parse. */
export function originOf(url: string): string | undefined {
  return URL.canParse(url) ? new URL(url).origin : undefined;
}

function join(base: string, url: string): string {
  return url ? `${base.replace(/\/?\/$/, '')}/${url.replace(/^\/+/, '')}` : base;
}

/**
 * The URL a request goes to, joined the way axios joins `baseURL` and `url`, or `undefined` when
 * it is not knowable (a relative URL without `baseURL`, which axios would not send to Witboost).
 * `params` are left out: they cannot change the origin or the path, and leaving them out keeps
 * core's per-URL cache hot (`instance.getUri(config)` would also merge the config again).
 *
 * An absolute `url` with `allowAbsoluteUrls: false` is ambiguous: axios >= 1.8.2 sends it to
 * `baseURL` + `url`, older releases' Node http adapter ignore the option (CVE-2025-27152) and
 * send it to `url`. Only when both are the same origin is the answer certain.
 */
export function destinationOf(
  config: Pick<AxiosRequestConfig, 'url' | 'baseURL' | 'allowAbsoluteUrls'>,
): string | undefined {
  const url = config.url ?? '';
  const base = config.baseURL;
  const absolute = ABSOLUTE_URL.test(url);
  if (!base) return absolute ? url : undefined;
  if (!absolute) return join(base, url);
  if (config.allowAbsoluteUrls !== false) return url;
  const joined = join(base, url);
  const origin = originOf(joined);
  return origin !== undefined && origin === originOf(url) ? joined : undefined;
}

/** Whether `config` still goes to the origin of `authorisedUrl` (cheap when nothing changed). */
export function stillGoesTo(
  config: Pick<AxiosRequestConfig, 'url' | 'baseURL' | 'allowAbsoluteUrls'>,
  authorisedUrl: string,
): boolean {
  const destination = destinationOf(config);
  if (destination === undefined) return false;
  if (destination === authorisedUrl) return true;
  const origin = originOf(destination);
  return origin !== undefined && origin === originOf(authorisedUrl);
}
