/**
 * Span start times relative to the trace's earliest start, in nanoseconds, computed once per
 * span list and shared by the tree and the critical path (both get the trace's `spans` array).
 *
 * Times arrive as decimal strings of Unix nanoseconds (they exceed 2^53). Parsing each with
 * BigInt, as both passes did, took tens of ms for 10,000 spans in a freshly loaded page
 * (bench/web-trace.ts). Instead each string is split into whole seconds and the nanoseconds
 * within the second, both exact as numbers; an offset is exact while the trace is shorter than
 * 2^53 ns (104 days).
 */

/** The fields read; `SpanView` satisfies it. */
export interface TimedSpan {
  readonly startTimeUnixNano: string;
}

export interface SpanTimes {
  /** The earliest start as the decimal string it arrived as ('0' for no spans). */
  readonly minStartUnixNano: string;
  /** Per span, in the order given: start minus the earliest start (ns). */
  readonly startOffsetNs: Float64Array;
}

const NS_DIGITS = 9;
const cache = new WeakMap<readonly TimedSpan[], SpanTimes>();

/** Start offsets of `spans`, from a cache when this same array was seen before. */
export function spanTimes(spans: readonly TimedSpan[]): SpanTimes {
  const cached = cache.get(spans);
  if (cached) return cached;
  const seconds = new Float64Array(spans.length);
  const nanos = new Float64Array(spans.length);
  let min = -1;
  for (let i = 0; i < spans.length; i++) {
    const text = spans[i]!.startTimeUnixNano;
    // slice(0, -9) of a string of 9 digits or fewer is '', and Number('') is 0.
    seconds[i] = Number(text.slice(0, -NS_DIGITS));
    nanos[i] = Number(text.slice(-NS_DIGITS));
    if (min < 0 || seconds[i]! < seconds[min]! || (seconds[i] === seconds[min] && nanos[i]! < nanos[min]!))
      min = i;
  }
  const startOffsetNs = new Float64Array(spans.length);
  for (let i = 0; i < spans.length; i++)
    startOffsetNs[i] = (seconds[i]! - seconds[min]!) * 1e9 + (nanos[i]! - nanos[min]!);
  const times = { minStartUnixNano: min < 0 ? '0' : spans[min]!.startTimeUnixNano, startOffsetNs };
  cache.set(spans, times);
  return times;
}
