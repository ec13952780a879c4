/**
 * The decoders against an independent protobuf implementation: protobufjs builds and reads the
 * messages from the .proto definitions below (field numbers as in prometheus/prometheus
 * prompb/types.proto, remote.proto and io/prometheus/write/v2/types.proto), so a field number or
 * wire type that our encoder and decoder got wrong in the same way would show here.
 */
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import type { Label, MetricType } from '../metrics/records.ts';
import { seededRandom } from '../testing/catch-decode-error.ts';
import { decodeRemoteWrite1 } from './decode-v1.ts';
import { decodeRemoteWrite2 } from './decode-v2.ts';
import { encodeRemoteWrite1 } from './encode-v1.ts';
import { encodeRemoteWrite2 } from './encode-v2.ts';
import { metricTypeToNumber } from './metric-type.ts';

const HISTOGRAM = `
  message BucketSpan { sint32 offset = 1; uint32 length = 2; }
  message Histogram {
    oneof count { uint64 count_int = 1; double count_float = 2; }
    double sum = 3;
    sint32 schema = 4;
    double zero_threshold = 5;
    oneof zero_count { uint64 zero_count_int = 6; double zero_count_float = 7; }
    repeated BucketSpan negative_spans = 8;
    repeated sint64 negative_deltas = 9;
    repeated double negative_counts = 10;
    repeated BucketSpan positive_spans = 11;
    repeated sint64 positive_deltas = 12;
    repeated double positive_counts = 13;
    int32 reset_hint = 14;
    int64 timestamp = 15;
  }`;

const V1_PROTO = `
  syntax = "proto3";
  package prometheus;
  message WriteRequest {
    repeated TimeSeries timeseries = 1;
    reserved 2;
    repeated MetricMetadata metadata = 3;
  }
  message MetricMetadata {
    int32 type = 1;
    string metric_family_name = 2;
    string help = 4;
    string unit = 5;
  }
  message Sample { double value = 1; int64 timestamp = 2; }
  message Exemplar { repeated Label labels = 1; double value = 2; int64 timestamp = 3; }
  message TimeSeries {
    repeated Label labels = 1;
    repeated Sample samples = 2;
    repeated Exemplar exemplars = 3;
    repeated Histogram histograms = 4;
  }
  message Label { string name = 1; string value = 2; }
  ${HISTOGRAM}`;

/** `packing` is '' (proto3 default: packed) or ' [packed = false]'. */
const v2Proto = (packing: string): string => `
  syntax = "proto3";
  package io.prometheus.write.v2;
  message Request {
    reserved 1 to 3;
    repeated string symbols = 4;
    repeated TimeSeries timeseries = 5;
  }
  message TimeSeries {
    repeated uint32 labels_refs = 1${packing};
    repeated Sample samples = 2;
    repeated Histogram histograms = 3;
    repeated Exemplar exemplars = 4;
    Metadata metadata = 5;
    int64 created_timestamp = 6;
  }
  message Exemplar { repeated uint32 labels_refs = 1; double value = 2; int64 timestamp = 3; }
  message Sample { double value = 1; int64 timestamp = 2; int64 start_timestamp = 3; }
  message Metadata { int32 type = 1; uint32 help_ref = 3; uint32 unit_ref = 4; }
  ${HISTOGRAM}`;

const WriteRequest = protobuf.parse(V1_PROTO).root.lookupType('prometheus.WriteRequest');
const RequestV2Packed = protobuf.parse(v2Proto('')).root.lookupType('io.prometheus.write.v2.Request');
const RequestV2Unpacked = protobuf
  .parse(v2Proto(' [packed = false]'))
  .root.lookupType('io.prometheus.write.v2.Request');

const encodeWith = (type: protobuf.Type, message: object): Uint8Array => {
  const problem = type.verify(message);
  if (problem !== null) throw new Error(problem);
  return type.encode(type.fromObject(message)).finish();
};
const decodeWith = (type: protobuf.Type, body: Uint8Array): Record<string, unknown> =>
  type.toObject(type.decode(body), { longs: Number, arrays: true, defaults: false });

interface Generated {
  labels: Label[];
  timestampsMs: number[];
  values: number[];
  exemplarCount: number;
  histogramCount: number;
  type: MetricType;
  help: string;
}

