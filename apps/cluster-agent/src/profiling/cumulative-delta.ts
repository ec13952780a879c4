/**
 * Cumulative sample types (heap allocations, mutex and block contention) count since the
 * process started; what is sent is the increase since the previous scrape of the same target,
 * stack by stack:
 *
 *   previous   {a: [3, 300], b: [1, 10]}
 *   current    {a: [5, 500], b: [1, 10], c: [2, 20]}
 *   delta      {a: [2, 200],             c: [2, 20]}     b did not change: dropped
 *
 * A value that went down means the process restarted (its counters began again from zero after
 * the previous scrape), so the current values are themselves the increase over the window and
 * become the new baseline. A stack missing from the current profile is not taken as a restart:
 * Go never forgets a stack, but other pprof servers may.
 */

/** Stack key → one value per cumulative column. */
export type StackValues = ReadonlyMap<string, readonly number[]>;

export type DeltaResult =
  /** No baseline yet: nothing to send, the current values become the baseline. */
  | { readonly kind: 'first' }
  /** The increase per stack, stacks without any increase left out. */
  | { readonly kind: 'delta'; readonly values: StackValues }
  /** Counters went down: the current values, as they are. */
  | { readonly kind: 'reset'; readonly values: StackValues };

/** See the module comment. */
export function cumulativeDelta(previous: StackValues | undefined, current: StackValues): DeltaResult {
  if (previous === undefined) return { kind: 'first' };
  const deltas = new Map<string, readonly number[]>();
  for (const [key, values] of current) {
    const before = previous.get(key);
    if (before === undefined) {
      if (values.some((v) => v > 0)) deltas.set(key, values.map(positive));
      continue;
    }
    const diff = values.map((v, i) => v - (before[i] ?? 0));
    if (diff.some((d) => d < 0)) return { kind: 'reset', values: positiveStacks(current) };
    if (diff.some((d) => d > 0)) deltas.set(key, diff);
  }
  return { kind: 'delta', values: deltas };
}

const positive = (v: number): number => (v > 0 ? v : 0);

function positiveStacks(values: StackValues): StackValues {
  const out = new Map<string, readonly number[]>();
  for (const [key, v] of values) if (v.some((x) => x > 0)) out.set(key, v.map(positive));
  return out;
}
