/**
 * Grouping accuracy, the measure of log parsers in Loghub's benchmark (Zhu et al., "Tools and
 * Benchmarks for Automated Log Parsing", ICSE-SEIP 2019): a line counts as correct when the set
 * of lines in its predicted cluster equals the set of lines sharing its ground-truth event.
 *
 *   truth:     A A B B C          predicted: x x y y y
 *   cluster x = {0,1} = event A → 2 correct; cluster y = {2,3,4} ≠ B, ≠ C → 0 correct; 2/5
 */

/** The fraction of lines grouped exactly as the ground truth groups them (0 for no lines). */
export function groupingAccuracy(predicted: readonly string[], truth: readonly string[]): number {
  if (predicted.length !== truth.length) {
    throw new RangeError(`groupingAccuracy: ${predicted.length} predictions for ${truth.length} lines`);
  }
  if (truth.length === 0) return 0;
  const truthSize = countBy(truth);
  // For each predicted cluster: its size and the one truth label of all its lines (or null if mixed).
  const clusters = new Map<string, { size: number; label: string | null }>();
  for (let i = 0; i < predicted.length; i++) {
    const cluster = clusters.get(predicted[i]!);
    if (cluster === undefined) clusters.set(predicted[i]!, { size: 1, label: truth[i]! });
    else {
      cluster.size++;
      if (cluster.label !== truth[i]) cluster.label = null;
    }
  }
  let correct = 0;
  for (const { size, label } of clusters.values()) {
    if (label !== null && truthSize.get(label) === size) correct += size;
  }
  return correct / truth.length;
}

function countBy(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}
