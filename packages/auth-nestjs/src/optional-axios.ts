import type { WitboostAuth } from '@wb/auth-core';
import type { AxiosInstance } from 'axios';

/** Injection token of the service's axios instance (`null` without the optional axios peers). */
export const WITBOOST_AXIOS = Symbol('WITBOOST_AXIOS');

/**
 * `load()`, or `undefined` when the optional peer it imports (or one of its own dependencies)
 * is not installed: a fetch-only service installs only core and Nest.
 */
export async function importOptional<T>(load: () => Promise<T>): Promise<T | undefined> {
  try {
    return await load();
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return undefined;
    throw error;
  }
}

/** The service's axios instance, when `axios` and `@wb/auth-axios` are installed; else `null`. */
export async function createOptionalAxios(auth: WitboostAuth): Promise<AxiosInstance | null> {
  const adapter = await importOptional(() => import('@wb/auth-axios'));
  return adapter?.createWitboostAxios({ auth }) ?? null;
}
