import { describe, expect, it } from 'vitest';
import type { MetricsBatch } from '../metrics/records.ts';
import { catchDecodeError } from '../testing/catch-decode-error.ts';
import { bytes, dfield, f64field, lfield, sfield, tag, varint, vfield } from '../testing/proto-writer.ts';
import { decodeRemoteWrite2 } from './decode-v2.ts';
import type { RemoteWrite2Input } from './encode-input.ts';
import { encodeRemoteWrite1 } from './encode-v1.ts';
import { encodeRemoteWrite2 } from './encode-v2.ts';
import { labels, series, T0 } from './test-fixtures.ts';

const STALE_NAN = 0x7ff0000000000002n;
const empty = { series: [], metadata: [], exemplarsDropped: 0, nativeHistogramSeries: 0 };

describe('decodeRemoteWrite2 round trip through encodeRemoteWrite2', () => {
  const cases: { name: string; input: RemoteWrite2Input; expected: MetricsBatch }[] = [
    { name: 'an empty request decodes to an empty batch', input: { series: [] }, expected: empty },
    {
      name: 'series keep their labels, timestamps and values in order',
      input: {
        series: [series('cpu_seconds_total', [1.5, 2.5]), series('memory_rss', [1024], { extra: '' })],
      },
      expected: {
        ...empty,
        series: [series('cpu_seconds_total', [1.5, 2.5]), series('memory_rss', [1024], { extra: '' })],
      },
    },
    {
      name: 'a staleness marker is listed in staleIndexes and special values survive',
      input: { series: [{ ...series('up', [1, 0, -0, Infinity, NaN]), staleIndexes: [1] }] },
      expected: { ...empty, series: [{ ...series('up', [1, NaN, -0, Infinity, NaN]), staleIndexes: [1] }] },
    },
    {
      name: 'negative and far-future timestamps come back exactly',
      input: {
        series: [{ labels: labels({ __name__: 't' }), timestampsMs: [-1, 2 ** 53 - 1], values: [1, 2] }],
      },
      expected: {
        ...empty,
        series: [{ labels: labels({ __name__: 't' }), timestampsMs: [-1, 2 ** 53 - 1], values: [1, 2] }],
      },
    },
    {
      name: 'metadata becomes one entry per metric family, the first description winning',
      input: {
        series: [
          {
            ...series('requests_total', [1], { code: '200' }),
            metadata: { type: 'counter', help: 'Requests.', unit: '' },
          },
          {
            ...series('requests_total', [2], { code: '500' }),
            metadata: { type: 'counter', help: 'Other help.', unit: '' },
          },
          { ...series('rss_bytes', [3]), metadata: { type: 'gauge', help: 'RSS.', unit: 'bytes' } },
        ],
      },
      expected: {
        ...empty,
        series: [
          series('requests_total', [1], { code: '200' }),
          series('requests_total', [2], { code: '500' }),
          series('rss_bytes', [3]),
        ],
        metadata: [
          { metricFamilyName: 'requests_total', type: 'counter', help: 'Requests.', unit: '' },
          { metricFamilyName: 'rss_bytes', type: 'gauge', help: 'RSS.', unit: 'bytes' },
        ],
      },
    },
    {
      name: 'classic histogram and summary series describe their family without the suffix',
      input: {
        series: [
          {
            ...series('rpc_seconds_bucket', [1], { le: '0.1' }),
            metadata: { type: 'histogram', help: 'RPC latency.', unit: 'seconds' },
          },
          {
            ...series('rpc_seconds_sum', [0.05]),
            metadata: { type: 'histogram', help: 'RPC latency.', unit: 'seconds' },
          },
          { ...series('gc_seconds_count', [4]), metadata: { type: 'summary', help: 'GC pauses.', unit: '' } },
          {
            ...series('queue_bucket', [4]),
            metadata: { type: 'gauge', help: 'A gauge keeps its name.', unit: '' },
          },
        ],
      },
      expected: {
        ...empty,
        series: [
          series('rpc_seconds_bucket', [1], { le: '0.1' }),
          series('rpc_seconds_sum', [0.05]),
          series('gc_seconds_count', [4]),
          series('queue_bucket', [4]),
        ],
        metadata: [
          { metricFamilyName: 'rpc_seconds', type: 'histogram', help: 'RPC latency.', unit: 'seconds' },
          { metricFamilyName: 'gc_seconds', type: 'summary', help: 'GC pauses.', unit: '' },
          { metricFamilyName: 'queue_bucket', type: 'gauge', help: 'A gauge keeps its name.', unit: '' },
        ],
      },
    },
    {
      name: 'metadata that says nothing, or of a series without __name__, is left out',
      input: {
        series: [
          { ...series('quiet', [1]), metadata: { type: 'unknown', help: '', unit: '' } },
          {
            labels: labels({ job: 'x' }),
            timestampsMs: [T0],
            values: [1],
            metadata: { type: 'gauge', help: 'h', unit: '' },
          },
        ],
      },
      expected: {
        ...empty,
        series: [series('quiet', [1]), { labels: labels({ job: 'x' }), timestampsMs: [T0], values: [1] }],
      },
    },
    {
      name: 'native histogram series are counted, not listed, and exemplars are counted as dropped',
      input: {
        series: [
          { ...series('rpc_seconds', []), histograms: [{ count: 5, sum: 1.5, timestampMs: T0 }] },
          {
            ...series('requests_total', [10]),
            exemplars: [{ labels: labels({ trace_id: 'abc' }), value: 1, timestampMs: T0 }],
          },
        ],
      },
      expected: {
        ...empty,
        series: [series('requests_total', [10])],
        nativeHistogramSeries: 1,
        exemplarsDropped: 1,
      },
    },
  ];

  it.each(cases)('$name', ({ input, expected }) => {
    expect(decodeRemoteWrite2(encodeRemoteWrite2(input))).toEqual(expected);
  });

  it.each(cases)('$name, also with the symbols sent after the series', ({ input, expected }) => {
    expect(decodeRemoteWrite2(encodeRemoteWrite2(input, { symbolsLast: true }))).toEqual(expected);
  });

  it('shares one string per symbol between the series of a request', () => {
    const [a, b] = decodeRemoteWrite2(
      encodeRemoteWrite2({ series: [series('a', [1]), series('b', [2])] }),
    ).series;
    expect(a!.labels[1]!.value).toBe(b!.labels[1]!.value);
  });
});

