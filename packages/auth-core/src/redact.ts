/** Shortest secret whose last four characters may be shown without giving much of it away. */
const MIN_LENGTH_TO_SHOW_TAIL = 12;
const JWT_SHAPE = /^eyJ[\w-]*\.[\w-]*\.[\w-]*$/;

// Every pattern below is linear: each quantified class excludes the character that follows it,
// and the JWT pattern may only start after a non-word character, so a long run of `eyJeyJ…`
// cannot make the engine rescan the input from every position.
const WBAT_PATTERN = /wbat-[A-Za-z0-9_-]+/g;
const JWT_PATTERN = /(?<![\w-])eyJ[\w-]*\.[\w-]*\.[\w-]*/g;
const HEADER_PATTERN = /\b(Basic|Bearer)([ \t]+)([A-Za-z0-9+/=._~-]+)/gi;
const JSON_FIELD_PATTERN = /("(?:access_?token|jwt|token|password)"[ \t]*:[ \t]*")([^"\\\r\n]*)"/gi;

/**
 * A short, non-secret label for a credential, enough to tell two apart in a log line and never
 * enough to use one: `wbat-…abcd` for an access token, `eyJ…(jwt)` for a JWT, `…abcd` for any
 * other token, and `…` (or `wbat-…`) when the token is too short to show anything.
 *
 * @param token - An access token, JWT or other credential.
 * @returns The redacted label.
 *
 * @example
 * ```ts
 * import { redactToken } from '@wb/auth-core';
 * redactToken(process.env.WITBOOST_ACCESS_TOKEN ?? ''); // e.g. 'wbat-…wxyz'
 * ```
 */
export function redactToken(token: string): string {
  if (typeof token !== 'string') return '…';
  if (JWT_SHAPE.test(token)) return 'eyJ…(jwt)';
  const prefix = token.startsWith('wbat-') ? 'wbat-' : '';
  const rest = token.slice(prefix.length);
  if (rest.length < MIN_LENGTH_TO_SHOW_TAIL) return `${prefix}…`;
  return `${prefix}…${rest.slice(-4)}`;
}

/**
 * Replaces every credential found in free text: `wbat-…` access tokens, JWT-shaped strings,
 * `Basic`/`Bearer` header values and `"access_token"`/`"jwt"`/`"token"`/`"password"` JSON string
 * fields. Linear time, safe on megabytes of input.
 *
 * @param text - Any text, e.g. an error message or a response body.
 * @returns The text with every credential replaced by its {@link redactToken} label.
 *
 * @example
 * ```ts
 * import { redactSecrets } from '@wb/auth-core';
 * logger.warn({ detail: redactSecrets(String(error)) }, 'token source failed');
 * ```
 */
export function redactSecrets(text: string): string {
  if (typeof text !== 'string') return '';
  return text
    .replace(HEADER_PATTERN, (whole, scheme: string, space: string, value: string) =>
      looksLikeCredential(value) ? `${scheme}${space}${headerLabel(scheme, value)}` : whole,
    )
    .replace(JSON_FIELD_PATTERN, (_whole, key: string, value: string) =>
      value === '' ? `${key}"` : `${key}${redactToken(value)}"`,
    )
    .replace(JWT_PATTERN, 'eyJ…(jwt)')
    .replace(WBAT_PATTERN, (token) => redactToken(token));
}

function headerLabel(scheme: string, value: string): string {
  // A Basic value is base64 of the whole credential: even its tail is not ours to show.
  return scheme.toLowerCase() === 'basic' ? '…' : redactToken(value);
}

/**
 * Words after "Basic"/"Bearer" in prose ("Basic authentication is disabled") must survive;
 * credentials are long and carry digits, symbols or mixed case.
 */
function looksLikeCredential(value: string): boolean {
  if (value.length < 8) return false;
  return /[0-9+/=._~-]/.test(value) || /[A-Z]/.test(value.slice(1));
}
