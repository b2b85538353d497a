import { createWitboostAuthWith } from '../../src/create-witboost-auth.js';
import { REFRESH_DEFAULTS } from '../../src/options.js';
import { withFreshRead } from '../../src/sources/resolve-source.js';
import type { AccessTokenSource, WitboostAuthEvent } from '../../src/types.js';
import { VirtualClock } from './virtual-clock.js';

/** One generated world: a token lifetime, a link, faults, clocks, rotations, callers, a close. */
export interface Scenario {
  lifetimeSeconds: number;
  /** Exchange latency: `baseMs × u^(−1/tail)` (Pareto, heavy-tailed), capped at `maxMs`. */
  latency: { baseMs: number; tail: number; maxMs: number };
  /** Both server clocks off by this much. */
  skewSeconds: number;
  /** The JWT has no `iat` and the HTTP front's `Date` is hours ahead of the signer (exp < Date). */
  disagreeingClocks: boolean;
  faults: Array<{
    kind: 'outage' | 'drop' | 'rate_limit' | 'reject';
    /** Start, as a fraction of the run. */
    at: number;
    lengthMs: number;
    retryAfterSeconds: number;
  }>;
  /** Fractions of the run at which the secret store hands out a new access token. */
  rotations: number[];
  /** How long the source caches a read (a fresh read after a rejection skips it). */
  sourceCacheMs: number;
  /** Fractions of the run at which a caller arrives (scope chosen by index). */
  calls: number[];
  bursts: Array<{ at: number; size: number }>;
  /** Fractions at which a burst of API 401s invalidates the header just handed out. */
  invalidations: number[];
  /** A steady stream of callers (every `periodMs` for `count` calls) from a fraction of the run. */
  stream: { at: number; periodMs: number; count: number } | undefined;
  keepWarm: boolean;
  closeAt: number | undefined;
  scopes: 1 | 2;
  seed: number;
}

const T0 = Date.parse('2030-01-01T00:00:00Z');
const CG = 'service:computational-governance';
const TRAVEL_MS = REFRESH_DEFAULTS.expiryMarginMs;
const CEILING_MS = REFRESH_DEFAULTS.maxBackoffMs;
const MAX_WAIT_MS = REFRESH_DEFAULTS.maxWaitMs;
const TIMEOUT_MS = REFRESH_DEFAULTS.exchangeTimeoutMs;

interface Issued {
  trueExpiry: number;
}

interface Request {
  key: string;
  at: number;
  outcome: 'ok' | 'retryable' | 'rejected' | 'aborted';
}

/** Deterministic random numbers for the scripted world (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A Response as far as the exchange reads one: status, headers, a one-chunk body. */
function answer(status: number, body: unknown, headers: Record<string, string>): Response {
  const bytes = Buffer.from(JSON.stringify(body));
  let read = false;
  const stream = {
    getReader: () => ({
      read: () => {
        const done = read;
        read = true;
        return Promise.resolve(
          done ? { done: true, value: undefined } : { done: false, value: bytes },
        );
      },
      cancel: () => Promise.resolve(),
    }),
    cancel: () => Promise.resolve(),
  };
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    status,
    headers: { get: (name: string) => lower[name.toLowerCase()] ?? null },
    body: stream,
  } as unknown as Response;
}

