import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WitboostAuthEvent } from '../types.js';
import { createCircuitBreaker } from './circuit-breaker.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('the store circuit breaker', () => {
  it('opens once, probes one call at a time after the cooldown, and closes once', () => {
    const events: WitboostAuthEvent[] = [];
    const breaker = createCircuitBreaker((e) => events.push(e), {
      threshold: 3,
      failureShare: 0.25,
      cooldownMs: 1_000,
      maxCooldownMs: 8_000,
    });
    for (let i = 0; i < 10; i++) breaker.record(breaker.permit(), false, 'timeout after 150 ms');
    expect(events.map((e) => e.type === 'store_state' && e.state)).toEqual(['unavailable']);
    expect(breaker.permit()).toBeUndefined();
    vi.advanceTimersByTime(1_000);
    expect(breaker.wouldPermit()).toBe(true);
    const probe = breaker.permit();
    expect(probe).toBe('probe');
    expect(breaker.permit()).toBeUndefined(); // one probe at a time
    breaker.record(probe, false, 'timeout');
    vi.advanceTimersByTime(1_000);
    expect(breaker.permit()).toBeUndefined(); // the cooldown doubled
    vi.advanceTimersByTime(1_000);
    breaker.record(breaker.permit(), true, '');
    expect(events.map((e) => e.type === 'store_state' && e.state)).toEqual([
      'unavailable',
      'available',
    ]);
    expect(breaker.permit()).toBe('call');
  });

  it('opens for a store that answers reads but fails every write', () => {
    const events: WitboostAuthEvent[] = [];
    const breaker = createCircuitBreaker((e) => events.push(e));
    for (let i = 0; i < 6; i++) {
      breaker.record(breaker.permit(), true, '');
      breaker.record(breaker.permit(), false, 'error ErrorReply');
    }
    expect(events).toHaveLength(1);
    expect(JSON.stringify(events[0])).toContain('ErrorReply');
  });

  it('stays closed for a few timeouts at the tail of a burst of good calls, opens when they dominate', () => {
    const events: WitboostAuthEvent[] = [];
    const breaker = createCircuitBreaker((e) => events.push(e));
    for (let i = 0; i < 300; i++) breaker.record(breaker.permit(), true, '');
    // A cold start on a busy machine: the last calls of the burst time out.
    for (let i = 0; i < 7; i++) breaker.record(breaker.permit(), false, 'timeout after 450 ms');
    expect(breaker.isClosed()).toBe(true);
    expect(events).toHaveLength(0);
    // The store really is gone: every call fails, and the circuit opens once.
    for (let i = 0; i < 10; i++) breaker.record(breaker.permit(), false, 'timeout after 150 ms');
    expect(breaker.isClosed()).toBe(false);
    expect(events).toHaveLength(1);
  });
});
