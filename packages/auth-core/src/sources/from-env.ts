import { invalidOption, WitboostAuthError } from '../errors.js';
import type { AccessTokenSource } from '../types.js';

const envSources = new WeakMap<AccessTokenSource, string>();

/**
 * An access token source reading an environment variable at every call, so a change to
 * `process.env` is picked up by the next exchange.
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
export function fromEnv(name = 'WITBOOST_ACCESS_TOKEN'): AccessTokenSource {
  if (typeof name !== 'string' || name.trim() === '' || name.includes('=')) {
    invalidOption('fromEnv(name): name must be a non-empty environment variable name');
  }
  const source: AccessTokenSource = {
    description: `env ${name}`,
    getAccessToken: async () => readEnvAccessToken(name),
  };
  envSources.set(source, name);
  return source;
}

export function readEnvAccessToken(name: string): string {
  const token = process.env[name]?.trim();
  if (token === undefined || token === '') {
    const why = token === undefined ? 'is not set' : 'is blank';
    throw new WitboostAuthError(
      'missing_access_token',
      `no access token: environment variable ${name} ${why}`,
    );
  }
  return token;
}

export function envVariableOf(source: AccessTokenSource): string | undefined {
  return envSources.get(source);
}
