import { setTimeout as sleep } from 'node:timers/promises';
import {
  createWitboostAuth,
  type WitboostAuth,
  type WitboostAuthEvent,
  type WitboostAuthOptions,
} from '@wb/auth-core';
import { startWitboostMock, type WitboostMock } from '@wb/witboost-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryTokenStore } from './memory-token-store.js';
import { createOtelSdk, everyAttribute, type OtelSdk } from './support/otel-sdk.js';

const SUBJECT = 'user:alice.nobody@example.com';
const EXCHANGE_SPAN = 'witboost.auth.exchange';
const STATUS_ERROR = 2;

let wb: WitboostMock;
let sdk: OtelSdk;
let accessToken: string;
let events: WitboostAuthEvent[];
let auth: WitboostAuth | undefined;

beforeEach(async () => {
  wb = await startWitboostMock({ port: 0 });
  sdk = createOtelSdk();
  accessToken = wb.issueAccessToken({ subject: SUBJECT });
  events = [];
});

afterEach(async () => {
  await auth?.close();
  auth = undefined;
  await sdk.shutdown();
  await wb.close();
});

function create(options: Partial<WitboostAuthOptions> = {}): WitboostAuth {
  auth = createWitboostAuth({
    baseUrl: wb.url,
    accessToken,
    tracerProvider: sdk.tracerProvider,
    meterProvider: sdk.meterProvider,
    onEvent: (event) => events.push(event),
    ...options,
  });
  return auth;
}

async function until(what: string, done: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

const exchangeSpans = () => sdk.spans().filter((s) => s.name === EXCHANGE_SPAN);
const exchanges = (where: Record<string, unknown> = {}) =>
  sdk.total('witboost.auth.exchanges', where);

/** The scan: no access token, JWT, fragment of either, subject or hash in any attribute. */
async function expectNoSecretExported(jwts: readonly string[]): Promise<void> {
  const texts = await everyAttribute(sdk);
  expect(texts.length).toBeGreaterThan(0);
  const secrets = [accessToken, accessToken.slice('wbat-'.length, 25), ...jwts];
  for (const jwt of jwts) secrets.push(...jwt.split('.').filter((part) => part.length > 8));
  for (const text of texts) {
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/wbat-|eyJ|alice/);
    // A hash or key id would be a long run of hex or base64url.
    expect(text).not.toMatch(/[0-9a-f]{24,}|[\w-]{40,}/i);
  }
}

