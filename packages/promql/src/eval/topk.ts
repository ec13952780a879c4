import type { AggregateExpr } from '../parser/ast.ts';
import { toInt64 } from './aggregate.ts';
import { assignGroups } from './grouping.ts';
import { SeriesSet } from './series-set.ts';
import type { Grid, StepSeries, Value } from './values.ts';

/**
 * A binary heap of series indices with the exact push/pop/sift behaviour of Go's
 * container/heap, so that ties are broken the way Prometheus breaks them.
 */
class GoHeap {
  items: number[] = [];

  constructor(private readonly less: (a: number, b: number) => boolean) {}

  push(x: number): void {
    this.items.push(x);
    this.up(this.items.length - 1);
  }

  pop(): number {
    const n = this.items.length - 1;
    this.swap(0, n);
    this.down(0, n);
    return this.items.pop()!;
  }

  private swap(i: number, j: number): void {
    const t = this.items[i]!;
    this.items[i] = this.items[j]!;
    this.items[j] = t;
  }

  private up(j0: number): void {
    let j = j0;
    for (;;) {
      const i = Math.trunc((j - 1) / 2);
      if (i === j || !this.less(this.items[j]!, this.items[i]!)) break;
      this.swap(i, j);
      j = i;
    }
  }

  private down(i0: number, n: number): void {
    let i = i0;
    for (;;) {
      const j1 = 2 * i + 1;
      if (j1 >= n || j1 < 0) break;
      let j = j1;
      const j2 = j1 + 1;
      if (j2 < n && this.less(this.items[j2]!, this.items[j1]!)) j = j2;
      if (!this.less(this.items[j]!, this.items[i]!)) break;
      this.swap(i, j);
      i = j;
    }
  }
}

/**
 * topk/bottomk: per step and group, the k largest (smallest) samples, selected with
 * Prometheus's heap algorithm. Series keep all their labels. An instant query lists groups in
 * order of appearance, each sorted by value (descending for topk).
 */
export function topK(e: AggregateExpr, input: StepSeries[], kValues: Float64Array, grid: Grid): Value {
  const bottom = e.op === 'bottomk';
  const { groupOf, labels } = assignGroups(input, e.grouping, e.without);
  const set = new SeriesSet(grid.steps);
  const outputs = input.map((s) => set.series(s.labels));
  let instantOrder: StepSeries[] = [];
  for (let i = 0; i < grid.steps; i++) {
    const k = toInt64(kValues[i]!);
    if (k < 1) continue;
    const val = (si: number): number => input[si]!.values[i]!;
    // Go's vectorByValueHeap / vectorByReverseValueHeap: NaN counts as smallest.
    const less = bottom
      ? (a: number, b: number): boolean => Number.isNaN(val(a)) || val(a) > val(b)
      : (a: number, b: number): boolean => Number.isNaN(val(a)) || val(a) < val(b);
    const heaps: (GoHeap | undefined)[] = new Array<GoHeap | undefined>(labels.length);
    const groupOrder: GoHeap[] = [];
    for (let si = 0; si < input.length; si++) {
      if (input[si]!.present[i] !== 1) continue;
      const g = groupOf[si]!;
      const heap = heaps[g];
      if (heap === undefined) {
        const h = new GoHeap(less);
        h.items.push(si);
        heaps[g] = h;
        groupOrder.push(h);
        continue;
      }
      const top = val(heap.items[0]!);
      const v = val(si);
      const better = bottom ? top > v : top < v;
      if (heap.items.length < k || better || Number.isNaN(top)) {
        if (heap.items.length === k) {
          if (k === 1) {
            heap.items[0] = si;
            continue;
          }
          heap.pop();
        }
        heap.push(si);
      }
    }
    for (const heap of groupOrder) {
      for (const si of heap.items) set.set(outputs[si]!, i, val(si));
    }
    if (grid.steps === 1) {
      instantOrder = groupOrder.flatMap((h) =>
        [...h.items].sort((a, b) => byValue(val(a), val(b), !bottom)).map((si) => outputs[si]!),
      );
    }
  }
  return { kind: 'vector', series: grid.steps === 1 ? instantOrder : set.nonEmpty() };
}

function byValue(a: number, b: number, descending: boolean): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
  if (Number.isNaN(b)) return -1;
  return descending ? b - a : a - b;
}
