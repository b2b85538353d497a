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
 * The `accessToken` option as a source, checked as far as it can be now, so a bad configuration
 * fails at construction (an unset `WITBOOST_ACCESS_TOKEN` included).
 */
export function toAccessTokenSource(
  value: string | AccessTokenSource | undefined,
  principal: Principal,
): AccessTokenSource {
  const source = value === undefined ? fromEnv() : value;
  if (typeof source === 'string') return constantSource(source, principal);
  if (
    typeof source !== 'object' ||
    source === null ||
    typeof (source as Partial<AccessTokenSource>).getAccessToken !== 'function'
  ) {
    throw new WitboostAuthError(
      'invalid_options',
      `accessToken must be a string or an AccessTokenSource with a getAccessToken() function, got ${source === null ? 'null' : typeof source}`,
      { principal },
    );
  }
  const variable = envVariableOf(source);
  if (variable !== undefined) {
    try {
      readEnvAccessToken(variable);
    } catch (error) {
      throw wrapSourceError(error, source.description, principal);
    }
  }
  if (typeof source.description !== 'string' || source.description.trim() === '') {
    // A hand-written source without a description still deserves readable errors.
    return {
      description: 'custom access token source',
      getAccessToken: () => source.getAccessToken(),
      ...(source.close === undefined ? {} : { close: () => source.close?.() }),
    };
  }
  return source;
}

/**
 * The source's token, checked; `fresh` reads past the source's own cache (after a rejection).
 * A failure is redacted of `held`, the access tokens this source gave before.
 */
export async function readAccessToken(
  source: AccessTokenSource,
  principal: Principal,
  fresh = false,
  held: readonly string[] = [],
): Promise<string> {
  let value: unknown;
  try {
    const own = freshReaders.get(source);
    const read = fresh || own?.always === true ? own?.read : undefined;
    value = await (read === undefined ? source.getAccessToken() : read());
  } catch (error) {
    throw wrapSourceError(error, source.description, principal, held);
  }
  return checkSourceValue(value, source.description, principal);
}

// How our own sources read past their caches (fromFile's check interval, fromFunction's cacheMs);
// `always`: on every read the instance makes, not only after a rejection.
const freshReaders = new WeakMap<
  AccessTokenSource,
  { read: () => Promise<string>; always: boolean }
>();

export function withFreshRead<T extends AccessTokenSource>(
  source: T,
  read: () => Promise<string>,
  always = false,
): T {
  freshReaders.set(source, { read, always });
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
 * The token in a private field: nothing enumerable or inspectable holds it, and a caller identity
 * pays for one small object, not three closures.
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
