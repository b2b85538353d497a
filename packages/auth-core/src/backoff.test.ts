import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';
import { parseRetryAfter } from './retry-after.js';

describe('backoffDelay (full jitter)', () => {
  it('grows exponentially up to the cap, from 0 to the ceiling', () => {
    const top = () => 0.999_999;
    const ceilings = [0, 1, 2, 3, 4, 5, 6, 7, 10, 60].map((attempt) =>
      backoffDelay(attempt, 500, 30_000, undefined, top),
    );
    expect(ceilings).toEqual([499, 999, 1999, 3999, 7999, 15_999, 29_999, 29_999, 29_999, 29_999]);
    expect(backoffDelay(5, 500, 30_000, undefined, () => 0)).toBe(0);
    expect(backoffDelay(2, 500, 30_000, undefined, () => 0.5)).toBe(1000);
  });

  it('stays within [0, ceiling) for many random draws', () => {
    for (let attempt = 0; attempt < 8; attempt++) {
      const ceiling = Math.min(30_000, 500 * 2 ** attempt);
      for (let i = 0; i < 200; i++) {
        const delay = backoffDelay(attempt, 500, 30_000, undefined);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(ceiling);
      }
    }
  });

  it('never waits less than Retry-After', () => {
    expect(backoffDelay(0, 500, 30_000, 7000, () => 0.5)).toBe(7000);
    expect(backoffDelay(6, 500, 30_000, 100, () => 0.5)).toBe(15_000);
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates, ignores garbage', () => {
    const now = Date.parse('2030-01-01T00:00:00Z');
    expect(parseRetryAfter('5', now)).toBe(5000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Tue, 01 Jan 2030 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Mon, 31 Dec 2029 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('1.5', now)).toBeUndefined();
  });
});
