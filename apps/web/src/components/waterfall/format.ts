/** Human-readable durations and offsets for the trace views. */

const UNITS: ReadonlyArray<readonly [number, string]> = [
  [1e9, 's'],
  [1e6, 'ms'],
  [1e3, 'µs'],
];

/** `1.25 s`, `340 ms`, `12.5 µs`, `800 ns`: three significant figures at most. */
export function formatDurationNs(durationNs: number): string {
  const abs = Math.abs(durationNs);
  for (const [scale, unit] of UNITS) {
    if (abs >= scale) return `${trim(durationNs / scale)} ${unit}`;
  }
  return `${Math.round(durationNs)} ns`;
}

function trim(value: number): string {
  // toPrecision would print 1.00e+3 for big values; cap decimals instead.
  const abs = Math.abs(value);
  const decimals = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return String(Number(value.toFixed(decimals)));
}

/** Unix-nanosecond decimal string → Unix milliseconds (precision below 1 ms is dropped). */
export function unixNanoToMs(unixNano: string): number {
  // The string exceeds 2^53, so divide as a BigInt before converting.
  return Number(BigInt(unixNano) / 1_000_000n);
}

/**
 * Where a bar's duration label goes, in the bar cell's percentages: after the bar's end when
 * there is room; else before its start; else (a bar across the whole cell) inside its right end
 * on the page's background, so it is never cut off at the cell's edge or drawn over the bar.
 */
export function durationLabelPlacement(
  leftPct: number,
  widthPct: number,
): { left?: string; right?: string; background?: string; padding?: string } {
  const endPct = leftPct + widthPct;
  if (endPct <= 85) return { left: `calc(${endPct}% + 4px)` };
  if (leftPct >= 15) return { right: `calc(${100 - leftPct}% + 4px)` };
  return { right: '4px', background: 'var(--mantine-color-body)', padding: '0 3px' };
}
