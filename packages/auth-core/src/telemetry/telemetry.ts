import { createRequire } from 'node:module';
import { invalidOption } from '../errors.js';
import type { WitboostAuthEvent, WitboostAuthStatus } from '../types.js';
import {
  type Instruments,
  instrumentsFor,
  SCOPE_NAME,
  type StatusSource,
  scopeAttribute,
} from './instruments.js';
import type {
  TelemetryAttributes,
  TelemetryMeterProvider,
  TelemetryTracerProvider,
} from './otel-shapes.js';

// Fixed by the OpenTelemetry specification; written out so explicit providers need no API import.
const SPAN_KIND_CLIENT = 2;
const STATUS_ERROR = 2;

type Tracer = ReturnType<TelemetryTracerProvider['getTracer']>;
type ExchangeEvent = Extract<WitboostAuthEvent, { type: 'exchange' | 'exchange_failed' }>;
type StoreCallEvent = Extract<WitboostAuthEvent, { type: 'store_call' }>;

/** OpenTelemetry for one `createWitboostAuth` instance and its `withAccessToken` children. */
export interface Telemetry {
  /** The event subscriber of the instance (shared by its children): spans, synchronous metrics. */
  record(event: WitboostAuthEvent): void;
  /** Reports the instance's `status()` in the observable gauges while it is open and alive. */
  watch(instance: { status(): WitboostAuthStatus }): void;
}

/**
 * Resolves the `tracerProvider` / `meterProvider` options. A provider not passed is the global
 * one of `@opentelemetry/api` when that optional peer is installed (no-op until an SDK is
 * registered); with neither passed nor the API installed there is no telemetry at all, and
 * nothing is loaded.
 *
 * @param tracerProvider - the option's value (`undefined`: not passed)
 * @param meterProvider - the option's value (`undefined`: not passed)
 * @returns the instance's telemetry, or `undefined` when there is none
 * @throws {WitboostAuthError} `invalid_options` when a provider lacks `getTracer` / `getMeter`
 * @example
 * ```ts
 * const telemetry = resolveTelemetry(new BasicTracerProvider(), undefined);
 * telemetry?.record({ type: 'invalidated', scope: undefined });
 * ```
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
    // The API's global tracer provider is a proxy that follows a later registration; its meter
    // provider is not, so it is asked again at each event (see `createTelemetry`).
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
  // Shared by the instance and its children: they use one store.
  let storeState: 'available' | 'unavailable' | undefined;
  let watched: StatusSource | undefined;
  let bound: TelemetryMeterProvider | undefined;
  let metrics: Instruments | undefined;

  /** The instruments of the current meter provider: an SDK registered after creation counts. */
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
      instruments(); // follows a meter provider registered since the last event
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

/** The globals of `@opentelemetry/api` core reads when no provider is passed. */
export interface OpenTelemetryGlobals {
  trace: { getTracerProvider(): TelemetryTracerProvider };
  metrics: { getMeterProvider(): TelemetryMeterProvider };
}

// `undefined`: not tried yet; `null`: tried, not installed (or unusable).
let api: OpenTelemetryGlobals | null | undefined;

/**
 * `@opentelemetry/api` if it can be resolved from core, else `undefined`; tried once per process.
 * Synchronous on purpose (`createWitboostAuth` is): the first exchange happens right after
 * creation and its span must not be lost to an `import()` still on its way. Both the ESM and the
 * CommonJS copy of the API keep their registrations on one global, so the CommonJS copy loaded
 * here sees an SDK the application registered through either.
 *
 * @returns the API's global providers, or `undefined` when the optional peer is absent
 * @example
 * ```ts
 * const globals = loadOpenTelemetryApi();
 * const tracerProvider = globals?.trace.getTracerProvider();
 * ```
 */
export function loadOpenTelemetryApi(): OpenTelemetryGlobals | undefined {
  if (api === undefined) {
    try {
      api = createRequire(import.meta.url)('@opentelemetry/api') as OpenTelemetryGlobals;
    } catch {
      // Absent (the usual case) or broken: telemetry stays off, nothing else changes.
      api = null;
    }
  }
  return api ?? undefined;
}