/** Runs one scenario in virtual time; returns the broken invariants (empty: all held). */
export async function runScenario(s: Scenario): Promise<string[]> {
  const violations: string[] = [];
  const fail = (message: string) => {
    if (violations.length < 5) violations.push(message);
  };
  const clock = new VirtualClock(T0);
  const random = prng(s.seed);
  const lifetimeMs = s.lifetimeSeconds * 1000;
  const runMs = Math.max(3 * lifetimeMs, 180_000);
  const at = (fraction: number) => T0 + Math.floor(fraction * runMs);
  const faults = s.faults.map((f) => ({ ...f, start: at(f.at), end: at(f.at) + f.lengthMs }));
  const faultAt = (t: number) => faults.find((f) => t >= f.start && t < f.end);

  // The secret store: rotates at the given times; the old token is revoked when it does.
  const rotations = s.rotations.map(at).sort((a, b) => a - b);
  const tokenAt = (t: number) => `wbat-sim${rotations.filter((r) => r <= t).length}`;
  let cached: { token: string; at: number } | undefined;
  const readNow = async () => {
    cached = { token: tokenAt(clock.now()), at: clock.now() };
    return cached.token;
  };
  const source: AccessTokenSource = withFreshRead(
    {
      description: 'sim secret store',
      getAccessToken: async () =>
        cached !== undefined && clock.now() - cached.at < s.sourceCacheMs
          ? cached.token
          : readNow(),
    },
    readNow,
  );

  // What the outside can know of the engine's tokens, from its events.
  const current = new Map<string | undefined, { deadline: number; refreshAt: number }>();
  let closedAt = Number.POSITIVE_INFINITY;
  const onEvent = (event: WitboostAuthEvent) => {
    if (event.type === 'exchange') {
      current.set(event.scope, { deadline: event.expiresAt, refreshAt: Number.POSITIVE_INFINITY });
    } else if (event.type === 'refresh_scheduled') {
      const token = current.get(event.scope);
      if (token !== undefined) token.refreshAt = event.refreshAt;
    } else if (event.type === 'invalidated') current.delete(event.scope);
  };
  // No exchange starts while a token before its refresh point exists (the per-lifetime bound).
  const early = (scope: string | undefined, t: number) => {
    const token = current.get(scope);
    return token !== undefined && t < token.refreshAt && t < token.deadline;
  };
  // The scripted exchange endpoint.
  const issued = new Map<string, Issued>();
  const inFlight = new Map<string, number>();
  const requests: Request[] = [];
  let jwtSeq = 0;
  let latencyMax = 0;
  const fetch = (_url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const body = JSON.parse(String(init?.body)) as {
      access_token: string;
      duration_seconds: number;
      scope?: string;
    };
    const key = `${body.access_token} ${body.scope ?? ''}`;
    const receivedAt = clock.now();
    const count = (inFlight.get(key) ?? 0) + 1;
    inFlight.set(key, count);
    if (count > 1)
      fail(`two exchanges in flight for one (access token, scope) at ${receivedAt - T0}`);
    if (early(body.scope, receivedAt))
      fail(`exchange at ${receivedAt - T0} before the refresh point`);
    const request: Request = { key, at: receivedAt, outcome: 'aborted' };
    requests.push(request);
    const u = Math.max(random(), 1e-9);
    const latency = Math.min(
      s.latency.maxMs,
      Math.floor(s.latency.baseMs * u ** (-1 / s.latency.tail)),
    );
    latencyMax = Math.max(latencyMax, latency);
    const fault = faultAt(receivedAt);
    const revoked = body.access_token !== tokenAt(receivedAt);
    return new Promise<Response>((resolve, reject) => {
      const done = () => inFlight.set(key, (inFlight.get(key) ?? 1) - 1);
      const respond = () => {
        done();
        if (revoked || fault?.kind === 'reject') {
          request.outcome = 'rejected';
          resolve(answer(401, { error: { message: 'unknown token' } }, {}));
        } else if (fault?.kind === 'outage') {
          request.outcome = 'retryable';
          resolve(answer(503, { message: 'down' }, {}));
        } else if (fault?.kind === 'rate_limit') {
          request.outcome = 'retryable';
          resolve(answer(429, {}, { 'retry-after': String(fault.retryAfterSeconds) }));
        } else {
          request.outcome = 'ok';
          const signerNow = receivedAt + s.skewSeconds * 1000;
          const iat = Math.floor(signerNow / 1000);
          const exp = iat + body.duration_seconds;
          const claims: Record<string, unknown> = { sub: 'sim', exp, n: ++jwtSeq };
          if (!s.disagreeingClocks) claims.iat = iat;
          if (body.scope !== undefined) claims.scope = body.scope;
          const jwt = `${b64url({ alg: 'RS256' })}.${b64url(claims)}.c2ln`;
          issued.set(jwt, { trueExpiry: receivedAt + (exp * 1000 - signerNow) });
          const front = signerNow + (s.disagreeingClocks ? 6 * 3_600_000 : 0);
          resolve(answer(200, { jwt }, { date: new Date(front).toUTCString() }));
        }
      };
      if (fault?.kind === 'drop') {
        request.outcome = 'retryable';
      } else {
        const timer = clock.setTimeout(respond, latency);
        init?.signal?.addEventListener('abort', () => clock.clearTimeout(timer), { once: true });
      }
      init?.signal?.addEventListener(
        'abort',
        () => {
          done();
          reject(new DOMException('aborted', 'AbortError'));
        },
        { once: true },
      );
    });
  };

  const auth = createWitboostAuthWith(
    {
      baseUrl: 'https://witboost.example.com',
      accessToken: source,
      durationSeconds: s.lifetimeSeconds,
      fetch: fetch as typeof globalThis.fetch,
      keepWarm: s.keepWarm,
      onEvent,
    },
    clock,
    random,
  );

  const outcomes: Array<{ startedAt: number; ok: boolean }> = [];
  let settledCalls = 0;
  let issuedCalls = 0;
  const lastHeader = new Map<string | undefined, string>();
  const call = (index: number) => {
    const scope = s.scopes === 2 && index % 2 === 1 ? CG : undefined;
    const startedAt = clock.now();
    const token = current.get(scope);
    const servable = token !== undefined && startedAt < token.deadline && startedAt < closedAt;
    issuedCalls++;
    let settledAt: number | undefined;
    const promise =
      index % 3 === 0
        ? auth.getToken(scope === undefined ? undefined : { scope }).then((jwt) => `Bearer ${jwt}`)
        : auth.authorizationFor(
            scope === undefined
              ? '/api/catalog/entities'
              : '/api/computational-governance/validate',
          );
    promise.then(
      (header) => {
        settledAt = clock.now();
        settledCalls++;
        const jwt = String(header).slice('Bearer '.length);
        const info = issued.get(jwt);
        if (info === undefined) fail('handed out a token the endpoint never issued');
        else if (settledAt >= info.trueExpiry - TRAVEL_MS) {
          fail(`handed out a token ${info.trueExpiry - settledAt} ms before its true expiry`);
        }
        if (settledAt >= closedAt) fail('handed out a token after close()');
        if (settledAt - startedAt > MAX_WAIT_MS + 1)
          fail(`a call waited ${settledAt - startedAt} ms`);
        if (servable && settledAt !== startedAt)
          fail('a call waited although a token was servable');
        lastHeader.set(scope, String(header));
        outcomes.push({ startedAt, ok: true });
      },
      (error: { code?: string; message?: string }) => {
        settledAt = clock.now();
        settledCalls++;
        if (servable) fail(`a call failed (${error.code}) although a token was servable`);
        if (settledAt - startedAt > MAX_WAIT_MS + 1)
          fail(`a call waited ${settledAt - startedAt} ms`);
        if (typeof error.code !== 'string') fail(`a call failed with a non-WitboostAuthError`);
        outcomes.push({ startedAt, ok: false });
      },
    );
  };

  let lastScheduled = T0;
  const schedule = (t: number, run: () => void) => {
    lastScheduled = Math.max(lastScheduled, t);
    clock.setTimeout(run, t - clock.now());
  };
  for (const [index, fraction] of s.calls.entries()) schedule(at(fraction), () => call(index));
  for (const burst of s.bursts) {
    schedule(at(burst.at), () => {
      for (let i = 0; i < burst.size; i++) call(i);
    });
  }
  const stream = s.stream;
  if (stream !== undefined) {
    for (let i = 0; i < stream.count; i++) {
      schedule(at(stream.at) + i * stream.periodMs, () => call(i));
    }
  }
  for (const fraction of s.invalidations) {
    schedule(at(fraction), () => {
      const header = lastHeader.get(undefined);
      if (header !== undefined) for (let i = 0; i < 20; i++) auth.invalidate(header);
    });
  }
  let closing: Promise<void> | undefined;
  if (s.closeAt !== undefined) {
    schedule(at(s.closeAt), () => {
      closedAt = clock.now();
      current.clear();
      closing = auth.close();
    });
  }

  // Recovery: calls well after the end of the last retryable fault succeed.
  const end = T0 + runMs;
  for (let t = T0; t < end; t = Math.min(end, t + Math.max(1000, Math.floor(lifetimeMs / 8)))) {
    await clock.runUntil(Math.min(end, t + Math.max(1000, Math.floor(lifetimeMs / 8))));
  }
  await clock.runUntil(Math.max(end, lastScheduled) + MAX_WAIT_MS + 2 * TIMEOUT_MS);
  if (settledCalls !== issuedCalls) fail(`${issuedCalls - settledCalls} calls never settled`);

  checkBackoff(requests, fail);
  checkRecovery(s, faults, outcomes, latencyMax, closedAt, end, fail);

  if (closing === undefined) closing = auth.close();
  await closing;
  await clock.runUntil(clock.now() + 1);
  if (clock.pending() !== 0) fail(`${clock.pending()} timers left after close()`);
  return violations;
}

