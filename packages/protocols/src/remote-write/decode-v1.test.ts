import { describe, expect, it } from 'vitest';
import type { MetricsBatch } from '../metrics/records.ts';
import { catchDecodeError } from '../testing/catch-decode-error.ts';
import { bytes, dfield, f64field, lfield, sfield, tag, varint, vfield } from '../testing/proto-writer.ts';
import { decodeRemoteWrite1 } from './decode-v1.ts';
import type { RemoteWrite1Input } from './encode-input.ts';
import { encodeRemoteWrite1 } from './encode-v1.ts';
import { encodeRemoteWrite2 } from './encode-v2.ts';
import { labels, series, T0 } from './test-fixtures.ts';

const STALE_NAN = 0x7ff0000000000002n;
const empty = { series: [], metadata: [], exemplarsDropped: 0, nativeHistogramSeries: 0 };

describe('decodeRemoteWrite1 round trip through encodeRemoteWrite1', () => {
  it.each<{ name: string; input: RemoteWrite1Input; expected: MetricsBatch }>([
    { name: 'an empty request decodes to an empty batch', input: { series: [] }, expected: empty },
    {
      name: 'series keep their labels, timestamps and values in order',
      input: { series: [series('cpu_seconds_total', [1.5, 2.5, 4]), series('memory_rss', [1024])] },
      expected: {
        ...empty,
        series: [series('cpu_seconds_total', [1.5, 2.5, 4]), series('memory_rss', [1024])],
      },
    },
    {
      name: 'special values survive: infinities, -0, an ordinary NaN and tiny and huge numbers',
      input: { series: [series('g', [Infinity, -Infinity, -0, NaN, 5e-324, 1.7976931348623157e308])] },
      expected: {
        ...empty,
        series: [series('g', [Infinity, -Infinity, -0, NaN, 5e-324, 1.7976931348623157e308])],
      },
    },
    {
      name: 'a staleness marker is listed in staleIndexes and reads as NaN',
      input: { series: [{ ...series('up', [1, 1, 0]), staleIndexes: [2] }] },
      expected: { ...empty, series: [{ ...series('up', [1, 1, NaN]), staleIndexes: [2] }] },
    },
    {
      name: 'negative, zero and far-future timestamps come back exactly',
      input: {
        series: [
          { labels: labels({ __name__: 't' }), timestampsMs: [-1, 0, 2 ** 53 - 1], values: [1, 2, 3] },
        ],
      },
      expected: {
        ...empty,
        series: [
          { labels: labels({ __name__: 't' }), timestampsMs: [-1, 0, 2 ** 53 - 1], values: [1, 2, 3] },
        ],
      },
    },
    {
      name: 'non-ASCII and long label values (two-byte length prefixes) decode intact',
      input: { series: [series('m', [1], { path: '/ünï/çødé/日本', blob: 'x'.repeat(300) })] },
      expected: { ...empty, series: [series('m', [1], { path: '/ünï/çødé/日本', blob: 'x'.repeat(300) })] },
    },
    {
      name: 'metadata is decoded with every metric type',
      input: {
        series: [],
        metadata: (
          [
            'counter',
            'gauge',
            'histogram',
            'gaugehistogram',
            'summary',
            'info',
            'stateset',
            'unknown',
          ] as const
        ).map((type) => ({
          metricFamilyName: `m_${type}`,
          type,
          help: `help of ${type}`,
          unit: type === 'gauge' ? 'bytes' : '',
        })),
      },
      expected: {
        ...empty,
        metadata: (
          [
            'counter',
            'gauge',
            'histogram',
            'gaugehistogram',
            'summary',
            'info',
            'stateset',
            'unknown',
          ] as const
        ).map((type) => ({
          metricFamilyName: `m_${type}`,
          type,
          help: `help of ${type}`,
          unit: type === 'gauge' ? 'bytes' : '',
        })),
      },
    },
    {
      name: 'a histogram-only series is counted, not listed',
      input: {
        series: [
          { ...series('rpc_seconds', []), histograms: [{ count: 3, sum: 0.25, timestampMs: T0 }] },
          series('up', [1]),
        ],
      },
      expected: { ...empty, series: [series('up', [1])], nativeHistogramSeries: 1 },
    },
    {
      name: 'a series with float samples and histograms keeps its samples and is counted',
      input: {
        series: [
          {
            ...series('mixed', [7]),
            histograms: [
              { count: 1, sum: 1, timestampMs: T0 },
              { count: 2, sum: 2, timestampMs: T0 + 1 },
            ],
          },
        ],
      },
      expected: { ...empty, series: [series('mixed', [7])], nativeHistogramSeries: 1 },
    },
    {
      name: 'exemplars are counted as dropped; the samples stay',
      input: {
        series: [
          {
            ...series('requests_total', [10]),
            exemplars: [
              { labels: labels({ trace_id: 'abc' }), value: 1, timestampMs: T0 },
              { labels: [], value: 2, timestampMs: T0 },
            ],
          },
          { ...series('exemplar_only', []), exemplars: [{ labels: [], value: 3, timestampMs: T0 }] },
        ],
      },
      expected: { ...empty, series: [series('requests_total', [10])], exemplarsDropped: 3 },
    },
  ])('$name', ({ input, expected }) => {
    expect(decodeRemoteWrite1(encodeRemoteWrite1(input))).toEqual(expected);
  });

  it('decodes thousands of distinct and repeated labels correctly (the label cache grows and collides)', () => {
    const input = {
      series: Array.from({ length: 5000 }, (_, i) =>
        series('m', [i], { id: `id-${i % 1700}`, pod: `pod-${(i * 7919) % 2300}`, [`l${i % 3}`]: 'v' }),
      ),
    };
    expect(decodeRemoteWrite1(encodeRemoteWrite1(input)).series).toEqual(input.series);
  });

  it('gives equal labels of one request the same Label object, so series share them', () => {
    const [a, b] = decodeRemoteWrite1(
      encodeRemoteWrite1({ series: [series('a', [1]), series('b', [2])] }),
    ).series;
    expect(a!.labels[1]).toBe(b!.labels[1]);
    expect(a!.labels[0]).not.toBe(b!.labels[0]);
  });
});

