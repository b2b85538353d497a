import { createRequire } from 'node:module';
import type { TelemetryMeterProvider, TelemetryTracerProvider } from './otel-shapes.js';

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
