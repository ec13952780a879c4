import { PromQLError } from '../errors.ts';
import { formatGoFloat } from '../format/go-float.ts';
import { labelsKey, withLabel, type Labels } from '../model/labels.ts';
import { LABEL_NAME_RE } from '../model/regex.ts';
import type { AggregateExpr } from '../parser/ast.ts';
import { groupLabels } from './grouping.ts';
import { SeriesSet } from './series-set.ts';
import type { Grid, StepSeries, Value } from './values.ts';

/**
 * count_values("label", v): per step, counts samples by value, the value (Go 'f' format)
 * becoming the given label, grouped like other aggregations (`by` implicitly includes it).
 */
export function countValues(e: AggregateExpr, input: StepSeries[], valueLabel: string, grid: Grid): Value {
  if (!LABEL_NAME_RE.test(valueLabel)) {
    throw new PromQLError('execution', `invalid label name ${JSON.stringify(valueLabel)}`);
  }
  const grouping = new Set(e.grouping);
  if (!e.without) grouping.add(valueLabel);
  const set = new SeriesSet(grid.steps);
  const cache = new Map<string, Labels>();
  const counts = new Map<string, { labels: Labels; count: number }>();
  const seriesKeys = input.map((s) => labelsKey(s.labels));
  for (let i = 0; i < grid.steps; i++) {
    counts.clear();
    for (let si = 0; si < input.length; si++) {
      const s = input[si]!;
      if (s.present[i] !== 1) continue;
      const text = formatGoFloat(s.values[i]!, 'f');
      const cacheKey = `${seriesKeys[si]!}\xfe${text}`;
      let labels = cache.get(cacheKey);
      if (labels === undefined) {
        labels = groupLabels(withLabel(s.labels, valueLabel, text), grouping, e.without);
        cache.set(cacheKey, labels);
      }
      const key = labelsKey(labels);
      const entry = counts.get(key);
      if (entry === undefined) counts.set(key, { labels, count: 1 });
      else entry.count++;
    }
    for (const { labels, count } of counts.values()) set.set(set.series(labels), i, count);
  }
  return { kind: 'vector', series: set.list };
}
