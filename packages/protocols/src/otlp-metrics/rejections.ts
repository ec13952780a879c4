/**
 * Which metrics cannot become Prometheus series, with messages written for the sender (they end
 * up in `partial_success.error_message`), and the log that collects them per request.
 */
import { TEMPORALITY_CUMULATIVE, TEMPORALITY_DELTA, type MetricDescriptor } from './metric-model.ts';
import { MAX_REJECTED_METRICS, type OtlpMetricsResult, type RejectedMetric } from './result.ts';

const DELTA_REASON =
  'delta temporality is not supported: Prometheus series are cumulative; export with cumulative ' +
  'temporality (OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE=cumulative) or convert with the ' +
  "Collector's deltatocumulative processor";

const EXPONENTIAL_REASON =
  'exponential histograms are not supported: they map to Prometheus native histograms, which Vigil ' +
  'does not store; configure an explicit-bucket histogram aggregation for this instrument';

/** Why the metric as a whole is rejected, or undefined when it can be converted. */
export function metricRejection(d: MetricDescriptor): string | undefined {
  switch (d.kind) {
    case 'none':
      return 'the metric has no data: none of gauge, sum, histogram, exponential_histogram or summary is set';
    case 'exponentialHistogram':
      return EXPONENTIAL_REASON;
    case 'sum':
    case 'histogram':
      if (d.temporality === TEMPORALITY_CUMULATIVE) return undefined;
      if (d.temporality === TEMPORALITY_DELTA) return DELTA_REASON;
      return `aggregation temporality ${d.temporality === 0 ? 'is unspecified' : `${d.temporality} is unknown`}; only cumulative is supported`;
    default:
      return undefined;
  }
}

/**
 * Rejections of one request, merged per (metric, reason) so a metric repeated across resources
 * is one entry; entries past {@link MAX_REJECTED_METRICS} are only counted.
 */
export class RejectionLog {
  private readonly entries = new Map<string, { metric: string; reason: string; dataPoints: number }>();
  private dataPoints = 0;
  private readonly notListed = new Set<string>();

  /**
   * Records `dataPoints` points of `metric` rejected for `reason`. An entry with 0 points notes
   * something dropped that is not a data point (a target_info label).
   */
  add(metric: string, reason: string, dataPoints: number): void {
    this.dataPoints += dataPoints;
    const key = `${metric}\u0000${reason}`;
    const entry = this.entries.get(key);
    if (entry !== undefined) entry.dataPoints += dataPoints;
    else if (this.entries.size < MAX_REJECTED_METRICS) this.entries.set(key, { metric, reason, dataPoints });
    else this.notListed.add(key);
  }

  result(): OtlpMetricsResult['rejected'] {
    const metrics: RejectedMetric[] = [...this.entries.values()];
    return { dataPoints: this.dataPoints, metrics, metricsNotListed: this.notListed.size };
  }
}
