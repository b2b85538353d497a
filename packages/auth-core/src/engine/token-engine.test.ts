import {
  basicAuthorization,
  createWitboostAuth,
  fromFunction,
  type WitboostAuth,
  type WitboostAuthEvent,
  type WitboostAuthOptions,
} from '@wb/auth-core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ACCESS_TOKEN,
  type ExchangeCall,
  exchangeStub,
  expectNoSecret,
  hangingFetch,
  jsonResponse,
  jwtFor,
} from '../../test/helpers.js';

const T0 = Date.parse('2030-01-01T00:00:00Z');
const CG = 'service:computational-governance';
let instances: WitboostAuth[] = [];

function create(options: Partial<WitboostAuthOptions> = {}): WitboostAuth {
  const auth = createWitboostAuth({
    baseUrl: 'https://witboost.example.com',
    accessToken: ACCESS_TOKEN,
    ...options,
  });
  instances.push(auth);
  return auth;
}

/** Lets pending promise chains (fetch stubs, flights) settle on the fake clock. */
const settle = () => vi.advanceTimersByTimeAsync(0);
/** Moves the fake clock (and fires due timers) to T0 + ms. */
const at = (ms: number) => vi.advanceTimersByTimeAsync(T0 + ms - Date.now());
const failWith =
  (status: number, headers: Record<string, string> = {}) =>
  () =>
    jsonResponse(status, { error: { message: 'nope' } }, headers);

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T0);
});

afterEach(async () => {
  await Promise.all(instances.map((auth) => auth.close()));
  instances = [];
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('a busy event loop', () => {
  it('never trusts a late stale timer for more than a few calls', async () => {
    const stub = exchangeStub(undefined, 60);
    const auth = create({ fetch: stub.fetch, durationSeconds: 60 });
    const url = 'https://witboost.example.com/api/catalog/entities';
    const first = await auth.authorizationFor(url);
    // The clock jumps past expiry while no timer fires, as in a long synchronous task or a
    // microtask-only loop: the stale timer is late, the clock is not.
    vi.setSystemTime(T0 + 120_000);
    const headers: Array<string | undefined> = [];
    for (let i = 0; i < 40; i++) headers.push(await auth.authorizationFor(url));
    expect(stub.calls).toHaveLength(2);
    const stale = headers.filter((header) => header === first).length;
    expect(stale).toBeLessThan(32);
    expect(headers.at(-1)).not.toBe(first);
  });
});

describe('refresh point and jitter', () => {
  it.each([
    [0, 150_000],
    [0.999_999, 209_999],
  ])('random %f → background refresh from %i ms of a 300 s token', async (random, refreshAtMs) => {
    vi.spyOn(Math, 'random').mockReturnValue(random);
    const stub = exchangeStub();
    const auth = create({ fetch: stub.fetch });
    const first = await auth.getToken();

    await at(refreshAtMs - 1);
    expect(await auth.getToken()).toBe(first);
    await settle();
    expect(stub.calls).toHaveLength(1);

    await at(refreshAtMs + 1);
    // Past the refresh point: the current token at once, one refresh in the background.
    expect(await auth.getToken()).toBe(first);
    expect(await auth.getToken()).toBe(first);
    await settle();
    expect(stub.calls).toHaveLength(2);
    const second = await auth.getToken();
    expect(second).not.toBe(first);
    await settle();
    expect(stub.calls).toHaveLength(2);
  });

  it('announces the refresh point through refresh_scheduled', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const events: WitboostAuthEvent[] = [];
    const auth = create({ fetch: exchangeStub().fetch, onEvent: (e) => events.push(e) });
    await auth.getToken();
    expect(events).toContainEqual({
      type: 'refresh_scheduled',
      scope: undefined,
      refreshAt: T0 + 180_000,
    });
  });
});

describe('hand-out deadline', () => {
  it('serves a token until sentAt + lifetime − (1 s + 500 ms travel allowance), then waits for a new one', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    // First exchange succeeds, the background refresh is refused: the old token keeps serving.
    const stub = exchangeStub((_call, index) =>
      index === 1 ? failWith(401)() : jsonResponse(200, { jwt: jwtFor(300, { n: index }) }),
    );
    const auth = create({ fetch: stub.fetch });
    const first = await auth.getToken();
    await at(150_000);
    expect(await auth.getToken()).toBe(first);
    await settle();
    expect(stub.calls).toHaveLength(2);
    await at(298_499);
    expect(await auth.getToken()).toBe(first);
    await settle();
    expect(stub.calls).toHaveLength(2);
    await at(298_500);
    const next = await auth.getToken();
    expect(next).not.toBe(first);
    expect(stub.calls).toHaveLength(3);
  });

  it.each([
    [10, 8_500], // whole-second claims (1 s) + travel allowance (500 ms), whatever the lifetime
    [2, 500],
    [3600, 3_600_000 - 1_500],
  ])('a %i s token is handed out until %i ms', async (lifetime, usableMs) => {
    const events: WitboostAuthEvent[] = [];
    const auth = create({
      fetch: exchangeStub(undefined, lifetime).fetch,
      durationSeconds: lifetime,
      onEvent: (e) => events.push(e),
    });
    await auth.getToken();
    expect(events.find((e) => e.type === 'exchange')).toMatchObject({
      expiresAt: T0 + usableMs,
      lifetimeSeconds: lifetime,
    });
  });

  it('ignores server clock skew: a JWT issued three hours in the future lives its lifetime locally', async () => {
    for (const skew of [3 * 3600, -3 * 3600]) {
      vi.setSystemTime(T0);
      const stub = exchangeStub(() => jsonResponse(200, { jwt: jwtFor(300, {}, skew) }));
      const auth = create({ fetch: stub.fetch });
      const token = await auth.getToken();
      await at(140_000);
      expect(await auth.getToken()).toBe(token);
      await settle();
      expect(stub.calls).toHaveLength(1);
    }
  });
});

