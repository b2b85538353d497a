import { WitboostAuthError } from '../errors.js';
import { redactToken } from '../redact.js';
import type { AccessTokenSource, Principal } from '../types.js';
import { envVariableOf, fromEnv, readEnvAccessToken } from './from-env.js';
import {
  checkSourceValue,
  hasOnlyTokenChars,
  MAX_ACCESS_TOKEN_LENGTH,
  wrapSourceError,
} from './token-checks.js';

/**
 * Turns the `accessToken` option into a source, checking what can be checked now so a bad
 * configuration fails at construction: `undefined` reads `WITBOOST_ACCESS_TOKEN` (which must be
 * set now), a string becomes a constant source (blank → `missing_access_token`), an object must
 * have a `getAccessToken` function (else `invalid_options`).
 *
 * @param value - The `accessToken` option.
 * @param principal - Whom the token belongs to; carried by every error.
 * @returns A source; a string becomes a constant source that redacts itself when logged.
 * @throws WitboostAuthError `missing_access_token`, `invalid_access_token` or `invalid_options`.
 */
export function toAccessTokenSource(
  value: string | AccessTokenSource | undefined,
  principal: Principal,
): AccessTokenSource {
  if (value === undefined) return checkedEnvSource(fromEnv(), principal);
  if (typeof value === 'string') return constantSource(value, principal);
  if (
    typeof value !== 'object' ||
    value === null ||
    typeof (value as Partial<AccessTokenSource>).getAccessToken !== 'function'
  ) {
    throw new WitboostAuthError(
      'invalid_options',
      `accessToken must be a string or an AccessTokenSource with a getAccessToken() function, got ${value === null ? 'null' : typeof value}`,
      { principal },
    );
  }
  if (envVariableOf(value) !== undefined) return checkedEnvSource(value, principal);
  if (typeof value.description !== 'string' || value.description.trim() === '') {
    // A hand-written source without a description still deserves readable errors.
    return {
      description: 'custom access token source',
      getAccessToken: () => value.getAccessToken(),
      ...(value.close === undefined ? {} : { close: () => value.close?.() }),
    };
  }
  return value;
}

/**
 * Asks a source for the access token and checks the answer: a non-blank string of visible ASCII
 * characters, at most 4096 long. The value never appears in an error message.
 *
 * @param source - The source to call.
 * @param principal - Whom the token belongs to; set on every error.
 * @param fresh - Read past the source's own cache (after a rejection).
 * @returns The access token, trimmed.
 * @throws WitboostAuthError `missing_access_token` for a blank value, `token_source_failed` when
 *   the source throws (message redacted) or returns something that is not a token; a
 *   `WitboostAuthError` the source throws keeps its code.
 */
export async function readAccessToken(
  source: AccessTokenSource,
  principal: Principal,
  fresh = false,
): Promise<string> {
  let value: unknown;
  try {
    value = await (fresh ? readFresh(source) : source.getAccessToken());
  } catch (error) {
    throw wrapSourceError(error, source.description, principal);
  }
  return checkSourceValue(value, source.description, principal);
}

function checkedEnvSource(source: AccessTokenSource, principal: Principal): AccessTokenSource {
  const name = envVariableOf(source);
  if (name !== undefined) {
    try {
      readEnvAccessToken(name);
    } catch (error) {
      throw wrapSourceError(error, source.description, principal);
    }
  }
  return source;
}

function constantSource(value: string, principal: Principal): AccessTokenSource {
  const token = value.trim();
  if (token === '') {
    throw new WitboostAuthError('missing_access_token', 'accessToken is blank', { principal });
  }
  if (token.length > MAX_ACCESS_TOKEN_LENGTH || !hasOnlyTokenChars(token)) {
    throw new WitboostAuthError(
      'invalid_access_token',
      `accessToken must be at most ${MAX_ACCESS_TOKEN_LENGTH} visible ASCII characters (no whitespace or control characters)`,
      { principal },
    );
  }
  return new ConstantSource(token);
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * The `accessToken` option as a source. A class with the token in a private field: nothing
 * enumerable or inspectable holds it, and a caller identity pays for one small object, not
 * three closures. Logged, it says what it is rather than looking empty.
 */
class ConstantSource implements AccessTokenSource {
  readonly description = 'accessToken option';
  readonly #token: string;

  constructor(token: string) {
    this.#token = token;
  }

  getAccessToken(): Promise<string> {
    return Promise.resolve(this.#token);
  }

  toJSON(): object {
    return { description: this.description, accessToken: redactToken(this.#token) };
  }

  [INSPECT](): string {
    return `[AccessTokenSource constant ${redactToken(this.#token)}]`;
  }
}

/**
 * How our own sources read past their caches (fromFile's check interval, fromFunction's
 * `cacheMs`): after a rejection the next exchange must see a rotated secret at once.
 */
const freshReaders = new WeakMap<AccessTokenSource, () => Promise<string>>();

/** Registers the cache-bypassing read of `source`; returns `source`. */
export function withFreshRead<T extends AccessTokenSource>(
  source: T,
  read: () => Promise<string>,
): T {
  freshReaders.set(source, read);
  return source;
}

/** The access token now, past any cache the source keeps. */
export function readFresh(source: AccessTokenSource): Promise<string> {
  return freshReaders.get(source)?.() ?? source.getAccessToken();
}
