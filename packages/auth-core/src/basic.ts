import { WitboostAuthError } from './errors.js';

const BASIC_USERNAME = 'witboost';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * The Basic `Authorization` value for an access token, `Basic base64("witboost:" + accessToken)`,
 * for installations with Basic enabled (only the UI and Computational Governance accept it).
 *
 * @param accessToken - The access token (`wbat-…`); surrounding whitespace is ignored.
 * @returns The header value.
 * @throws WitboostAuthError `invalid_access_token` when the token is blank or not a string.
 *
 * @example
 * ```ts
 * import { basicAuthorization } from '@wb/auth-core';
 * const headers = { Authorization: basicAuthorization(process.env.WITBOOST_ACCESS_TOKEN ?? '') };
 * ```
 */
export function basicAuthorization(accessToken: string): string {
  if (typeof accessToken !== 'string' || accessToken.trim() === '') {
    throw new WitboostAuthError(
      'invalid_access_token',
      'basicAuthorization needs a non-blank access token string',
    );
  }
  return `Basic ${Buffer.from(`${BASIC_USERNAME}:${accessToken.trim()}`, 'utf8').toString('base64')}`;
}

/**
 * Parses a Basic `Authorization` value; `undefined` for anything malformed, never a throw.
 *
 * @param header - A header value such as `Basic d2l0Ym9vc3Q6…` (any case of the scheme).
 * @returns `{ username, password }`, split at the first `:`, or `undefined`.
 *
 * @example
 * ```ts
 * import { parseBasicAuthorization } from '@wb/auth-core';
 * const credentials = parseBasicAuthorization(req.headers.authorization ?? '');
 * if (credentials?.username === 'witboost') useAccessToken(credentials.password);
 * ```
 */
export function parseBasicAuthorization(
  header: string,
): { username: string; password: string } | undefined {
  if (typeof header !== 'string') return undefined;
  const match = /^[ \t]*basic[ \t]+([^ \t]+)[ \t]*$/i.exec(header);
  const encoded = match?.[1];
  if (encoded === undefined || encoded.length % 4 !== 0 || !BASE64.test(encoded)) return undefined;
  const bytes = Buffer.from(encoded, 'base64');
  // Buffer's decoder is lenient: a re-encode that differs means non-canonical input.
  if (bytes.toString('base64') !== encoded) return undefined;
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return undefined;
  }
  const colon = text.indexOf(':');
  if (colon < 0) return undefined;
  return { username: text.slice(0, colon), password: text.slice(colon + 1) };
}
