/**
 * The histogram as a row of time slots for the keyboard and for assistive tech: every step of the
 * range gets a slot (the server leaves empty buckets out, but a cursor must still be able to stand
 * on a quiet minute), each with its counts and a label that reads well aloud.
 *
 *   fromMs ┊       stepMs       ┊ toMs
 *      ├──┼──────┼──────┼──────┼─┤   slots are the server's buckets, clipped to the range at
 *      │s0│  s1  │  s2  │  s3  │s4│   both ends (s0 and s4 here), with {} where none came back
 */
import type { LogHistogram } from '@vigil/spec';
import { orderSeverities } from './histogram-geometry.ts';

/** One step of the histogram inside the range. */
export interface BucketSlot {
  /** The bucket's own start (the server's `timeMs`), before clipping to the range. */
  readonly bucketMs: number;
  readonly startMs: number;
  readonly endMs: number;
  /** Count per severity; empty for a step without records. */
  readonly counts: Readonly<Record<string, number>>;
}

/** A runaway step (say 1 ms over a day) would make millions of cells; past this the tail is cut. */
export const MAX_SLOTS = 2000;

/** The slots covering [fromMs, toMs), aligned to the server's buckets. */
export function bucketSlots(histogram: LogHistogram, fromMs: number, toMs: number): BucketSlot[] {
  const { stepMs } = histogram;
  if (!(stepMs > 0) || !(toMs > fromMs)) return [];
  const countsAt = new Map(histogram.buckets.map((b) => [b.timeMs, b.counts]));
  // Bucket starts are whole steps from the first bucket (or from the range when there is none).
  const origin = histogram.buckets[0]?.timeMs ?? fromMs;
  const first = origin + Math.floor((fromMs - origin) / stepMs) * stepMs;
  const slots: BucketSlot[] = [];
  for (let t = first; t < toMs && slots.length < MAX_SLOTS; t += stepMs)
    slots.push({
      bucketMs: t,
      startMs: Math.max(t, fromMs),
      endMs: Math.min(t + stepMs, toMs),
      counts: countsAt.get(t) ?? {},
    });
  return slots;
}

/** The time range from the start of slot `a` to the end of slot `b` (either order). */
export function slotsRange(
  slots: readonly BucketSlot[],
  a: number,
  b: number,
): { fromMs: number; toMs: number } | undefined {
  const first = slots[Math.min(a, b)];
  const last = slots[Math.max(a, b)];
  return first && last ? { fromMs: first.startMs, toMs: last.endMs } : undefined;
}

/** Counts summed per severity over slots `a`..`b` (either order). */
export function sumCounts(slots: readonly BucketSlot[], a: number, b: number): Record<string, number> {
  const total: Record<string, number> = {};
  for (const slot of slots.slice(Math.min(a, b), Math.max(a, b) + 1))
    for (const [severity, n] of Object.entries(slot.counts)) total[severity] = (total[severity] ?? 0) + n;
  return total;
}

/** "5 logs: 1 error, 4 info" (the alarming severities first, as in the legend), or "no logs". */
export function countsSummary(counts: Readonly<Record<string, number>>): string {
  const present = orderSeverities(Object.keys(counts).filter((s) => (counts[s] ?? 0) > 0)).reverse();
  const total = present.reduce((n, s) => n + (counts[s] ?? 0), 0);
  if (total === 0) return 'no logs';
  const parts = present.map((s) => `${(counts[s] ?? 0).toLocaleString('en')} ${s}`);
  return `${total.toLocaleString('en')} ${total === 1 ? 'log' : 'logs'}: ${parts.join(', ')}`;
}

/**
 * A local clock time: "14:05", with seconds when the step is under a minute ("14:05:30"), and
 * with the date when the range spans more than a day ("3/14 14:05").
 */
export function clockLabel(ms: number, { stepMs = 60_000, spanMs = 0 } = {}): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  let clock = `${two(d.getHours())}:${two(d.getMinutes())}`;
  if (stepMs < 60_000) clock += `:${two(d.getSeconds())}`;
  return spanMs > 86_400_000 ? `${d.getMonth() + 1}/${d.getDate()} ${clock}` : clock;
}

/** What a slot's cell says: "14:05–14:06: 5 logs: 1 error, 4 info". */
export function slotLabel(slot: BucketSlot, format: { stepMs: number; spanMs: number }): string {
  return `${clockLabel(slot.startMs, format)}–${clockLabel(slot.endMs, format)}: ${countsSummary(slot.counts)}`;
}
