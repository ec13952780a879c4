import { bucketQuantile, type Bucket } from '../functions/quantile.ts';
import { getLabel, labelsKey, METRIC_NAME, removeLabels, type Labels } from '../model/labels.ts';
import { parseGoFloat } from '../parser/literals.ts';
import { SeriesSet } from './series-set.ts';
import type { Grid, StepSeries, Value } from './values.ts';

const EXCLUDED = new Set([METRIC_NAME, 'le']);
const LE_ONLY = new Set(['le']);

interface BucketSeries {
  readonly series: StepSeries;
  readonly upperBound: number;
  readonly group: number;
}

/**
 * histogram_quantile(φ, buckets) over classic histograms: at each step, the `le` buckets of
 * each series group (same labels apart from `le`; the metric name counts) become one quantile
 * (see bucketQuantile). Series without a parsable `le` are ignored. The result drops `le` and
 * the metric name.
 */
export function histogramQuantile(q: Float64Array, input: readonly StepSeries[], grid: Grid): Value {
  const groupIds = new Map<string, number>();
  const groupLabels: Labels[] = [];
  const buckets: BucketSeries[] = [];
  for (const s of input) {
    const upperBound = parseGoFloat(getLabel(s.labels, 'le'));
    if (upperBound === undefined) continue;
    const key = labelsKey(removeLabels(s.labels, LE_ONLY));
    let group = groupIds.get(key);
    if (group === undefined) {
      group = groupLabels.length;
      groupIds.set(key, group);
      groupLabels.push(removeLabels(s.labels, EXCLUDED));
    }
    buckets.push({ series: s, upperBound, group });
  }
  const set = new SeriesSet(grid.steps);
  const perGroup: Bucket[][] = groupLabels.map(() => []);
  for (let i = 0; i < grid.steps; i++) {
    for (const b of perGroup) b.length = 0;
    for (const b of buckets) {
      if (b.series.present[i] !== 1) continue;
      perGroup[b.group]!.push({ upperBound: b.upperBound, count: b.series.values[i]! });
    }
    for (let g = 0; g < perGroup.length; g++) {
      const list = perGroup[g]!;
      if (list.length === 0) continue;
      set.set(set.series(groupLabels[g]!), i, bucketQuantile(q[i]!, list));
    }
  }
  return { kind: 'vector', series: set.list };
}