describe('OpenTelemetry spans and metrics against the emulator', () => {
  it('a refresh: one span per exchange, none for the cache hits in between', async () => {
    const a = create({ durationSeconds: 10, refresh: { refreshAtRatio: 0.1, jitterRatio: 0 } });
    const lookups = (result: string) =>
      sdk.total('witboost.auth.cache.lookups', {
        'witboost.auth.cache.level': 'l1',
        'witboost.auth.cache.result': result,
      });
    const first = await a.getToken();
    expect(await lookups('miss')).toBe(1);
    await a.authorizationFor('/api/catalog/entities'); // the URL is routed once
    const hits = await lookups('hit');
    for (let i = 0; i < 1_000; i++) await a.authorizationFor('/api/catalog/entities');
    expect(exchangeSpans()).toHaveLength(1);
    expect(await lookups('hit')).toBe(hits); // the warm path records nothing

    await sleep(1_100); // past the refresh point (a tenth of the 10 s life)
    expect(await a.getToken()).toBe(first); // served while the refresh runs
    expect(await lookups('hit')).toBe(hits + 1); // off the warm path: it starts the refresh
    await until('the background exchange', () => exchangeSpans().length === 2);
    const second = await a.getToken();
    expect(second).not.toBe(first);

    const [cold, refresh] = exchangeSpans();
    expect(cold?.attributes).toMatchObject({
      'witboost.auth.outcome': 'success',
      'witboost.auth.background': false,
      'witboost.auth.token.lifetime': 10,
    });
    expect(refresh?.attributes['witboost.auth.background']).toBe(true);
    expect(refresh?.status.code).not.toBe(STATUS_ERROR);
    // The span covers the exchange itself: it started before it ended, at the event's duration.
    const durationMs = (refresh?.duration[0] ?? 0) * 1e3 + (refresh?.duration[1] ?? 0) / 1e6;
    const event = events.filter((e) => e.type === 'exchange')[1];
    expect(event?.type === 'exchange' && Math.abs(durationMs - event.durationMs)).toBeLessThan(1);

    expect(await exchanges({ 'witboost.auth.outcome': 'success' })).toBe(2);
    expect(await exchanges({ 'witboost.auth.background': true })).toBe(1);
    expect(
      await sdk.total(
        'witboost.auth.exchange.duration',
        { 'witboost.auth.outcome': 'success' },
        'count',
      ),
    ).toBe(2);
    expect(wb.stats.exchanges.total).toBe(2);
    expect(await lookups('miss')).toBe(1);
    await expectNoSecretExported([first, second]);
  });

  it('an outage: a failed span per attempt, with its error type and status, then success', async () => {
    const a = create({ refresh: { initialBackoffMs: 10, maxBackoffMs: 20 } });
    wb.faults.dropNextExchanges(1);
    wb.faults.failNextExchanges(1, { status: 503 });
    const jwt = await a.getToken();

    const spans = exchangeSpans();
    expect(spans.map((s) => s.attributes['error.type'])).toEqual([
      'network_error',
      'server_error',
      undefined,
    ]);
    expect(spans.map((s) => s.status.code === STATUS_ERROR)).toEqual([true, true, false]);
    expect(spans.map((s) => s.attributes['http.response.status_code'])).toEqual([
      undefined,
      503,
      undefined,
    ]);
    expect(spans[1]?.attributes['witboost.auth.retry_in']).toBeGreaterThanOrEqual(0);

    expect(await exchanges({ 'witboost.auth.outcome': 'failure' })).toBe(2);
    expect(
      await exchanges({ 'error.type': 'server_error', 'http.response.status_code': 503 }),
    ).toBe(1);
    expect(await exchanges({ 'witboost.auth.outcome': 'success' })).toBe(1);
    expect(await sdk.total('witboost.auth.exchange.duration', {}, 'count')).toBe(3);
    await expectNoSecretExported([jwt]);
  });

  it('an outage that outlasts the attempts: every attempt failed, the caller got the error', async () => {
    const a = create({ refresh: { initialBackoffMs: 10, maxBackoffMs: 20, maxAttempts: 3 } });
    wb.faults.failNextExchanges(3, { status: 500 });
    await expect(a.getToken()).rejects.toMatchObject({ code: 'server_error' });
    expect(exchangeSpans().map((s) => s.status.code)).toEqual([2, 2, 2]);
    expect(await exchanges({ 'witboost.auth.outcome': 'failure' })).toBe(3);
    expect(await exchanges({ 'witboost.auth.outcome': 'success' })).toBe(0);
    await expectNoSecretExported([]);
  });

  it('a 401 replay: the new exchange has its span, the replayed request none', async () => {
    const a = create();
    const stale = await a.getToken();
    wb.faults.rejectJwt(stale);
    const res = await a.fetch('/api/catalog/entities');
    expect(res.status).toBe(200);
    expect(events.filter((e) => e.type === 'replay_after_401')).toHaveLength(1);

    expect(sdk.spans().map((s) => s.name)).toEqual([EXCHANGE_SPAN, EXCHANGE_SPAN]);
    expect(exchangeSpans().map((s) => s.attributes['witboost.auth.background'])).toEqual([
      false,
      false,
    ]);
    expect(await exchanges({ 'witboost.auth.outcome': 'success' })).toBe(2);
    await expectNoSecretExported([stale, await a.getToken()]);
  });

  it('a cold herd: 100 concurrent callers, one exchange, one span, 100 waiting', async () => {
    const a = create();
    wb.faults.setExchangeLatency(500);
    const herd = Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        i % 2 === 0 ? a.getToken() : a.authorizationFor('/api/catalog/entities'),
      ),
    );
    const waiting = () => sdk.total('witboost.auth.waiting_callers');
    expect(await waiting()).toBe(100); // collected while the one exchange is in flight
    expect(sdk.spans()).toEqual([]); // the span is drawn when the exchange is over
    const tokens = await herd;
    expect(await waiting()).toBe(0);
    expect(
      await sdk.total('witboost.auth.cache.lookups', { 'witboost.auth.cache.result': 'miss' }),
    ).toBe(100);
    expect(new Set(tokens.map((t) => t?.replace('Bearer ', ''))).size).toBe(1);
    expect(exchangeSpans()).toHaveLength(1);
    expect(await exchanges()).toBe(1);
    expect(wb.stats.exchanges.total).toBe(1);
    await expectNoSecretExported([tokens[0] ?? '']);
  });

  it('the gauges read status() at collection: states and time left, until close', async () => {
    const a = create({ durationSeconds: 300 });
    const tokens = (state: string) =>
      sdk.total('witboost.auth.tokens', { 'witboost.auth.token.state': state });
    await a.getToken();
    await a.getToken({ scope: 'service:computational-governance' });
    expect(await tokens('fresh')).toBe(2);
    const left = (await sdk.points()).filter(
      (p) => p.name === 'witboost.auth.token.time_to_expiry',
    );
    expect(left).toHaveLength(2);
    for (const point of left) {
      expect(point.value).toBeGreaterThan(290);
      expect(point.value).toBeLessThanOrEqual(300);
    }
    await a.close();
    expect(await tokens('fresh')).toBe(0);
  });

  it('scopes are attributes; the default JWT has none', async () => {
    const a = create();
    await a.getToken();
    await a.getToken({ scope: 'service:computational-governance' });
    expect(exchangeSpans().map((s) => s.attributes['witboost.auth.scope'])).toEqual([
      undefined,
      'service:computational-governance',
    ]);
    expect(await exchanges({ 'witboost.auth.scope': 'service:computational-governance' })).toBe(1);
  });

  it('a caller identity records to the same providers, with nothing naming it', async () => {
    const a = create();
    const caller = a.withAccessToken(wb.issueAccessToken({ subject: 'user:bob' }));
    try {
      await caller.getToken();
    } finally {
      await caller.close();
    }
    expect(exchangeSpans()).toHaveLength(1);
    expect(await exchanges()).toBe(1);
    expect((await everyAttribute(sdk)).join(' ')).not.toContain('bob');
  });
});