describe('single flight', () => {
  it('1000 concurrent callers on a cold cache cause exactly one exchange', async () => {
    const stub = exchangeStub();
    const auth = create({ fetch: stub.fetch });
    const tokens = await Promise.all(Array.from({ length: 1000 }, () => auth.getToken()));
    expect(stub.calls).toHaveLength(1);
    expect(new Set(tokens).size).toBe(1);
    const headers = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => auth.authorizationFor(`/api/catalog/entities?i=${i}`)),
    );
    expect(new Set(headers)).toEqual(new Set([`Bearer ${tokens[0]}`]));
    expect(stub.calls).toHaveLength(1);
  });

  it('1000 concurrent callers all get the one error', async () => {
    const stub = exchangeStub(failWith(401));
    const auth = create({ fetch: stub.fetch });
    const results = await Promise.allSettled(Array.from({ length: 1000 }, () => auth.getToken()));
    expect(stub.calls).toHaveLength(1);
    expect(
      results.every((r) => r.status === 'rejected' && r.reason.code === 'access_token_rejected'),
    ).toBe(true);
  });

  it('keeps one cache entry per scope', async () => {
    const stub = exchangeStub();
    const auth = create({ fetch: stub.fetch });
    await Promise.all([
      auth.getToken(),
      auth.getToken({ scope: CG }),
      auth.authorizationFor('/api/computational-governance/validate'),
      auth.authorizationFor('/api/catalog/entities'),
    ]);
    expect(stub.calls.map((c) => c.body.scope).sort()).toEqual([CG, undefined]);
  });

  it("a caller's abort detaches only that caller", async () => {
    let release: (r: Response) => void = () => {};
    const stub = exchangeStub(() => new Promise<Response>((resolve) => (release = resolve)));
    const auth = create({ fetch: stub.fetch });
    const controller = new AbortController();
    const aborted = auth.getToken({ signal: controller.signal }).catch((e: unknown) => e);
    const patient = auth.getToken();
    await settle();
    controller.abort();
    expect(await aborted).toMatchObject({ code: 'aborted' });
    release(jsonResponse(200, { jwt: jwtFor(300) }));
    await expect(patient).resolves.toMatch(/^eyJ/);
    expect(stub.calls).toHaveLength(1);
  });

  it('returns the very same promise on the warm path', async () => {
    const auth = create({ fetch: exchangeStub().fetch });
    await auth.authorizationFor('/api/x');
    expect(auth.authorizationFor('/api/x')).toBe(
      auth.authorizationFor(new URL('https://witboost.example.com/api/x')),
    );
    expect(auth.getToken()).toBe(auth.getToken());
    // The clock only now and then: on many VMs Date.now() costs more than the rest of the warm
    // path. 200 warm calls read it at most once per CLOCK_CHECK_INTERVAL (32) calls.
    const clock = vi.spyOn(Date, 'now');
    for (let i = 0; i < 100; i++) {
      void auth.authorizationFor('/api/x');
      void auth.getToken();
    }
    expect(clock.mock.calls.length).toBeGreaterThan(0);
    expect(clock.mock.calls.length).toBeLessThanOrEqual(Math.ceil(200 / 32));
  });
});

describe('invalidate', () => {
  it('drops only the current token (generation check) and a burst of 401s causes one exchange', async () => {
    const events: WitboostAuthEvent[] = [];
    const stub = exchangeStub((_call, index) =>
      jsonResponse(200, { jwt: jwtFor(300, { n: index }) }),
    );
    const auth = create({ fetch: stub.fetch, onEvent: (e) => events.push(e) });
    const h1 = await auth.authorizationFor('/api/x');
    expect(h1).toBeDefined();
    auth.invalidate(h1 as string);
    const burst = await Promise.all(
      Array.from({ length: 50 }, () => {
        auth.invalidate(h1 as string);
        return auth.authorizationFor('/api/x');
      }),
    );
    const h2 = burst[0];
    expect(new Set(burst)).toEqual(new Set([h2]));
    expect(h2).not.toBe(h1);
    expect(stub.calls).toHaveLength(2);
    auth.invalidate(h1 as string); // stale header: nothing happens
    auth.invalidate('Bearer something-else');
    expect(await auth.authorizationFor('/api/x')).toBe(h2);
    expect(stub.calls).toHaveLength(2);
    expect(events.filter((e) => e.type === 'invalidated')).toEqual([
      { type: 'invalidated', scope: undefined },
    ]);
  });

  it('finds the scope that holds the header', async () => {
    const stub = exchangeStub((call, index) =>
      jsonResponse(200, { jwt: jwtFor(300, { n: index, scope: call.body.scope }) }),
    );
    const auth = create({ fetch: stub.fetch });
    const plain = await auth.authorizationFor('/api/x');
    const cg = await auth.authorizationFor('/api/computational-governance/validate');
    auth.invalidate(cg as string);
    expect(await auth.authorizationFor('/api/x')).toBe(plain);
    expect(await auth.authorizationFor('/api/computational-governance/validate')).not.toBe(cg);
    expect(stub.calls.map((c) => c.body.scope)).toEqual([undefined, CG, CG]);
  });
});

