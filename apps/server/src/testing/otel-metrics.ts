/**
 * Metrics recorded with the real OpenTelemetry JS SDK and exported by its real OTLP exporters,
 * for integration tests: a MeterProvider whose reader collects on demand.
 */
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  MeterProvider,
  MetricReader,
  type PushMetricExporter,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import type { Meter } from '@opentelemetry/api';

class OnDemandReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/** Records with `record(meter)` and returns what the SDK would export (cumulative by default). */
export async function recordMetrics(
  resource: Record<string, string>,
  record: (meter: Meter) => void,
  temporality: 'cumulative' | 'delta' = 'cumulative',
): Promise<ResourceMetrics> {
  const reader = new OnDemandReader({
    aggregationTemporalitySelector: () =>
      temporality === 'delta' ? AggregationTemporality.DELTA : AggregationTemporality.CUMULATIVE,
  });
  const provider = new MeterProvider({ resource: resourceFromAttributes(resource), readers: [reader] });
  record(provider.getMeter('vigil-it', '1.0.0'));
  const { resourceMetrics, errors } = await reader.collect();
  if (errors.length > 0) throw errors[0];
  await provider.shutdown();
  return resourceMetrics;
}

/** Sends one collection through a real exporter and resolves when it answered. */
export function exportMetrics(exporter: PushMetricExporter, metrics: ResourceMetrics): Promise<void> {
  return new Promise((resolve, reject) => {
    exporter.export(metrics, (result) => {
      if (result.code === 0) resolve();
      else reject(result.error ?? new Error('export failed'));
    });
  });
}
