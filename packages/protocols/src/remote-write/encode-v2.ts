/**
 * Encoder for remote write 2.0 `io.prometheus.write.v2.Request` bodies (uncompressed), for tests
 * and benchmarks. Field numbers as in decode-v2.ts.
 */
import type { Label } from '../metrics/records.ts';
import { metricTypeToNumber } from './metric-type.ts';
import type { RemoteWrite2Input } from './encode-input.ts';
import { writeHistogram, writeSamples } from './encode-parts.ts';
import { ProtoWriter } from './proto-writer.ts';

export interface RemoteWrite2Options {
  /**
   * Put the symbols after the series. Legal protobuf (fields may come in any order) that
   * Prometheus never sends; tests use it to check the decoder does not depend on the order.
   */
  readonly symbolsLast?: boolean;
}

/** Interns strings into the request's symbol table; symbols[0] is '' as the spec requires. */
class SymbolTable {
  readonly symbols: string[] = [''];
  private readonly refs = new Map<string, number>([['', 0]]);

  ref(value: string): number {
    let ref = this.refs.get(value);
    if (ref === undefined) {
      ref = this.symbols.length;
      this.symbols.push(value);
      this.refs.set(value, ref);
    }
    return ref;
  }
}

function writeLabelsRefs(w: ProtoWriter, table: SymbolTable, labels: readonly Label[]): void {
  if (labels.length === 0) return;
  w.fork(1);
  for (const label of labels) {
    w.packedUint32(table.ref(label.name));
    w.packedUint32(table.ref(label.value));
  }
  w.join();
}

/**
 * Encodes series as a 2.0 `Request`: labels, staleness markers, exemplars, native histograms and
 * each series' `metadata` become symbol references.
 */
export function encodeRemoteWrite2(input: RemoteWrite2Input, options: RemoteWrite2Options = {}): Buffer {
  const table = new SymbolTable();
  const series = new ProtoWriter();
  for (const s of input.series) {
    series.fork(5); // timeseries
    writeLabelsRefs(series, table, s.labels);
    writeSamples(series, 2, s);
    for (const histogram of s.histograms ?? []) writeHistogram(series, 3, histogram);
    for (const exemplar of s.exemplars ?? []) {
      series.fork(4);
      writeLabelsRefs(series, table, exemplar.labels);
      series.double(2, exemplar.value);
      series.int64(3, exemplar.timestampMs);
      series.join();
    }
    if (s.metadata !== undefined) {
      series.fork(5);
      series.uint32(1, metricTypeToNumber(s.metadata.type));
      series.uint32(3, table.ref(s.metadata.help));
      series.uint32(4, table.ref(s.metadata.unit));
      series.join();
    }
    series.join();
  }
  const seriesBytes = series.finish();
  const out = new ProtoWriter();
  if (options.symbolsLast === true) out.raw(seriesBytes);
  for (const symbol of table.symbols) out.repeatedString(4, symbol);
  if (options.symbolsLast !== true) out.raw(seriesBytes);
  return out.finish();
}
