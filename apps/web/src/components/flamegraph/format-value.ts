/**
 * Values in a profile type's unit, for tooltips and tables. The unit is the last segment of the
 * type (`ebpf:cpu:nanoseconds` → nanoseconds, `memory:alloc_space:bytes` → bytes).
 */

/** The unit of a profile type. */
export function unitOf(profileType: string): string {
  const parts = profileType.split(':');
  return parts[parts.length - 1] ?? '';
}

const DURATIONS: Array<[number, string]> = [
  [3_600e9, 'h'],
  [60e9, 'min'],
  [1e9, 's'],
  [1e6, 'ms'],
  [1e3, 'µs'],
];
const SIZES: Array<[number, string]> = [
  [2 ** 30, 'GiB'],
  [2 ** 20, 'MiB'],
  [2 ** 10, 'KiB'],
];

function scaled(value: number, steps: Array<[number, string]>, base: string): string {
  for (const [size, suffix] of steps) {
    if (Math.abs(value) >= size) return `${(value / size).toFixed(2)} ${suffix}`;
  }
  return `${Math.round(value)} ${base}`;
}

/** `value` in `unit`, scaled to a readable size: `1.50 s`, `3.00 MiB`, `12,345`. */
export function formatValue(value: number, unit: string): string {
  if (unit === 'nanoseconds') return scaled(value, DURATIONS, 'ns');
  if (unit === 'bytes') return scaled(value, SIZES, 'B');
  return Math.round(value).toLocaleString('en-US');
}

/** A 0..1 share as a percentage with two decimals: `12.34%`. */
export function formatShare(share: number): string {
  return `${(share * 100).toFixed(2)}%`;
}
