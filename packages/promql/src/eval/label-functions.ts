import { PromQLError } from '../errors.ts';
import { getLabel, labelsKey, withLabel, type Labels } from '../model/labels.ts';
import { compileAnchoredRegex, expandTemplate, LABEL_NAME_RE } from '../model/regex.ts';
import type { CallExpr } from '../parser/ast.ts';
import { evalString, evalVector, type EvalContext } from './context.ts';
import { SeriesSet } from './series-set.ts';
import { newStepSeries, type Grid, type StepSeries, type Value } from './values.ts';

/** Re-labels every series with `relabel`, keeping values; equal results merge per step. */
function relabelAll(input: readonly StepSeries[], grid: Grid, relabel: (labels: Labels) => Labels): Value {
  const set = new SeriesSet(grid.steps);
  const cache = new Map<string, Labels>();
  for (const s of input) {
    const key = labelsKey(s.labels);
    let labels = cache.get(key);
    if (labels === undefined) {
      labels = relabel(s.labels);
      cache.set(key, labels);
    }
    const out = newStepSeries(labels, grid.steps);
    out.present.set(s.present);
    out.values.set(s.values);
    set.addSeries(out);
  }
  return { kind: 'vector', series: set.list };
}

/** label_replace(v, dst, replacement, src, regex): Go regexp semantics, anchored. */
export function labelReplace(ctx: EvalContext, call: CallExpr, grid: Grid): Value {
  const [vec, dstArg, replArg, srcArg, regexArg] = call.args;
  const dst = evalString(ctx, dstArg!, grid);
  const replacement = evalString(ctx, replArg!, grid);
  const src = evalString(ctx, srcArg!, grid);
  const regexSource = evalString(ctx, regexArg!, grid);
  let re: RegExp;
  try {
    re = compileAnchoredRegex(regexSource);
  } catch (err) {
    throw new PromQLError('execution', `invalid regular expression in label_replace(): ${regexSource}`, {
      cause: err,
    });
  }
  if (!LABEL_NAME_RE.test(dst)) {
    throw new PromQLError('execution', `invalid destination label name in label_replace(): ${dst}`);
  }
  return relabelAll(evalVector(ctx, vec!, grid), grid, (labels) => {
    const match = re.exec(getLabel(labels, src));
    if (match === null) return labels;
    return withLabel(labels, dst, expandTemplate(replacement, match));
  });
}

/** label_join(v, dst, separator, src...): joins source label values (missing ones as ""). */
export function labelJoin(ctx: EvalContext, call: CallExpr, grid: Grid): Value {
  const [vec, dstArg, sepArg, ...srcArgs] = call.args;
  const dst = evalString(ctx, dstArg!, grid);
  const separator = evalString(ctx, sepArg!, grid);
  const sources = srcArgs.map((a) => evalString(ctx, a, grid));
  for (const src of sources) {
    if (!LABEL_NAME_RE.test(src)) {
      throw new PromQLError('execution', `invalid source label name in label_join(): ${src}`);
    }
  }
  if (!LABEL_NAME_RE.test(dst)) {
    throw new PromQLError('execution', `invalid destination label name in label_join(): ${dst}`);
  }
  return relabelAll(evalVector(ctx, vec!, grid), grid, (labels) =>
    withLabel(labels, dst, sources.map((s) => getLabel(labels, s)).join(separator)),
  );
}
