import { invalidOption } from './fail.js';

/** An http(s) URL checked against the transport rules (https, or http to loopback / opt-in). */
export function parseCredentialUrl(value: unknown, what: string, allowInsecureHttp: boolean): URL {
  if (typeof value !== 'string' && !(value instanceof URL)) {
    invalidOption(`${what} must be an absolute http(s) URL string or URL, got ${typeName(value)}`);
  }
  let url: URL;
  try {
    // The value is never echoed: a misplaced secret must not end up in the message.
    url = new URL(String(value));
  } catch {
    return invalidOption(
      `${what} must be an absolute http(s) URL such as https://witboost.example.com (got a relative or malformed value)`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    invalidOption(`${what} must use https: (got ${url.protocol})`);
  }
  if (url.username !== '' || url.password !== '') {
    invalidOption(`${what} must not contain credentials (user:password@)`);
  }
  if (url.protocol === 'http:' && !allowInsecureHttp && !isLoopbackHost(url.hostname)) {
    invalidOption(
      `${what} uses http:// to the non-loopback host ${url.hostname}: credentials would travel in clear text; use https:// or set allowInsecureHttp: true`,
    );
  }
  return url;
}

/** 127.0.0.0/8, ::1 and localhost: the only hosts where http:// is acceptable by default. */
export function isLoopbackHost(hostname: string): boolean {
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) return true;
  if (hostname === '[::1]') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/**
 * Resolves what a caller passed against the normalised `baseUrl` (origin + path, no trailing
 * slash). Relative paths are appended to the base path, like axios `baseURL` or ky `prefixUrl`,
 * so `/api/x` on `https://h/witboost` is `https://h/witboost/api/x`; `//host/x` keeps its host.
 * Returns `undefined` when the input cannot be a URL at all.
 */
export function resolveUrl(baseUrl: string, input: string | URL): URL | undefined {
  if (input instanceof URL) return input;
  if (typeof input !== 'string') return undefined;
  if (URL.canParse(input)) return new URL(input);
  try {
    if (input.startsWith('//')) return new URL(input, `${baseUrl}/`);
    return new URL(baseUrl + (input.startsWith('/') ? input : `/${input}`));
  } catch {
    return undefined;
  }
}

/** Whether `path` is `prefix` or below it on a segment boundary. */
export function pathUnder(path: string, prefix: string): boolean {
  if (prefix === '/' || prefix === '') return true;
  return path === prefix || (path.startsWith(prefix) && path.charCodeAt(prefix.length) === 47);
}

export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
