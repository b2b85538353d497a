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

/**
 * 127.0.0.0/8, ::1 and `localhost` itself: the only hosts where http:// is acceptable by
 * default. Not `*.localhost`: Node's resolver does not pin those names to loopback, so DNS
 * (or a hosts file) could send the credential elsewhere in clear text.
 */
export function isLoopbackHost(hostname: string): boolean {
  if (hostname === 'localhost' || hostname === '[::1]') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
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
