/**
 * The request headers that carry credentials: a redirect off the original origin drops all of
 * them, ours and the caller's alike (what a browser does with `Authorization` and `Cookie`).
 *
 * @example
 * ```ts
 * import { CREDENTIAL_HEADERS } from '@wb/auth-core';
 * CREDENTIAL_HEADERS.includes('authorization'); // true
 * ```
 */
export const CREDENTIAL_HEADERS: readonly string[] = [
  'authorization',
  'cookie',
  'proxy-authorization',
];

/**
 * Whether a redirect from `from` to `to` may keep the credentials of the request: only when it
 * stays on exactly the same origin (scheme, host and port). A subdomain, another port or an
 * `http:`↔`https:` change is another origin; so is anything that does not parse.
 *
 * @param from - the URL the credential was attached for
 * @param to - the redirect target (absolute)
 * @returns `true` only for the same origin
 * @example
 * ```ts
 * import { redirectKeepsCredentials } from '@wb/auth-core';
 * redirectKeepsCredentials('https://wb.example.com/a', 'https://wb.example.com/b'); // true
 * redirectKeepsCredentials('https://wb.example.com/a', 'https://x.wb.example.com/b'); // false
 * ```
 */
export function redirectKeepsCredentials(from: string | URL, to: string | URL): boolean {
  const origin = (url: string | URL) =>
    URL.canParse(String(url)) ? new URL(String(url)).origin : undefined;
  const before = origin(from);
  return before !== undefined && before !== 'null' && before === origin(to);
}

/**
 * Deletes every {@link CREDENTIAL_HEADERS} entry (any letter case) from a plain header record,
 * such as the options of a Node request being redirected.
 *
 * @param headers - the record to clean, changed in place
 * @example
 * ```ts
 * import { stripCredentialHeaders } from '@wb/auth-core';
 * const headers = { Authorization: 'Bearer x', Accept: '*\/*' };
 * stripCredentialHeaders(headers); // headers is { Accept: '*\/*' }
 * ```
 */
export function stripCredentialHeaders(headers: Record<string, unknown>): void {
  for (const name of Object.keys(headers)) {
    if (CREDENTIAL_HEADERS.includes(name.toLowerCase())) delete headers[name];
  }
}

/**
 * Whether a request body can be sent a second time (the one replay after a 401): none, a
 * string, `URLSearchParams`, an `ArrayBuffer` or a view of one (a `Buffer` too), a `Blob` or
 * `FormData`. Streams, async iterables and anything unknown cannot: they may be spent.
 *
 * @param body - the body as it was sent
 * @returns whether replaying it sends the same bytes
 * @example
 * ```ts
 * import { isReplayableBody } from '@wb/auth-core';
 * isReplayableBody('{"a":1}'); // true
 * isReplayableBody(new ReadableStream()); // false
 * ```
 */
export function isReplayableBody(body: unknown): boolean {
  return (
    body === undefined ||
    body === null ||
    typeof body === 'string' ||
    body instanceof URLSearchParams ||
    body instanceof ArrayBuffer ||
    ArrayBuffer.isView(body) ||
    body instanceof Blob ||
    body instanceof FormData
  );
}
