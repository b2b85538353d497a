import { describe, expect, it } from 'vitest';
import type { WitboostAuthEvent } from '../types.js';
import { createAttentionClock } from './attention-clock.js';
import { BREAKER_DEFAULTS, createCircuitBreaker } from './circuit-breaker.js';
import { guardStore, STORE_UNAVAILABLE } from './guarded-store.js';
import type { TokenStore } from './token-store.js';

const busy = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end) {}
};

function guarded(get: TokenStore['get']) {
  const events: WitboostAuthEvent[] = [];
  const never = () => new Promise<never>(() => {});
  const store: TokenStore = { get, set: never, setIfAbsent: never, deleteIfEquals: never };
  const emit = (event: WitboostAuthEvent) => events.push(event);
  const breaker = createCircuitBreaker(emit, BREAKER_DEFAULTS);
  return { events, guard: guardStore(store, breaker, emit, 50, createAttentionClock()) };
}

describe('guardStore timeouts', () => {
  it('a store that answered while this process was busy has not timed out', async () => {
    // Sent on a later turn, as node-redis writes its pipeline from a setImmediate.
    const { guard, events } = guarded(
      () => new Promise((resolve) => setImmediate(() => setTimeout(resolve, 5, 'value'))),
    );
    const pending = guard.get('k');
    busy(300); // six timeouts of wall time, none of attention
    expect(await pending).toBe('value');
    expect(events).toContainEqual(expect.objectContaining({ type: 'store_call', outcome: 'hit' }));
  });

  it('a frozen store times out after about the timeout', async () => {
    const { guard, events } = guarded(() => new Promise(() => {}));
    const startedAt = performance.now();
    await expect(guard.get('k')).rejects.toBe(STORE_UNAVAILABLE);
    const waited = performance.now() - startedAt;
    expect(waited).toBeGreaterThanOrEqual(45);
    expect(waited).toBeLessThan(1_000);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'store_call', outcome: 'timeout' }),
    );
  });
});