describe('failures', () => {
  it.each([
    [400, 'exchange_bad_request'],
    [401, 'access_token_rejected'],
    [403, 'access_token_rejected'],
  ])(
    'HTTP %i fails fast with %s and no retry; the same token is not retried during the cooldown',
    async (status, code) => {
      const events: WitboostAuthEvent[] = [];
      const stub = exchangeStub(failWith(status));
      // 45 s: too short to halve on a 400 (that path is covered against the emulator).
      const auth = create({
        fetch: stub.fetch,
        durationSeconds: 45,
        onEvent: (e) => events.push(e),
      });
      const error = await auth.getToken().catch((e: unknown) => e);
      expect(error).toMatchObject({ code, status, principal: 'service' });
      expectNoSecret(error, [ACCESS_TOKEN]);
      await vi.advanceTimersByTimeAsync(4_000);
      expect(stub.calls).toHaveLength(1);
      await expect(auth.getToken()).rejects.toMatchObject({ code });
      expect(stub.calls).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1_000);
      await expect(auth.getToken()).rejects.toMatchObject({ code });
      expect(stub.calls).toHaveLength(2);
      const failed = events.filter((e) => e.type === 'exchange_failed');
      expect(failed).toHaveLength(2);
      expect(failed[0]).toMatchObject({ type: 'exchange_failed', code, status, background: false });
      expect(failed[0]).not.toHaveProperty('retryInMs');
    },
  );

  it('tries a rotated access token at once even during the rejection cooldown', async () => {
    let token = ACCESS_TOKEN;
    const stub = exchangeStub((call) =>
      call.body.access_token === ACCESS_TOKEN
        ? failWith(401)()
        : jsonResponse(200, { jwt: jwtFor(300) }),
    );
    const auth = create({ fetch: stub.fetch, accessToken: fromFunction(async () => token) });
    await expect(auth.getToken()).rejects.toMatchObject({ code: 'access_token_rejected' });
    token = 'wbat-ROTATEDtoken0123456789abcdefghijklm';
    await expect(auth.getToken()).resolves.toMatch(/^eyJ/);
    expect(stub.calls.map((c) => c.body.access_token)).toEqual([ACCESS_TOKEN, token]);
  });

  it('retries a waiting caller with exponential backoff and full jitter, at most maxAttempts', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const times: number[] = [];
    const stub = exchangeStub(() => {
      times.push(Date.now() - T0);
      return failWith(503)();
    });
    const auth = create({ fetch: stub.fetch });
    const waiters = Array.from({ length: 10 }, () => auth.getToken().catch((e: unknown) => e));
    await vi.advanceTimersByTimeAsync(10_000);
    const errors = await Promise.all(waiters);
    expect(times).toEqual([0, 250, 750]); // 0.5 × 500, 0.5 × 1000
    expect(errors.every((e) => (e as { code: string }).code === 'server_error')).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('succeeds when a retry succeeds', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const stub = exchangeStub((_c, index) =>
      index < 2 ? failWith(502)() : jsonResponse(200, { jwt: jwtFor(300) }),
    );
    const auth = create({ fetch: stub.fetch });
    const token = auth.getToken();
    await vi.advanceTimersByTimeAsync(10);
    await expect(token).resolves.toMatch(/^eyJ/);
    expect(stub.calls).toHaveLength(3);
  });

  it('honours Retry-After between attempts', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const times: number[] = [];
    const stub = exchangeStub((_c, index) => {
      times.push(Date.now() - T0);
      return index === 0
        ? failWith(429, { 'retry-after': '3' })()
        : jsonResponse(200, { jwt: jwtFor(300) });
    });
    const auth = create({ fetch: stub.fetch });
    const token = auth.getToken();
    await vi.advanceTimersByTimeAsync(2_999);
    expect(times).toEqual([0]);
    await vi.advanceTimersByTimeAsync(1);
    await expect(token).resolves.toMatch(/^eyJ/);
    expect(times).toEqual([0, 3000]);
  });

  it('fails at once with rate_limited when Retry-After exceeds maxBackoffMs, and respects it afterwards', async () => {
    const stub = exchangeStub(failWith(429, { 'retry-after': '120' }));
    const auth = create({ fetch: stub.fetch });
    await expect(auth.getToken()).rejects.toMatchObject({
      code: 'rate_limited',
      retryAfterMs: 120_000,
    });
    expect(stub.calls).toHaveLength(1);
    await at(60_000);
    await expect(auth.getToken()).rejects.toMatchObject({
      code: 'rate_limited',
      retryAfterMs: 60_000,
    });
    expect(stub.calls).toHaveLength(1);
    await at(120_000);
    await expect(auth.getToken()).rejects.toMatchObject({ code: 'rate_limited' });
    expect(stub.calls).toHaveLength(2);
  });

  it('keeps serving the valid token while the background refresh fails and retries', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const failed: WitboostAuthEvent[] = [];
    let outage = false;
    const stub = exchangeStub(() =>
      outage ? failWith(503)() : jsonResponse(200, { jwt: jwtFor(300) }),
    );
    const auth = create({
      fetch: stub.fetch,
      refresh: { initialBackoffMs: 1000, maxBackoffMs: 8000 },
      onEvent: (e) => {
        if (e.type === 'exchange_failed') failed.push(e);
      },
    });
    const first = await auth.getToken();
    outage = true;
    vi.spyOn(Math, 'random').mockReturnValue(0.99);
    await at(149_000);
    for (let t = 150_000; t < 298_500; t += 1000) {
      await vi.advanceTimersByTimeAsync(1000);
      expect(await auth.getToken()).toBe(first);
    }
    // Retries happened in the background, spaced by backoff (then one per 8 s ceiling), not one per call.
    expect(stub.calls.length).toBeGreaterThan(3);
    expect(stub.calls.length).toBeLessThan(25);
    expect(
      failed.every(
        (e) => e.type === 'exchange_failed' && e.background && e.retryInMs !== undefined,
      ),
    ).toBe(true);
    outage = false;
    // Recovery at the next attempt, within one backoff ceiling.
    await vi.advanceTimersByTimeAsync(8000);
    const next = await auth.getToken();
    expect(next).not.toBe(first);
  });

  it('stops the background refresh after a non-retryable error and fails once the token expires', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const stub = exchangeStub((_c, index) =>
      index === 0 ? jsonResponse(200, { jwt: jwtFor(300) }) : failWith(403)(),
    );
    const auth = create({ fetch: stub.fetch });
    const first = await auth.getToken();
    for (const t of [150_000, 200_000, 298_499]) {
      await at(t);
      expect(await auth.getToken()).toBe(first);
      await settle();
    }
    expect(stub.calls).toHaveLength(2);
    await at(298_500);
    await expect(auth.getToken()).rejects.toMatchObject({ code: 'access_token_rejected' });
    expect(stub.calls).toHaveLength(3);
  });

  it('times out a hanging exchange so no caller hangs', async () => {
    const fetch = hangingFetch();
    const auth = create({ fetch, refresh: { exchangeTimeoutMs: 1000, maxAttempts: 1 } });
    const result = auth.getToken().catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(999);
    expect(fetch).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(await result).toMatchObject({ code: 'timeout' });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('bounds a token source that never answers', async () => {
    const auth = create({
      fetch: exchangeStub().fetch,
      accessToken: fromFunction(() => new Promise<string>(() => {})),
      refresh: { exchangeTimeoutMs: 500 },
    });
    const result = auth.getToken().catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(500);
    expect(await result).toMatchObject({ code: 'token_source_failed' });
  });

  it('reports a source that throws as token_source_failed without leaking its message secrets', async () => {
    const auth = create({
      fetch: exchangeStub().fetch,
      accessToken: fromFunction(async () => {
        throw new Error(`vault said ${ACCESS_TOKEN}`);
      }),
    });
    const error = await auth.getToken().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'token_source_failed' });
    expectNoSecret(error, [ACCESS_TOKEN]);
  });
});

