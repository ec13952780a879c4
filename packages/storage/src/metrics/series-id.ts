/**
 * A series' identity: its canonical label set, an in-process cache key, and the 64-bit series id
 * stored in ClickHouse.
 *
 * Series id — fixed forever, since stored rows carry it:
 *
 *   id = XXH64(seed 0) of  name₁ 0xFF value₁ 0xFF name₂ 0xFF value₂ 0xFF …
 *
 * over the labels sorted by name (`__name__` included), without labels whose value is empty,
 * names and values as UTF-8. That is Prometheus's `labels.Labels.Hash()` byte for byte, and
 * ClickHouse computes the same with `xxHash64(…)`, so ids can be recomputed in SQL (backfills,
 * checks) and match what Prometheus tooling reports. Valid UTF-8 never contains 0xFF, so the
 * byte string is unambiguous. Computed in JS because every sample row carries the id: asking
 * ClickHouse would mean shipping the labels with each sample.
 *
 * Sorting uses JS string order (UTF-16 units); it differs from Prometheus's byte order only
 * between astral characters and U+E000–U+FFFF in label names, which valid names do not contain.
 */
import type { Label } from '@vigil/protocols';
import { xxhash64 } from './xxhash64.ts';

export const METRIC_NAME_LABEL = '__name__';

const byName = (a: Label, b: Label): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * Labels sorted by name without empty values: `labels` itself when it already is (the usual
 * case: remote-write senders sort), otherwise a sorted, filtered copy.
 */
export function canonicalLabels(labels: readonly Label[]): readonly Label[] {
  let previous = '';
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    if (label.value === '' || (i > 0 && label.name < previous)) {
      return labels.filter((l) => l.value !== '').sort(byName);
    }
    previous = label.name;
  }
  return labels;
}

/**
 * A string that identifies a canonical label set exactly (for the known-series cache): each
 * name and value prefixed by its length as one UTF-16 unit, so no value can imitate a boundary.
 * Lengths of 0xFFFF and more are written as U+FFFF, the decimal length and ';'.
 */
export function seriesKey(labels: readonly Label[]): string {
  let key = '';
  for (let i = 0; i < labels.length; i++) {
    const { name, value } = labels[i]!;
    key += lengthPrefix(name.length) + name + lengthPrefix(value.length) + value;
  }
  return key;
}

function lengthPrefix(length: number): string {
  return length < 0xffff ? String.fromCharCode(length) : `\uffff${length};`;
}

// Reused across calls: label text is encoded here, then hashed.
let scratch = Buffer.allocUnsafe(4096);
const idWords = new Uint32Array(2);

/** The series id of canonical labels as [high, low] 32-bit words (see the module comment). */
export function seriesIdWords(labels: readonly Label[]): [high: number, low: number] {
  let size = 0;
  for (const { name, value } of labels) size += (name.length + value.length) * 3 + 2;
  if (size > scratch.length) scratch = Buffer.allocUnsafe(Math.max(size, scratch.length * 2));
  let pos = 0;
  for (const { name, value } of labels) {
    pos += scratch.write(name, pos);
    scratch[pos++] = 0xff;
    pos += scratch.write(value, pos);
    scratch[pos++] = 0xff;
  }
  xxhash64(scratch, 0, pos, idWords);
  return [idWords[0]!, idWords[1]!];
}

/** A series id as the decimal text ClickHouse prints and parses for UInt64. */
export function seriesIdText(high: number, low: number): string {
  return ((BigInt(high) << 32n) | BigInt(low)).toString();
}

/** The metric name of canonical labels ('' when there is none). */
export function metricNameOf(labels: readonly Label[]): string {
  for (const label of labels) if (label.name === METRIC_NAME_LABEL) return label.value;
  return '';
}
