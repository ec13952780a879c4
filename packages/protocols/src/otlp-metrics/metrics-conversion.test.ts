/**
 * Conversion rules on requests the SDK cannot produce (summaries, flags, collisions, odd
 * senders), encoded independently by protobufjs; every request is also checked in OTLP/JSON.
 */
import { describe, expect, it } from 'vitest';
import { decodeMetricsJson } from './metrics-json.ts';
import { decodeMetricsProtobuf } from './metrics-protobuf.ts';
import type { OtlpMetricsOptions, OtlpMetricsResult } from './result.ts';
import { encodeProtobuf, encodeProtobufUnpacked } from './testing/otlp-proto.ts';
import {
  attributes,
  DELTA,
  gaugeMetric,
  kv,
  labelsOf,
  named,
  numberPoint,
  request,
  simpleRequest,
  sumMetric,
  summarize,
  T0,
  T0_MS,
} from './testing/requests.ts';

const decode = (req: object, options?: OtlpMetricsOptions): OtlpMetricsResult =>
  decodeMetricsProtobuf(encodeProtobuf(req), options);

const SUMMARY_REQUEST = simpleRequest({
  name: 'rpc.latency',
  unit: 's',
  description: 'RPC latency.',
  summary: {
    dataPoints: [
      {
        attributes: attributes({ method: 'Get' }),
        timeUnixNano: T0,
        count: '10',
        sum: 4.5,
        quantileValues: [
          { quantile: 0, value: 0.01 },
          { quantile: 0.5, value: 0.2 },
          { quantile: 0.99, value: 1.5 },
          { quantile: 1, value: 2 },
        ],
      },
    ],
  },
});

const STALE_REQUEST = simpleRequest(
  gaugeMetric('queue.depth', [numberPoint(5, { queue: 'a' }, { flags: 1 }), numberPoint(6, { queue: 'b' })]),
  {
    name: 'job.duration',
    unit: 's',
    histogram: {
      aggregationTemporality: 'AGGREGATION_TEMPORALITY_CUMULATIVE',
      dataPoints: [
        { timeUnixNano: T0, count: '0', sum: 0, bucketCounts: ['0', '0'], explicitBounds: [1], flags: 1 },
      ],
    },
  },
  {
    name: 'rpc.latency',
    summary: { dataPoints: [{ timeUnixNano: T0, quantileValues: [{ quantile: 0.5, value: 1 }], flags: 1 }] },
  },
);

/** bucket_counts shorter than explicit_bounds + 1, and no sum. */
const SPARSE_HISTOGRAM_REQUEST = simpleRequest({
  name: 'size',
  unit: 'By',
  histogram: {
    aggregationTemporality: 'AGGREGATION_TEMPORALITY_CUMULATIVE',
    dataPoints: [
      { timeUnixNano: T0, count: '5', bucketCounts: ['1', '1'], explicitBounds: [1, 2.5e-7, 1e21] },
    ],
  },
});

const LABELS_REQUEST = request(
  {
    attributes: { 'service.name': 'svc', 'service.instance.id': 'i-1', region: 'eu' },
    scopes: [
      {
        name: 'lib',
        attributes: { team: 'core' },
        metrics: [
          gaugeMetric('temperature', [
            {
              timeUnixNano: T0,
              asDouble: 21.5,
              attributes: [
                kv('http_method', 'POST'),
                kv('http.method', 'GET'),
                kv('dup', 'first'),
                kv('dup', 'second'),
                kv('job', 'from-point'),
                kv('instance', 'from-point'),
                kv('otel_scope_version', 'from-point'),
                kv('__name__', 'from-point'),
                kv('empty', ''),
                kv('2xx', 'digits'),
                kv('count', 3),
                kv('ratio', 1.5),
                kv('ok', true),
                { key: 'list', value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: '1' }] } } },
              ],
            },
          ]),
        ],
      },
    ],
  },
  // No service.name: a point's own job label stays; namespace alone makes no job.
  {
    attributes: { 'service.namespace': 'ns' },
    scopes: [{ metrics: [gaugeMetric('temperature', [numberPoint(1, { job: 'own' })])] }],
  },
);

