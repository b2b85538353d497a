import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { createWitboostAuth } from '@wb/auth-core';
import type { BenchContext } from '../harness/context.js';
import { catalogUrl } from '../harness/context.js';
import { interleave } from '../harness/ops.js';
import type { BenchResult } from '../harness/result.js';
import { round } from '../harness/stats.js';

/**
 * `warm_header_vs_limit_with_otel`: `warm_header_vs_limit` with every observer switched on (the
 * OpenTelemetry SDK's tracer and meter providers with in-memory exporters, `onEvent`, and a
 * `diagnostics_channel` subscriber). The warm path emits nothing, so the figure must hold.
 */
export async function warmHeaderOtelMetric(ctx: BenchContext): Promise<BenchResult> {
  const { wb } = ctx;
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(spans)],
  });
  const reader = new PeriodicExportingMetricReader({
    exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
    exportIntervalMillis: 1_000, // collections (and status() reads) happen during the run
  });
  const meterProvider = new MeterProvider({ readers: [reader] });
  let events = 0;
  const listener = () => {
    events++;
  };
  subscribe('witboost.auth', listener);
  const auth = createWitboostAuth({
    baseUrl: wb.url,
    accessToken: wb.issueAccessToken(),
    durationSeconds: 3600,
    tracerProvider,
    meterProvider,
    onEvent: listener,
  });
  try {
    const url = catalogUrl(wb);
    const header = await auth.authorizationFor(url);
    if (!header?.startsWith('Bearer ')) throw new Error('warm header (otel): no Bearer header');
    if (spans.getFinishedSpans().length !== 1)
      throw new Error('warm header (otel): no exchange span');
    const spansBefore = spans.getFinishedSpans().length;
    const eventsBefore = events;
    const limitHeader = header;
    const rounds = ctx.quick ? 3 : 7;
    const measured = await interleave(
      [
        { name: 'ours', op: () => auth.authorizationFor(url) },
        { name: 'limit', op: async () => limitHeader },
      ],
      { rounds, sampleMs: ctx.quick ? 100 : 250, warmupMs: ctx.quick ? 100 : 400 },
    );
    const spansDuring = spans.getFinishedSpans().length - spansBefore;
    return {
      metric: 'warm_header_vs_limit_with_otel',
      ours: Math.round(measured.median('ours')),
      baseline: Math.round(measured.median('limit')),
      ratio: round(measured.pairedRatio('ours', 'limit'), 2),
      goal: 0.5,
      better: 'higher',
      unit: 'ops/s',
      note: `authorizationFor(url) with a cached JWT, OpenTelemetry SDK tracer + meter providers (collecting every 1 s), onEvent and a diagnostics_channel subscriber, against async () => 'Bearer <jwt>'; ${spansDuring} spans and ${events - eventsBefore} events during the measured calls; sequential awaited calls, medians of ${rounds} interleaved rounds, ratio = median of per-round ratios`,
    };
  } finally {
    unsubscribe('witboost.auth', listener);
    await auth.close();
    await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
  }
}
