import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOtelSdk, everyAttribute, type OtelSdk } from '../../test/support/otel-sdk.js';
import type { WitboostAuthStatus } from '../types.js';
import { resolveTelemetry } from './telemetry.js';

let sdk: OtelSdk;
beforeEach(() => {
  sdk = createOtelSdk();
});
afterEach(() => sdk.shutdown());

const status = (scopes: WitboostAuthStatus['scopes'], closed = false): WitboostAuthStatus => ({
  closed,
  mode: 'bearer',
  scopes,
});

function telemetry() {
  const t = resolveTelemetry(sdk.tracerProvider, sdk.meterProvider);
  if (t === undefined) throw new Error('expected telemetry');
  return t;
}

describe('telemetry subscriber', () => {
  it('a store round trip is a span drawn at its real start, with a duration histogram', async () => {
    const record = telemetry().record;
    const before = Date.now();
    record({ type: 'store_call', op: 'get', durationMs: 40, outcome: 'hit' });
    record({ type: 'store_call', op: 'lease', durationMs: 250, outcome: 'timeout' });

    const [get, lease] = sdk.spans();
    expect(get?.name).toBe('witboost.auth.store.get');
    expect(get?.attributes).toEqual({
      'witboost.auth.store.operation': 'get',
      'witboost.auth.store.outcome': 'hit',
    });
    const startMs = (get?.startTime[0] ?? 0) * 1e3 + (get?.startTime[1] ?? 0) / 1e6;
    expect(startMs).toBeGreaterThanOrEqual(before - 41);
    expect(startMs).toBeLessThanOrEqual(Date.now() - 39);
    expect(lease?.name).toBe('witboost.auth.store.lease');
    expect(lease?.status.code).toBe(2);
    expect(lease?.attributes['error.type']).toBe('timeout');

    const points = (await sdk.points()).filter((p) => p.name === 'witboost.auth.store.duration');
    expect(
      points.map((p) => [p.attributes['witboost.auth.store.outcome'], p.count, p.value]),
    ).toEqual([
      ['hit', 1, 0.04],
      ['timeout', 1, 0.25],
    ]);
    expect(points[0]?.unit).toBe('s');
  });

  it('cache lookups count by level and result; waiting callers go up and down', async () => {
    const record = telemetry().record;
    record({ type: 'cache_lookup', level: 'l1', scope: undefined, result: 'miss' });
    record({ type: 'cache_lookup', level: 'store', scope: undefined, result: 'hit' });
    record({ type: 'cache_lookup', level: 'store', scope: 'x:y', result: 'hit' });
    for (let i = 0; i < 3; i++) record({ type: 'caller_waiting', scope: undefined, delta: 1 });
    record({ type: 'caller_waiting', scope: undefined, delta: -1 });

    const lookups = 'witboost.auth.cache.lookups';
    expect(await sdk.total(lookups, { 'witboost.auth.cache.level': 'l1' })).toBe(1);
    expect(await sdk.total(lookups, { 'witboost.auth.cache.result': 'hit' })).toBe(2);
    expect(await sdk.total(lookups, { 'witboost.auth.scope': 'x:y' })).toBe(1);
    expect(await sdk.total('witboost.auth.waiting_callers')).toBe(2);
    // Neither a lookup nor a wait is a span: only exchanges and store round trips are.
    expect(sdk.spans()).toEqual([]);
  });

  it('events without an instrument record nothing', async () => {
    const record = telemetry().record;
    record({ type: 'invalidated', scope: undefined });
    record({ type: 'refresh_scheduled', scope: undefined, refreshAt: Date.now() });
    record({ type: 'clock_warning', scope: undefined, reason: 'skew', skewMs: 5000 });
    expect(sdk.spans()).toEqual([]);
    // Only the state gauge reports (zeros): it always does, with or without instances.
    const names = new Set((await sdk.points()).map((p) => p.name));
    expect([...names]).toEqual(['witboost.auth.tokens']);
    expect(await sdk.total('witboost.auth.tokens')).toBe(0);
  });

  it('the gauges read status() at collection, summed over live instances', async () => {
    const t = telemetry();
    const now = Date.now();
    let first = status([
      {
        scope: undefined,
        state: 'fresh',
        expiresAt: now + 120_000,
        consecutiveFailures: 0,
        waiting: 0,
      },
      {
        scope: 'x:y',
        state: 'failing',
        expiresAt: now + 4_000,
        consecutiveFailures: 2,
        waiting: 0,
      },
    ]);
    const firstInstance = { status: () => first };
    t.watch(firstInstance);
    let second = status([
      {
        scope: 'x:y',
        state: 'refreshing',
        expiresAt: now + 9_000,
        consecutiveFailures: 0,
        waiting: 0,
      },
    ]);
    telemetry().watch({ status: () => second });
    const tokens = (state: string) =>
      sdk.total('witboost.auth.tokens', { 'witboost.auth.token.state': state });
    expect(await tokens('fresh')).toBe(1);
    expect(await tokens('failing')).toBe(1);
    expect(await tokens('refreshing')).toBe(1);
    expect(await tokens('expired')).toBe(0);

    const left = (await sdk.points()).filter(
      (p) => p.name === 'witboost.auth.token.time_to_expiry',
    );
    const byScope = Object.fromEntries(
      left.map((p) => [String(p.attributes['witboost.auth.scope']), p.value]),
    );
    // The scope nearest its deadline wins: that is the one an alert is about.
    expect(byScope['x:y']).toBeGreaterThan(3);
    expect(byScope['x:y']).toBeLessThanOrEqual(4);
    expect(byScope.undefined).toBeGreaterThan(119);
    expect(left[0]?.unit).toBe('s');

    second = status([], true); // closed: leaves the gauges for good
    first = status([
      {
        scope: undefined,
        state: 'expired',
        expiresAt: now - 1,
        consecutiveFailures: 3,
        waiting: 2,
      },
    ]);
    expect(await tokens('refreshing')).toBe(0);
    expect(await tokens('expired')).toBe(1);
    first = status([], true);
    expect(await tokens('expired')).toBe(0);
    expect(firstInstance).toBeDefined();
  });

  it('a closed instance or one whose status() throws counts for nothing', async () => {
    const t = telemetry();
    const closed = {
      status: () =>
        status([{ scope: undefined, state: 'fresh', consecutiveFailures: 0, waiting: 0 }], true),
    };
    const throwing = {
      status: (): WitboostAuthStatus => {
        throw new Error('not yet');
      },
    };
    t.watch(closed);
    t.watch(throwing);
    expect(await sdk.total('witboost.auth.tokens')).toBe(0);
    expect([closed, throwing]).toHaveLength(2); // both stay reachable during the collection
  });

  it('store availability follows store_state, reported once a store is seen', async () => {
    const t = telemetry();
    const instance = { status: () => status([]) };
    t.watch(instance);
    const record = t.record;
    const available = async () =>
      (await sdk.points())
        .filter((p) => p.name === 'witboost.auth.store.available')
        .map((p) => p.value);
    expect(await available()).toEqual([]);
    record({ type: 'store_call', op: 'get', durationMs: 1, outcome: 'miss' });
    expect(await available()).toEqual([1]);
    record({ type: 'store_state', state: 'unavailable', reason: 'timeouts' });
    expect(await available()).toEqual([0]);
    record({ type: 'store_state', state: 'available', reason: 'recovered' });
    expect(await available()).toEqual([1]);
    expect(instance).toBeDefined();
  });

  it('units and kinds follow the OpenTelemetry conventions', async () => {
    const t = telemetry();
    const instance = {
      status: () =>
        status([
          {
            scope: undefined,
            state: 'fresh',
            expiresAt: Date.now() + 1000,
            consecutiveFailures: 0,
            waiting: 0,
          },
        ]),
    };
    t.watch(instance);
    const record = t.record;
    record({
      type: 'exchange',
      scope: undefined,
      durationMs: 12,
      expiresAt: 0,
      lifetimeSeconds: 300,
      background: false,
    });
    record({ type: 'cache_lookup', level: 'l1', scope: undefined, result: 'miss' });
    record({ type: 'caller_waiting', scope: undefined, delta: 1 });
    record({ type: 'store_call', op: 'set', durationMs: 3, outcome: 'ok' });
    const seen = new Map((await sdk.points()).map((p) => [p.name, `${p.kind} ${p.unit}`]));
    expect(Object.fromEntries(seen)).toEqual({
      'witboost.auth.exchanges': 'SUM {exchange}',
      'witboost.auth.exchange.duration': 'HISTOGRAM s',
      'witboost.auth.cache.lookups': 'SUM {lookup}',
      'witboost.auth.waiting_callers': 'SUM {caller}',
      'witboost.auth.store.duration': 'HISTOGRAM s',
      'witboost.auth.store.available': 'GAUGE 1',
      'witboost.auth.tokens': 'GAUGE {token}',
      'witboost.auth.token.time_to_expiry': 'GAUGE s',
    });
    expect((await everyAttribute(sdk)).join(' ')).not.toMatch(/wbat-|eyJ/);
    expect(instance).toBeDefined();
  });
});

describe('resolveTelemetry', () => {
  it('rejects a provider that is not one, with a clear message', () => {
    expect(() => resolveTelemetry({ getTracer: 'no' }, undefined)).toThrow(
      /tracerProvider must be an OpenTelemetry TracerProvider \(an object with getTracer\(\)\)/,
    );
    expect(() => resolveTelemetry(undefined, 42)).toThrow(
      /meterProvider must be an OpenTelemetry MeterProvider/,
    );
  });
});
