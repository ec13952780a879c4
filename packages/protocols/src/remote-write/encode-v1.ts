/**
 * Encoder for remote write 1.0 `prometheus.WriteRequest` bodies (uncompressed), for tests and
 * benchmarks. Field numbers as in decode-v1.ts.
 */
import { metricTypeToNumber } from './metric-type.ts';
import type { RemoteWrite1Input } from './encode-input.ts';
import { writeHistogram, writeSamples } from './encode-parts.ts';
import { ProtoWriter } from './proto-writer.ts';

/**
 * Encodes series (with their staleness markers, exemplars and native histograms) and metadata as
 * a `prometheus.WriteRequest`. A decoded {@link MetricsBatch} encodes back to an equivalent body.
 */
export function encodeRemoteWrite1(input: RemoteWrite1Input): Buffer {
  const w = new ProtoWriter();
  for (const series of input.series) {
    w.fork(1); // timeseries
    for (const label of series.labels) {
      w.fork(1);
      w.string(1, label.name);
      w.string(2, label.value);
      w.join();
    }
    writeSamples(w, 2, series);
    for (const exemplar of series.exemplars ?? []) {
      w.fork(3);
      for (const label of exemplar.labels) {
        w.fork(1);
        w.string(1, label.name);
        w.string(2, label.value);
        w.join();
      }
      w.double(2, exemplar.value);
      w.int64(3, exemplar.timestampMs);
      w.join();
    }
    for (const histogram of series.histograms ?? []) writeHistogram(w, 4, histogram);
    w.join();
  }
  for (const m of input.metadata ?? []) {
    w.fork(3);
    w.uint32(1, metricTypeToNumber(m.type));
    w.string(2, m.metricFamilyName);
    w.string(4, m.help);
    w.string(5, m.unit);
    w.join();
  }
  return w.finish();
}
