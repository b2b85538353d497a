import type { AccessTokenSource } from '../types.js';

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
