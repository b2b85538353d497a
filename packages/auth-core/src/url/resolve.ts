import { invalidOption, typeName } from '../errors.js';

// "What does this URL resolve to?", for the router and `auth.fetch`; and which URLs may carry
// credentials at all.

// Two slashes of either kind start an authority for http(s), so the host is the caller's.
const PROTOCOL_RELATIVE = /^[\\/]{2}/;
const TAB_OR_NEWLINE = /[\t\n\r]/g;
// Node's legacy `url.parse` skips every JavaScript whitespace (NBSP, BOM…) in front of a scheme.
const WHITESPACE = /\s/;
// A scheme as the legacy `url.parse` reads one (digits first allowed): `1http://evil` names a host there.
const NAMES_SCHEME = /^[a-z0-9.+-]+:/i;

/**
 * An absolute URL is kept; what the WHATWG parser reads as protocol-relative (`//h`, `\\h`,
 * `/\t/h`…) goes to its own host, as `new URL(input, base)` would; any other string is appended
 * to the base path, like axios `baseURL` (`/api/x` on `https://h/wb` is `https://h/wb/api/x`).
 * A string naming a scheme that WHATWG rejects (`https://evil:99999/x`) resolves to nothing: as a
 * relative path it would get a credential that a legacy `url.parse` client sends to that host.
 */
export function resolveAgainstBase(baseUrl: string, input: string): URL | undefined {
  if (URL.canParse(input)) return new URL(input);
  if (namesScheme(input)) return undefined;
  const base = baseUrl.replace(/\/+$/, '');
  const cleaned = stripIgnored(input);
  try {
    if (PROTOCOL_RELATIVE.test(cleaned)) return new URL(cleaned, `${base}/`);
    return new URL(base + (cleaned.startsWith('/') ? cleaned : `/${cleaned}`));
  } catch {
    return undefined;
  }
}

function namesScheme(input: string): boolean {
  let start = 0;
  // The WHATWG parser skips C0 controls and spaces there.
  while (
    start < input.length &&
    (input.charCodeAt(start) <= 0x20 || WHITESPACE.test(input[start] ?? ''))
  ) {
    start++;
  }
  return NAMES_SCHEME.test(input.slice(start).replace(TAB_OR_NEWLINE, ''));
}

/** Without what WHATWG ignores: C0 controls and spaces around, tabs and newlines inside. */
function stripIgnored(input: string): string {
  let start = 0;
  let end = input.length;
  while (start < end && input.charCodeAt(start) <= 0x20) start++;
  while (end > start && input.charCodeAt(end - 1) <= 0x20) end--;
  return input.slice(start, end).replace(TAB_OR_NEWLINE, '');
}

/** An option's URL: https, or http to loopback (or opted in); never echoed in a message. */
export function parseCredentialUrl(value: unknown, what: string, allowInsecureHttp: boolean): URL {
  if (typeof value !== 'string' && !(value instanceof URL)) {
    invalidOption(`${what} must be an absolute http(s) URL string or URL, got ${typeName(value)}`);
  }
  let url: URL;
  try {
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

// Not `*.localhost`: Node's resolver does not pin those names to loopback.
function isLoopbackHost(hostname: string): boolean {
  if (hostname === 'localhost' || hostname === '[::1]') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}
