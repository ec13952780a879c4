import type { LogRecord, SpanRecord } from './records.ts';

/** A record whose timestamp lies beyond the accepted range. */
export interface FutureTimestamp {
  /** Index of the first offending record in the array. */
  index: number;
  /** Its timestamp (span start or log time). */
  timeUnixNano: bigint;
}

/**
 * Finds the first record stamped later than `maxUnixNano` (typically now + allowed clock skew),
 * so the ingest edge can reject a batch from a client with a broken clock before it is stored in
 * a partition far in the future. Spans are judged by their start time, logs by `timeUnixNano`
 * (already the observed time when the source left it unset).
 *
 * @returns undefined when every record is within range.
 */
export function findFutureTimestamp(
  records: readonly SpanRecord[] | readonly LogRecord[],
  maxUnixNano: bigint,
): FutureTimestamp | undefined {
  for (let index = 0; index < records.length; index++) {
    const record = records[index]!;
    const timeUnixNano = 'startTimeUnixNano' in record ? record.startTimeUnixNano : record.timeUnixNano;
    if (timeUnixNano > maxUnixNano) return { index, timeUnixNano };
  }
  return undefined;
}
