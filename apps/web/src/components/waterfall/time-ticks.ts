/** Tick positions for the waterfall's time axis, at round durations (1, 2 or 5 × 10^n ns). */

/** Offsets in ns from 0 up to `spanNs`, about `target` of them, at a round step. */
export function timeTicks(spanNs: number, target = 5): number[] {
  if (!(spanNs > 0)) return [0];
  const rough = spanNs / target;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude) as number;
  const ticks: number[] = [];
  // Build from the index, not by adding, so float error does not accumulate into 0.30000000004.
  for (let i = 0; i * step <= spanNs * (1 + 1e-9); i++) ticks.push(i * step);
  return ticks;
}
