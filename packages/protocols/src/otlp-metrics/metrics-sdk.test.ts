import { JsonMetricsSerializer, ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { HrTime } from '@opentelemetry/api';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeMetricsJson } from './metrics-json.ts';
import { decodeMetricsProtobuf } from './metrics-protobuf.ts';
import type { OtlpMetricsResult } from './result.ts';
import { labelsOf, named, summarize } from './testing/requests.ts';
import { recordEveryKind, recordPaymentsService, SCOPE } from './testing/sdk-metrics.ts';

const hrTimeToMs = (t: HrTime): number => t[0] * 1000 + Math.floor(t[1] / 1e6);

/** The labels every series of the checkout fixture carries besides its own. */
const CONTEXT = {
  job: 'shop/checkout',
  instance: 'pod-7f9c',
  otel_scope_name: SCOPE.name,
  otel_scope_version: SCOPE.version,
  otel_scope_schema_url: SCOPE.schemaUrl,
};

const protobufBody = (rm: ResourceMetrics): Uint8Array => ProtobufMetricsSerializer.serializeRequest(rm)!;

describe('decodeMetricsProtobuf with metrics recorded by the OpenTelemetry JS SDK', () => {
  let recorded: ResourceMetrics;
  let result: OtlpMetricsResult;
  let timeMs: number;
  beforeAll(async () => {
    recorded = await recordEveryKind();
    result = decodeMetricsProtobuf(protobufBody(recorded));
    timeMs = hrTimeToMs(recorded.scopeMetrics[0]!.metrics[0]!.dataPoints[0]!.endTime);
  });

  it('turns a monotonic cumulative sum into a counter with _total and the point attributes as labels', () => {
    expect(summarize(named(result.batch.series, 'http_server_requests_total'))).toEqual([
      {
        labels: {
          __name__: 'http_server_requests_total',
          ...CONTEXT,
          http_request_method: 'GET',
          http_response_status_code: '200',
        },
        timestampsMs: [timeMs],
        values: [3],
      },
      {
        labels: {
          __name__: 'http_server_requests_total',
          ...CONTEXT,
          http_request_method: 'POST',
          http_response_status_code: '500',
        },
        timestampsMs: [timeMs],
        values: [1],
      },
    ]);
  });

  it('reads integer points (as_int) of an int counter', () => {
    const [series] = named(result.batch.series, 'db_client_operations_total');
    expect(series?.values).toEqual([7]);
    expect(labelsOf(series!)['db_system_name']).toBe('postgresql');
  });

  it('turns a non-monotonic sum into a gauge without _total', () => {
    expect(summarize(named(result.batch.series, 'http_server_active_requests'))).toEqual([
      {
        labels: { __name__: 'http_server_active_requests', ...CONTEXT },
        timestampsMs: [timeMs],
        values: [3],
      },
    ]);
  });

  it('turns a gauge with unit "1" into a _ratio gauge', () => {
    expect(summarize(named(result.batch.series, 'process_cpu_utilization_ratio'))).toEqual([
      {
        labels: { __name__: 'process_cpu_utilization_ratio', ...CONTEXT, cpu_mode: 'user' },
        timestampsMs: [timeMs],
        values: [0.25],
      },
    ]);
  });

  it('turns a histogram into cumulative _bucket series up to +Inf, _sum and _count', () => {
    const route = { ...CONTEXT, http_route: '/cart' };
    const name = 'http_server_request_duration_seconds';
    const buckets = named(result.batch.series, `${name}_bucket`).map((s) => [labelsOf(s)['le'], s.values[0]]);
    // Observations 0.05, 0.3, 0.3, 2 against bounds 0.1, 0.5, 1.
    expect(buckets).toEqual([
      ['0.1', 1],
      ['0.5', 3],
      ['1', 3],
      ['+Inf', 4],
    ]);
    expect(summarize(named(result.batch.series, `${name}_sum`))).toEqual([
      { labels: { __name__: `${name}_sum`, ...route }, timestampsMs: [timeMs], values: [2.65] },
    ]);
    expect(summarize(named(result.batch.series, `${name}_count`))).toEqual([
      { labels: { __name__: `${name}_count`, ...route }, timestampsMs: [timeMs], values: [4] },
    ]);
    expect(labelsOf(named(result.batch.series, `${name}_bucket`)[0]!)).toEqual({
      __name__: `${name}_bucket`,
      ...route,
      le: '0.1',
    });
  });

  it('rejects the exponential histogram with a reason, keeps the rest and counts it as native', () => {
    expect(result.rejected.dataPoints).toBe(1);
    expect(result.rejected.metrics).toEqual([
      { metric: 'rpc.server.duration', reason: expect.stringContaining('native histograms'), dataPoints: 1 },
    ]);
    expect(result.batch.nativeHistogramSeries).toBe(1);
    expect(result.batch.series.some((s) => labelsOf(s)['__name__']!.startsWith('rpc_server_duration'))).toBe(
      false,
    );
  });

  it('sorts every series’ labels by name, with __name__ among them', () => {
    for (const series of result.batch.series) {
      const names = series.labels.map((l) => l.name);
      expect(names).toEqual([...names].sort());
      expect(names).toContain('__name__');
    }
  });

  it('describes each family once with its Prometheus type, help and unit', () => {
    expect(result.batch.metadata).toEqual([
      { metricFamilyName: 'http_server_requests_total', type: 'counter', help: 'Requests served.', unit: '' },
      { metricFamilyName: 'db_client_operations_total', type: 'counter', help: '', unit: '' },
      { metricFamilyName: 'http_server_active_requests', type: 'gauge', help: '', unit: '' },
      { metricFamilyName: 'process_cpu_utilization_ratio', type: 'gauge', help: '', unit: '' },
      {
        metricFamilyName: 'http_server_request_duration_seconds',
        type: 'histogram',
        help: 'Duration of HTTP server requests.',
        unit: 'seconds',
      },
      { metricFamilyName: 'target_info', type: 'gauge', help: 'Target metadata', unit: '' },
    ]);
  });

  it('puts the other resource attributes on one target_info series instead of on every series', () => {
    expect(summarize(named(result.batch.series, 'target_info'))).toEqual([
      {
        labels: {
          __name__: 'target_info',
          job: 'shop/checkout',
          instance: 'pod-7f9c',
          host_name: 'node-3',
          deployment_environment_name: 'prod',
          process_pid: '4242',
        },
        timestampsMs: [timeMs],
        values: [1],
      },
    ]);
    expect(result.batch.series.filter((s) => 'host_name' in labelsOf(s))).toHaveLength(1);
  });

  it('gives the same result for the SDK’s OTLP/JSON encoding of the same export', () => {
    const json = new TextDecoder().decode(JsonMetricsSerializer.serializeRequest(recorded));
    expect(decodeMetricsJson(json)).toEqual(result);
  });

  it('names families without unit and type suffixes when asked to', () => {
    const plain = decodeMetricsProtobuf(protobufBody(recorded), { addSuffixes: false });
    expect(plain.batch.metadata.map((m) => m.metricFamilyName)).toEqual([
      'http_server_requests',
      'db_client_operations',
      'http_server_active_requests',
      'process_cpu_utilization',
      'http_server_request_duration',
      'target_info',
    ]);
  });
});

