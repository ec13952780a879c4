/**
 * Deterministic, realistic-looking telemetry for tests, benchmarks and load tests: eight services
 * of a shop, traces of 5-40 spans crossing them with ~10 attributes per span, log lines from
 * per-service templates, traffic that follows the time of day, and error bursts in which one
 * service fails often (spans and logs alike). Same seed and options, same data.
 *
 * `syntheticSpans`/`syntheticLogs` return arrays (small counts); the `Synthetic*Source` classes
 * stream larger loads batch by batch with the same content.
 */
import type { LogRecord, SpanRecord } from '@vigil/protocols';
import { SyntheticLogSource } from './logs.ts';
import { DEFAULT_START_NS, SyntheticSpanSource } from './spans.ts';
import type { TimelineOptions } from './timeline.ts';

export { SyntheticLogSource } from './logs.ts';
export { DEFAULT_START_NS, SERVICES as SYNTHETIC_SERVICES, SyntheticSpanSource } from './spans.ts';
export { BASELINE_ERROR_RATE, DEFAULT_ERROR_BURSTS, Timeline } from './timeline.ts';
export type { ErrorBurst, TimelineOptions } from './timeline.ts';

/** `count` spans in traces of ~5-40 spans from `startNs`, over one hour unless `options.rangeNs`. */
export function syntheticSpans(
  count: number,
  seed = 1,
  startNs = DEFAULT_START_NS,
  options: TimelineOptions = {},
): SpanRecord[] {
  return new SyntheticSpanSource(count, seed, startNs, options).next(count);
}

/** `count` log records of eight services from `startNs`, over one hour unless `options.rangeNs`. */
export function syntheticLogs(
  count: number,
  seed = 1,
  startNs = DEFAULT_START_NS,
  options: TimelineOptions = {},
): LogRecord[] {
  return new SyntheticLogSource(count, seed, startNs, options).next(count);
}
