import { labelsKey, memoOnLabels, METRIC_NAME, type Labels } from '../model/labels.ts';
import type { StepSeries } from './values.ts';

/**
 * The labels of the group a series falls into: with `by`, only the listed labels (the metric
 * name too, if listed); with `without`, all but the listed labels and the metric name.
 */
export function groupLabels(labels: Labels, grouping: ReadonlySet<string>, without: boolean): Labels {
  if (without) return labels.filter((l) => !grouping.has(l.name) && l.name !== METRIC_NAME);
  return labels.filter((l) => grouping.has(l.name));
}

/**
 * Group labels per input label set and grouping, kept while the input set lives: queries that
 * aggregate the same prepared series the same way (a metrics-cache round) reuse them, and so
 * reuse their memoized keys.
 */
const GROUPS = Symbol('groups');

function cachedGroupLabels(
  labels: Labels,
  spec: string,
  names: ReadonlySet<string>,
  without: boolean,
): Labels {
  const bySpec = memoOnLabels(labels, GROUPS, () => new Map<string, Labels>());
  let g = bySpec.get(spec);
  if (g === undefined) {
    g = groupLabels(labels, names, without);
    bySpec.set(spec, g);
  }
  return g;
}

/** Assigns every input series a group index; groups are numbered in order of first series. */
export function assignGroups(
  input: readonly StepSeries[],
  grouping: readonly string[],
  without: boolean,
): { groupOf: Int32Array; labels: Labels[] } {
  const names = new Set(grouping);
  const spec = `${without ? '-' : '+'}${grouping.join('\xff')}`;
  const ids = new Map<string, number>();
  const labels: Labels[] = [];
  const groupOf = new Int32Array(input.length);
  input.forEach((s, i) => {
    const g = cachedGroupLabels(s.labels, spec, names, without);
    const key = labelsKey(g);
    let id = ids.get(key);
    if (id === undefined) {
      id = labels.length;
      ids.set(key, id);
      labels.push(g);
    }
    groupOf[i] = id;
  });
  return { groupOf, labels };
}
