import type { RefreshOptions, WitboostAuthOptions } from '@wb/auth-core';
import type { WitboostMock } from '@wb/witboost-mock';
import type { LeakCapture } from './capture.js';
import { type BurstRecord, startFaultDriver } from './fault-driver.js';
import type { Random } from './random.js';

/** What the loops call: the catalog (default scope) or CG validate (CG scope). */
export type Target = 'catalog' | 'validate';

/** JWT lifetime asked of the emulator. */
export const LIFETIME_SECONDS = 5;

/** Refresh tuning of the soak: several refreshes per soak, short backoff. */
export const SOAK_REFRESH = {
  refreshAtRatio: 0.1,
  jitterRatio: 0.1,
  initialBackoffMs: 50,
  // Not below the 1 s Retry-After the fault driver sends (see fault-driver.ts).
  maxBackoffMs: 1_000,
  exchangeTimeoutMs: 3_000,
} as const satisfies RefreshOptions;

/** Token slots a soak uses: the default scope (catalog) and the CG scope (validate). */
export const SLOTS = 2;

/** A request that did not succeed, with when it happened. */
export interface Failure {
  target: Target;
  atMs: number;
  error: unknown;
}

export interface SoakReport {
  requests: number;
  /** From the first warm-up request to the end of the loops. */
  windowMs: number;
  failures: Failure[];
  elapsedMs: number;
  bursts: readonly BurstRecord[];
  faultsQueued: number;
}

export interface SoakOptions {
  wb: WitboostMock;
  random: Random;
  loops: number;
  durationMs: number;
  /** One request through the adapter; rejects unless Witboost answered it successfully. */
  request(target: Target): Promise<void>;
}

/**
 * A request still pending after this long counts as hung (a caller must never hang). Generous,
 * because a loaded CI machine can make 50 concurrent loopback requests slow without anything
 * being wrong.
 */
const REQUEST_DEADLINE_MS = 20_000;

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`request still pending after ${ms} ms`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/**
 * Obtains the first tokens on a healthy emulator, then runs `loops` concurrent request loops for
 * `durationMs` while the fault driver breaks the exchange endpoint in bursts.
 */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const { wb, random, loops, durationMs, request } = options;
  const warmupAt = Date.now();
  // The guarantee starts once a valid token exists, for both scopes.
  await request('catalog');
  await request('validate');

  const startedAt = Date.now();
  const driver = startFaultDriver(wb, random);
  const failures: Failure[] = [];
  let requests = 0;

  const loop = async (index: number) => {
    for (let n = index; Date.now() - startedAt < durationMs; n++) {
      const target: Target = n % 2 === 0 ? 'catalog' : 'validate';
      requests++;
      try {
        await withDeadline(request(target), REQUEST_DEADLINE_MS);
      } catch (error) {
        failures.push({ target, atMs: Date.now() - startedAt, error });
      }
    }
  };
  await Promise.all(Array.from({ length: loops }, (_, index) => loop(index)));
  await driver.stop();
  return {
    requests,
    windowMs: Date.now() - warmupAt,
    failures,
    elapsedMs: Date.now() - startedAt,
    bursts: driver.bursts,
    faultsQueued: driver.faultsQueued,
  };
}

/**
 * The most exchanges a soak may cause. A successful exchange's token is not refreshed before
 * `refreshAtRatio × lifetime` (0.5 s), so per slot at most `floor(window / 0.5 s) + 1` successes,
 * where the window runs from the first warm-up exchange to the end; plus one exchange per
 * invalidation (a 401 on a token the server considers expired); failed exchanges are at most
 * the faults queued (each fault answers one exchange).
 */
export function exchangeBound(input: {
  windowMs: number;
  faultsQueued: number;
  invalidations: number;
}): { ok: number; failed: number; total: number } {
  const minRefreshGapMs = SOAK_REFRESH.refreshAtRatio * LIFETIME_SECONDS * 1000;
  const ok = SLOTS * (Math.floor(input.windowMs / minRefreshGapMs) + 1) + input.invalidations;
  return { ok, failed: input.faultsQueued, total: ok + input.faultsQueued };
}

/**
 * A `fetch` for core that records every JWT the exchange hands out, so the leak hunt knows the
 * exact secrets to look for besides the JWT pattern.
 */
export function sniffingFetch(capture: LeakCapture): typeof globalThis.fetch {
  return async (input, init) => {
    const response = await globalThis.fetch(input, init);
    const url = input instanceof Request ? input.url : String(input);
    if (url.endsWith('/api/auth/access-tokens/jwt') && response.status === 200) {
      try {
        const body = (await response.clone().json()) as { jwt?: unknown };
        if (typeof body.jwt === 'string') capture.secret(body.jwt);
      } catch {
        // A malformed body (a bad-input case) holds no JWT to remember.
      }
    }
    return response;
  };
}

/** Core options every soaked adapter gets. */
export function soakAuthOptions(
  wb: WitboostMock,
  accessToken: string,
  capture: LeakCapture,
): WitboostAuthOptions {
  return {
    baseUrl: wb.url,
    accessToken,
    durationSeconds: LIFETIME_SECONDS,
    refresh: { ...SOAK_REFRESH },
    fetch: sniffingFetch(capture),
    logger: capture.logger,
    onEvent: capture.onEvent,
  };
}

/** Throws unless the response is a 200 with the expected body. */
export async function expectOk(target: Target, status: number, body: unknown): Promise<void> {
  const shapeOk =
    target === 'catalog'
      ? Array.isArray(body) && body.length > 0
      : typeof body === 'object' && body !== null && 'satisfiesPolicy' in body;
  if (status !== 200 || !shapeOk) {
    throw new Error(`${target}: HTTP ${status} ${JSON.stringify(body)?.slice(0, 300)}`);
  }
}

/** The CG request body every adapter sends. */
export const VALIDATE_BODY = { policy: 'require-owner', resource: { owner: 'group:finance' } };
