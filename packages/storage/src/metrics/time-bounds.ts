/**
 * Time conditions of the metric queries, as SQL fragments.
 *
 * Sample times are bound in the column's own type (DateTime64(3)) through
 * fromUnixTimestamp64Milli: comparing with another time type is where ClickHouse's part pruning
 * has rounded bounds before (see the storage README).
 */
import { AppError } from '@vigil/core';
import { sql, type Sql } from '../sql.ts';
import { DAY_MS, dayOf } from './known-series.ts';

/** Unix ms as a DateTime64(3, 'UTC') expression. */
export function msParam(ms: number): Sql {
  return sql`fromUnixTimestamp64Milli(${sql.param(ms, 'Int64')}, 'UTC')`;
}

/** Validates a [startMs, endMs] range and rounds it to whole milliseconds, inward. */
export function wholeMsRange(startMs: number, endMs: number): [number, number] {
  if (!Number.isFinite(startMs) || !Number.isFinite(endMs)) {
    throw new AppError('bad_request', `time range must be finite, got ${startMs}..${endMs}`);
  }
  return [Math.ceil(startMs), Math.floor(endMs)];
}

/** Samples with startMs ≤ Timestamp ≤ endMs: both ends inclusive, as Prometheus selects. */
export function sampleTimeCondition(startMs: number, endMs: number): Sql {
  return sql`Timestamp >= ${msParam(startMs)} AND Timestamp <= ${msParam(endMs)}`;
}

/**
 * Series rows that may have samples in [startMs, endMs]. Stored rows' [FirstSeen, LastSeen]
 * cover the day of each of their series' samples (known-series.ts), so comparing at day
 * granularity never drops a series that has samples in range; it may keep one without.
 */
export function seriesSeenCondition(startMs: number, endMs: number): Sql {
  const fromDayMs = dayOf(startMs) * DAY_MS;
  const untilDayMs = (dayOf(endMs) + 1) * DAY_MS;
  return sql`LastSeen >= ${msParam(fromDayMs)} AND FirstSeen < ${msParam(untilDayMs)}`;
}
