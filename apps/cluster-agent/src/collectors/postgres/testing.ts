/** Small helpers for the collector's tests: find samples in a collection. */
import type { Sample } from '@vigil/agent-kit';
import type { Collection } from '../collector.ts';

/** Samples of `name` whose labels include all of `labels`. */
export function samplesOf(
  collection: Collection,
  name: string,
  labels: Record<string, string> = {},
): Sample[] {
  const family = collection.families.find((f) => f.name === name);
  return (family?.samples ?? []).filter((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

/** The value of the one sample of `name` with `labels`; throws when there is not exactly one. */
export function valueOf(collection: Collection, name: string, labels: Record<string, string> = {}): number {
  const found = samplesOf(collection, name, labels);
  if (found.length !== 1 || found[0] === undefined) {
    throw new Error(`expected one ${name} ${JSON.stringify(labels)} sample, found ${found.length}`);
  }
  return found[0].value;
}
