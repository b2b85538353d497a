import { PACKAGE_NAME } from './constants.js';
import type { ExchangeFailure, WitboostMockFaults } from './types.js';

export type ExchangeFault = { kind: 'fail'; failure: ExchangeFailure } | { kind: 'drop' };

/** Fault state as the request handlers read it. */
export interface FaultState {
  readonly api: WitboostMockFaults;
  /** Takes the next queued exchange fault, if any. */
  takeExchangeFault(): ExchangeFault | undefined;
  readonly latencyMs: number;
  readonly clockSkewSeconds: number;
  isRejected(jwt: string): boolean;
  /** A secret-free summary for the admin API. */
  describe(): { pendingExchangeFaults: number; latencyMs: number; clockSkewSeconds: number };
}

function assertCount(name: string, count: number): void {
  if (!Number.isInteger(count) || count < 0) {
    throw new TypeError(`[${PACKAGE_NAME}] ${name}: count must be an integer >= 0`);
  }
}

function validateFailure(failure: ExchangeFailure): ExchangeFailure {
  if (typeof failure !== 'object' || failure === null) {
    throw new TypeError(`[${PACKAGE_NAME}] failNextExchanges: options must be an object`);
  }
  const { status, retryAfterSeconds, headers } = failure;
  if (!Number.isInteger(status) || status < 200 || status > 599) {
    throw new TypeError(`[${PACKAGE_NAME}] failNextExchanges: status must be an integer 200-599`);
  }
  if (
    retryAfterSeconds !== undefined &&
    (!Number.isInteger(retryAfterSeconds) || retryAfterSeconds < 0)
  ) {
    throw new TypeError(
      `[${PACKAGE_NAME}] failNextExchanges: retryAfterSeconds must be an integer >= 0`,
    );
  }
  if (
    headers !== undefined &&
    (typeof headers !== 'object' ||
      headers === null ||
      Object.values(headers).some((value) => typeof value !== 'string'))
  ) {
    throw new TypeError(`[${PACKAGE_NAME}] failNextExchanges: headers must map names to strings`);
  }
  return { ...failure };
}

/** Holds the injected faults of one emulator. */
export function createFaults(): FaultState {
  let queue: ExchangeFault[] = [];
  let latencyMs = 0;
  let clockSkewSeconds = 0;
  const rejected = new Set<string>();

  const api: WitboostMockFaults = {
    failNextExchanges(count, failure) {
      assertCount('failNextExchanges', count);
      const checked = validateFailure(failure);
      for (let i = 0; i < count; i += 1) queue.push({ kind: 'fail', failure: checked });
    },
    dropNextExchanges(count) {
      assertCount('dropNextExchanges', count);
      for (let i = 0; i < count; i += 1) queue.push({ kind: 'drop' });
    },
    setExchangeLatency(ms) {
      if (!Number.isFinite(ms) || ms < 0) {
        throw new TypeError(`[${PACKAGE_NAME}] setExchangeLatency: ms must be a number >= 0`);
      }
      latencyMs = ms;
    },
    setClockSkew(seconds) {
      if (!Number.isFinite(seconds)) {
        throw new TypeError(`[${PACKAGE_NAME}] setClockSkew: seconds must be a finite number`);
      }
      clockSkewSeconds = seconds;
    },
    rejectJwt(jwt) {
      if (typeof jwt !== 'string' || jwt === '') {
        throw new TypeError(`[${PACKAGE_NAME}] rejectJwt: jwt must be a non-empty string`);
      }
      rejected.add(jwt);
    },
    reset() {
      queue = [];
      latencyMs = 0;
      clockSkewSeconds = 0;
      rejected.clear();
    },
  };

  return {
    api,
    takeExchangeFault: () => queue.shift(),
    get latencyMs() {
      return latencyMs;
    },
    get clockSkewSeconds() {
      return clockSkewSeconds;
    },
    isRejected: (jwt) => rejected.has(jwt),
    describe: () => ({ pendingExchangeFaults: queue.length, latencyMs, clockSkewSeconds }),
  };
}