const REJECTIONS_REQUEST = simpleRequest(
  gaugeMetric('ok', [numberPoint(1)]),
  gaugeMetric('bad.key', [numberPoint(1, { fine: 'x' }), { ...numberPoint(2), attributes: [kv('', 'v')] }]),
  gaugeMetric('', [numberPoint(1)]),
  gaugeMetric('...', [numberPoint(1), numberPoint(2)]),
  sumMetric('requests', [numberPoint(1)], { temporality: DELTA }),
  { name: 'unspecified', sum: { dataPoints: [numberPoint(1)], isMonotonic: true } },
  { name: 'no.data' },
  { name: 'delta.but.empty', sum: { aggregationTemporality: DELTA, dataPoints: [] } },
);

const EXEMPLARS_REQUEST = simpleRequest(
  gaugeMetric('g', [numberPoint(1, {}, { exemplars: [{ asDouble: 1 }, { asInt: '2' }] })]),
  {
    name: 'h',
    histogram: {
      aggregationTemporality: 'AGGREGATION_TEMPORALITY_CUMULATIVE',
      dataPoints: [{ timeUnixNano: T0, count: '1', bucketCounts: ['1'], exemplars: [{ asDouble: 0.5 }] }],
    },
  },
);

const TEN_MINUTES_NS = 600_000_000_000n;
const TARGET_INFO_REQUEST = request(
  {
    attributes: { 'service.name': 'svc', 'host.name': 'h1' },
    scopes: [
      {
        metrics: [
          gaugeMetric('g', [
            numberPoint(1),
            { ...numberPoint(2), timeUnixNano: String(BigInt(T0) + TEN_MINUTES_NS) },
          ]),
        ],
      },
    ],
  },
  // Same service and attributes again (a Collector batch of two exports): one target_info series.
  {
    attributes: { 'service.name': 'svc', 'host.name': 'h1' },
    scopes: [{ metrics: [gaugeMetric('g', [numberPoint(3)])] }],
  },
);

const INT_VALUES_REQUEST = simpleRequest(
  sumMetric(
    'big',
    [
      { timeUnixNano: T0, asInt: '-9007199254740993' },
      { timeUnixNano: T0, asInt: '42' },
    ],
    {
      monotonic: false,
    },
  ),
);

/** Points that repeat, reorder, change and omit attribute keys and values (the decoder's reuse cache). */
const REPEATED_ATTRIBUTES_REQUEST = simpleRequest(
  gaugeMetric('g', [
    numberPoint(1, { a: 'x', b: 'y' }),
    numberPoint(2, { a: 'x', b: 'z' }),
    numberPoint(3, { b: 'z', a: 'x' }),
    numberPoint(4, { a: 'w' }),
    { ...numberPoint(5), attributes: [{ value: { stringValue: 'x' } }] },
    numberPoint(6, { a: 'x' }),
    { ...numberPoint(7), attributes: [{ key: 'a' }] },
    numberPoint(8, { a: 'x', b: 'y' }),
  ]),
  gaugeMetric('h', [numberPoint(9, { a: 'x', b: 'y' })]),
);

/** Every request above, for the encoding-equivalence tests. */
const REQUESTS: Record<string, object> = {
  summary: SUMMARY_REQUEST,
  staleness: STALE_REQUEST,
  'sparse histogram': SPARSE_HISTOGRAM_REQUEST,
  labels: LABELS_REQUEST,
  rejections: REJECTIONS_REQUEST,
  exemplars: EXEMPLARS_REQUEST,
  target_info: TARGET_INFO_REQUEST,
  'int values': INT_VALUES_REQUEST,
  'repeated attributes': REPEATED_ATTRIBUTES_REQUEST,
};

