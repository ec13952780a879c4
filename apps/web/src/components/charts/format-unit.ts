/**
 * Values with their unit, for axes, legends and the accessible summary. The units are the ones
 * the server's charts and RCA causes use (packages/audit): `%`, `bytes`, `bytes/s`, `s`, `s/s`,
 * `/s`, `req/s` (also `rps`), `count`, `cores`, `deployed` (a 0/1 marker); anything else is printed after the number.
 */

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;
const SI_SUFFIXES = ['', 'k', 'M', 'G', 'T'] as const;

/** Three significant digits at most, no trailing zeros: 0.1234 → "0.123", 1500 → "1500". */
export function significant(x: number): string {
  if (x === 0) return '0';
  // Above 1000, three significant digits would print 12345 as "12300", which reads as a lie.
  if (Math.abs(x) >= 1000) return String(Math.round(x));
  return String(Number(x.toPrecision(3)));
}

function scaled(x: number, base: number, suffixes: readonly string[]): [number, string] {
  let v = x;
  let k = 0;
  while (Math.abs(v) >= base && k < suffixes.length - 1) {
    v /= base;
    k++;
  }
  return [v, suffixes[k]!];
}

function bytes(v: number, perSecond: boolean): string {
  const [x, suffix] = scaled(v, 1024, BYTE_UNITS);
  return `${significant(x)} ${suffix}${perSecond ? '/s' : ''}`;
}

function si(v: number): string {
  const [x, suffix] = scaled(v, 1000, SI_SUFFIXES);
  return `${significant(x)}${suffix}`;
}

function seconds(v: number): string {
  const abs = Math.abs(v);
  if (abs === 0) return '0 s';
  if (abs < 1e-3) return `${significant(v * 1e6)} µs`;
  if (abs < 1) return `${significant(v * 1e3)} ms`;
  if (abs < 120) return `${significant(v)} s`;
  if (abs < 7200) return `${significant(v / 60)} min`;
  return `${significant(v / 3600)} h`;
}

/**
 * A value with its unit, rounded for reading: `42.5%`, `1.5 GiB`, `340 ms`, `1.2k req/s`.
 * Null, NaN and ±Infinity read "no data": the server sends null for a gap.
 */
export function formatValue(v: number | null | undefined, unit: string): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return 'no data';
  switch (unit) {
    case '%':
      return `${significant(v)}%`;
    case 'bytes':
      return bytes(v, false);
    case 'bytes/s':
      return bytes(v, true);
    case 's':
      return seconds(v);
    case 'count':
      return si(v);
    case '/s':
      return `${si(v)}/s`;
    case 'req/s':
    case 'rps':
      return `${si(v)} req/s`;
    case 'cores':
      return `${significant(v)} ${v === 1 ? 'core' : 'cores'}`;
    case 'deployed':
      // An RCA deployment marker: 1 from the rollout on, 0 before.
      return v >= 0.5 ? 'new version' : 'old version';
    case '':
      return significant(v);
    default:
      return `${significant(v)} ${unit}`;
  }
}

/**
 * A uPlot axis `values` callback for the unit: each tick formatted like {@link formatValue},
 * so the axis and the legend agree.
 */
export function axisTickFormatter(unit: string): (self: unknown, ticks: number[]) => string[] {
  return (_self, ticks) => ticks.map((t) => formatValue(t, unit));
}
