import { describe, expect, it } from 'vitest';
import { catchDecodeError } from '../testing/catch-decode-error.ts';
import { decodeMetricsJson } from './metrics-json.ts';
import { decodeMetricsProtobuf } from './metrics-protobuf.ts';
import { MAX_REJECTED_METRICS, rejectionMessage } from './result.ts';
import { encodeProtobuf } from './testing/otlp-proto.ts';
import { DELTA, gaugeMetric, numberPoint, simpleRequest, sumMetric, T0 } from './testing/requests.ts';

const HISTOGRAM = simpleRequest({
  name: 'h',
  histogram: {
    aggregationTemporality: 'AGGREGATION_TEMPORALITY_CUMULATIVE',
    dataPoints: [{ timeUnixNano: T0, count: '1', bucketCounts: ['1'] }],
  },
});

/** A JSON request whose first gauge point is `point`. */
const jsonWithPoint = (point: object): string => JSON.stringify(simpleRequest(gaugeMetric('g', [point])));
const POINT_PATH = 'resourceMetrics[0].scopeMetrics[0].metrics[0].gauge.dataPoints[0]';

describe('decodeMetricsProtobuf on malformed bodies', () => {
  it('rejects a truncated body with the path of the message it was reading', () => {
    const body = encodeProtobuf(HISTOGRAM);
    const err = catchDecodeError(() => decodeMetricsProtobuf(body.subarray(0, body.length - 3)));
    expect(err.message).toMatch(/^length \d+ exceeds the \d+ bytes left at resourceMetrics\[0\]/);
    expect(err.code).toBe('bad_request');
  });

  it('rejects packed bucket counts whose length is not a multiple of 8', () => {
    // Histogram point: count, then bucket_counts (field 6, packed) of 7 bytes.
    const point = [0x21, ...new Array<number>(8).fill(0), 0x32, 7, ...new Array<number>(7).fill(0)];
    const histogram = [0x0a, point.length, ...point, 0x10, 2];
    const metric = [0x0a, 1, 0x68, 0x4a, histogram.length, ...histogram];
    const scope = [0x12, metric.length, ...metric];
    const resource = [0x12, scope.length, ...scope];
    const body = Uint8Array.from([0x0a, resource.length, ...resource]);
    expect(catchDecodeError(() => decodeMetricsProtobuf(body)).message).toMatch(
      /^packed bucketCounts is 7 bytes, not a multiple of 8 at resourceMetrics\[0\]\.scopeMetrics\[0\]\.metrics\[0\]\.histogram\.dataPoints\[0\]\.bucketCounts/,
    );
  });
});

describe('decodeMetricsJson on malformed bodies', () => {
  it.each([
    ['text that is not JSON', '{"resourceMetrics": [', /^invalid JSON/],
    ['a root that is not an object', '[]', 'expected an object, got an array'],
    [
      'a string where a number belongs',
      jsonWithPoint({ asDouble: 'fast' }),
      `expected a number, got string "fast" at ${POINT_PATH}.asDouble`,
    ],
    [
      'both value fields',
      jsonWithPoint({ asDouble: 1, asInt: '1' }),
      `both asDouble and asInt are set at ${POINT_PATH}`,
    ],
    [
      'a timestamp with a fraction',
      jsonWithPoint({ timeUnixNano: 1.5 }),
      `expected an unsigned 64-bit integer, got number 1.5 at ${POINT_PATH}.timeUnixNano`,
    ],
    [
      'an int64 out of range',
      jsonWithPoint({ asInt: '9223372036854775808' }),
      /^expected a signed 64-bit integer/,
    ],
    [
      'an unknown temporality name',
      JSON.stringify(
        simpleRequest({ name: 's', sum: { aggregationTemporality: 'SOMETIMES', dataPoints: [] } }),
      ),
      /^expected an enum number or one of AGGREGATION_TEMPORALITY_UNSPECIFIED, .* at resourceMetrics\[0\]\.scopeMetrics\[0\]\.metrics\[0\]\.sum\.aggregationTemporality$/,
    ],
    [
      'two kinds of data on one metric',
      JSON.stringify(simpleRequest({ name: 'x', gauge: { dataPoints: [] }, sum: { dataPoints: [] } })),
      'both gauge and sum are set; a metric has one kind of data at resourceMetrics[0].scopeMetrics[0].metrics[0]',
    ],
  ])('rejects %s with a DecodeError naming the field', (_, text, expected) => {
    const err = catchDecodeError(() => decodeMetricsJson(text));
    if (typeof expected === 'string') expect(err.message).toBe(expected);
    else expect(err.message).toMatch(expected);
  });
});

describe('rejectionMessage', () => {
  it('is empty when nothing was rejected', () => {
    expect(
      rejectionMessage(
        decodeMetricsJson(JSON.stringify(simpleRequest(gaugeMetric('g', [numberPoint(1)])))).rejected,
      ),
    ).toBe('');
  });

  it('names each rejected metric with its reason and point count', () => {
    const result = decodeMetricsJson(
      JSON.stringify(
        simpleRequest(
          sumMetric('a', [numberPoint(1), numberPoint(2)], { temporality: DELTA }),
          gaugeMetric('', [numberPoint(1)]),
        ),
      ),
    );
    expect(rejectionMessage(result.rejected)).toBe(
      '3 data points rejected: "a": delta temporality is not supported: Prometheus series are cumulative; ' +
        'export with cumulative temporality (OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE=cumulative) or ' +
        'convert with the Collector\'s deltatocumulative processor (2 data points); "": metric name "" normalizes ' +
        'to an empty name; rename the instrument (1 data point)',
    );
  });

  it('lists at most the cap of metrics and counts the rest', () => {
    const metrics = Array.from({ length: MAX_REJECTED_METRICS + 50 }, (_, i) =>
      sumMetric(`m${i}`, [numberPoint(i)], { temporality: DELTA }),
    );
    const { rejected } = decodeMetricsJson(JSON.stringify(simpleRequest(...metrics)));
    expect(rejected.dataPoints).toBe(MAX_REJECTED_METRICS + 50);
    expect(rejected.metrics).toHaveLength(MAX_REJECTED_METRICS);
    expect(rejected.metricsNotListed).toBe(50);
    expect(rejectionMessage(rejected)).toMatch(/; and 50 more metrics$/);
  });
});
