import { quantile } from './quantile.ts';
import { KahanSum, type RangeWindow } from './window.ts';

const kahan = new KahanSum();
const kahanAux = new KahanSum();

/** avg_over_time: an incremental, compensated mean that survives infinities (Prometheus 2.42). */
export function avgOverTime(w: RangeWindow): number {
  let mean = 0;
  let c = 0;
  let count = 0;
  for (let i = w.lo; i < w.hi; i++) {
    const v = w.vs[i]!;
    count++;
    if (!Number.isFinite(mean) && !Number.isNaN(mean)) {
      if (!Number.isFinite(v) && !Number.isNaN(v) && mean > 0 === v > 0) continue;
      if (Number.isFinite(v)) continue;
    }
    const inc = v / count - mean / count;
    const t = mean + inc;
    if (Math.abs(mean) >= Math.abs(inc)) c += mean - t + inc;
    else c += inc - t + mean;
    mean = t;
  }
  return !Number.isFinite(mean) && !Number.isNaN(mean) ? mean : mean + c;
}

export function sumOverTime(w: RangeWindow): number {
  kahan.reset();
  for (let i = w.lo; i < w.hi; i++) kahan.add(w.vs[i]!);
  return kahan.value();
}

export function maxOverTime(w: RangeWindow): number {
  let max = w.vs[w.lo]!;
  for (let i = w.lo; i < w.hi; i++) {
    const v = w.vs[i]!;
    if (v > max || Number.isNaN(max)) max = v;
  }
  return max;
}

export function minOverTime(w: RangeWindow): number {
  let min = w.vs[w.lo]!;
  for (let i = w.lo; i < w.hi; i++) {
    const v = w.vs[i]!;
    if (v < min || Number.isNaN(min)) min = v;
  }
  return min;
}

/** The population variance with compensated Welford updates (stdvar_over_time). */
export function stdvarOverTime(w: RangeWindow): number {
  let count = 0;
  kahan.reset();
  kahanAux.reset();
  for (let i = w.lo; i < w.hi; i++) {
    const v = w.vs[i]!;
    count++;
    const delta = v - (kahan.sum + kahan.c);
    kahan.add(delta / count);
    kahanAux.add(delta * (v - (kahan.sum + kahan.c)));
  }
  return (kahanAux.sum + kahanAux.c) / count;
}

export function quantileOverTime(w: RangeWindow): number {
  const values: number[] = [];
  for (let i = w.lo; i < w.hi; i++) values.push(w.vs[i]!);
  return quantile(w.params[0]!, values);
}

export function resets(w: RangeWindow): number {
  let n = 0;
  let prev = w.vs[w.lo]!;
  for (let i = w.lo + 1; i < w.hi; i++) {
    const cur = w.vs[i]!;
    if (cur < prev) n++;
    prev = cur;
  }
  return n;
}

export function changes(w: RangeWindow): number {
  let n = 0;
  let prev = w.vs[w.lo]!;
  for (let i = w.lo + 1; i < w.hi; i++) {
    const cur = w.vs[i]!;
    if (cur !== prev && !(Number.isNaN(cur) && Number.isNaN(prev))) n++;
    prev = cur;
  }
  return n;
}
