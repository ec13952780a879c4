/**
 * Metrics recorded through the real OpenTelemetry JS SDK (`@opentelemetry/sdk-metrics`, present
 * as a dependency of `@opentelemetry/otlp-transformer`) and serialized by the SDK's own OTLP
 * serializers, so the decoders are tested against what an instrumented service really sends.
 */
import { ValueType } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  AggregationType,
  MeterProvider,
  MetricReader,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';

/** A reader that only collects on demand; the test serializes what it returns. */
class OnDemandReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

export const CHECKOUT_RESOURCE = {
  'service.name': 'checkout',
  'service.namespace': 'shop',
  'service.instance.id': 'pod-7f9c',
  'host.name': 'node-3',
  'deployment.environment.name': 'prod',
  'process.pid': 4242,
} as const;

export const SCOPE = {
  name: 'vigil-test',
  version: '1.2.3',
  schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
};

export const DURATION_BOUNDS = [0.1, 0.5, 1] as const;

/**
 * Records one instrument of every kind the SDK has, with known values:
 *
 * | instrument                      | kind                         | values                          |
 * |---------------------------------|------------------------------|---------------------------------|
 * | http.server.requests `{request}`| counter (double)             | GET 200: 3, POST 500: 1         |
 * | db.client.operations            | counter (int)                | 7                               |
 * | http.server.active_requests     | up-down counter              | 5 − 2 = 3                       |
 * | process.cpu.utilization `1`     | gauge                        | 0.25                            |
 * | http.server.request.duration `s`| histogram, bounds 0.1/0.5/1  | 0.05, 0.3, 0.3, 2               |
 * | rpc.server.duration `ms`        | exponential histogram (view) | 1, 2, 4                         |
 *
 * With `temporality: 'delta'` the reader asks for delta sums and histograms.
 */
export async function recordEveryKind(
  temporality: 'cumulative' | 'delta' = 'cumulative',
): Promise<ResourceMetrics> {
  const reader = new OnDemandReader({
    aggregationTemporalitySelector: () =>
      temporality === 'delta' ? AggregationTemporality.DELTA : AggregationTemporality.CUMULATIVE,
  });
  const provider = new MeterProvider({
    resource: resourceFromAttributes(CHECKOUT_RESOURCE),
    readers: [reader],
    views: [
      { instrumentName: 'rpc.server.duration', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } },
    ],
  });
  const meter = provider.getMeter(SCOPE.name, SCOPE.version, { schemaUrl: SCOPE.schemaUrl });

  const requests = meter.createCounter('http.server.requests', {
    unit: '{request}',
    description: 'Requests served.',
  });
  requests.add(3, { 'http.request.method': 'GET', 'http.response.status_code': 200 });
  requests.add(1, { 'http.request.method': 'POST', 'http.response.status_code': 500 });
  meter
    .createCounter('db.client.operations', { valueType: ValueType.INT })
    .add(7, { 'db.system.name': 'postgresql' });
  const active = meter.createUpDownCounter('http.server.active_requests', { unit: '{request}' });
  active.add(5);
  active.add(-2);
  meter.createGauge('process.cpu.utilization', { unit: '1' }).record(0.25, { 'cpu.mode': 'user' });
  const duration = meter.createHistogram('http.server.request.duration', {
    unit: 's',
    description: 'Duration of HTTP server requests.',
    advice: { explicitBucketBoundaries: [...DURATION_BOUNDS] },
  });
  for (const seconds of [0.05, 0.3, 0.3, 2]) duration.record(seconds, { 'http.route': '/cart' });
  const rpc = meter.createHistogram('rpc.server.duration', { unit: 'ms' });
  for (const ms of [1, 2, 4]) rpc.record(ms);

  const { resourceMetrics, errors } = await reader.collect();
  if (errors.length > 0) throw new Error(`SDK collection failed: ${String(errors[0])}`);
  await provider.shutdown();
  return resourceMetrics;
}

/** A second service without namespace or instance id, to test multi-resource requests. */
export async function recordPaymentsService(): Promise<ResourceMetrics> {
  const reader = new OnDemandReader();
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': 'payments' }),
    readers: [reader],
  });
  provider.getMeter('payments-lib').createCounter('payments.charged', { unit: 'By' }).add(10);
  const { resourceMetrics } = await reader.collect();
  await provider.shutdown();
  return resourceMetrics;
}
