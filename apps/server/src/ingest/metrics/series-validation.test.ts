import { describe, expect, it } from 'vitest';
import type { Label, MetricSeries } from '@vigil/protocols';
import {
  DEFAULT_SERIES_LIMITS,
  validationMessage,
  validateSeries,
  type SeriesLimits,
} from './series-validation.ts';

const NOW = 1_800_000_000_000;
const limits: SeriesLimits = {
  ...DEFAULT_SERIES_LIMITS,
  maxFutureSkewMs: 3_600_000,
  retentionMs: 7 * 86_400_000,
};

const labels = (obj: Record<string, string>): Label[] =>
  Object.entries(obj).map(([name, value]) => ({ name, value }));
const series = (
  obj: Record<string, string>,
  ts: number[] = [NOW],
  staleIndexes?: number[],
): MetricSeries => ({
  labels: labels(obj),
  timestampsMs: ts,
  values: ts.map((_, i) => i),
  ...(staleIndexes ? { staleIndexes } : {}),
});

describe('validateSeries', () => {
  const rejected: [string, MetricSeries, string][] = [
    ['a series without a metric name', series({ job: 'a' }), 'no metric name'],
    ['a metric name with a dash', series({ __name__: 'http-requests' }), 'invalid metric name'],
    ['a metric name starting with a digit', series({ __name__: '1up' }), 'invalid metric name'],
    ['a label name starting with a digit', series({ __name__: 'up', '1job': 'x' }), 'invalid label name'],
    ['a label name with a dot', series({ __name__: 'up', 'service.name': 'x' }), 'invalid label name'],
    [
      'a label given twice',
      {
        labels: [...labels({ __name__: 'up', job: 'a' }), { name: 'job', value: 'b' }],
        timestampsMs: [NOW],
        values: [1],
      },
      'duplicate label name',
    ],
    [
      'too many labels',
      series({ __name__: 'up', ...Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`l${i}`, 'v'])) }),
      'more than 64 labels',
    ],
    [
      'a label value over the limit',
      series({ __name__: 'up', job: 'x'.repeat(4097) }),
      'label value longer than 4096',
    ],
  ];
  it.each(rejected)('rejects %s and keeps the other series', (_what, bad, reason) => {
    const good = series({ __name__: 'up', job: 'ok' });
    const result = validateSeries([bad, good], limits, NOW);
    expect(result.accepted).toEqual([good]);
    expect(result.rejectedSeries).toBe(1);
    expect(result.rejectedSamples).toBe(1);
    expect(result.reasons[0]?.reason).toContain(reason);
    expect(validationMessage(result)).toContain(reason);
  });

  it('accepts 64 labels counting the name, and the longest allowed value', () => {
    const many = series({
      __name__: 'up',
      job: 'x'.repeat(4096),
      ...Object.fromEntries(Array.from({ length: 62 }, (_, i) => [`l${i}`, 'v'])),
    });
    expect(validateSeries([many], limits, NOW).accepted).toHaveLength(1);
  });

  it('drops labels with empty values, as Prometheus treats them as absent', () => {
    const result = validateSeries([series({ __name__: 'up', job: 'a', zone: '' })], limits, NOW);
    expect(result.accepted[0]?.labels).toEqual(labels({ __name__: 'up', job: 'a' }));
  });

  it('sorts labels that arrive out of order', () => {
    const result = validateSeries([series({ zone: 'z', __name__: 'up', job: 'a' })], limits, NOW);
    expect(result.accepted[0]?.labels.map((l) => l.name)).toEqual(['__name__', 'job', 'zone']);
  });

  it('drops only the samples outside the time window, keeping staleness markers aligned', () => {
    const ts = [NOW - 8 * 86_400_000, NOW - 1000, NOW + 7_200_000, NOW];
    const result = validateSeries([series({ __name__: 'up' }, ts, [1, 3])], limits, NOW);
    expect(result.accepted[0]?.timestampsMs).toEqual([NOW - 1000, NOW]);
    expect(result.accepted[0]?.values).toEqual([1, 3]);
    expect(result.accepted[0]?.staleIndexes).toEqual([0, 1]);
    expect(result.rejectedSamples).toBe(2);
    expect(result.reasons.map((r) => r.reason)).toEqual([
      'timestamp more than 3600000 ms in the future',
      'timestamp older than the metrics retention',
    ]);
  });

  it('keeps NaN and infinite values', () => {
    const s: MetricSeries = {
      labels: labels({ __name__: 'g' }),
      timestampsMs: [NOW, NOW + 1, NOW + 2],
      values: [NaN, Infinity, -Infinity],
    };
    expect(validateSeries([s], limits, NOW).accepted[0]?.values).toEqual([NaN, Infinity, -Infinity]);
  });

  it('returns the input series object unchanged when nothing needs fixing', () => {
    const s = series({ __name__: 'up', job: 'a' });
    expect(validateSeries([s], limits, NOW).accepted[0]).toBe(s);
  });
});