describe('decodeRemoteWrite2 on hand-made bodies', () => {
  const symbols = (...values: string[]): number[] =>
    values.flatMap((v) => lfield(4, new TextEncoder().encode(v)));
  const refs = (...values: number[]): number[] =>
    lfield(
      1,
      values.flatMap((v) => varint(v)),
    );
  const sample = (...parts: number[][]): number[] => lfield(2, ...parts);

  it('accepts labels_refs sent unpacked, one varint per tag, as protobuf parsers must', () => {
    const body = bytes(
      symbols('', '__name__', 'up', 'job', 'x'),
      lfield(5, vfield(1, 1), vfield(1, 2), refs(3, 4), sample(dfield(1, 1))),
    );
    expect(decodeRemoteWrite2(body).series[0]!.labels).toEqual(labels({ __name__: 'up', job: 'x' }));
  });

  it('tells a staleness marker from an ordinary NaN by its bits', () => {
    const body = bytes(
      symbols('', '__name__', 'up'),
      lfield(5, refs(1, 2), sample(dfield(1, NaN)), sample(f64field(1, STALE_NAN))),
    );
    expect(decodeRemoteWrite2(body).series[0]!.staleIndexes).toEqual([1]);
  });

  it('ignores start timestamps, the deprecated created_timestamp and unknown fields', () => {
    const body = bytes(
      symbols('', '__name__', 'c'),
      vfield(9, 1),
      lfield(
        5,
        refs(1, 2),
        sample(dfield(1, 3), vfield(2, T0), vfield(3, T0 - 60_000)),
        vfield(6, T0 - 60_000),
        [...tag(12, 5), 1, 2, 3, 4],
      ),
    );
    expect(decodeRemoteWrite2(body)).toEqual({
      ...empty,
      series: [
        { labels: labels({ __name__: 'c' }), timestampsMs: [T0], values: [3], staleIndexes: undefined },
      ],
    });
  });

  it('reads metadata sent before the labels it needs', () => {
    const body = bytes(
      symbols('', '__name__', 'up', 'Is it up.'),
      lfield(5, lfield(5, vfield(1, 2), vfield(3, 3)), refs(1, 2), sample(dfield(1, 1))),
    );
    expect(decodeRemoteWrite2(body).metadata).toEqual([
      { metricFamilyName: 'up', type: 'gauge', help: 'Is it up.', unit: '' },
    ]);
  });

  it('decodes a 1.0 body as an empty request, as the reserved fields 1-3 intend', () => {
    expect(decodeRemoteWrite2(encodeRemoteWrite1({ series: [series('up', [1])] }))).toEqual(empty);
  });
});

