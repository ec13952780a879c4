/**
 * Native bodies for the embedded engine: samples straight from the plan's typed arrays (no
 * per-sample work here at all), series and metadata rows through {@link TextColumn}.
 * Maps are sent as `Map(String, String)`; ClickHouse converts the keys to LowCardinality.
 */
import type { MetricMetadata } from '@vigil/protocols';
import type { SampleColumns, SeriesRow } from './insert-plan.ts';
import { NativeBlock, TextColumn } from './native-block.ts';

/** `metrics_samples` rows: SeriesId, Timestamp, Value. */
export function encodeSamplesNative(samples: SampleColumns): NativeBlock {
  const block = new NativeBlock(3, samples.count);
  block.column('SeriesId', 'UInt64', samples.ids);
  block.column('Timestamp', 'DateTime64(3)', samples.timestamps);
  block.column('Value', 'Float64', samples.values);
  return block;
}

/** Unix ms (0 ≤ ms < 2^53) as Int64 words, low word first. */
function msWords(values: readonly number[]): Uint32Array {
  const words = new Uint32Array(values.length * 2);
  values.forEach((ms, i) => {
    words[2 * i] = ms >>> 0;
    words[2 * i + 1] = Math.floor(ms / 0x1_0000_0000);
  });
  return words;
}

/** `metrics_series` rows: MetricName, SeriesId, Labels, FirstSeen, LastSeen. */
export function encodeSeriesNative(rows: readonly SeriesRow[]): NativeBlock {
  const block = new NativeBlock(5, rows.length);
  const names = new TextColumn();
  for (const row of rows) names.string(row.metricName);
  block.column('MetricName', 'String', names.bytes());

  const ids = new Uint32Array(rows.length * 2);
  rows.forEach((row, i) => {
    ids[2 * i] = row.idLow;
    ids[2 * i + 1] = row.idHigh;
  });
  block.column('SeriesId', 'UInt64', ids);

  // Map(K, V) = Array(Tuple(K, V)): cumulative offsets, then every key, then every value.
  const labels = new TextColumn();
  let total = 0;
  for (const row of rows) labels.uint64((total += row.labels.length));
  for (const row of rows) for (const label of row.labels) labels.string(label.name);
  for (const row of rows) for (const label of row.labels) labels.string(label.value);
  block.column('Labels', 'Map(String, String)', labels.bytes());

  block.column('FirstSeen', 'DateTime64(3)', msWords(rows.map((r) => r.firstMs)));
  block.column('LastSeen', 'DateTime64(3)', msWords(rows.map((r) => r.lastMs)));
  return block;
}

/** `metrics_metadata` rows: MetricFamilyName, Type, Help, Unit, UpdatedAt. */
export function encodeMetadataNative(rows: readonly MetricMetadata[], updatedAtMs: number): NativeBlock {
  const block = new NativeBlock(5, rows.length);
  const text = (get: (m: MetricMetadata) => string): Buffer => {
    const column = new TextColumn();
    for (const row of rows) column.string(get(row));
    return column.bytes();
  };
  block.column(
    'MetricFamilyName',
    'String',
    text((m) => m.metricFamilyName),
  );
  block.column(
    'Type',
    'String',
    text((m) => m.type),
  );
  block.column(
    'Help',
    'String',
    text((m) => m.help),
  );
  block.column(
    'Unit',
    'String',
    text((m) => m.unit),
  );
  block.column('UpdatedAt', 'DateTime64(3)', msWords(rows.map(() => updatedAtMs)));
  return block;
}
