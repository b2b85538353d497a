import { isWitboostAuthError, WitboostAuthError } from '../errors.js';
import { redactHeldSecrets, redactSecrets, sanitizeCause } from '../redact.js';
import type { Principal } from '../types.js';

export const MAX_ACCESS_TOKEN_LENGTH = 4096;

// Visible ASCII only: in a header, whitespace, controls and non-Latin-1 break requests or smuggle headers.
const TOKEN_CHARS = /^[\x21-\x7e]+$/;

/** The trimmed token from what a source returned; messages describe the problem, never the value. */
export function checkSourceValue(
  value: unknown,
  description: string,
  principal: Principal | undefined,
): string {
  const fail = (code: 'token_source_failed' | 'missing_access_token', returned: string) =>
    new WitboostAuthError(
      code,
      `access token source ${describe(description)} returned ${returned}`,
      { principal },
    );
  if (typeof value !== 'string') {
    throw fail(
      'token_source_failed',
      `${value === null ? 'null' : `a ${typeof value}`}, not a string`,
    );
  }
  const token = value.trim();
  if (token === '') throw fail('missing_access_token', 'a blank access token');
  if (token.length > MAX_ACCESS_TOKEN_LENGTH) {
    throw fail(
      'token_source_failed',
      `${token.length} characters, more than the ${MAX_ACCESS_TOKEN_LENGTH} an access token may have`,
    );
  }
  if (!TOKEN_CHARS.test(token)) {
    throw fail('token_source_failed', 'a value with whitespace, control or non-ASCII characters');
  }
  return token;
}

export function hasOnlyTokenChars(token: string): boolean {
  return TOKEN_CHARS.test(token);
}

/** A source description for messages: quoted, stripped of anything secret-like. */
export function describe(description: string): string {
  return JSON.stringify(redactSecrets(String(description)).slice(0, 200));
}

/**
 * What a source threw as a redacted error carrying `principal`; our own codes are kept. `held`
 * are the access tokens the instance already knows (a source's earlier answers): a failure
 * quoting one, in any form {@link redactHeldSecrets} knows, loses it like an exchange error does.
 */
export function wrapSourceError(
  error: unknown,
  description: string,
  principal: Principal | undefined,
  held: readonly string[] = [],
): WitboostAuthError {
  const clean = (text: string) => redactHeldSecrets(text, held);
  if (
    error instanceof WitboostAuthError &&
    error.principal === principal &&
    error.cause === undefined &&
    clean(error.message) === error.message
  ) {
    return error;
  }
  if (isWitboostAuthError(error)) {
    return new WitboostAuthError(
      error.code,
      clean(error.message).replace(/^\[@wb\/auth-core\] /, ''),
      {
        status: error.status,
        retryAfterMs: error.retryAfterMs,
        principal: principal ?? error.principal,
        cause: sanitizeCause(error.cause, held),
      },
    );
  }
  const detail =
    error instanceof Error ? error.message : typeof error === 'string' ? error : typeof error;
  return new WitboostAuthError(
    'token_source_failed',
    `access token source ${describe(description)} failed: ${clean(detail).slice(0, 500)}`,
    { principal, cause: sanitizeCause(error, held) },
  );
}
