import { compressSync, uncompressSync } from 'snappy';
import { describe, expect, it } from 'vitest';
import { decodeRemoteWrite1, encodeRemoteWrite1 } from '@vigil/protocols';
import type { MetricFamily } from '../exposition/metric-family.ts';
import { checkCommonLabels, familiesToSeries } from './families-to-series.ts';
import { nodeFamilies } from './testing/test-helpers.ts';

const TS = 1_732_612_345_000;
const gauge = (name: string, labels: Record<string, string>, value = 1): MetricFamily => ({
  name,
  type: 'gauge',
  help: `${name} help`,
  samples: [{ labels, value }],
});
const names = (labels: readonly { name: string }[]): string[] => labels.map((l) => l.name);

describe('familiesToSeries', () => {
  it('gives every sample one series with the family name, its labels and the common labels, sorted by name', () => {
    const out = familiesToSeries(nodeFamilies(0), TS, { system_uuid: 'u-1', machine_id: 'm-1' });
    expect(out.series).toHaveLength(4);
    expect(out.series[0]).toEqual({
      labels: [
        { name: '__name__', value: 'node_resources_cpu_usage_seconds_total' },
        { name: 'machine_id', value: 'm-1' },
        { name: 'mode', value: 'user' },
        { name: 'system_uuid', value: 'u-1' },
      ],
      timestampsMs: [TS],
      values: [100.5],
    });
    for (const s of out.series) {
      const sorted = [...names(s.labels)].sort();
      expect(names(s.labels)).toEqual(sorted);
    }
  });

  it.each([
    // [case, sample labels, common labels, expected label names (sorted) with values]
    ['upper-case names sort before __name__ (byte order)', { Zone: 'a' }, {}, { Zone: 'a', __name__: 'm' }],
    [
      "the series' own value wins over a common label",
      { machine_id: 'own' },
      { machine_id: 'agent' },
      { __name__: 'm', machine_id: 'own' },
    ],
    [
      'an empty own value is absent, so the common label applies',
      { machine_id: '' },
      { machine_id: 'agent' },
      { __name__: 'm', machine_id: 'agent' },
    ],
    ['empty values are left out', { a: '', b: 'x' }, { c: '' }, { __name__: 'm', b: 'x' }],
    ['names with digits and underscores', { a_1: '1', _b: '2' }, {}, { __name__: 'm', _b: '2', a_1: '1' }],
  ])('%s', (_case, labels, common, expected) => {
    const out = familiesToSeries([gauge('m', labels)], TS, common);
    expect(out.series[0]!.labels).toEqual(Object.entries(expected).map(([name, value]) => ({ name, value })));
  });

  it("names a histogram's series by their suffix, with the family's metadata once", () => {
    const out = familiesToSeries(
      [
        {
          name: 'container_http_requests_duration_seconds_total',
          type: 'histogram',
          help: 'latency',
          samples: [
            { labels: { le: '0.1' }, value: 3, suffix: '_bucket' },
            { labels: { le: '+Inf' }, value: 4, suffix: '_bucket' },
            { labels: {}, value: 0.5, suffix: '_sum' },
            { labels: {}, value: 4, suffix: '_count' },
          ],
        },
      ],
      TS,
    );
    expect(out.series.map((s) => s.labels.find((l) => l.name === '__name__')!.value)).toEqual([
      'container_http_requests_duration_seconds_total_bucket',
      'container_http_requests_duration_seconds_total_bucket',
      'container_http_requests_duration_seconds_total_sum',
      'container_http_requests_duration_seconds_total_count',
    ]);
    expect(out.metadata).toEqual([
      {
        metricFamilyName: 'container_http_requests_duration_seconds_total',
        type: 'histogram',
        help: 'latency',
        unit: '',
      },
    ]);
  });

  it('skips and counts series with invalid metric or label names, keeping the rest', () => {
    const out = familiesToSeries(
      [
        gauge('ok_metric', { good: '1' }),
        gauge('bad-metric', {}),
        gauge('ok_metric_2', { 'bad-label': 'x' }),
        gauge('ok_metric_3', { __name__: 'override' }),
        gauge('ok_metric_4', { '0digit': 'x' }),
      ],
      TS,
    );
    expect(out.series.map((s) => s.labels[0]!.value)).toEqual(['ok_metric']);
    expect(out.skippedSeries).toBe(4);
    expect(out.firstProblem).toBe('metric name "bad-metric" is not valid');
    expect(out.metadata.map((m) => m.metricFamilyName)).toEqual(['ok_metric']);
  });

  it('lists type and help once per family that produced series, none for empty families', () => {
    const families: MetricFamily[] = [
      ...nodeFamilies(0),
      { name: 'empty_total', type: 'counter', help: 'h', samples: [] },
    ];
    const out = familiesToSeries(families, TS);
    expect(out.metadata).toEqual([
      {
        metricFamilyName: 'node_resources_cpu_usage_seconds_total',
        type: 'counter',
        help: 'CPU time spent in each mode',
        unit: '',
      },
      {
        metricFamilyName: 'node_resources_memory_available_bytes',
        type: 'gauge',
        help: 'Memory available for new work',
        unit: '',
      },
      { metricFamilyName: 'node_info', type: 'gauge', help: 'Hostname and kernel', unit: '' },
    ]);
  });

  it('keeps NaN and infinities as values', () => {
    const out = familiesToSeries(
      [gauge('a', {}, NaN), gauge('b', {}, Infinity), gauge('c', {}, -Infinity)],
      TS,
    );
    expect(out.series.map((s) => s.values[0])).toEqual([NaN, Infinity, -Infinity]);
  });

  it('refuses invalid common label names and a timestamp that is not whole milliseconds', () => {
    expect(() => checkCommonLabels({ 'machine-id': 'x' })).toThrow(/"machine-id"/);
    expect(() => checkCommonLabels({ __reserved: 'x' })).toThrow(/"__reserved"/);
    expect(() => familiesToSeries([], 1.5)).toThrow(/whole milliseconds/);
  });

  it('encodes to a remote write 1.0 body that decodes back to the same series and metadata', () => {
    const out = familiesToSeries(nodeFamilies(3), TS, { machine_id: 'm-1' });
    const wire = compressSync(encodeRemoteWrite1(out));
    const batch = decodeRemoteWrite1(uncompressSync(wire, { asBuffer: true }) as Buffer);
    expect(
      batch.series.map((s) => ({ labels: s.labels, timestampsMs: s.timestampsMs, values: s.values })),
    ).toEqual(out.series.map((s) => ({ labels: s.labels, timestampsMs: s.timestampsMs, values: s.values })));
    expect(batch.metadata).toEqual(out.metadata);
  });
});