describe('decodeRemoteWrite1 on hand-made bodies', () => {
  const label = (name: string, value: string): number[] => lfield(1, sfield(1, name), sfield(2, value));
  const sample = (...parts: number[][]): number[] => lfield(2, ...parts);

  it.each([
    {
      name: 'a staleness marker is told apart from an ordinary NaN by its bits',
      body: bytes(lfield(1, label('__name__', 'up'), sample(f64field(1, STALE_NAN)), sample(dfield(1, NaN)))),
      staleIndexes: [0],
    },
    {
      name: 'a NaN with another payload is not a staleness marker',
      body: bytes(lfield(1, label('__name__', 'up'), sample(f64field(1, 0x7ff0000000000001n)))),
      staleIndexes: undefined,
    },
  ])('$name', ({ body, staleIndexes }) => {
    const [decoded] = decodeRemoteWrite1(body).series;
    expect(decoded!.staleIndexes).toEqual(staleIndexes);
    expect(decoded!.values.every(Number.isNaN)).toBe(true);
  });

  it('reads fields in any order and skips unknown ones of every wire type', () => {
    const body = bytes(
      vfield(2, 7), // reserved in WriteRequest (Cortex's source)
      lfield(
        1,
        sample(vfield(2, T0), dfield(1, 42), vfield(9, 1)),
        [...tag(15, 5), 1, 2, 3, 4],
        lfield(1, sfield(2, 'b'), sfield(1, 'a'), sfield(7, 'ignored')),
        lfield(10, sfield(1, 'unknown message')),
      ),
    );
    expect(decodeRemoteWrite1(body)).toEqual({
      ...empty,
      series: [{ labels: labels({ a: 'b' }), timestampsMs: [T0], values: [42], staleIndexes: undefined }],
    });
  });

  it('takes absent sample fields as zero, as proto3 does', () => {
    const body = bytes(lfield(1, label('__name__', 'z'), sample()));
    expect(decodeRemoteWrite1(body).series[0]).toMatchObject({ timestampsMs: [0], values: [0] });
  });

  it('decodes a 2.0 body as an empty request, as the reserved fields 1-3 of 2.0 intend', () => {
    const v2 = encodeRemoteWrite2({ series: [series('up', [1])] });
    expect(decodeRemoteWrite1(v2)).toEqual(empty);
  });
});

