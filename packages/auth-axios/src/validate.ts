import { type WitboostAuth, WitboostAuthError } from '@wb/auth-core';
import type { AxiosInstance } from 'axios';

/** Throws `invalid_options` unless `auth` looks like a `WitboostAuth` from `createWitboostAuth`. */
export function assertAuth(auth: unknown, where: string): asserts auth is WitboostAuth {
  const candidate = auth as Partial<WitboostAuth> | null | undefined;
  if (
    typeof candidate?.authorizationFor !== 'function' ||
    typeof candidate.invalidate !== 'function' ||
    typeof candidate.isWitboostUrl !== 'function'
  ) {
    throw new WitboostAuthError(
      'invalid_options',
      `@wb/auth-axios ${where}: auth must be a WitboostAuth from createWitboostAuth()`,
    );
  }
}

/** Throws `invalid_options` unless `instance` has axios interceptors. */
export function assertInstance(instance: unknown): asserts instance is AxiosInstance {
  const interceptors = (instance as Partial<AxiosInstance> | null | undefined)?.interceptors;
  if (
    typeof interceptors?.request?.use !== 'function' ||
    typeof interceptors.response?.use !== 'function'
  ) {
    throw new WitboostAuthError(
      'invalid_options',
      '@wb/auth-axios attachWitboostAuth: instance must be an axios instance (axios.create())',
    );
  }
}
