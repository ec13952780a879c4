/**
 * The OTLP metric shapes the decoders hand to the {@link SeriesBuilder}, and how a metric's kind
 * maps to Prometheus's naming rules and metric types.
 */
import type { MetricType } from '../metrics/records.ts';
import type { NamingKind } from './metric-name.ts';

/** Which member of the Metric `data` oneof is set ('none' when none is). */
export type MetricKind = 'gauge' | 'sum' | 'histogram' | 'exponentialHistogram' | 'summary' | 'none';

/** A metric's descriptor fields, read before its points. */
export interface MetricDescriptor {
  name: string;
  description: string;
  unit: string;
  kind: MetricKind;
  /** AggregationTemporality of sums and histograms; ignored for the others. */
  temporality: number;
  /** Sum.is_monotonic. */
  monotonic: boolean;
}

/** A histogram point's values; decoders refill one instance (arrays reused, lengths apart). */
export interface HistogramValues {
  count: number;
  /** Whether the optional `sum` field was present; no `_sum` series without it. */
  hasSum: boolean;
  sum: number;
  bounds: number[];
  boundCount: number;
  bucketCounts: number[];
  bucketCount: number;
}

/** A summary point's values (`quantiles[i]` belongs to `quantileValues[i]`). */
export interface SummaryValues {
  count: number;
  sum: number;
  quantiles: number[];
  quantileValues: number[];
  quantileCount: number;
}

/** AggregationTemporality values of metrics.proto. */
export const TEMPORALITY_DELTA = 1;
export const TEMPORALITY_CUMULATIVE = 2;

/** The naming rules' view of a metric (`_total` for monotonic sums, `_ratio` for gauges). */
export function namingKind(d: MetricDescriptor): NamingKind {
  switch (d.kind) {
    case 'sum':
      return d.monotonic ? 'monotonicCounter' : 'nonMonotonicCounter';
    case 'histogram':
      return 'histogram';
    case 'summary':
      return 'summary';
    default:
      return 'gauge';
  }
}

/** The Prometheus TYPE of a metric. */
export function metricType(kind: NamingKind): MetricType {
  switch (kind) {
    case 'monotonicCounter':
      return 'counter';
    case 'histogram':
      return 'histogram';
    case 'summary':
      return 'summary';
    default:
      return 'gauge';
  }
}