describe('metric type conversion', () => {
  it('turns a summary into _sum, _count and one series per quantile', () => {
    const result = decode(SUMMARY_REQUEST);
    expect(summarize(result.batch.series)).toEqual([
      {
        labels: { __name__: 'rpc_latency_seconds_sum', job: 'svc', method: 'Get' },
        timestampsMs: [T0_MS],
        values: [4.5],
      },
      {
        labels: { __name__: 'rpc_latency_seconds_count', job: 'svc', method: 'Get' },
        timestampsMs: [T0_MS],
        values: [10],
      },
      ...[
        ['0', 0.01],
        ['0.5', 0.2],
        ['0.99', 1.5],
        ['1', 2],
      ].map(([quantile, value]) => ({
        labels: { __name__: 'rpc_latency_seconds', job: 'svc', method: 'Get', quantile },
        timestampsMs: [T0_MS],
        values: [value],
      })),
    ]);
    expect(result.batch.metadata).toEqual([
      { metricFamilyName: 'rpc_latency_seconds', type: 'summary', help: 'RPC latency.', unit: 'seconds' },
    ]);
  });

  it('writes only the buckets both arrays describe, no _sum without a sum, and le in plain decimal', () => {
    const series = decode(SPARSE_HISTOGRAM_REQUEST).batch.series;
    expect(series.map((s) => [labelsOf(s)['__name__'], labelsOf(s)['le'], s.values[0]])).toEqual([
      ['size_bytes_count', undefined, 5],
      ['size_bytes_bucket', '1', 1],
      ['size_bytes_bucket', '0.00000025', 2],
      ['size_bytes_bucket', '+Inf', 5],
    ]);
  });

  it('reads sfixed64 as_int values, including negative ones beyond 2^53 (rounded like float64)', () => {
    expect(decode(INT_VALUES_REQUEST).batch.series.map((s) => s.values[0])).toEqual([-9007199254740992, 42]);
  });

  it('decodes unpacked bucket counts and bounds like packed ones', () => {
    for (const req of [STALE_REQUEST, SPARSE_HISTOGRAM_REQUEST]) {
      expect(decodeMetricsProtobuf(encodeProtobufUnpacked(req))).toEqual(decode(req));
    }
  });
});

describe('NO_RECORDED_VALUE', () => {
  it('marks every series of a flagged point as stale and leaves other points alone', () => {
    const series = summarize(decode(STALE_REQUEST).batch.series);
    const stale = { timestampsMs: [T0_MS], values: [NaN], staleIndexes: [0] };
    expect(series).toEqual([
      { labels: { __name__: 'queue_depth', job: 'svc', queue: 'a' }, ...stale },
      { labels: { __name__: 'queue_depth', job: 'svc', queue: 'b' }, timestampsMs: [T0_MS], values: [6] },
      { labels: { __name__: 'job_duration_seconds_sum', job: 'svc' }, ...stale },
      { labels: { __name__: 'job_duration_seconds_count', job: 'svc' }, ...stale },
      { labels: { __name__: 'job_duration_seconds_bucket', job: 'svc', le: '1' }, ...stale },
      { labels: { __name__: 'job_duration_seconds_bucket', job: 'svc', le: '+Inf' }, ...stale },
      { labels: { __name__: 'rpc_latency_sum', job: 'svc' }, ...stale },
      { labels: { __name__: 'rpc_latency_count', job: 'svc' }, ...stale },
      { labels: { __name__: 'rpc_latency', job: 'svc', quantile: '0.5' }, ...stale },
    ]);
  });

  it('keeps an as_double that already holds the staleness marker’s bits a staleness marker', () => {
    const body = encodeProtobuf(simpleRequest(gaugeMetric('g', [numberPoint(12345.5)])));
    const bytes = Buffer.from(body);
    const at = bytes.indexOf(Buffer.from(new Float64Array([12345.5]).buffer));
    bytes.writeUInt32LE(0x00000002, at);
    bytes.writeUInt32LE(0x7ff00000, at + 4);
    expect(decodeMetricsProtobuf(bytes).batch.series[0]).toMatchObject({ values: [NaN], staleIndexes: [0] });
  });
});

