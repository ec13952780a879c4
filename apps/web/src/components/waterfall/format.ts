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
