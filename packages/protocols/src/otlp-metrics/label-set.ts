/**
 * Building the sorted label arrays of output series. A series' labels come from three layers,
 * later ones winning on equal names, as in Prometheus's `createAttributes`:
 *
 * ```
 *   data point attributes (sanitised; colliding keys joined with ';')
 *     ◄── context: job, instance, otel_scope_*   (per resource/scope, precomputed)
 *       ◄── per series: __name__, le | quantile
 * ```
 *
 * A label whose final value is '' is left out (Prometheus treats an empty value as absent; an
 * empty override therefore deletes, e.g. an empty scope version removes an attribute of that
 * name). Label objects are immutable and shared between series.
 */
import { compareUtf8 } from '../otlp/any-value-format.ts';
import type { Label } from '../metrics/records.ts';

/**
 * A data point's attributes as decoded, in wire order and with duplicates, in two parallel
 * arrays that decoders reuse from point to point (no per-point object).
 */
export class AttributeList {
  readonly keys: string[] = [];
  readonly values: string[] = [];
  length = 0;

  clear(): void {
    this.length = 0;
  }

  push(key: string, value: string): void {
    this.keys[this.length] = key;
    this.values[this.length] = value;
    this.length++;
  }
}

/** Sorts labels by name (all names are ASCII after sanitising, so `<` is byte order). */
export function sortLabels(labels: Label[]): Label[] {
  return labels.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Merges two label arrays sorted by name (`base` up to `baseLength`) into a new sorted array; on
 * equal names `top` wins. Labels with an empty value are dropped.
 */
export function mergeLabels(
  base: readonly Label[],
  top: readonly Label[],
  baseLength = base.length,
): Label[] {
  // Sized up front: growing by push would over-allocate, and these arrays are kept.
  const out = new Array<Label>(baseLength + top.length);
  let n = 0;
  let i = 0;
  let j = 0;
  while (i < baseLength || j < top.length) {
    const a = i < baseLength ? base[i] : undefined;
    const b = top[j];
    let pick: Label;
    if (b === undefined || (a !== undefined && a.name < b.name)) {
      pick = a!;
      i++;
    } else {
      pick = b;
      j++;
      if (a !== undefined && a.name === b.name) i++;
    }
    if (pick.value !== '') out[n++] = pick;
  }
  // Only when a name was overridden or a value empty: setting the length is a runtime call.
  if (n !== out.length) out.length = n;
  return out;
}

/** Scratch space for {@link attributeLabels}, reused across points. */
export interface LabelScratch {
  names: string[];
  keys: string[];
  values: string[];
  order: number[];
  /** The result of the last {@link attributeLabels} call (valid up to the count it returned). */
  labels: Label[];
}

export const newLabelScratch = (): LabelScratch => ({
  names: [],
  keys: [],
  values: [],
  order: [],
  labels: [],
});

/**
 * Turns attributes into labels sorted by name, written to `scratch.labels`; returns how many,
 * or -1 when a key cannot become a label name. `nameOf` gives a key's label name, undefined for
 * keys that are skipped (`__name__`), or '' for keys that cannot become one. Keys that collide
 * after sanitising get their values joined with ';' in the order of the original keys (UTF-8
 * byte order, stable for duplicates), as the spec says.
 */
export function attributeLabels(
  attributes: AttributeList,
  nameOf: (key: string) => string | undefined,
  scratch: LabelScratch,
): number {
  const { names, keys, values, order, labels } = scratch;
  let n = 0;
  for (let i = 0; i < attributes.length; i++) {
    const key = attributes.keys[i]!;
    const name = nameOf(key);
    if (name === undefined) continue;
    if (name === '') return -1;
    names[n] = name;
    keys[n] = key;
    values[n] = attributes.values[i]!;
    // Insertion sort by (label name, original key): points carry few attributes.
    let j = n;
    while (j > 0) {
      const prev = order[j - 1]!;
      const prevName = names[prev]!;
      if (prevName < name || (prevName === name && compareUtf8(keys[prev]!, key) <= 0)) break;
      order[j] = prev;
      j--;
    }
    order[j] = n;
    n++;
  }
  let count = 0;
  for (let k = 0; k < n; k++) {
    const index = order[k]!;
    const name = names[index]!;
    let value = values[index]!;
    while (k + 1 < n && names[order[k + 1]!] === name) {
      const next = values[order[++k]!]!;
      // Prometheus skips the join while the value so far is empty (it reads '' as absent).
      value = value === '' ? next : `${value};${next}`;
    }
    if (value === '') continue;
    // Points of a metric mostly repeat their attributes: reuse the label object when it matches.
    const previous = labels[count];
    labels[count++] =
      previous !== undefined && previous.name === name && previous.value === value
        ? previous
        : { name, value };
  }
  return count;
}
