import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../exchange-errors.js';
import { REFRESH_DEFAULTS } from '../options.js';
import {
  type Backoff,
  NO_BACKOFF,
  nextBackoff,
  observeLatency,
  tokenTimes,
} from './retry-policy.js';

const refresh = { ...REFRESH_DEFAULTS };

/** The attempt times of `failures` failures in a row, each failing `latencyMs` after it starts. */
function attempts(failures: number, random: () => number, latencyMs = 0, retryAfterMs?: number) {
  const times = [0];
  let backoff: Backoff = NO_BACKOFF;
  for (let i = 0; i < failures; i++) {
    const started = times.at(-1) ?? 0;
    backoff = nextBackoff(backoff, started, started + latencyMs, retryAfterMs, refresh, random);
    times.push(backoff.nextAttemptAt);
  }
  return times;
}

describe('nextBackoff', () => {
  it('uses full jitter while the ceiling grows', () => {
    expect(attempts(4, () => 0)).toEqual([0, 0, 0, 0, 0]);
    expect(attempts(4, () => 0.5)).toEqual([0, 250, 750, 1750, 3750]);
    expect(attempts(3, () => 0.999_999)).toEqual([0, 499, 1498, 3497]);
  });

  it('then makes exactly one attempt per ceiling, whatever the draws and the latency', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 48_271) % 2_147_483_647;
      return seed / 2_147_483_647;
    };
    for (const latency of [0, 900, 29_000, 45_000]) {
      const times = attempts(400, random, latency);
      // Failures 1..6 grow the ceiling (500 ms … 16 s); from the 7th on it is 30 s.
      for (let i = 7; i + 1 < times.length; i++) {
        expect((times[i + 1] ?? 0) - (times[i] ?? 0)).toBe(Math.max(30_000, latency));
      }
    }
  });

  it('never retries before Retry-After, and counts failures', () => {
    const backoff = nextBackoff(NO_BACKOFF, 900, 1000, 7000, refresh, () => 0.5);
    expect(backoff).toEqual({ failures: 1, nextAttemptAt: 8000 });
    expect(attempts(1, () => 0.5, 0, 120_000)).toEqual([0, 120_000]);
  });
});

describe('tokenTimes', () => {
  const latency = observeLatency(undefined, 100);

  it('cuts the deadline by the claims rounding and the travel allowance only', () => {
    const times = tokenTimes(0, 100, 300_000, latency, refresh, () => 0);
    expect(times).toEqual({ refreshAt: 150_000, deadline: 298_500 });
  });

  it('refreshes early enough for the observed latency, or halfway through what is left', () => {
    const slow = observeLatency(undefined, 2_000); // lead: 2 s + 4 × 1 s
    expect(tokenTimes(0, 2_000, 10_000, slow, refresh, () => 0.9)).toEqual({
      refreshAt: 5_250, // min(planned 6.8 s, max(8.5 s − 6 s, 2 s + 3.25 s))
      deadline: 8_500,
    });
    expect(tokenTimes(0, 2_000, 2_000, slow, refresh, () => 0)).toBeUndefined();
  });

  it('keeps the refresh point before the deadline for lifetimes of 1 s to 24 h', () => {
    for (const seconds of [2, 3, 5, 30, 300, 3600, 86_400]) {
      const times = tokenTimes(0, 10, seconds * 1000, latency, refresh, () => 0.999);
      expect(times?.refreshAt).toBeLessThan(times?.deadline ?? 0);
      expect(times?.refreshAt).toBeGreaterThanOrEqual(10);
    }
    expect(tokenTimes(0, 10, 1000, latency, refresh, () => 0)).toBeUndefined();
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