describe('close', () => {
  it('aborts in-flight exchanges, rejects waiters with closed, clears every timer', async () => {
    const source = {
      description: 'test source',
      getAccessToken: async () => ACCESS_TOKEN,
      close: vi.fn(),
    };
    const fetch = hangingFetch();
    const auth = create({ fetch, accessToken: source, keepWarm: true });
    const waiters = [auth.getToken(), auth.authorizationFor('/api/x')].map((p) =>
      p.catch((e: unknown) => e),
    );
    await settle();
    expect(vi.getTimerCount()).toBeGreaterThan(0);
    await auth.close();
    await auth.close();
    expect(await Promise.all(waiters)).toEqual([
      expect.objectContaining({ code: 'closed' }),
      expect.objectContaining({ code: 'closed' }),
    ]);
    expect(vi.getTimerCount()).toBe(0);
    expect(source.close).toHaveBeenCalledTimes(1);
    const signal = (fetch as unknown as { mock: { calls: [unknown, RequestInit][] } }).mock
      .calls[0]?.[1].signal;
    expect(signal?.aborted).toBe(true);
  });

  it('rejects or throws closed from every method afterwards', async () => {
    const auth = create({ fetch: exchangeStub().fetch });
    await auth.getToken();
    await auth[Symbol.asyncDispose]();
    await expect(auth.getToken()).rejects.toMatchObject({ code: 'closed' });
    await expect(auth.authorizationFor('/api/x')).rejects.toMatchObject({ code: 'closed' });
    await expect(auth.authorizationFor('https://elsewhere.example.com')).rejects.toMatchObject({
      code: 'closed',
    });
    await expect(auth.fetch('/api/x')).rejects.toMatchObject({ code: 'closed' });
    expect(() => auth.isWitboostUrl('/api/x')).toThrow(expect.objectContaining({ code: 'closed' }));
    expect(() => auth.scopeFor('/api/x')).toThrow(expect.objectContaining({ code: 'closed' }));
    expect(() => auth.withAccessToken(ACCESS_TOKEN)).toThrow(
      expect.objectContaining({ code: 'closed' }),
    );
  });

  it('clears backoff timers of a background retry', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.9);
    let outage = false;
    const stub = exchangeStub(() =>
      outage ? failWith(503)() : jsonResponse(200, { jwt: jwtFor(300) }),
    );
    const auth = create({ fetch: stub.fetch });
    await auth.getToken();
    outage = true;
    await at(250_000);
    await auth.getToken();
    await settle();
    expect(vi.getTimerCount()).toBe(1);
    await auth.close();
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('keepWarm', () => {
  it('exchanges at creation and refreshes an idle process at the refresh point', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const stub = exchangeStub();
    const auth = create({ fetch: stub.fetch, keepWarm: true });
    await settle();
    expect(stub.calls).toHaveLength(1);
    const first = await auth.getToken();
    expect(stub.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(150_000);
    expect(stub.calls).toHaveLength(2);
    expect(await auth.getToken()).not.toBe(first);
    await vi.advanceTimersByTimeAsync(150_000);
    expect(stub.calls).toHaveLength(3);
    await auth.close();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('only logs a failure, and tries again with backoff', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const warn = vi.fn();
    const logger = { debug: vi.fn(), info: vi.fn(), warn, error: vi.fn() };
    const times: number[] = [];
    const stub = exchangeStub((_c, index) => {
      times.push(Date.now() - T0);
      return index < 3 ? failWith(503)() : jsonResponse(200, { jwt: jwtFor(300) });
    });
    const auth = create({
      fetch: stub.fetch,
      keepWarm: true,
      logger,
      refresh: { maxBackoffMs: 1000, initialBackoffMs: 100 },
    });
    await vi.advanceTimersByTimeAsync(1000);
    // 0.5 × 100, 0.5 × 200, 0.5 × 400 after each failure.
    expect(times).toEqual([0, 50, 150, 350]);
    expect(warn).toHaveBeenCalledTimes(3);
    expect(logger.error).not.toHaveBeenCalled();
    await expect(auth.getToken()).resolves.toMatch(/^eyJ/);
    expect(stub.calls).toHaveLength(4);
  });

  it('is off for caller identities', async () => {
    const stub = exchangeStub();
    const auth = create({ fetch: stub.fetch, keepWarm: true });
    await settle();
    const caller = auth.withAccessToken('wbat-CALLERtoken0123456789abcdefghijklmn');
    instances.push(caller);
    await settle();
    expect(stub.calls).toHaveLength(1);
    expect(caller.principal).toBe('caller');
  });
});

describe('basic mode', () => {
  it('builds the header once per access token value, re-reading the source only after invalidate', async () => {
    const read = vi.fn(async () => ACCESS_TOKEN);
    const fetch = vi.fn();
    const auth = create({ mode: 'basic', fetch, accessToken: fromFunction(read) });
    const header = await auth.authorizationFor('/api/catalog/entities');
    expect(header).toBe(basicAuthorization(ACCESS_TOKEN));
    await auth.authorizationFor('/api/computational-governance/validate');
    expect(read).toHaveBeenCalledTimes(1);
    auth.invalidate(header as string);
    await auth.authorizationFor('/api/x');
    expect(read).toHaveBeenCalledTimes(2);
    expect(fetch).not.toHaveBeenCalled();
    await expect(auth.getToken()).rejects.toMatchObject({ code: 'invalid_options' });
  });
});

describe('basic mode recheck', () => {
  it('re-reads the source after 60 s: the caller gets the current header at once, the next one the rotated token', async () => {
    const rotated = 'wbat-ROTATEDaccessTOKEN0123456789abcdefgh';
    let current = ACCESS_TOKEN;
    const read = vi.fn(async () => current);
    const auth = create({ mode: 'basic', accessToken: fromFunction(read) });
    const url = '/api/catalog/entities';
    const first = auth.authorizationFor(url);
    await expect(first).resolves.toBe(basicAuthorization(ACCESS_TOKEN));
    const warm = auth.authorizationFor(url);
    await vi.advanceTimersByTimeAsync(30_000);
    // Same token at the first recheck: same header, same promise, one read.
    await vi.advanceTimersByTimeAsync(30_000);
    await expect(auth.authorizationFor(url)).resolves.toBe(basicAuthorization(ACCESS_TOKEN));
    await settle();
    expect(read).toHaveBeenCalledTimes(2);
    expect(auth.authorizationFor(url)).toBe(warm);
    current = rotated;
    await vi.advanceTimersByTimeAsync(59_999);
    await expect(auth.authorizationFor(url)).resolves.toBe(basicAuthorization(ACCESS_TOKEN));
    expect(read).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1);
    // The caller at the recheck point does not wait for the source.
    await expect(auth.authorizationFor(url)).resolves.toBe(basicAuthorization(ACCESS_TOKEN));
    await settle();
    expect(read).toHaveBeenCalledTimes(3);
    await expect(auth.authorizationFor(url)).resolves.toBe(basicAuthorization(rotated));
  });

  it('keeps serving the header when a recheck read fails, and tries again 60 s later', async () => {
    let fail = false;
    const read = vi.fn(async () => {
      if (fail) throw new Error('vault down');
      return ACCESS_TOKEN;
    });
    const auth = create({ mode: 'basic', accessToken: fromFunction(read) });
    await auth.authorizationFor('/api/x');
    fail = true;
    await vi.advanceTimersByTimeAsync(60_000);
    await expect(auth.authorizationFor('/api/x')).resolves.toBe(basicAuthorization(ACCESS_TOKEN));
    await settle();
    expect(read).toHaveBeenCalledTimes(2);
    fail = false;
    await vi.advanceTimersByTimeAsync(60_000);
    await auth.authorizationFor('/api/x');
    await settle();
    expect(read).toHaveBeenCalledTimes(3);
  });
});

describe('origins and scopes', () => {
  it('hands credentials only to configured origins and does not read the token for others', async () => {
    const read = vi.fn(async () => ACCESS_TOKEN);
    const stub = exchangeStub();
    const auth = create({
      fetch: stub.fetch,
      accessToken: fromFunction(read),
      origins: ['https://extra.example.com:8443', { url: 'https://wcg.example.com', scope: CG }],
    });
    for (const url of [
      'https://evil.example.com/api/catalog',
      'https://witboost.example.com.evil.com/api',
      'http://witboost.example.com/api',
      'https://witboost.example.com:8443/api',
      '//evil.example.com/api',
      'https://extra.example.com/api',
      'mailto:a@witboost.example.com',
    ]) {
      expect(await auth.authorizationFor(url), url).toBeUndefined();
      expect(auth.isWitboostUrl(url), url).toBe(false);
    }
    expect(read).not.toHaveBeenCalled();
    expect(auth.isWitboostUrl('https://WITBOOST.example.com:443/x')).toBe(true);
    expect(auth.isWitboostUrl('https://extra.example.com:8443/x')).toBe(true);
    expect(auth.scopeFor('https://wcg.example.com/v1/validate')).toBe(CG);
    expect(auth.scopeFor('https://extra.example.com:8443/api/computational-governance/x')).toBe(CG);
    expect(auth.scopeFor('https://extra.example.com:8443/api/catalog')).toBeUndefined();
    expect(await auth.authorizationFor('https://wcg.example.com/v1/validate')).toMatch(/^Bearer /);
    expect(stub.calls[0]?.body.scope).toBe(CG);
  });

  it.each([
    ['/api/computational-governance', CG],
    ['/api/computational-governance/', CG],
    ['/api/computational-governance/validate?x=1', CG],
    ['api/computational-governance/validate', CG],
    ['/api/computational-governance-x', undefined],
    ['/api/computational', undefined],
    ['/api/catalog/entities', undefined],
    ['https://witboost.example.com/api/computational-governance/v1', CG],
  ])('default rule: %s → %s', (url, scope) => {
    const auth = create({ fetch: exchangeStub().fetch });
    expect(auth.scopeFor(url)).toBe(scope);
  });

  it('applies the default rule under a base path and resolves relative URLs below it', async () => {
    const stub = exchangeStub();
    const auth = create({ fetch: stub.fetch, baseUrl: 'https://host.example.com/witboost/' });
    expect(auth.baseUrl).toBe('https://host.example.com/witboost');
    expect(auth.scopeFor('/api/computational-governance/validate')).toBe(CG);
    expect(auth.scopeFor('https://host.example.com/witboost/api/computational-governance/x')).toBe(
      CG,
    );
    expect(
      auth.scopeFor('https://host.example.com/api/computational-governance/x'),
    ).toBeUndefined();
    await auth.getToken();
    expect(stub.calls[0]?.url).toBe('https://host.example.com/witboost/api/auth/access-tokens/jwt');
  });

  it('checks user rules first, in order, then the origin scope, then the default', () => {
    const auth = create({
      fetch: exchangeStub().fetch,
      origins: [{ url: 'https://wcg.example.com', scope: CG }],
      scopes: [
        { pathPrefix: '/api/special/', scope: 'service:special' },
        { pathPrefix: '/api', scope: 'service:wcg-api', origin: 'https://wcg.example.com' },
        { pathPrefix: '/api/computational-governance/admin', scope: 'service:cg-admin' },
      ],
    });
    expect(auth.scopeFor('/api/special/x')).toBe('service:special');
    expect(auth.scopeFor('/api/specialist')).toBeUndefined();
    expect(auth.scopeFor('https://wcg.example.com/api/x')).toBe('service:wcg-api');
    expect(auth.scopeFor('https://wcg.example.com/other')).toBe(CG);
    expect(auth.scopeFor('/api/computational-governance/admin/users')).toBe('service:cg-admin');
    expect(auth.scopeFor('/api/computational-governance/validate')).toBe(CG);
  });

  it('rejects a malformed scope in getToken', async () => {
    const auth = create({ fetch: exchangeStub().fetch });
    await expect(auth.getToken({ scope: 'a\nb' })).rejects.toMatchObject({
      code: 'invalid_options',
    });
  });
});

describe('scope canonicalisation', () => {
  it('one exchange for one scope set, however it is spelled; the canonical string is sent', async () => {
    const stub = exchangeStub();
    const auth = create({
      fetch: stub.fetch,
      scopes: [{ pathPrefix: '/api/reports', scope: 'b:y a:x' }],
    });
    const tokens = await Promise.all(
      ['a:x b:y', 'b:y a:x', 'a:x b:y a:x'].map((scope) => auth.getToken({ scope })),
    );
    expect(new Set(tokens).size).toBe(1);
    await auth.getToken({ scope: 'b:y a:x b:y' });
    expect(auth.scopeFor('/api/reports/daily')).toBe('a:x b:y');
    await expect(auth.authorizationFor('/api/reports/daily')).resolves.toBe(`Bearer ${tokens[0]}`);
    expect(stub.calls.map((call) => call.body.scope)).toEqual(['a:x b:y']);
  });
});

describe('observability', () => {
  it('emits exchange events and logs structured lines without any secret; a throwing hook is harmless', async () => {
    const events: WitboostAuthEvent[] = [];
    const lines: unknown[] = [];
    const log = (obj: object, msg?: string) => lines.push({ obj, msg });
    const stub = exchangeStub();
    const auth = create({
      fetch: stub.fetch,
      logger: { debug: log, info: log, warn: log, error: log },
      onEvent: (e) => {
        events.push(e);
        throw new Error('observer bug');
      },
    });
    const jwt = await auth.getToken({ scope: CG });
    auth.invalidate(`Bearer ${jwt}`);
    expect(events.find((e) => e.type === 'exchange')).toEqual({
      type: 'exchange',
      scope: CG,
      durationMs: 0,
      expiresAt: T0 + 298_500,
      lifetimeSeconds: 300,
      background: false,
    });
    expect(events).toEqual([
      { type: 'cache_lookup', level: 'l1', scope: CG, result: 'miss' },
      { type: 'caller_waiting', scope: CG, delta: 1 },
      { type: 'caller_waiting', scope: CG, delta: -1 },
      expect.objectContaining({ type: 'exchange' }),
      expect.objectContaining({ type: 'refresh_scheduled' }),
      { type: 'invalidated', scope: CG },
    ]);
    expect(lines).toHaveLength(6);
    const text = JSON.stringify({ events, lines });
    expect(text).not.toContain(jwt);
    expect(text).not.toContain(ACCESS_TOKEN);
  });

  it('emits token_source_changed when the source rotates', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    let token = ACCESS_TOKEN;
    const events: WitboostAuthEvent[] = [];
    const stub = exchangeStub();
    const auth = create({
      fetch: stub.fetch,
      accessToken: fromFunction(async () => token, { description: 'vault' }),
      onEvent: (e) => events.push(e),
    });
    await auth.getToken();
    token = 'wbat-ROTATEDtoken0123456789abcdefghijklm';
    await at(150_000);
    await auth.getToken();
    await settle();
    expect(stub.calls.map((c: ExchangeCall) => c.body.access_token)).toEqual([ACCESS_TOKEN, token]);
    expect(events).toContainEqual({ type: 'token_source_changed', source: 'vault' });
  });
});

describe('withAccessToken', () => {
  it('creates an independent instance whose errors carry the principal', async () => {
    const stub = exchangeStub((call) =>
      call.body.access_token === ACCESS_TOKEN
        ? jsonResponse(200, { jwt: jwtFor(300) })
        : failWith(401)(),
    );
    const auth = create({ fetch: stub.fetch });
    const caller = auth.withAccessToken('wbat-CALLERtoken0123456789abcdefghijklmn');
    instances.push(caller);
    await expect(auth.getToken()).resolves.toMatch(/^eyJ/);
    await expect(caller.getToken()).rejects.toMatchObject({
      code: 'access_token_rejected',
      principal: 'caller',
    });
    await caller.close();
    await expect(auth.getToken()).resolves.toMatch(/^eyJ/);
    expect(() => auth.withAccessToken('  ')).toThrow(
      expect.objectContaining({ code: 'missing_access_token' }),
    );
  });
});

describe('work that never settles', () => {
  /** A fetch that ignores its signal and never answers: no abort can end it. */
  const deafFetch = () => vi.fn(() => new Promise<Response>(() => {}));

  it('a fetch ignoring its signal still fails with timeout after exchangeTimeoutMs', async () => {
    const fetch = deafFetch();
    const auth = create({
      fetch: fetch as unknown as typeof globalThis.fetch,
      refresh: { exchangeTimeoutMs: 1000, maxAttempts: 1 },
    });
    let outcome: unknown = 'pending';
    auth.getToken().then(
      () => {
        outcome = 'resolved';
      },
      (error: { code?: string }) => {
        outcome = error.code;
      },
    );
    await vi.advanceTimersByTimeAsync(999);
    expect(outcome).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    expect(outcome).toBe('timeout');
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('a body that never ends fails with timeout too', async () => {
    const stub = exchangeStub(
      () => new Response(new ReadableStream({ start() {} }), { status: 200 }),
    );
    const auth = create({
      fetch: stub.fetch,
      refresh: { exchangeTimeoutMs: 1000, maxAttempts: 1 },
    });
    const result = auth.getToken().catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1000);
    expect(await result).toMatchObject({ code: 'timeout' });
  });

  it('close() releases a caller waiting on such a fetch with closed', async () => {
    const auth = create({ fetch: deafFetch() as unknown as typeof globalThis.fetch });
    let outcome: unknown = 'pending';
    auth.getToken().then(
      () => {
        outcome = 'resolved';
      },
      (error: { code?: string }) => {
        outcome = error.code;
      },
    );
    await settle();
    await auth.close();
    await settle();
    expect(outcome).toBe('closed');
  });
});

describe('Retry-After on any retryable answer', () => {
  it('a 503 with Retry-After: 120 makes 5 sequential callers cost one exchange', async () => {
    const stub = exchangeStub((_call, index) =>
      index === 0
        ? jsonResponse(503, { message: 'maintenance' }, { 'retry-after': '120' })
        : jsonResponse(200, { jwt: jwtFor(300) }),
    );
    const auth = create({ fetch: stub.fetch });
    for (let i = 0; i < 5; i++) {
      const error = await auth.getToken().catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'server_error', status: 503 });
      expect((error as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(100_000);
      await vi.advanceTimersByTimeAsync(1_000);
    }
    expect(stub.calls).toHaveLength(1);
    await at(121_000);
    await expect(auth.getToken()).resolves.toEqual(expect.any(String));
    expect(stub.calls).toHaveLength(2);
  });
});

describe('a token that arrives already unusable', () => {
  const slowStub = (delayMs: number, lifetimeSeconds: number) =>
    exchangeStub(async () => {
      const jwt = jwtFor(lifetimeSeconds);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      return jsonResponse(200, { jwt });
    });

  it('is retried once, then fails with invalid_exchange_response instead of reaching a caller', async () => {
    const events: WitboostAuthEvent[] = [];
    const stub = slowStub(1_500, 2);
    const auth = create({ fetch: stub.fetch, durationSeconds: 2, onEvent: (e) => events.push(e) });
    const result = auth.getToken().catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(3_000);
    const error = await result;
    expect(error).toMatchObject({ code: 'invalid_exchange_response' });
    expect((error as Error).message).toContain('JWT lifetime shorter than the exchange round trip');
    expectNoSecret(error, [ACCESS_TOKEN]);
    expect(stub.calls).toHaveLength(2);
    expect(events.filter((e) => e.type === 'exchange')).toHaveLength(0);
    expect(events.filter((e) => e.type === 'exchange_failed')).toEqual([
      expect.objectContaining({ code: 'invalid_exchange_response', retryInMs: 0 }),
      expect.objectContaining({ code: 'invalid_exchange_response' }),
    ]);
  });

  it('a second, faster round trip is handed out', async () => {
    let delay = 1_500;
    const stub = exchangeStub(async () => {
      const jwt = jwtFor(2);
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = 10;
      return jsonResponse(200, { jwt });
    });
    const auth = create({ fetch: stub.fetch, durationSeconds: 2 });
    const result = auth.getToken();
    await vi.advanceTimersByTimeAsync(1_510);
    await expect(result).resolves.toEqual(expect.any(String));
    expect(stub.calls).toHaveLength(2);
  });
});

describe('status()', () => {
  it('reports each scope synchronously, without a secret', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    let outage = false;
    const stub = exchangeStub(() =>
      outage ? failWith(503)() : jsonResponse(200, { jwt: jwtFor(300) }),
    );
    const auth = create({ fetch: stub.fetch });
    expect(auth.status()).toEqual({
      closed: false,
      mode: 'bearer',
      scopes: [{ scope: undefined, state: 'empty', consecutiveFailures: 0, waiting: 0 }],
    });
    const waiting = auth.getToken({ scope: CG });
    expect(auth.status().scopes[1]).toMatchObject({ scope: CG, state: 'empty', waiting: 1 });
    const jwt = await waiting;
    expect(auth.status().scopes[1]).toEqual({
      scope: CG,
      state: 'fresh',
      expiresAt: T0 + 298_500,
      refreshAt: T0 + 150_000,
      lastExchangeAt: T0,
      consecutiveFailures: 0,
      waiting: 0,
    });
    outage = true;
    await at(150_000);
    await auth.getToken({ scope: CG });
    expect(auth.status().scopes[1]?.state).toBe('refreshing');
    await settle();
    // random 0: the first retry falls at the very start of its window, at once.
    expect(auth.status().scopes[1]).toMatchObject({
      state: 'failing',
      consecutiveFailures: 2,
      lastError: { code: 'server_error', at: T0 + 150_000 },
    });
    await at(298_500);
    await auth.close();
    expect(auth.status()).toMatchObject({ closed: true });
    expect(JSON.stringify(auth.status())).not.toContain(jwt);
    expect(JSON.stringify(auth.status())).not.toContain(ACCESS_TOKEN);
  });

  it('says expired once the last token passed its deadline', async () => {
    const auth = create({ fetch: exchangeStub().fetch });
    await auth.getToken();
    await at(298_500);
    expect(auth.status().scopes[0]).toMatchObject({ state: 'expired', expiresAt: T0 + 298_500 });
  });
});

describe('outage with no servable token', () => {
  it('a caller waits at most maxWaitMs, and attempts slow to one per backoff window however many call', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const times: number[] = [];
    const stub = exchangeStub(() => {
      times.push(Date.now() - T0);
      return failWith(502)();
    });
    const auth = create({ fetch: stub.fetch, refresh: { maxAttempts: 100 } });
    const outcomes: Array<{ waited: number; code: string; retryAfterMs?: number }> = [];
    for (let t = 0; t < 120_000; t += 200) {
      await at(t);
      for (let i = 0; i < 5; i++) {
        const started = Date.now();
        auth.getToken().catch((e: { code: string; retryAfterMs?: number }) => {
          outcomes.push({
            waited: Date.now() - started,
            code: e.code,
            retryAfterMs: e.retryAfterMs,
          });
        });
      }
    }
    await at(135_000);
    expect(outcomes).toHaveLength(3000);
    expect(Math.max(...outcomes.map((o) => o.waited))).toBeLessThanOrEqual(10_001);
    expect(outcomes.every((o) => o.code === 'server_error')).toBe(true);
    // Full jitter while the ceiling grows from 500 ms, then one attempt per 30 s, whatever the
    // 3000 callers do.
    for (let i = 0; i + 1 < times.length; i++) {
      const gap = (times[i + 1] ?? 0) - (times[i] ?? 0);
      if ((times[i] ?? 0) > 60_000) expect(gap).toBe(30_000);
    }
    expect(times.length).toBeLessThanOrEqual(10);
    expect(outcomes.filter((o) => o.waited === 0).every((o) => (o.retryAfterMs ?? 0) > 0)).toBe(
      true,
    );
  });
});
