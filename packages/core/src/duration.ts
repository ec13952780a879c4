import { AppError } from './errors.ts';

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/**
 * Parses durations written the Prometheus way (`500ms`, `15s`, `1h30m`, `7d`) into milliseconds.
 * Throws a `bad_request` AppError naming the offending text.
 */
export function parseDurationMs(text: string): number {
  const trimmed = text.trim();
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/gy;
  let total = 0;
  let consumed = 0;
  let match: RegExpExecArray | null;
  while ((match = re.exec(trimmed)) !== null) {
    const unit = UNIT_MS[match[2] ?? ''];
    if (unit === undefined) break;
    total += Number(match[1]) * unit;
    consumed = re.lastIndex;
  }
  if (consumed === 0 || consumed !== trimmed.length) {
    throw new AppError('bad_request', `invalid duration "${text}": expected e.g. 500ms, 15s, 1h30m, 7d`);
  }
  return total;
}
