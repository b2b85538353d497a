import type { Principal, WitboostAuth } from '@wb/auth-core';

export interface IdentityCounter {
  /** Caller identities created and not yet closed. */
  readonly live: number;
  readonly created: number;
  readonly peak: number;
}

/**
 * Wraps a service `WitboostAuth` so every caller identity derived from it
 * (`withAccessToken`) is counted until it is closed: the entries a cache of identities really
 * holds, observed from outside, whatever the adapter exposes.
 */
export function countingAuth(auth: WitboostAuth): { auth: WitboostAuth; counter: IdentityCounter } {
  const counter = { live: 0, created: 0, peak: 0 };
  const withAccessToken = (
    token: Parameters<WitboostAuth['withAccessToken']>[0],
    principal?: Principal,
  ) => {
    const child = auth.withAccessToken(token, principal);
    counter.live++;
    counter.created++;
    counter.peak = Math.max(counter.peak, counter.live);
    let closed = false;
    const close = () => {
      if (!closed) {
        closed = true;
        counter.live--;
      }
      return child.close();
    };
    return new Proxy(child, {
      get(target, key) {
        if (key === 'close') return close;
        const value: unknown = Reflect.get(target, key, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  };
  const wrapped = new Proxy(auth, {
    get(target, key) {
      if (key === 'withAccessToken') return withAccessToken;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { auth: wrapped, counter };
}
