import type { SubqueryExpr } from '../parser/ast.ts';
import type { Labels } from '../model/labels.ts';
import { evalVector, type EvalContext } from './context.ts';
import { atTimeMs } from './plan.ts';
import { makeGrid, type Grid, type RangeSeries } from './values.ts';

/** Samples of one series that range windows slide over. */
export interface WindowInput {
  readonly labels: Labels;
  readonly timestampsMs: ArrayLike<number>;
  readonly values: ArrayLike<number>;
}

/**
 * The grid a subquery evaluates its expression on. Steps are aligned to absolute time
 * (multiples of the step since the epoch), starting at the first aligned time after
 * `start - offset - range` and ending at `end - offset`; an `@` replaces start and end.
 * Go's integer division truncates towards zero, and so does this.
 */
export function subqueryGrid(ctx: EvalContext, node: SubqueryExpr, outer: Grid): Grid {
  const stepMs = node.stepMs > 0 ? node.stepMs : ctx.frame.defaultSubqueryStepMs;
  const at = node.at === undefined ? undefined : atTimeMs(node.at, ctx.frame);
  const outerStart = at ?? outer.startMs;
  const outerEnd = at ?? outer.endMs;
  const earliest = outerStart - node.offsetMs - node.rangeMs;
  let start = stepMs * Math.trunc(earliest / stepMs);
  if (start < earliest) start += stepMs;
  return makeGrid(start, outerEnd - node.offsetMs, stepMs);
}

/** Evaluates the subquery's expression and returns its series as timestamped samples. */
export function evalSubquery(ctx: EvalContext, node: SubqueryExpr, outer: Grid): WindowInput[] {
  const grid = subqueryGrid(ctx, node, outer);
  const series = evalVector(ctx, node.expr, grid);
  const out: WindowInput[] = [];
  for (const s of series) {
    let n = 0;
    for (let i = 0; i < grid.steps; i++) n += s.present[i]!;
    const ts = new Float64Array(n);
    const vs = new Float64Array(n);
    let j = 0;
    for (let i = 0; i < grid.steps; i++) {
      if (s.present[i] !== 1) continue;
      ts[j] = grid.startMs + i * grid.stepMs;
      vs[j] = s.values[i]!;
      j++;
    }
    out.push({ labels: s.labels, timestampsMs: ts, values: vs });
  }
  return out;
}

/** A subquery at the top of an instant query: its samples as a range vector. */
export function subqueryAsMatrix(ctx: EvalContext, node: SubqueryExpr, outer: Grid): RangeSeries[] {
  return evalSubquery(ctx, node, outer).map((s) => ({
    labels: s.labels,
    timestampsMs: Array.from(s.timestampsMs),
    values: Array.from(s.values),
  }));
}
