import type {
  TelemetryAttributes,
  TelemetryMeterProvider,
  WitboostAuthStatus,
  WitboostScopeState,
} from '../types.js';

/** What the gauges read at each collection: one live service instance. */
export interface StatusSource {
  /** Held weakly: one dropped without `close()` must still be collected. */
  instance: WeakRef<{ status(): WitboostAuthStatus }>;
  storeState(): 'available' | 'unavailable' | undefined;
}

type Meter = ReturnType<TelemetryMeterProvider['getMeter']>;

export interface Instruments {
  exchanges: ReturnType<Meter['createCounter']>;
  exchangeDuration: ReturnType<Meter['createHistogram']>;
  cacheLookups: ReturnType<Meter['createCounter']>;
  waitingCallers: ReturnType<Meter['createUpDownCounter']>;
  storeDuration: ReturnType<Meter['createHistogram']>;
  sources: Set<StatusSource>;
}

export const SCOPE_NAME = '@wb/auth-core';

const STATES = ['fresh', 'refreshing', 'failing', 'expired', 'empty'] as const;

// Latencies of an HTTP exchange or a store call, in seconds (the SDK's default buckets are for ms).
const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

// One set per meter: instances sharing a provider share them, and the gauges sum over every live
// instance instead of overwriting each other's data points.
const byMeter = new WeakMap<object, Instruments>();

/** The instruments of the README's table on `provider`, made once per meter. */
export function instrumentsFor(provider: TelemetryMeterProvider): Instruments {
  const meter = provider.getMeter(SCOPE_NAME);
  const known = byMeter.get(meter);
  if (known !== undefined) return known;
  const seconds = { unit: 's', advice: { explicitBucketBoundaries: SECONDS_BUCKETS } };
  const sources = new Set<StatusSource>();
  const instruments: Instruments = {
    exchanges: meter.createCounter('witboost.auth.exchanges', {
      unit: '{exchange}',
      description: 'JWT exchanges finished, by outcome and scope',
    }),
    exchangeDuration: meter.createHistogram('witboost.auth.exchange.duration', {
      ...seconds,
      description: 'Duration of one JWT exchange request, by outcome and scope',
    }),
    cacheLookups: meter.createCounter('witboost.auth.cache.lookups', {
      unit: '{lookup}',
      description: 'Token lookups off the warm path, by cache level and result',
    }),
    waitingCallers: meter.createUpDownCounter('witboost.auth.waiting_callers', {
      unit: '{caller}',
      description: 'Callers waiting now because no servable token exists',
    }),
    storeDuration: meter.createHistogram('witboost.auth.store.duration', {
      ...seconds,
      description: 'Duration of one shared token store round trip, by operation and outcome',
    }),
    sources,
  };
  meter
    .createObservableGauge('witboost.auth.tokens', {
      unit: '{token}',
      description: 'Scopes of the service instances, by state of their token',
    })
    .addCallback((result) => {
      const counts = new Map<WitboostScopeState, number>(STATES.map((s) => [s, 0]));
      for (const status of statuses(sources)) {
        for (const scope of status.scopes)
          counts.set(scope.state, (counts.get(scope.state) ?? 0) + 1);
      }
      for (const [state, count] of counts)
        result.observe(count, { 'witboost.auth.token.state': state });
    });
  meter
    .createObservableGauge('witboost.auth.token.time_to_expiry', {
      unit: 's',
      description: "Time left until the current token's hand-out deadline, by scope",
    })
    .addCallback((result) => {
      const now = Date.now();
      const least = new Map<string | undefined, number>();
      for (const status of statuses(sources)) {
        for (const { scope, expiresAt } of status.scopes) {
          if (expiresAt === undefined) continue;
          const left = Math.max(0, expiresAt - now) / 1000;
          least.set(scope, Math.min(left, least.get(scope) ?? left));
        }
      }
      for (const [scope, left] of least) result.observe(left, scopeAttribute(scope));
    });
  meter
    .createObservableGauge('witboost.auth.store.available', {
      unit: '1',
      description: 'Whether the shared token store is in use (1) or bypassed after failures (0)',
    })
    .addCallback((result) => {
      let known = false;
      let available = true;
      for (const source of sources) {
        const state = source.storeState();
        if (state === undefined) continue;
        known = true;
        if (state === 'unavailable') available = false;
      }
      if (known) result.observe(available ? 1 : 0);
    });
  byMeter.set(meter, instruments);
  return instruments;
}

/** None for the default JWT, so it never reads as a scope named "". */
export function scopeAttribute(scope: string | undefined): TelemetryAttributes {
  return scope === undefined ? {} : { 'witboost.auth.scope': scope };
}

/** Closed or collected instances leave the set for good. */
function* statuses(sources: Set<StatusSource>): Generator<WitboostAuthStatus> {
  for (const source of sources) {
    const instance = source.instance.deref();
    let status: WitboostAuthStatus | undefined;
    try {
      status = instance?.status();
    } catch {
      continue; // one instance that cannot answer must not fail the collection
    }
    if (status === undefined || status.closed) sources.delete(source);
    else yield status;
  }
}