const TYPES: MetricType[] = ['counter', 'gauge', 'summary', 'unknown'];

/** Random series (seeded): 1-12 labels from small pools, so values repeat, 0-3 samples. */
function randomSeries(seed: number, count: number): Generated[] {
  const rand = seededRandom(seed);
  const pick = (n: number): number => Math.floor(rand() * n);
  return Array.from({ length: count }, (_, i) => {
    const names = [
      '__name__',
      ...['az', 'container_id', 'destination', 'instance', 'job', 'pid', 'ü_label'].filter(
        () => rand() < 0.6,
      ),
    ];
    const sampleCount = pick(4);
    return {
      labels: names.map((name) => ({
        name,
        value: name === '__name__' ? `metric_${pick(20)}` : `${name}-${pick(30)}${rand() < 0.1 ? '-ß✓' : ''}`,
      })),
      timestampsMs: Array.from(
        { length: sampleCount },
        (_, k) => 1_700_000_000_000 + i * 1000 + k - pick(3) * 2 ** 40,
      ),
      values: Array.from({ length: sampleCount }, () =>
        rand() < 0.1 ? -0 : (rand() - 0.5) * 10 ** pick(12),
      ),
      exemplarCount: rand() < 0.2 ? 1 + pick(2) : 0,
      histogramCount: rand() < 0.1 ? 1 : 0,
      type: TYPES[pick(TYPES.length)]!,
      help: rand() < 0.5 ? `help ${pick(5)}` : '',
    };
  });
}

/** What our decoders should make of the generated series. */
const expectedSeries = (generated: Generated[]): object[] =>
  generated
    .filter((g) => g.values.length > 0)
    .map((g) => ({ labels: g.labels, timestampsMs: g.timestampsMs, values: g.values }));

describe('remote write 1.0 against protobufjs', () => {
  const generated = randomSeries(1, 300);
  const message = {
    timeseries: generated.map((g) => ({
      labels: g.labels,
      samples: g.values.map((value, k) => ({ value, timestamp: g.timestampsMs[k] })),
      exemplars: Array.from({ length: g.exemplarCount }, () => ({
        labels: [{ name: 'trace_id', value: 'abc' }],
        value: 1,
        timestamp: 5,
      })),
      histograms: Array.from({ length: g.histogramCount }, () => ({
        countInt: 3,
        sum: 1.5,
        schema: 1,
        positiveSpans: [{ offset: -2, length: 2 }],
        positiveDeltas: [1, 1],
        timestamp: 7,
      })),
    })),
    metadata: generated.slice(0, 20).map((g) => ({
      type: metricTypeToNumber(g.type),
      metricFamilyName: g.labels[0]!.value,
      help: g.help,
      unit: 'seconds',
    })),
  };

  it('decodes a body protobufjs encoded to the same series, metadata and counts', () => {
    const batch = decodeRemoteWrite1(encodeWith(WriteRequest, message));
    expect(batch.series).toEqual(expectedSeries(generated));
    expect(batch.metadata).toEqual(
      generated
        .slice(0, 20)
        .map((g) => ({ metricFamilyName: g.labels[0]!.value, type: g.type, help: g.help, unit: 'seconds' })),
    );
    expect(batch.exemplarsDropped).toBe(generated.reduce((n, g) => n + g.exemplarCount, 0));
    expect(batch.nativeHistogramSeries).toBe(generated.filter((g) => g.histogramCount > 0).length);
  });

  it('encodes what protobufjs reads back as the same message', () => {
    const body = encodeRemoteWrite1({
      series: generated.map((g) => ({
        ...g,
        exemplars: Array.from({ length: g.exemplarCount }, () => ({
          labels: [{ name: 'trace_id', value: 'abc' }],
          value: 1,
          timestampMs: 5,
        })),
        histograms: Array.from({ length: g.histogramCount }, () => ({ count: 3, sum: 1.5, timestampMs: 7 })),
      })),
      metadata: message.metadata.map((m) => ({
        metricFamilyName: m.metricFamilyName,
        type: TYPES.find((t) => metricTypeToNumber(t) === m.type)!,
        help: m.help,
        unit: m.unit,
      })),
    });
    const read = decodeWith(WriteRequest, body) as {
      timeseries: {
        labels: Label[];
        samples: { value?: number; timestamp?: number }[];
        histograms?: unknown[];
      }[];
      metadata: unknown[];
    };
    expect(
      read.timeseries.map((t) => t.labels.map((l) => ({ name: l.name ?? '', value: l.value ?? '' }))),
    ).toEqual(generated.map((g) => g.labels));
    expect(read.timeseries.map((t) => t.samples.map((s) => [s.timestamp ?? 0, s.value ?? 0]))).toEqual(
      generated.map((g) => g.values.map((v, k) => [g.timestampsMs[k], v])),
    );
    const withHistogram = read.timeseries.find((t) => t.histograms !== undefined && t.histograms.length > 0);
    expect(withHistogram?.histograms?.[0]).toMatchObject({
      countInt: 3,
      sum: 1.5,
      positiveSpans: [{ length: 1 }],
      positiveDeltas: [3],
      timestamp: 7,
    });
    expect(read.metadata).toHaveLength(20);
  });
});

