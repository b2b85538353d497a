/**
 * The few OpenTelemetry API shapes core calls, written out structurally so that core's types
 * never import `@opentelemetry/api` (an optional peer: a user without it must still type-check).
 * A real `TracerProvider` / `MeterProvider` from the API or an SDK is assignable to these.
 */

/**
 * Attributes of a span or a data point, as core records them.
 *
 * @example
 * ```ts
 * import type { TelemetryAttributes } from '@wb/auth-core';
 * const attributes: TelemetryAttributes = { 'witboost.auth.outcome': 'success' };
 * ```
 */
export type TelemetryAttributes = Record<string, string | number | boolean>;

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
    ): {
      setStatus(status: { code: number }): unknown;
      end(endTime?: number): void;
    };
  };
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
    createCounter(
      name: string,
      options?: { description?: string; unit?: string },
    ): { add(value: number, attributes?: TelemetryAttributes): void };
    createUpDownCounter(
      name: string,
      options?: { description?: string; unit?: string },
    ): { add(value: number, attributes?: TelemetryAttributes): void };
    createHistogram(
      name: string,
      options?: {
        description?: string;
        unit?: string;
        advice?: { explicitBucketBoundaries?: number[] };
      },
    ): { record(value: number, attributes?: TelemetryAttributes): void };
    createObservableGauge(
      name: string,
      options?: { description?: string; unit?: string },
    ): {
      addCallback(
        callback: (result: {
          observe(value: number, attributes?: TelemetryAttributes): void;
        }) => void,
      ): void;
    };
  };
}