describe('decodeMetricsProtobuf with delta temporality from the SDK', () => {
  it('rejects delta sums and histograms with a clear reason and keeps the gauges', async () => {
    const result = decodeMetricsProtobuf(protobufBody(await recordEveryKind('delta')));
    const families = result.batch.metadata.map((m) => m.metricFamilyName);
    expect(families).toEqual(['process_cpu_utilization_ratio', 'target_info']);
    // The SDK's order of metrics differs between temporalities, hence the sort.
    const rejected = result.rejected.metrics
      .map((r) => [r.metric, r.dataPoints, r.reason.slice(0, 32)])
      .sort();
    expect(rejected).toEqual([
      ['db.client.operations', 1, 'delta temporality is not support'],
      ['http.server.active_requests', 1, 'delta temporality is not support'],
      ['http.server.request.duration', 1, 'delta temporality is not support'],
      ['http.server.requests', 2, 'delta temporality is not support'],
      ['rpc.server.duration', 1, 'exponential histograms are not s'],
    ]);
    expect(result.rejected.dataPoints).toBe(6);
  });
});

describe('decodeMetricsProtobuf with a Collector-style batch of two services', () => {
  it('keeps each resource’s job and instance on its own series', async () => {
    const [checkout, payments] = await Promise.all([recordEveryKind(), recordPaymentsService()]);
    // Concatenated messages merge their repeated fields: one request with both resources.
    const body = Buffer.concat([protobufBody(checkout), protobufBody(payments)]);
    const result = decodeMetricsProtobuf(body);
    const [charged] = named(result.batch.series, 'payments_charged_bytes_total');
    expect(labelsOf(charged!)).toEqual({
      __name__: 'payments_charged_bytes_total',
      job: 'payments',
      otel_scope_name: 'payments-lib',
    });
    expect(named(result.batch.series, 'http_server_requests_total').map((s) => labelsOf(s)['job'])).toEqual([
      'shop/checkout',
      'shop/checkout',
    ]);
    // payments has only identifying attributes, so no target_info of its own.
    expect(named(result.batch.series, 'target_info').map((s) => labelsOf(s)['job'])).toEqual([
      'shop/checkout',
    ]);
  });
});
