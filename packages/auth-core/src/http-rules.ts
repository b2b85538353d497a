/**
 * The request headers that carry credentials: a redirect off the original origin drops them all.
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
 * Whether a redirect from `from` to `to` may keep the request's credentials: only on exactly the
 * same origin (scheme, host, port); anything that does not parse is another origin.
 *
 * @param from - The URL the credential was attached for.
 * @param to - The absolute redirect target.
 * @returns `true` only for the same origin.
 *
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
 * Deletes every {@link CREDENTIAL_HEADERS} entry (any case) from a plain header record.
 *
 * @param headers - The record to clean, in place.
 *
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
 * Whether a request body can be sent again (the replay after a 401): none, a string,
 * `URLSearchParams`, an `ArrayBuffer` or a view (a `Buffer`), a `Blob`, `FormData`. Not streams.
 *
 * @param body - The body as it was sent.
 * @returns Whether a replay sends the same bytes.
 *
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
