import { createRequire } from 'node:module';
import { invalidOption } from '../errors.js';
import type {
  TelemetryAttributes,
  TelemetryMeterProvider,
  TelemetryTracerProvider,
  WitboostAuthEvent,
  WitboostAuthStatus,
} from '../types.js';
import {
  type Instruments,
  instrumentsFor,
  SCOPE_NAME,
  type StatusSource,
  scopeAttribute,
} from './instruments.js';

// Fixed by the OpenTelemetry specification; written out so explicit providers need no API import.
const SPAN_KIND_CLIENT = 2;
const STATUS_ERROR = 2;

type Tracer = ReturnType<TelemetryTracerProvider['getTracer']>;
type ExchangeEvent = Extract<WitboostAuthEvent, { type: 'exchange' | 'exchange_failed' }>;
type StoreCallEvent = Extract<WitboostAuthEvent, { type: 'store_call' }>;

/** OpenTelemetry for one instance and its identities. */
export interface Telemetry {
  /** Spans and synchronous metrics from events. */
  record(event: WitboostAuthEvent): void;
  /** Reports the instance's `status()` in the gauges while it is open and alive. */
  watch(instance: { status(): WitboostAuthStatus }): void;
}

/**
 * The `tracerProvider` / `meterProvider` options; one not passed is the global of
 * `@opentelemetry/api` when that optional peer is installed. Neither: no telemetry at all.
 */
export function resolveTelemetry(
  tracerProvider: unknown,
  meterProvider: unknown,
): Telemetry | undefined {
  checkProvider(tracerProvider, 'tracerProvider', 'getTracer', 'TracerProvider');
  checkProvider(meterProvider, 'meterProvider', 'getMeter', 'MeterProvider');
  let tracers = tracerProvider as TelemetryTracerProvider | undefined;
  let meters: (() => TelemetryMeterProvider | undefined) | undefined;
  if (meterProvider !== undefined) {
    const provider = meterProvider as TelemetryMeterProvider;
    meters = () => provider;
  }
  if (tracers === undefined || meters === undefined) {
    const api = loadOpenTelemetryApi();
    // The global tracer provider is a proxy that follows a later registration; the meter
    // provider is not, so it is asked again at each event.
    tracers ??= api?.trace.getTracerProvider();
    if (api !== undefined) meters ??= () => api.metrics.getMeterProvider();
  }
  if (tracers === undefined && meters === undefined) return undefined;
  return createTelemetry(tracers?.getTracer(SCOPE_NAME), meters ?? (() => undefined));
}

function checkProvider(value: unknown, option: string, method: string, kind: string): void {
  if (value === undefined) return;
  const candidate = value as Record<string, unknown> | null;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof candidate[method] !== 'function'
  ) {
    invalidOption(`${option} must be an OpenTelemetry ${kind} (an object with ${method}())`);
  }
}

function createTelemetry(
  tracer: Tracer | undefined,
  meters: () => TelemetryMeterProvider | undefined,
): Telemetry {
  let storeState: 'available' | 'unavailable' | undefined;
  let watched: StatusSource | undefined;
  let bound: TelemetryMeterProvider | undefined;
  let metrics: Instruments | undefined;

  // Those of the current meter provider: an SDK registered after creation counts.
  function instruments(): Instruments | undefined {
    const provider = meters();
    if (provider !== bound) {
      bound = provider;
      metrics = provider && instrumentsFor(provider);
      if (watched !== undefined) metrics?.sources.add(watched);
    }
    return metrics;
  }

  function span(
    name: string,
    durationMs: number,
    attributes: TelemetryAttributes,
    failed: boolean,
  ) {
    if (tracer === undefined) return;
    // Events arrive when the work is over: the span is drawn after the fact, at its real times.
    const end = Date.now();
    const started = tracer.startSpan(name, {
      kind: SPAN_KIND_CLIENT,
      startTime: end - durationMs,
      attributes,
    });
    if (failed) started.setStatus({ code: STATUS_ERROR });
    started.end(end);
  }

  function onExchange(event: ExchangeEvent): void {
    const failed = event.type === 'exchange_failed';
    const attributes: TelemetryAttributes = {
      ...scopeAttribute(event.scope),
      'witboost.auth.outcome': failed ? 'failure' : 'success',
      'witboost.auth.background': event.background,
    };
    if (failed) {
      attributes['error.type'] = event.code;
      if (event.status !== undefined) attributes['http.response.status_code'] = event.status;
    }
    metrics?.exchanges.add(1, attributes);
    metrics?.exchangeDuration.record(event.durationMs / 1000, attributes);
    if (tracer === undefined) return;
    const detail: TelemetryAttributes = { ...attributes };
    if (!failed) detail['witboost.auth.token.lifetime'] = event.lifetimeSeconds;
    else if (event.retryInMs !== undefined)
      detail['witboost.auth.retry_in'] = event.retryInMs / 1000;
    span('witboost.auth.exchange', event.durationMs, detail, failed);
  }

  function onStoreCall(event: StoreCallEvent): void {
    storeState ??= 'available';
    const attributes: TelemetryAttributes = {
      'witboost.auth.store.operation': event.op,
      'witboost.auth.store.outcome': event.outcome,
    };
    metrics?.storeDuration.record(event.durationMs / 1000, attributes);
    const failed = event.outcome === 'error' || event.outcome === 'timeout';
    if (failed) attributes['error.type'] = event.outcome;
    span(`witboost.auth.store.${event.op}`, event.durationMs, attributes, failed);
  }

  return {
    record(event) {
      instruments();
      switch (event.type) {
        case 'exchange':
        case 'exchange_failed':
          return onExchange(event);
        case 'store_call':
          return onStoreCall(event);
        case 'store_state':
          storeState = event.state;
          return;
        case 'cache_lookup':
          metrics?.cacheLookups.add(1, {
            ...scopeAttribute(event.scope),
            'witboost.auth.cache.level': event.level,
            'witboost.auth.cache.result': event.result,
          });
          return;
        case 'caller_waiting':
          metrics?.waitingCallers.add(event.delta, scopeAttribute(event.scope));
          return;
        default:
          return;
      }
    },
    watch(instance) {
      watched = { instance: new WeakRef(instance), storeState: () => storeState };
      instruments()?.sources.add(watched);
    },
  };
}

/** What core reads of `@opentelemetry/api` when no provider is passed. */
interface OpenTelemetryGlobals {
  trace: { getTracerProvider(): TelemetryTracerProvider };
  metrics: { getMeterProvider(): TelemetryMeterProvider };
}

// `undefined`: not tried yet; `null`: not installed.
let api: OpenTelemetryGlobals | null | undefined;

/**
 * Tried once per process, synchronously: the first exchange follows creation at once, and its
 * span must not be lost to an `import()` on its way. The ESM and CommonJS copies of the API keep
 * registrations on one global, so this CommonJS one sees an SDK registered through either.
 */
function loadOpenTelemetryApi(): OpenTelemetryGlobals | undefined {
  if (api === undefined) {
    try {
      api = createRequire(import.meta.url)('@opentelemetry/api') as OpenTelemetryGlobals;
    } catch {
      // Absent (the usual case) or broken: telemetry stays off.
      api = null;
    }
  }
  return api ?? undefined;
}
