import { type WitboostAuth, WitboostAuthError } from '@wb/auth-core';
import type { AxiosInstance } from 'axios';

const fail = (message: string): never => {
  throw new WitboostAuthError('invalid_options', `@wb/auth-axios ${message}`);
};
const hasFunctions = (value: unknown, names: string[]): boolean =>
  names.every((name) => typeof (value as Record<string, unknown> | null)?.[name] === 'function');

/** Throws `invalid_options` unless `auth` looks like a `WitboostAuth` from `createWitboostAuth`. */
export function assertAuth(auth: unknown, where: string): asserts auth is WitboostAuth {
  if (!hasFunctions(auth, ['authorizationFor', 'invalidate', 'isWitboostUrl'])) {
    fail(`${where}: auth must be a WitboostAuth from createWitboostAuth()`);
  }
}

/** Throws `invalid_options` unless `instance` has axios interceptors. */
export function assertInstance(instance: unknown): asserts instance is AxiosInstance {
  const { request, response } = (instance as Partial<AxiosInstance> | null)?.interceptors ?? {};
  if (!hasFunctions(request, ['use']) || !hasFunctions(response, ['use'])) {
    fail('attachWitboostAuth: instance must be an axios instance (axios.create())');
  }
}
