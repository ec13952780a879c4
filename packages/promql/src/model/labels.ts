import type { Label } from '@vigil/protocols';

/** The label that carries the metric name. */
export const METRIC_NAME = '__name__';

/**
 * A label set: labels sorted by name, names unique, no empty values. Engine code treats these
 * arrays as immutable and shares them between series.
 */
export type Labels = readonly Label[];

const SEP = '\xff';

/**
 * Per label-set array, its key and its set without `__name__`. Label sets are immutable and the
 * same arrays come back query after query (the metric store hands out one array per series
 * while it remembers the series, and a metrics-cache round reuses its prepared series), so
 * identity is a safe memo key. The key rides on the array as
 * a symbol property: measured in the metrics-cache benchmark, a WeakMap here cost more than it
 * saved (ephemeron upkeep in the GC for every short-lived label set).
 */
const KEY = Symbol('labelsKey');
const WITHOUT_NAME = Symbol('withoutName');

/**
 * Reads a value memoized on a label-set array under `symbol`, or computes and attaches it (not
 * enumerable: the set still compares and serializes as a plain array).
 */
export function memoOnLabels<T>(labels: Labels, symbol: symbol, compute: () => T): T {
  const holder = labels as unknown as Record<symbol, T | undefined>;
  const known = holder[symbol];
  if (known !== undefined) return known;
  const value = compute();
  Object.defineProperty(labels, symbol, { value });
  return value;
}

/** A string that identifies a label set; equal sets give equal keys. */
export function labelsKey(labels: Labels): string {
  return memoOnLabels(labels, KEY, () => {
    let key = '';
    for (const l of labels) key += l.name + SEP + l.value + SEP;
    return key;
  });
}

export function getLabel(labels: Labels, name: string): string {
  for (const l of labels) if (l.name === name) return l.value;
  return '';
}

/** The label set without `__name__` (the same array when there is none). */
export function dropMetricName(labels: Labels): Labels {
  return memoOnLabels(labels, WITHOUT_NAME, () => {
    for (let i = 0; i < labels.length; i++) {
      if (labels[i]!.name === METRIC_NAME) return labels.slice(0, i).concat(labels.slice(i + 1));
    }
    return labels;
  });
}

/** Sets (or, for an empty value, removes) one label, keeping the set sorted. */
export function withLabel(labels: Labels, name: string, value: string): Labels {
  const out: Label[] = [];
  let placed = value === '';
  for (const l of labels) {
    if (l.name === name) continue;
    if (!placed && l.name > name) {
      out.push({ name, value });
      placed = true;
    }
    out.push(l);
  }
  if (!placed) out.push({ name, value });
  return out;
}

/** Keeps only the named labels. */
export function keepLabels(labels: Labels, names: ReadonlySet<string>): Labels {
  return labels.filter((l) => names.has(l.name));
}

/** Removes the named labels. */
export function removeLabels(labels: Labels, names: ReadonlySet<string>): Labels {
  return labels.filter((l) => !names.has(l.name));
}

export { compareLabels } from '@vigil/protocols';

/**
 * Sorts labels by name and drops empty values: the canonical form of a label set. A set already
 * in that form is returned as it is (a store's label sets are), so memos on it survive.
 */
export function normalizeLabels(labels: readonly Label[]): Labels {
  if (isCanonical(labels)) return labels;
  const out = labels.filter((l) => l.value !== '');
  out.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  return out;
}

function isCanonical(labels: readonly Label[]): boolean {
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    if (l.value === '' || (i > 0 && !(labels[i - 1]!.name < l.name))) return false;
  }
  return true;
}

/** `{__name__="up", job="api"}`: Prometheus's labels.String(), used in error messages. */
export function formatLabels(labels: Labels): string {
  return `{${labels.map((l) => `${l.name}=${JSON.stringify(l.value)}`).join(', ')}}`;
}

/** Builds a label set from an object, e.g. in tests: `labelsOf({ __name__: 'up', job: 'a' })`. */
export function labelsOf(record: Record<string, string>): Labels {
  return normalizeLabels(Object.entries(record).map(([name, value]) => ({ name, value })));
}
