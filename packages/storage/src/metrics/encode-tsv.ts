/**
 * TabSeparated bodies for a remote ClickHouse, whose HTTP inserts Vigil keeps textual (see the
 * storage README). Same rows as encode-native.ts, with two differences forced by text:
 *
 * - a value is its shortest round-trip decimal (`String(v)`, exact for a double), `nan`, `inf`
 *   or `-inf`, plus a stale flag: samples go into the EPHEMERAL InputValue/InputStale columns
 *   and Value's DEFAULT turns a flagged row into the StaleNaN bits (schema.ts);
 * - times are `seconds.millis`, zero-padded to 10 digits of seconds: ClickHouse reads shorter
 *   digit runs as a malformed date (see the storage README), padded ones as Unix time.
 */
import type { MetricMetadata } from '@vigil/protocols';
import { tsvField, tsvQuoted } from '../encode/tsv.ts';
import { STALE_HIGH, STALE_LOW, type SampleColumns, type SeriesRow } from './insert-plan.ts';
import { seriesIdText } from './series-id.ts';

/** Columns of the samples body, in order. */
export const SAMPLE_TSV_COLUMNS = ['SeriesId', 'Timestamp', 'InputValue', 'InputStale'] as const;
/** Columns of the series body, in order. */
export const SERIES_TSV_COLUMNS = ['MetricName', 'SeriesId', 'Labels', 'FirstSeen', 'LastSeen'] as const;
/** Columns of the metadata body, in order. */
export const METADATA_TSV_COLUMNS = ['MetricFamilyName', 'Type', 'Help', 'Unit', 'UpdatedAt'] as const;

const CHUNK_CHARS = 65_536;

/** Unix ms as DateTime64(3) text. */
export function msText(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  return `${String(seconds).padStart(10, '0')}.${String(ms - seconds * 1000).padStart(3, '0')}`;
}

function valueText(v: number): string {
  if (v !== v) return 'nan';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0'; // String(-0) is "0"
  return v === Infinity ? 'inf' : v === -Infinity ? '-inf' : String(v);
}

/** Joins row text in ~64 KB chunks (one big string concat grows ropes the GC then promotes). */
class TextBody {
  readonly #parts: Buffer[] = [];
  #pending = '';

  add(row: string): void {
    this.#pending += row;
    if (this.#pending.length >= CHUNK_CHARS) this.#flush();
  }

  finish(): Buffer {
    this.#flush();
    return Buffer.concat(this.#parts);
  }

  #flush(): void {
    if (this.#pending === '') return;
    this.#parts.push(Buffer.from(this.#pending));
    this.#pending = '';
  }
}

/** Sample rows as TSV with {@link SAMPLE_TSV_COLUMNS}. */
export function encodeSamplesTsv(samples: SampleColumns): Buffer {
  const body = new TextBody();
  const words = new Uint32Array(samples.values.buffer, samples.values.byteOffset, samples.count * 2);
  let high = -1;
  let low = -1;
  let id = '';
  for (let row = 0; row < samples.count; row++) {
    if (samples.ids[2 * row] !== low || samples.ids[2 * row + 1] !== high) {
      low = samples.ids[2 * row]!;
      high = samples.ids[2 * row + 1]!;
      id = seriesIdText(high, low);
    }
    const ms = samples.timestamps[2 * row + 1]! * 0x1_0000_0000 + samples.timestamps[2 * row]!;
    const stale = words[2 * row] === STALE_LOW && words[2 * row + 1] === STALE_HIGH;
    body.add(`${id}\t${msText(ms)}\t${valueText(samples.values[row]!)}\t${stale ? 1 : 0}\n`);
  }
  return body.finish();
}

/** Series rows as TSV with {@link SERIES_TSV_COLUMNS}. */
export function encodeSeriesTsv(rows: readonly SeriesRow[]): Buffer {
  const body = new TextBody();
  for (const row of rows) {
    let labels = '{';
    for (let i = 0; i < row.labels.length; i++) {
      const { name, value } = row.labels[i]!;
      labels += (i > 0 ? ',' : '') + tsvQuoted(name) + ':' + tsvQuoted(value);
    }
    const id = seriesIdText(row.idHigh, row.idLow);
    body.add(
      `${tsvField(row.metricName)}\t${id}\t${labels}}\t${msText(row.firstMs)}\t${msText(row.lastMs)}\n`,
    );
  }
  return body.finish();
}

/** Metadata rows as TSV with {@link METADATA_TSV_COLUMNS}. */
export function encodeMetadataTsv(rows: readonly MetricMetadata[], updatedAtMs: number): Buffer {
  const body = new TextBody();
  const at = msText(updatedAtMs);
  for (const m of rows) {
    body.add(
      `${tsvField(m.metricFamilyName)}\t${tsvField(m.type)}\t${tsvField(m.help)}\t${tsvField(m.unit)}\t${at}\n`,
    );
  }
  return body.finish();
}
