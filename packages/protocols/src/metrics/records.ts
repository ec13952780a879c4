/**
 * Metric samples as every metrics decoder (Prometheus remote write 1.0/2.0, OTLP metrics) hands
 * them to the server: Prometheus's data model, one entry per series. Decoders do not validate
 * label names, counts or lengths; the ingestor does, so it can drop one bad series and keep the
 * rest of the batch (partial success).
 */

/** One label pair. `__name__` carries the metric name. */
export interface Label {
  readonly name: string;
  readonly value: string;
}

/**
 * A series and its samples in this request. `labels` are as received (remote write senders sort
 * them; OTLP conversion emits them sorted by name). `timestampsMs[i]` belongs to `values[i]`;
 * both have the same length.
 *
 * Staleness markers: Prometheus marks "this series ended" with one particular NaN bit pattern.
 * V8 does not keep NaN payloads (storing a NaN into a double array or a Float64Array may
 * canonicalise it), so decoders look at the raw bits and list the positions of markers in
 * `staleIndexes` (ascending); the value at such a position is an ordinary NaN.
 */
export interface MetricSeries {
  readonly labels: Label[];
  readonly timestampsMs: number[];
  readonly values: number[];
  readonly staleIndexes?: number[];
  /**
   * The 64-bit hash (two 32-bit words) of the bytes that encoded this series' labels, when the
   * decoder took its labels from one contiguous run of them (remote write 1.0 with a
   * {@link SeriesRefs}): the store remembers it, so the next request that sends the same bytes
   * skips decoding them (see {@link ResolvedSamples}).
   */
  readonly labelBytesHigh?: number;
  readonly labelBytesLow?: number;
}

/**
 * What a store knows about series it has stored, by the hash of their encoded label bytes: lets
 * a decoder hand over samples of known series without decoding, validating or hashing their
 * labels as text. `R` is the store's handle for a series; decoders keep it only while they read
 * that series (no array of handles is kept, so buffered batches hold no pointers).
 */
export interface SeriesRefs<R> {
  /** The series whose label bytes had this hash, if the store still knows it. */
  find(hashHigh: number, hashLow: number): R | undefined;
  /**
   * Whether samples of `ref` between these times (ms, inclusive) may be taken as they are. When
   * not (a timestamp the ingestor would reject, or one that needs the series' labels, such as a
   * new day for the series index), the decoder decodes the series in full instead.
   */
  accepts(ref: R, minMs: number, maxMs: number): boolean;
  /** Writes the series id of `ref` into `out` as [high, low] 32-bit words. */
  idWords(ref: R, out: Uint32Array): void;
}

/**
 * Samples of series a {@link SeriesRefs} knew, as columns: sample `i` belongs to the series id
 * `idWords[2i + 1]` (high) `idWords[2i]` (low), at `timestampsMs[i]`, with its value as raw
 * IEEE-754 bits in `valueWords[2i]` (low) and `valueWords[2i + 1]` (high), so staleness
 * markers and NaN payloads arrive intact. Arrays may be longer than `count`.
 */
export interface ResolvedSamples {
  readonly count: number;
  readonly idWords: Uint32Array;
  readonly timestampsMs: Float64Array;
  readonly valueWords: Uint32Array;
}

/** Prometheus metric types as remote write metadata and the `/api/v1/metadata` API name them. */
export type MetricType =
  'counter' | 'gauge' | 'histogram' | 'gaugehistogram' | 'summary' | 'info' | 'stateset' | 'unknown';

/** Type, help and unit of a metric family (remote write 1.0 `metadata`, 2.0 per-series). */
export interface MetricMetadata {
  readonly metricFamilyName: string;
  readonly type: MetricType;
  readonly help: string;
  readonly unit: string;
}

/** What one decoded request carries. */
export interface MetricsBatch {
  readonly series: MetricSeries[];
  readonly metadata: MetricMetadata[];
  /** Exemplars seen and not kept (Vigil does not store exemplars). */
  readonly exemplarsDropped: number;
  /** Series that carried native histograms; decoders report them instead of converting. */
  readonly nativeHistogramSeries: number;
  /** Samples of series the decoder's {@link SeriesRefs} knew (not in `series`). */
  readonly resolved?: ResolvedSamples;
}

/**
 * The staleness marker's bits (Prometheus value.StaleNaN = 0x7ff0000000000002), as the high and
 * low 32-bit words; compare raw words, never a decoded number (see {@link MetricSeries}).
 */
export const STALE_NAN_HIGH_WORD = 0x7ff00000;
export const STALE_NAN_LOW_WORD = 0x00000002;

/** True when the 8 bytes at `offset` (little-endian float64, as protobuf writes) are the marker. */
export function isStaleNaNAt(bytes: Uint8Array, offset: number): boolean {
  const low =
    (bytes[offset]! | (bytes[offset + 1]! << 8) | (bytes[offset + 2]! << 16) | (bytes[offset + 3]! << 24)) >>>
    0;
  if (low !== STALE_NAN_LOW_WORD) return false;
  const high =
    (bytes[offset + 4]! |
      (bytes[offset + 5]! << 8) |
      (bytes[offset + 6]! << 16) |
      (bytes[offset + 7]! << 24)) >>>
    0;
  return high === STALE_NAN_HIGH_WORD;
}

/** Label matcher operators of PromQL and the remote read/series APIs. */
export type MatchOp = '=' | '!=' | '=~' | '!~';

/** A label matcher: `name op value`, where regexes are fully anchored as in Prometheus. */
export interface LabelMatcher {
  readonly name: string;
  readonly op: MatchOp;
  readonly value: string;
}

/** Orders label sets like Prometheus's labels.Compare: pairwise name, then value, then length. */
export function compareLabels(a: readonly Label[], b: readonly Label[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.name !== y.name) return x.name < y.name ? -1 : 1;
    if (x.value !== y.value) return x.value < y.value ? -1 : 1;
  }
  return a.length - b.length;
}
