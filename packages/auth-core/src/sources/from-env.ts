import { WitboostAuthError } from '../errors.js';
import type { AccessTokenSource } from '../types.js';

/** The variable {@link fromEnv} reads by default. */
export const DEFAULT_ACCESS_TOKEN_ENV = 'WITBOOST_ACCESS_TOKEN';

const envSources = new WeakMap<AccessTokenSource, string>();

/**
 * An access token source reading an environment variable on every call, so a process that
 * updates `process.env` is picked up by the next exchange. Surrounding whitespace is ignored.
 *
 * @param name - The variable to read.
 * @default name `'WITBOOST_ACCESS_TOKEN'`
 * @returns A source whose description is `env <name>`.
 * @throws WitboostAuthError `invalid_options` when `name` is not a non-empty string;
 *   `getAccessToken()` rejects with `missing_access_token` (naming the variable) when it is unset or blank.
 *
 * @example
 * ```ts
 * import { createWitboostAuth, fromEnv } from '@wb/auth-core';
 * const auth = createWitboostAuth({ baseUrl: 'https://witboost.example.com', accessToken: fromEnv('WB_TOKEN') });
 * ```
 */
export function fromEnv(name: string = DEFAULT_ACCESS_TOKEN_ENV): AccessTokenSource {
  if (typeof name !== 'string' || name.trim() === '' || name.includes('=')) {
    throw new WitboostAuthError(
      'invalid_options',
      'fromEnv(name): name must be a non-empty environment variable name',
    );
  }
  const source: AccessTokenSource = {
    description: `env ${name}`,
    getAccessToken: async () => readEnvAccessToken(name),
  };
  envSources.set(source, name);
  return source;
}

/**
 * Reads and checks the variable now.
 * @throws WitboostAuthError `missing_access_token` naming the variable when unset or blank.
 */
export function readEnvAccessToken(name: string): string {
  const value = process.env[name];
  if (value === undefined) {
    throw new WitboostAuthError(
      'missing_access_token',
      `no access token: environment variable ${name} is not set`,
    );
  }
  const token = value.trim();
  if (token === '') {
    throw new WitboostAuthError(
      'missing_access_token',
      `no access token: environment variable ${name} is blank`,
    );
  }
  return token;
}

/** The variable a source made by {@link fromEnv} reads, or `undefined` for any other source. */
export function envVariableOf(source: AccessTokenSource): string | undefined {
  return envSources.get(source);
}
