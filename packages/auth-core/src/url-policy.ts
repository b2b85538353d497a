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
  return resolveAgainstBase(baseUrl, input);
}

const TAB_OR_NEWLINE = /[\t\n\r]/g;
// Two slashes of either kind start an authority for http(s), so the host is the caller's.
const PROTOCOL_RELATIVE = /^[\\/]{2}/;

/**
 * The one resolver of request URLs (used by `authorizationFor` and `auth.fetch`): an absolute URL
 * is kept; anything the WHATWG parser would read as protocol-relative (`//h`, `\\h`, `/\h`,
 * ` //h`, `/\t/h`…) resolves to its own host, exactly as `new URL(input, base)` would send it;
 * any other string is appended to the base path. Classifying a URL differently from where it is
 * sent would hand a credential to another host.
 */
export function resolveAgainstBase(baseUrl: string, input: string): URL | undefined {
  if (URL.canParse(input)) return new URL(input);
  const base = baseUrl.replace(/\/+$/, '');
  const cleaned = stripIgnored(input);
  try {
    if (PROTOCOL_RELATIVE.test(cleaned)) return new URL(cleaned, `${base}/`);
    return new URL(base + (cleaned.startsWith('/') ? cleaned : `/${cleaned}`));
  } catch {
    return undefined;
  }
}

/** What the WHATWG parser ignores: C0 controls and spaces around the input, tabs and newlines in it. */
function stripIgnored(input: string): string {
  let start = 0;
  let end = input.length;
  while (start < end && input.charCodeAt(start) <= 0x20) start++;
  while (end > start && input.charCodeAt(end - 1) <= 0x20) end--;
  return input.slice(start, end).replace(TAB_OR_NEWLINE, '');
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
