import { type WitboostAuth, WitboostAuthError } from '@wb/auth-core';
import type { AxiosInstance } from 'axios';

const hasMethods = (value: unknown, ...names: string[]): boolean =>
  names.every((name) => typeof (value as Record<string, unknown> | null)?.[name] === 'function');
const fail = (where: string, message: string): never => {
  throw new WitboostAuthError('invalid_options', `@wb/auth-axios ${where}: ${message}`);
};

/** Throws `invalid_options` unless `auth` looks like a `WitboostAuth` from `createWitboostAuth`. */
export function assertAuth(auth: unknown, where: string): asserts auth is WitboostAuth {
  if (!hasMethods(auth, 'authorizationFor', 'invalidate', 'isWitboostUrl')) {
    fail(where, 'auth must be a WitboostAuth from createWitboostAuth()');
  }
}

/** Throws `invalid_options` unless `instance` has axios interceptors. */
export function assertInstance(instance: unknown): asserts instance is AxiosInstance {
  const { request, response } = (instance as Partial<AxiosInstance> | null)?.interceptors ?? {};
  if (!hasMethods(request, 'use') || !hasMethods(response, 'use')) {
    fail('attachWitboostAuth', 'instance must be an axios instance (axios.create())');
  }
}
