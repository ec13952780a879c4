/**
 * CPU per OTLP data point of decoding an ExportMetricsServiceRequest and converting it to
 * Prometheus series (decodeMetricsProtobuf / decodeMetricsJson, no HTTP, no storage).
 *
 * The request is a Collector-style batch of 10 services × 1000 points = 10 000 points, recorded
 * through the real OpenTelemetry JS SDK and serialized by its OTLP serializers. Per service:
 * 100 HTTP duration histogram points (14 bounds → 17 series each), 400 counter points,
 * 200 up-down counter points, 300 gauge points, with 2-4 attributes per point plus
 * service/scope context. No Prometheus with an OTLP receiver runs here (the installed 2.42
 * predates it), so there is no peer figure.
 *
 * 3 rounds of 20 decodes each; the first round includes JIT warm-up.
 * Run: node --import tsx bench/decode-otlp-metrics.ts
 */
import { JsonMetricsSerializer, ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { decodeMetricsJson, decodeMetricsProtobuf, type OtlpMetricsResult } from '@vigil/protocols';

class OnDemandReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

const SERVICES = 10;
const ROUTES = [
  '/',
  '/cart',
  '/cart/items',
  '/checkout',
  '/login',
  '/logout',
  '/products',
  '/products/:id',
  '/search',
  '/health',
];
const DURATION_BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

/** Records one service's 1000 points. */
async function recordService(index: number): Promise<ResourceMetrics> {
  const reader = new OnDemandReader();
  const provider = new MeterProvider({
    resource: resourceFromAttributes({
      'service.name': `service-${index}`,
      'service.namespace': 'shop',
      'service.instance.id': `pod-${index}-7f9c8d`,
      'service.version': '1.4.2',
      'host.name': `node-${index % 3}`,
      'k8s.namespace.name': 'shop',
      'k8s.pod.name': `service-${index}-7f9c8d-x2k4p`,
      'telemetry.sdk.language': 'nodejs',
    }),
    readers: [reader],
  });
  const meter = provider.getMeter('@opentelemetry/instrumentation-http', '0.57.0');
  const duration = meter.createHistogram('http.server.request.duration', {
    unit: 's',
    description: 'Duration of HTTP server requests.',
    advice: { explicitBucketBoundaries: DURATION_BOUNDS },
  });
  for (const method of ['GET', 'POST'])
    for (const route of ROUTES)
      for (const status of [200, 201, 404, 500, 503])
        for (let k = 0; k < 20; k++)
          duration.record((k * 0.037) % 3, {
            'http.request.method': method,
            'http.route': route,
            'http.response.status_code': status,
          });
  const consumed = meter.createCounter('messaging.client.consumed.messages', { unit: '{message}' });
  for (let d = 0; d < 200; d++)
    for (const op of ['receive', 'process'])
      consumed.add(d + 1, { 'messaging.destination.name': `queue-${d}`, 'messaging.operation.name': op });
  const connections = meter.createUpDownCounter('db.client.connection.count', { unit: '{connection}' });
  for (let p = 0; p < 100; p++)
    for (const state of ['idle', 'used'])
      connections.add(p % 7, {
        'db.client.connection.pool.name': `pool-${p}`,
        'db.client.connection.state': state,
      });
  const cpu = meter.createGauge('system.cpu.utilization', { unit: '1' });
  for (let c = 0; c < 30; c++)
    for (const mode of [
      'user',
      'system',
      'idle',
      'iowait',
      'irq',
      'softirq',
      'steal',
      'nice',
      'guest',
      'guest_nice',
    ])
      cpu.record(((c * 7) % 100) / 100, { 'cpu.logical_number': c, 'cpu.mode': mode });
  const { resourceMetrics } = await reader.collect();
  await provider.shutdown();
  return resourceMetrics;
}

const services = await Promise.all(Array.from({ length: SERVICES }, (_, i) => recordService(i)));
// Concatenated protobuf messages merge: one request with every service's ResourceMetrics.
const protobufBody = Buffer.concat(services.map((rm) => ProtobufMetricsSerializer.serializeRequest(rm)!));
const jsonParts = services.map(
  (rm) =>
    JSON.parse(new TextDecoder().decode(JsonMetricsSerializer.serializeRequest(rm))) as {
      resourceMetrics: unknown[];
    },
);
const jsonBody = JSON.stringify({ resourceMetrics: jsonParts.flatMap((p) => p.resourceMetrics) });

const check = decodeMetricsProtobuf(protobufBody);
const points = 10_000;
console.log(
  `request: ${SERVICES} resources, ${points} data points, ${check.batch.series.length} series out, ` +
    `protobuf ${(protobufBody.length / 1024).toFixed(0)} KiB, JSON ${(jsonBody.length / 1024).toFixed(0)} KiB, ` +
    `${check.rejected.dataPoints} rejected`,
);

const cases: { name: string; decode: () => OtlpMetricsResult }[] = [
  { name: 'protobuf', decode: () => decodeMetricsProtobuf(protobufBody) },
  { name: 'JSON text', decode: () => decodeMetricsJson(jsonBody) },
];

for (const c of cases) {
  for (let round = 1; round <= 3; round++) {
    const before = process.cpuUsage();
    const startNs = process.hrtime.bigint();
    let series = 0;
    const decodes = 20;
    for (let k = 0; k < decodes; k++) series += c.decode().batch.series.length;
    const used = process.cpuUsage(before);
    const wallMs = Number(process.hrtime.bigint() - startNs) / 1e6;
    const cpuNs = (used.user + used.system) * 1000;
    console.log(
      `${c.name.padEnd(10)} round ${round}: ${(cpuNs / (decodes * points)).toFixed(0)} ns CPU per data point, ` +
        `${(cpuNs / series).toFixed(0)} ns per output series, ${(wallMs / decodes).toFixed(1)} ms per request`,
    );
  }
}
