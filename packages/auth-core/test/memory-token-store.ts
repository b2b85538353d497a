import type { TokenStore } from '@wb/auth-core';

/**
 * A TokenStore in memory with pub/sub, for unit tests of the shared cache. `mode` injects the
 * faults a real store has: calls that hang (a frozen server) or throw (a dead one).
 */
export function memoryTokenStore() {
  const entries = new Map<string, { value: string; until: number }>();
  const listeners = new Set<(message: string) => void>();
  const calls: string[] = [];
  const state = { mode: 'ok' as 'ok' | 'hang' | 'throw' };
  const live = (key: string) => {
    const entry = entries.get(key);
    if (entry === undefined || Date.now() >= entry.until) return undefined;
    return entry.value;
  };
  const gate = async (op: string) => {
    calls.push(op);
    if (state.mode === 'throw') throw new Error('connection refused');
    if (state.mode === 'hang') await new Promise(() => {});
  };
  const store: TokenStore = {
    async get(key) {
      await gate('get');
      return live(key);
    },
    async set(key, value, ttlMs) {
      await gate('set');
      entries.set(key, { value, until: Date.now() + ttlMs });
    },
    async setIfAbsent(key, value, ttlMs) {
      await gate('setIfAbsent');
      if (live(key) !== undefined) return false;
      entries.set(key, { value, until: Date.now() + ttlMs });
      return true;
    },
    async deleteIfEquals(key, value) {
      await gate('deleteIfEquals');
      if (live(key) !== value) return false;
      return entries.delete(key);
    },
    async publish(message) {
      await gate('publish');
      for (const listener of listeners) queueMicrotask(() => listener(message));
    },
    async subscribe(listener) {
      listeners.add(listener);
      return async () => {
        listeners.delete(listener);
      };
    },
  };
  return { store, entries, calls, state, listeners };
}