describe('decodeRemoteWrite2 errors', () => {
  const table = [...lfield(4, []), ...sfield(4, '__name__'), ...sfield(4, 'up')];
  it.each([
    {
      name: 'an odd number of labels_refs',
      body: bytes(table, lfield(5, lfield(1, [1, 2, 1]))),
      problem: 'labelsRefs has 3 entries; it must hold name/value pairs',
      path: 'timeseries[0].labelsRefs',
    },
    {
      name: 'a label value ref past the symbol table',
      body: bytes(table, lfield(5, lfield(1, [1, 2])), lfield(5, lfield(1, [1, 2, 1, 3]))),
      problem: 'symbol reference 3 is out of range (the request has 3 symbols)',
      path: 'timeseries[1].labelsRefs[3]',
    },
    {
      name: 'a label name ref in a request without symbols',
      body: bytes(lfield(5, lfield(1, [0, 0]))),
      problem: 'symbol reference 0 is out of range (the request has 0 symbols)',
      path: 'timeseries[0].labelsRefs[0]',
    },
    {
      name: 'a help ref past the symbol table',
      body: bytes(table, lfield(5, lfield(1, [1, 2]), lfield(5, vfield(3, 40)))),
      problem: 'symbol reference 40 is out of range (the request has 3 symbols)',
      path: 'timeseries[0].metadata.helpRef',
    },
    {
      name: 'a unit ref past the symbol table',
      body: bytes(table, lfield(5, lfield(1, [1, 2]), lfield(5, vfield(4, 3)))),
      problem: 'symbol reference 3 is out of range (the request has 3 symbols)',
      path: 'timeseries[0].metadata.unitRef',
    },
    {
      name: 'a truncated packed labels_refs',
      body: bytes(table, lfield(5, lfield(1, [1, 0x82]))),
      problem: 'truncated varint',
      path: 'timeseries[0].labelsRefs',
    },
    {
      name: 'symbols sent as a varint',
      body: bytes(vfield(4, 1)),
      problem: 'wrong wire type for symbols: got varint (0), expected length-delimited (2)',
      path: 'symbols',
    },
    {
      name: 'a sample value sent as fixed32',
      body: bytes(table, lfield(5, lfield(2, [...tag(1, 5), 0, 0, 0, 0]))),
      problem: 'wrong wire type for value: got fixed32 (5), expected fixed64 (1)',
      path: 'timeseries[0].samples[0].value',
    },
    {
      name: 'metadata sent as a varint',
      body: bytes(table, lfield(5, vfield(5, 2))),
      problem: 'wrong wire type for metadata: got varint (0), expected length-delimited (2)',
      path: 'timeseries[0].metadata',
    },
    {
      name: 'a series longer than the body, even when no symbol follows it',
      body: bytes(table, [...tag(5, 2), 40, 1, 2]),
      problem: 'length 40 exceeds the 2 bytes left',
      path: 'timeseries[0]',
    },
    {
      name: 'a symbol cut short',
      body: bytes(table, [...tag(4, 2), 9, 65, 66]),
      problem: 'length 9 exceeds the 2 bytes left',
      path: 'symbols[3]',
    },
  ])('rejects $name with the path $path', ({ body, problem, path }) => {
    const err = catchDecodeError(() => decodeRemoteWrite2(body));
    expect(err.message).toContain(problem);
    expect(err.path).toBe(path);
    expect(err.code).toBe('bad_request');
  });

  it('rejects every truncation of a valid body with a DecodeError, never another error', () => {
    const body = encodeRemoteWrite2({
      series: [
        {
          ...series('up', [1, 0]),
          staleIndexes: [1],
          metadata: { type: 'gauge', help: 'is it up', unit: '' },
        },
        series('cpu', [2]),
      ],
    });
    for (let end = 1; end < body.length; end++) {
      try {
        decodeRemoteWrite2(body.subarray(0, end));
      } catch (err) {
        catchDecodeError(() => {
          throw err;
        });
      }
    }
  });
});
