/**
 * What the remote write encoders take. A {@link MetricsBatch} fits {@link RemoteWrite1Input} as
 * is, so a decoded batch can be encoded again; the optional parts exist to produce what the
 * decoders must count or reject (exemplars, native histograms) and 2.0's per-series metadata.
 */
import type { Label, MetricMetadata, MetricType } from '../metrics/records.ts';

/** An exemplar; the decoders only count them. */
export interface ExemplarInput {
  readonly labels: readonly Label[];
  readonly value: number;
  readonly timestampMs: number;
}

/**
 * A native histogram sample, reduced to what a test needs to send a well-formed one: it is
 * encoded as an integer histogram of schema 0 with all `count` observations in one bucket.
 */
export interface NativeHistogramInput {
  readonly count: number;
  readonly sum: number;
  readonly timestampMs: number;
}

/** 2.0 metadata of one series; 1.0 sends metadata per family instead. */
export interface SeriesMetadataInput {
  readonly type: MetricType;
  readonly help: string;
  readonly unit: string;
}

export interface RemoteWriteSeriesInput {
  readonly labels: readonly Label[];
  readonly timestampsMs: readonly number[];
  readonly values: readonly number[];
  /** Ascending positions in `values` sent as the staleness marker instead of the value there. */
  readonly staleIndexes?: readonly number[] | undefined;
  readonly exemplars?: readonly ExemplarInput[];
  readonly histograms?: readonly NativeHistogramInput[];
  /** Encoded by {@link encodeRemoteWrite2} only. */
  readonly metadata?: SeriesMetadataInput;
}

export interface RemoteWrite1Input {
  readonly series: readonly RemoteWriteSeriesInput[];
  readonly metadata?: readonly MetricMetadata[];
}

export interface RemoteWrite2Input {
  readonly series: readonly RemoteWriteSeriesInput[];
}
