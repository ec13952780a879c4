import { executionError } from '../errors.ts';
import {
  dropMetricName,
  formatLabels,
  getLabel,
  labelsKey,
  METRIC_NAME,
  withLabel,
  type Labels,
} from '../model/labels.ts';
import type { BinaryExpr, VectorMatching } from '../parser/ast.ts';
import { arithmetic, compare, dropsMetricName, isComparison } from './binary-ops.ts';
import { SeriesSet } from './series-set.ts';
import type { Grid, StepSeries, Value } from './values.ts';

/** The labels two series are matched on: `on(...)` keeps the listed ones, else all but those and the name. */
function matchLabels(labels: Labels, m: VectorMatching): Labels {
  const names = new Set(m.labels);
  return labels.filter((l) => (m.on ? names.has(l.name) : !names.has(l.name) && l.name !== METRIC_NAME));
}

/** Interns match signatures as small integers so steps can use typed arrays instead of maps. */
function signatures(lhs: readonly StepSeries[], rhs: readonly StepSeries[], m: VectorMatching) {
  const ids = new Map<string, number>();
  const id = (s: StepSeries): number => {
    const key = labelsKey(matchLabels(s.labels, m));
    let v = ids.get(key);
    if (v === undefined) {
      v = ids.size;
      ids.set(key, v);
    }
    return v;
  };
  const lhsSig = Int32Array.from(lhs, id);
  const rhsSig = Int32Array.from(rhs, id);
  return { lhsSig, rhsSig, count: ids.size };
}

function anyPresent(series: readonly StepSeries[], i: number): boolean {
  for (const s of series) if (s.present[i] === 1) return true;
  return false;
}

/**
 * vector op vector. Set operators (and, or, unless) match many-to-many on signatures; the
 * others match one-to-one or, with group_left/group_right, many-to-one, raising Prometheus's
 * errors for duplicate series on the "one" side and for ambiguous matches.
 */
export function vectorBinary(e: BinaryExpr, lhs: StepSeries[], rhs: StepSeries[], grid: Grid): Value {
  const m = e.matching!;
  const sig = signatures(lhs, rhs, m);
  const set = new SeriesSet(grid.steps);
  if (e.op === 'and' || e.op === 'or' || e.op === 'unless') {
    setOperation(e.op, lhs, rhs, sig.lhsSig, sig.rhsSig, sig.count, grid, set);
    return { kind: 'vector', series: set.nonEmpty() };
  }
  const swap = m.card === 'one-to-many';
  const many = swap ? rhs : lhs;
  const one = swap ? lhs : rhs;
  const manySig = swap ? sig.rhsSig : sig.lhsSig;
  const oneSig = swap ? sig.lhsSig : sig.rhsSig;
  const oneStamp = new Int32Array(sig.count).fill(-1);
  const oneAt = new Int32Array(sig.count);
  const matchedStamp = new Int32Array(sig.count).fill(-1);
  const groupedSeen = new Map<string, number>();
  const outputs = new Map<number, StepSeries>();
  const outputIds = new Map<StepSeries, number>();
  const comparison = isComparison(e.op);
  for (let i = 0; i < grid.steps; i++) {
    if (!anyPresent(lhs, i) || !anyPresent(rhs, i)) continue;
    for (let oi = 0; oi < one.length; oi++) {
      const s = one[oi]!;
      if (s.present[i] !== 1) continue;
      const g = oneSig[oi]!;
      if (oneStamp[g] === i) throw duplicateError(s, one[oneAt[g]!]!, m);
      oneStamp[g] = i;
      oneAt[g] = oi;
    }
    for (let mi = 0; mi < many.length; mi++) {
      const ms = many[mi]!;
      if (ms.present[i] !== 1) continue;
      const g = manySig[mi]!;
      if (oneStamp[g] !== i) continue;
      const oi = oneAt[g]!;
      const os = one[oi]!;
      const vl = swap ? os.values[i]! : ms.values[i]!;
      const vr = swap ? ms.values[i]! : os.values[i]!;
      let value: number;
      if (comparison) {
        const keep = compare(e.op, vl, vr);
        if (e.returnBool) value = keep ? 1 : 0;
        else if (keep) value = vl;
        else continue;
      } else {
        value = arithmetic(e.op, vl, vr);
      }
      const pairKey = mi * one.length + oi;
      let out = outputs.get(pairKey);
      if (out === undefined) {
        out = set.series(resultLabels(ms.labels, os.labels, e));
        outputs.set(pairKey, out);
        if (!outputIds.has(out)) outputIds.set(out, outputIds.size);
      }
      if (m.card === 'one-to-one') {
        if (matchedStamp[g] === i) {
          throw executionError(
            'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)',
          );
        }
        matchedStamp[g] = i;
      } else {
        const key = `${g},${outputIds.get(out)!}`;
        if (groupedSeen.get(key) === i) {
          throw executionError('multiple matches for labels: grouping labels must ensure unique matches');
        }
        groupedSeen.set(key, i);
      }
      set.set(out, i, value);
    }
  }
  return { kind: 'vector', series: set.nonEmpty() };
}

