/**
 * Metric types as remote write numbers them. 1.0's `MetricMetadata.MetricType` and 2.0's
 * `Metadata.MetricType` share the numbering (0 is UNKNOWN in 1.0, METRIC_TYPE_UNSPECIFIED in 2.0).
 */
import type { MetricType } from '../metrics/records.ts';

const METRIC_TYPES: readonly MetricType[] = [
  'unknown',
  'counter',
  'gauge',
  'histogram',
  'gaugehistogram',
  'summary',
  'info',
  'stateset',
];

/** The type for an enum number; numbers a newer sender may add map to 'unknown'. */
export const metricTypeFromNumber = (value: number): MetricType => METRIC_TYPES[value] ?? 'unknown';

export const metricTypeToNumber = (type: MetricType): number => Math.max(0, METRIC_TYPES.indexOf(type));

const HISTOGRAM_SUFFIXES = ['_bucket', '_sum', '_count'];
const GAUGE_HISTOGRAM_SUFFIXES = ['_bucket', '_gsum', '_gcount'];
const SUMMARY_SUFFIXES = ['_sum', '_count'];

/**
 * The metric family a series belongs to, for 2.0 metadata, which is attached to series rather
 * than families: a classic histogram `foo` arrives as `foo_bucket`, `foo_sum` and `foo_count`,
 * each typed 'histogram', and 1.0 would have named the family `foo`. Only histogram and summary
 * suffixes are removed; a counter keeps its name (`foo_total`), as the classic text format's
 * `# TYPE` line names it.
 */
export function metricFamilyName(metricName: string, type: MetricType): string {
  const suffixes =
    type === 'histogram'
      ? HISTOGRAM_SUFFIXES
      : type === 'gaugehistogram'
        ? GAUGE_HISTOGRAM_SUFFIXES
        : type === 'summary'
          ? SUMMARY_SUFFIXES
          : undefined;
  if (suffixes === undefined) return metricName;
  for (const suffix of suffixes) {
    if (metricName.length > suffix.length && metricName.endsWith(suffix)) {
      return metricName.slice(0, -suffix.length);
    }
  }
  return metricName;
}