describe('OpenTelemetry with a shared token store', () => {
  const storeSpans = () => sdk.spans().filter((s) => s.name.startsWith('witboost.auth.store.'));
  const storeLookups = (result: string) =>
    sdk.total('witboost.auth.cache.lookups', {
      'witboost.auth.cache.level': 'store',
      'witboost.auth.cache.result': result,
    });

  it('a replica served from the store: store spans, a store hit, no exchange span', async () => {
    const memory = memoryTokenStore();
    const first = create({ store: memory.store });
    const jwt = await first.getToken();
    await new Promise((resolve) => setImmediate(resolve)); // its write follows the hand-out
    const second = createWitboostAuth({
      baseUrl: wb.url,
      accessToken,
      store: memory.store,
      tracerProvider: sdk.tracerProvider,
      meterProvider: sdk.meterProvider,
    });
    try {
      expect(await second.getToken()).toBe(jwt);
      expect(wb.stats.exchanges.total).toBe(1);
      expect(exchangeSpans()).toHaveLength(1);
      expect(await storeLookups('miss')).toBe(1);
      expect(await storeLookups('hit')).toBe(1);

      // One span and one duration point per round trip, the same operations in both.
      const spans = storeSpans();
      expect(await sdk.total('witboost.auth.store.duration', {}, 'count')).toBe(spans.length);
      for (const span of spans) {
        expect(span.name).toBe(
          `witboost.auth.store.${span.attributes['witboost.auth.store.operation']}`,
        );
      }
      // Exactly one span per round trip the store saw (publish is a notice, not a round trip).
      const asOp: Record<string, string> = {
        get: 'get',
        set: 'set',
        setIfAbsent: 'lease',
        deleteIfEquals: 'release',
      };
      const seen = memory.calls.filter((call) => call !== 'publish').map((call) => asOp[call]);
      const drawn = spans.map((span) => span.attributes['witboost.auth.store.operation']);
      expect([...drawn].sort()).toEqual([...seen].sort());
      const available = (await sdk.points()).filter(
        (p) => p.name === 'witboost.auth.store.available',
      );
      expect(available.map((p) => p.value)).toEqual([1]);

      // The warm path touches neither the store nor the tracer.
      const before = sdk.spans().length;
      for (let i = 0; i < 200; i++) await second.getToken();
      expect(sdk.spans()).toHaveLength(before);
      await expectNoSecretExported([jwt]);
    } finally {
      await second.close();
    }
  });

  it('a dead store: failed store spans, availability 0, and the token still comes', async () => {
    const memory = memoryTokenStore();
    memory.state.mode = 'throw';
    const a = create({ store: memory.store });
    const scopes = ['a:1', 'a:2', 'a:3', 'a:4'];
    for (const scope of scopes) expect(await a.getToken({ scope })).toMatch(/^eyJ/);
    expect(events.filter((e) => e.type === 'store_state')).toEqual([
      expect.objectContaining({ state: 'unavailable' }),
    ]);
    const failed = storeSpans().filter((s) => s.status.code === STATUS_ERROR);
    // One failed span per call the dead store refused, until the breaker stopped calling it.
    expect(failed).toHaveLength(memory.calls.filter((call) => call !== 'publish').length);
    expect(failed.length).toBeGreaterThanOrEqual(3);
    expect(failed.every((s) => s.attributes['error.type'] === 'error')).toBe(true);
    expect(
      await sdk.total(
        'witboost.auth.store.duration',
        { 'witboost.auth.store.outcome': 'error' },
        'count',
      ),
    ).toBe(failed.length);
    const available = (await sdk.points()).filter(
      (p) => p.name === 'witboost.auth.store.available',
    );
    expect(available.map((p) => p.value)).toEqual([0]);
    expect(exchangeSpans()).toHaveLength(scopes.length);
    await expectNoSecretExported([]);
  });
});