/** Through an outage, once the ceiling is reached, attempts come at most one per ceiling. */
function checkBackoff(requests: Request[], fail: (message: string) => void): void {
  const byKey = new Map<string, Request[]>();
  for (const request of requests) {
    const list = byKey.get(request.key) ?? [];
    list.push(request);
    byKey.set(request.key, list);
  }
  for (const list of byKey.values()) {
    let stretch = 0;
    for (let i = 0; i + 1 < list.length; i++) {
      const request = list[i] as Request;
      stretch = request.outcome === 'retryable' || request.outcome === 'aborted' ? stretch + 1 : 0;
      const gap = (list[i + 1] as Request).at - request.at;
      // Failures 1..6 grow the ceiling from 500 ms; from the 7th on, one per 30 s.
      if (stretch >= 7 && gap < CEILING_MS) {
        fail(`two attempts ${gap} ms apart in an outage (failure ${stretch})`);
      }
    }
  }
}

/** After the last retryable fault ends, a caller gets a token within one ceiling (+ latency). */
function checkRecovery(
  s: Scenario,
  faults: Array<{ kind: string; start: number; end: number; retryAfterSeconds: number }>,
  outcomes: Array<{ startedAt: number; ok: boolean }>,
  latencyMax: number,
  closedAt: number,
  end: number,
  fail: (message: string) => void,
): void {
  if (faults.length === 0 || latencyMax >= TIMEOUT_MS) return;
  if (faults.some((f) => f.kind === 'reject') || s.rotations.length > 0) return;
  // A lifetime the link cannot serve is an error by design, not an outage.
  if (s.lifetimeSeconds * 1000 - 1000 - TRAVEL_MS <= 4 * latencyMax + 200) return;
  const lastEnd = Math.max(...faults.map((f) => f.end));
  const retryAfter = Math.max(
    0,
    ...faults.map((f) => (f.kind === 'rate_limit' ? f.retryAfterSeconds * 1000 : 0)),
  );
  const by = lastEnd + Math.max(CEILING_MS, retryAfter) + latencyMax + 1;
  for (const outcome of outcomes) {
    if (outcome.startedAt < by || outcome.startedAt >= Math.min(end, closedAt)) continue;
    if (!outcome.ok) {
      fail(`a call ${outcome.startedAt - lastEnd} ms after the outage ended still failed`);
      return;
    }
  }
}
