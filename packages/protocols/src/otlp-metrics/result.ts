/**
 * What the OTLP metrics decoders return, and the options they take.
 *
 * OTLP lets a server keep part of a request (ExportMetricsServiceResponse.partial_success:
 * `rejected_data_points` and an `error_message`). The decoders therefore separate two failures:
 *
 * - the body cannot be read (bad protobuf or JSON, wrong field types): {@link DecodeError} is
 *   thrown and nothing is kept, as for traces and logs;
 * - a metric, or a data point, cannot be stored as Prometheus series (delta temporality,
 *   exponential histogram, a name that normalises to nothing, an attribute key that cannot become
 *   a label name): it is left out, counted in `rejected.dataPoints` and explained in
 *   `rejected.metrics`, and everything else is in `batch`.
 *
 * The ingestor stores `batch` and answers with {@link rejectionMessage} and the count.
 */
import type { MetricsBatch } from '../metrics/records.ts';

/** One metric (or some of its data points) that was not converted, and why. */
export interface RejectedMetric {
  /** The OTLP metric name as sent. */
  readonly metric: string;
  /** A sentence for the client: what is wrong and what to change. */
  readonly reason: string;
  /** OTLP data points of this metric left out for this reason. */
  readonly dataPoints: number;
}

/** The outcome of decoding and converting one ExportMetricsServiceRequest. */
export interface OtlpMetricsResult {
  /** The Prometheus series, metadata and counters of everything that was converted. */
  readonly batch: MetricsBatch;
  readonly rejected: {
    /** OTLP data points left out (`partial_success.rejected_data_points`). */
    readonly dataPoints: number;
    /** Why, per metric; at most {@link MAX_REJECTED_METRICS} entries. */
    readonly metrics: RejectedMetric[];
    /** Rejected metrics beyond the cap, counted but not listed. */
    readonly metricsNotListed: number;
  };
}

/** Caps the rejection list, so a request of 100k delta metrics does not produce 100k messages. */
export const MAX_REJECTED_METRICS = 100;

/** Conversion settings; every field is optional and defaults to Prometheus's OTLP receiver. */
export interface OtlpMetricsOptions {
  /**
   * Append unit and type suffixes (`_seconds`, `_bytes_per_second`, `_total`, `_ratio`):
   * Prometheus's default `otlp.translation_strategy: UnderscoreEscapingWithSuffixes`. With false,
   * names are only escaped (`UnderscoreEscapingWithoutSuffixes`). Default true.
   */
  readonly addSuffixes?: boolean;
  /**
   * Add `otel_scope_name`, `otel_scope_version`, `otel_scope_schema_url` and
   * `otel_scope_<attribute>` labels to every series, as the spec requires by default. Prometheus's
   * `otlp.promote_scope_metadata` defaults to false. Default true.
   */
  readonly promoteScopeMetadata?: boolean;
  /** Emit a `target_info` series per resource with its non-identifying attributes. Default true. */
  readonly targetInfo?: boolean;
  /**
   * Spacing of `target_info` samples across the time range a resource's points cover, so that a
   * PromQL join finds one within the lookback window. Prometheus uses half its lookback delta.
   * Default 150 000 (half of 5 minutes).
   */
  readonly targetInfoIntervalMs?: number;
  /** Keep runs of `_` in label names (Prometheus default true; false = collapse, per the spec). */
  readonly labelNamePreserveMultipleUnderscores?: boolean;
  /** Turn a leading single `_` into `key_` (Prometheus default true). */
  readonly labelNameUnderscoreSanitization?: boolean;
}

/** {@link OtlpMetricsOptions} with every default filled in. */
export type ResolvedOtlpMetricsOptions = Required<OtlpMetricsOptions>;

export function resolveOptions(options: OtlpMetricsOptions = {}): ResolvedOtlpMetricsOptions {
  return {
    addSuffixes: options.addSuffixes ?? true,
    promoteScopeMetadata: options.promoteScopeMetadata ?? true,
    targetInfo: options.targetInfo ?? true,
    targetInfoIntervalMs: options.targetInfoIntervalMs ?? 150_000,
    labelNamePreserveMultipleUnderscores: options.labelNamePreserveMultipleUnderscores ?? true,
    labelNameUnderscoreSanitization: options.labelNameUnderscoreSanitization ?? true,
  };
}

/**
 * The `partial_success.error_message` for a result: one clause per rejected metric, '' when
 * nothing was rejected. Bounded by {@link MAX_REJECTED_METRICS} clauses.
 */
export function rejectionMessage(rejected: OtlpMetricsResult['rejected']): string {
  if (rejected.metrics.length === 0) return '';
  const clauses = rejected.metrics.map(
    (r) =>
      `${JSON.stringify(r.metric)}: ${r.reason} (${r.dataPoints} data point${r.dataPoints === 1 ? '' : 's'})`,
  );
  let message = `${rejected.dataPoints} data point${rejected.dataPoints === 1 ? '' : 's'} rejected: ${clauses.join('; ')}`;
  if (rejected.metricsNotListed > 0) message += `; and ${rejected.metricsNotListed} more metrics`;
  return message;
}