describe('labels', () => {
  const result = decode(LABELS_REQUEST);

  it('joins colliding keys in key order, lets job, instance and scope labels win, and drops empty values', () => {
    expect(labelsOf(result.batch.series[0]!)).toEqual({
      __name__: 'temperature',
      job: 'svc',
      instance: 'i-1',
      http_method: 'GET;POST',
      dup: 'first;second',
      key_2xx: 'digits',
      count: '3',
      ratio: '1.5',
      ok: 'true',
      list: '["a",1]',
      otel_scope_name: 'lib',
      otel_scope_team: 'core',
    });
  });

  it('keeps a point’s own job label when the resource has no service.name', () => {
    expect(labelsOf(result.batch.series[1]!)).toEqual({ __name__: 'temperature', job: 'own' });
  });

  it('leaves scope labels out when asked to', () => {
    const labels = labelsOf(decode(LABELS_REQUEST, { promoteScopeMetadata: false }).batch.series[0]!);
    expect(Object.keys(labels).filter((n) => n.startsWith('otel_scope'))).toEqual(['otel_scope_version']);
  });
  it('gives every point its own attributes when consecutive points repeat, reorder or drop them', () => {
    const result = decode(REPEATED_ATTRIBUTES_REQUEST);
    expect(result.batch.series.map((s) => [s.values[0], labelsOf(s)])).toEqual([
      [1, { __name__: 'g', job: 'svc', a: 'x', b: 'y' }],
      [2, { __name__: 'g', job: 'svc', a: 'x', b: 'z' }],
      [3, { __name__: 'g', job: 'svc', a: 'x', b: 'z' }],
      [4, { __name__: 'g', job: 'svc', a: 'w' }],
      [6, { __name__: 'g', job: 'svc', a: 'x' }],
      [7, { __name__: 'g', job: 'svc' }],
      [8, { __name__: 'g', job: 'svc', a: 'x', b: 'y' }],
      [9, { __name__: 'h', job: 'svc', a: 'x', b: 'y' }],
    ]);
    // Point 5's attribute has no key.
    expect(result.rejected.dataPoints).toBe(1);
  });
});

describe('rejections', () => {
  const result = decode(REJECTIONS_REQUEST);

  it('keeps the convertible metrics and points and names every rejected one with a reason', () => {
    expect(result.batch.series.map((s) => labelsOf(s)['__name__'])).toEqual(['ok', 'bad_key']);
    expect(result.rejected).toEqual({
      dataPoints: 6,
      metricsNotListed: 0,
      metrics: [
        {
          metric: 'bad.key',
          reason: 'an attribute has an empty key, which cannot become a label name',
          dataPoints: 1,
        },
        {
          metric: '',
          reason: 'metric name "" normalizes to an empty name; rename the instrument',
          dataPoints: 1,
        },
        {
          metric: '...',
          reason: 'metric name "..." normalizes to an empty name; rename the instrument',
          dataPoints: 2,
        },
        {
          metric: 'requests',
          reason: expect.stringMatching(/^delta temporality is not supported/),
          dataPoints: 1,
        },
        {
          metric: 'unspecified',
          reason: 'aggregation temporality is unspecified; only cumulative is supported',
          dataPoints: 1,
        },
      ],
    });
  });
});

describe('exemplars and target_info', () => {
  it('counts exemplars as dropped', () => {
    expect(decode(EXEMPLARS_REQUEST).batch.exemplarsDropped).toBe(3);
  });

  it('samples target_info every 150 s across the resource’s points and merges identical resources', () => {
    const targetInfo = named(decode(TARGET_INFO_REQUEST).batch.series, 'target_info');
    expect(summarize(targetInfo)).toEqual([
      {
        labels: { __name__: 'target_info', job: 'svc', host_name: 'h1' },
        timestampsMs: [0, 150_000, 300_000, 450_000, 600_000].map((d) => T0_MS + d),
        values: [1, 1, 1, 1, 1],
      },
    ]);
    expect(named(decode(TARGET_INFO_REQUEST, { targetInfo: false }).batch.series, 'target_info')).toEqual([]);
  });
});

describe('OTLP/JSON and protobuf encodings of the same request', () => {
  it.each(Object.entries(REQUESTS))('give the same result for the %s request', (_, req) => {
    const fromProtobuf = decode(req);
    expect(decodeMetricsJson(JSON.stringify(req))).toEqual(fromProtobuf);
    // An already parsed body is accepted as well.
    expect(decodeMetricsJson(JSON.parse(JSON.stringify(req)) as object)).toEqual(fromProtobuf);
  });
});
