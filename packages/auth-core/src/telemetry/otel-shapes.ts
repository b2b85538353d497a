/**
 * The few OpenTelemetry API shapes core calls, written out structurally so that core's types
 * never import `@opentelemetry/api` (an optional peer: a user without it must still type-check).
 * A real `TracerProvider` / `MeterProvider` from the API or an SDK is assignable to these.
 */

/**
 * A span or metric attribute value.
 *
 * @example
 * ```ts
 * const value: TelemetryAttributeValue = 'service:computational-governance';
 * ```
 */
export type TelemetryAttributeValue = string | number | boolean;

/**
 * Attributes of a span or a data point.
 *
 * @example
 * ```ts
 * const attributes: TelemetryAttributes = { 'witboost.auth.outcome': 'success' };
 * ```
 */
export type TelemetryAttributes = Record<string, TelemetryAttributeValue>;

/**
 * The part of an OpenTelemetry `Span` core uses.
 *
 * @example
 * ```ts
 * const end = (span: TelemetrySpan) => span.end(Date.now());
 * ```
 */
export interface TelemetrySpan {
  setAttribute(key: string, value: TelemetryAttributeValue): unknown;
  setStatus(status: { code: number }): unknown;
  end(endTime?: number): void;
}

/**
 * The part of an OpenTelemetry `TracerProvider` core uses: any real one fits.
 *
 * @example
 * ```ts
 * import { createWitboostAuth } from '@wb/auth-core';
 * import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
 * createWitboostAuth({ baseUrl: 'https://witboost.example.com', tracerProvider: new BasicTracerProvider() });
 * ```
 */
export interface TelemetryTracerProvider {
  getTracer(
    name: string,
    version?: string,
  ): {
    startSpan(
      name: string,
      options?: { kind?: number; startTime?: number; attributes?: TelemetryAttributes },
    ): TelemetrySpan;
  };
}

/** Options of an instrument: what the OpenTelemetry API's `MetricOptions` holds, and core sets. */
interface InstrumentOptions {
  description?: string;
  unit?: string;
  advice?: { explicitBucketBoundaries?: number[] };
}

/** A synchronous instrument (counter, up-down counter) core adds to. */
interface AddInstrument {
  add(value: number, attributes?: TelemetryAttributes): void;
}

/** An asynchronous gauge: read through its callback at each collection. */
interface ObservableInstrument {
  addCallback(
    callback: (result: { observe(value: number, attributes?: TelemetryAttributes): void }) => void,
  ): void;
}

/**
 * The part of an OpenTelemetry `MeterProvider` core uses: any real one fits.
 *
 * @example
 * ```ts
 * import { createWitboostAuth } from '@wb/auth-core';
 * import { MeterProvider } from '@opentelemetry/sdk-metrics';
 * createWitboostAuth({ baseUrl: 'https://witboost.example.com', meterProvider: new MeterProvider() });
 * ```
 */
export interface TelemetryMeterProvider {
  getMeter(
    name: string,
    version?: string,
  ): {
    createCounter(name: string, options?: InstrumentOptions): AddInstrument;
    createUpDownCounter(name: string, options?: InstrumentOptions): AddInstrument;
    createHistogram(
      name: string,
      options?: InstrumentOptions,
    ): { record(value: number, attributes?: TelemetryAttributes): void };
    createObservableGauge(name: string, options?: InstrumentOptions): ObservableInstrument;
  };
}