describe.each([
  { packing: 'packed', Request: RequestV2Packed },
  { packing: 'unpacked', Request: RequestV2Unpacked },
])('remote write 2.0 against protobufjs ($packing labels_refs)', ({ Request }) => {
  const generated = randomSeries(2, 300);
  const symbols = [''];
  const ref = (s: string): number => {
    const at = symbols.indexOf(s);
    return at >= 0 ? at : symbols.push(s) - 1;
  };
  const timeseries = generated.map((g) => ({
    labelsRefs: g.labels.flatMap((l) => [ref(l.name), ref(l.value)]),
    samples: g.values.map((value, k) => ({ value, timestamp: g.timestampsMs[k], startTimestamp: 1 })),
    exemplars: Array.from({ length: g.exemplarCount }, () => ({
      labelsRefs: [ref('trace_id'), ref('abc')],
      value: 1,
      timestamp: 5,
    })),
    histograms: Array.from({ length: g.histogramCount }, () => ({ countInt: 3, sum: 1.5, timestamp: 7 })),
    metadata: { type: metricTypeToNumber(g.type), helpRef: ref(g.help), unitRef: 0 },
    createdTimestamp: 3,
  }));

  it('decodes a body protobufjs encoded to the same series, metadata and counts', () => {
    const batch = decodeRemoteWrite2(encodeWith(Request, { symbols, timeseries }));
    expect(batch.series).toEqual(expectedSeries(generated));
    const families = new Map<string, object>();
    for (const g of generated) {
      if (g.type === 'unknown' && g.help === '') continue;
      const name = g.labels[0]!.value;
      if (!families.has(name))
        families.set(name, { metricFamilyName: name, type: g.type, help: g.help, unit: '' });
    }
    expect(batch.metadata).toEqual([...families.values()]);
    expect(batch.exemplarsDropped).toBe(generated.reduce((n, g) => n + g.exemplarCount, 0));
    expect(batch.nativeHistogramSeries).toBe(generated.filter((g) => g.histogramCount > 0).length);
  });

  it('encodes what protobufjs reads back as the same labels, samples and metadata', () => {
    const body = encodeRemoteWrite2({
      series: generated.map((g) => ({ ...g, metadata: { type: g.type, help: g.help, unit: 'bytes' } })),
    });
    const read = decodeWith(Request, body) as {
      symbols: string[];
      timeseries: {
        labelsRefs?: number[];
        samples?: { value?: number; timestamp?: number }[];
        metadata?: { type?: number; helpRef?: number; unitRef?: number };
      }[];
    };
    expect(read.symbols[0]).toBe('');
    const text = (r: number | undefined): string => read.symbols[r ?? 0]!;
    expect(read.timeseries.map((t) => (t.labelsRefs ?? []).map(text))).toEqual(
      generated.map((g) => g.labels.flatMap((l) => [l.name, l.value])),
    );
    expect(
      read.timeseries.map((t) => (t.samples ?? []).map((s) => [s.timestamp ?? 0, s.value ?? 0])),
    ).toEqual(generated.map((g) => g.values.map((v, k) => [g.timestampsMs[k], v])));
    expect(
      read.timeseries.map((t) => [
        t.metadata?.type ?? 0,
        text(t.metadata?.helpRef),
        text(t.metadata?.unitRef),
      ]),
    ).toEqual(generated.map((g) => [metricTypeToNumber(g.type), g.help, 'bytes']));
  });
});
