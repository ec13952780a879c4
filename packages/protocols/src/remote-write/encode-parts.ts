/**
 * Messages whose layout 1.0 and 2.0 share: Sample (value = 1, timestamp = 2) and Histogram
 * (count_int = 1, sum = 3, schema = 4, zero_threshold = 5, positive_spans = 11,
 * positive_deltas = 12, timestamp = 15; BucketSpan offset = 1, length = 2).
 */
import type { NativeHistogramInput, RemoteWriteSeriesInput } from './encode-input.ts';
import type { ProtoWriter } from './proto-writer.ts';

/** Writes each sample of `series` as an embedded Sample in `field`. */
export function writeSamples(w: ProtoWriter, field: number, series: RemoteWriteSeriesInput): void {
  const { timestampsMs, values, staleIndexes } = series;
  if (timestampsMs.length !== values.length) {
    throw new Error(`series has ${values.length} values but ${timestampsMs.length} timestamps`);
  }
  let nextStale = 0;
  for (let i = 0; i < values.length; i++) {
    w.fork(field);
    if (staleIndexes !== undefined && staleIndexes[nextStale] === i) {
      w.staleNaN(1);
      nextStale++;
    } else {
      w.double(1, values[i]!);
    }
    w.int64(2, timestampsMs[i]!);
    w.join();
  }
}

/** Writes a native histogram as an embedded Histogram in `field`. */
export function writeHistogram(w: ProtoWriter, field: number, histogram: NativeHistogramInput): void {
  w.fork(field);
  w.uint32(1, histogram.count); // count_int
  w.double(3, histogram.sum);
  w.sint32(4, 0); // schema
  w.double(5, 1e-128); // zero_threshold, Prometheus's default
  if (histogram.count > 0) {
    w.fork(11); // positive_spans: one bucket at index 0
    w.sint32(1, 0);
    w.uint32(2, 1);
    w.join();
    w.fork(12); // positive_deltas, packed sint64 (zigzag): the count of the one bucket
    w.packedUint32(histogram.count * 2);
    w.join();
  }
  w.int64(15, histogram.timestampMs);
  w.join();
}