describe('decodeRemoteWrite1 errors', () => {
  const valid = [...lfield(1, sfield(1, '__name__'), sfield(2, 'up'))];
  it.each([
    {
      name: 'a truncated sample value',
      body: bytes(lfield(1, valid, lfield(2, [...tag(1, 1), 1, 2, 3]))),
      problem: 'truncated fixed64: need 8 bytes, 3 left',
      path: 'timeseries[0].samples[0]',
    },
    {
      name: 'a series longer than the body',
      body: bytes([...tag(1, 2), ...varint(50), ...valid]),
      problem: 'length 50 exceeds the 16 bytes left',
      path: 'timeseries[0]',
    },
    {
      name: 'a truncated timestamp varint',
      body: bytes(lfield(1, lfield(2, [...tag(2, 0), 0xff, 0xff]))),
      problem: 'truncated varint',
      path: 'timeseries[0].samples[0]',
    },
    {
      name: 'samples sent as a varint',
      body: bytes(lfield(1, valid, vfield(2, 1))),
      problem: 'wrong wire type for samples: got varint (0), expected length-delimited (2)',
      path: 'timeseries[0].samples',
    },
    {
      name: 'a sample value sent as a varint',
      body: bytes(lfield(1, valid, lfield(2, vfield(1, 1)))),
      problem: 'wrong wire type for value: got varint (0), expected fixed64 (1)',
      path: 'timeseries[0].samples[0].value',
    },
    {
      name: 'a sample timestamp sent as fixed64',
      body: bytes(lfield(1, lfield(2, f64field(2, 1n)))),
      problem: 'wrong wire type for timestamp: got fixed64 (1), expected varint (0)',
      path: 'timeseries[0].samples[0].timestamp',
    },
    {
      name: 'a label name sent as a varint',
      body: bytes(lfield(1, valid, lfield(1, vfield(1, 3)))),
      problem: 'wrong wire type for name: got varint (0), expected length-delimited (2)',
      path: 'timeseries[0].labels[1].name',
    },
    {
      name: 'timeseries sent as fixed32',
      body: bytes([...tag(1, 5), 0, 0, 0, 0]),
      problem: 'wrong wire type for timeseries: got fixed32 (5), expected length-delimited (2)',
      path: 'timeseries',
    },
    {
      name: 'a metadata type sent as a string',
      body: bytes(lfield(3, sfield(1, 'counter'))),
      problem: 'wrong wire type for type: got length-delimited (2), expected varint (0)',
      path: 'metadata[0].type',
    },
    {
      name: 'a label of the second series cut short',
      body: bytes(lfield(1, valid), lfield(1, lfield(1, [...tag(1, 2), 10, 65]))),
      problem: 'length 10 exceeds the 1 bytes left',
      path: 'timeseries[1].labels[0]',
    },
  ])('rejects $name with the path $path', ({ body, problem, path }) => {
    const err = catchDecodeError(() => decodeRemoteWrite1(body));
    expect(err.message).toContain(problem);
    expect(err.path).toBe(path);
    expect(err.code).toBe('bad_request');
  });

  it('rejects every truncation of a valid body with a DecodeError, never another error', () => {
    const body = encodeRemoteWrite1({
      series: [{ ...series('up', [1, 0]), staleIndexes: [1] }, series('cpu', [2])],
      metadata: [{ metricFamilyName: 'up', type: 'gauge', help: 'is it up', unit: '' }],
    });
    let rejected = 0;
    for (let end = 1; end < body.length; end++) {
      try {
        decodeRemoteWrite1(body.subarray(0, end));
      } catch (err) {
        catchDecodeError(() => {
          throw err;
        });
        rejected++;
      }
    }
    // A cut after the first or second top-level field (series, series, metadata) is a valid
    // shorter request; every other cut must be refused.
    expect(rejected).toBe(body.length - 1 - 2);
  });
});
