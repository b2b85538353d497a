import {
  AggregationTemporality,
  DataPointType,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

/** One exported data point, flattened: sums and gauges give `value`, histograms `count`/`sum`. */
export interface Point {
  name: string;
  unit: string;
  kind: string;
  attributes: Record<string, unknown>;
  value: number;
  count: number;
}

/**
 * The OpenTelemetry SDK with in-memory exporters, as a test sees it: the providers to pass to
 * `createWitboostAuth`, the spans exported so far, and a collection of every metric on demand.
 */
export function createOtelSdk() {
  const spanExporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(spanExporter)],
  });
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({
    exporter: metricExporter,
    exportIntervalMillis: 3_600_000, // collected on demand only
  });
  const meterProvider = new MeterProvider({ readers: [reader] });

  /** Every data point of one collection now (cumulative: totals since the start). */
  async function points(): Promise<Point[]> {
    metricExporter.reset();
    await reader.forceFlush();
    const out: Point[] = [];
    for (const resource of metricExporter.getMetrics()) {
      for (const scope of resource.scopeMetrics) {
        for (const metric of scope.metrics) {
          for (const point of metric.dataPoints) {
            const histogram = metric.dataPointType === DataPointType.HISTOGRAM;
            const value = point.value as number | { count: number; sum?: number };
            out.push({
              name: metric.descriptor.name,
              unit: metric.descriptor.unit,
              kind: DataPointType[metric.dataPointType],
              attributes: point.attributes,
              value: histogram ? ((value as { sum?: number }).sum ?? 0) : (value as number),
              count: histogram ? (value as { count: number }).count : 1,
            });
          }
        }
      }
    }
    return out;
  }

  /** Sum of `value` (or of histogram counts with `field: 'count'`) over matching points. */
  async function total(
    name: string,
    where: Record<string, unknown> = {},
    field: 'value' | 'count' = 'value',
  ): Promise<number> {
    const matching = (await points()).filter(
      (p) => p.name === name && Object.entries(where).every(([k, v]) => p.attributes[k] === v),
    );
    return matching.reduce((sum, p) => sum + p[field], 0);
  }

  return {
    tracerProvider,
    meterProvider,
    spans: (): ReadableSpan[] => spanExporter.getFinishedSpans(),
    points,
    total,
    async shutdown() {
      await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
    },
  };
}

export type OtelSdk = ReturnType<typeof createOtelSdk>;

/**
 * Every string an attribute of a span or data point holds, with the attribute's key: what the
 * secret scan reads.
 */
export async function everyAttribute(sdk: OtelSdk): Promise<string[]> {
  const texts: string[] = [];
  for (const span of sdk.spans()) {
    texts.push(span.name);
    for (const [key, value] of Object.entries(span.attributes)) texts.push(key, String(value));
    for (const event of span.events) texts.push(event.name, JSON.stringify(event.attributes ?? {}));
    texts.push(span.status.message ?? '');
  }
  for (const point of await sdk.points()) {
    texts.push(point.name);
    for (const [key, value] of Object.entries(point.attributes)) texts.push(key, String(value));
  }
  return texts;
}