/** The result's labels: from the "many" side, reduced for one-to-one, plus group_x labels from the "one" side. */
function resultLabels(many: Labels, one: Labels, e: BinaryExpr): Labels {
  const m = e.matching!;
  let labels = dropsMetricName(e.op) ? dropMetricName(many) : many;
  if (m.card === 'one-to-one') {
    const names = new Set(m.labels);
    labels = labels.filter((l) => names.has(l.name) === m.on);
  }
  for (const name of m.include) labels = withLabel(labels, name, getLabel(one, name));
  return e.returnBool ? dropMetricName(labels) : labels;
}

function duplicateError(current: StepSeries, earlier: StepSeries, m: VectorMatching): Error {
  const side = m.card === 'one-to-many' ? 'left' : 'right';
  return executionError(
    `found duplicate series for the match group ${formatLabels(matchLabels(current.labels, m))} on the ${side} ` +
      `hand-side of the operation: [${formatLabels(current.labels)}, ${formatLabels(earlier.labels)}]` +
      ';many-to-many matching not allowed: matching labels must be unique on one side',
  );
}

function setOperation(
  op: 'and' | 'or' | 'unless',
  lhs: readonly StepSeries[],
  rhs: readonly StepSeries[],
  lhsSig: Int32Array,
  rhsSig: Int32Array,
  count: number,
  grid: Grid,
  set: SeriesSet,
): void {
  const stamp = new Int32Array(count).fill(-1);
  const lhsOut = lhs.map((s) => set.series(s.labels));
  const rhsOut = op === 'or' ? rhs.map((s) => set.series(s.labels)) : [];
  for (let i = 0; i < grid.steps; i++) {
    if (op === 'or') {
      for (let l = 0; l < lhs.length; l++) {
        if (lhs[l]!.present[i] !== 1) continue;
        stamp[lhsSig[l]!] = i;
        set.set(lhsOut[l]!, i, lhs[l]!.values[i]!);
      }
      for (let r = 0; r < rhs.length; r++) {
        if (rhs[r]!.present[i] !== 1 || stamp[rhsSig[r]!] === i) continue;
        set.set(rhsOut[r]!, i, rhs[r]!.values[i]!);
      }
      continue;
    }
    for (let r = 0; r < rhs.length; r++) if (rhs[r]!.present[i] === 1) stamp[rhsSig[r]!] = i;
    for (let l = 0; l < lhs.length; l++) {
      if (lhs[l]!.present[i] !== 1) continue;
      if ((stamp[lhsSig[l]!] === i) === (op === 'and')) set.set(lhsOut[l]!, i, lhs[l]!.values[i]!);
    }
  }
}
