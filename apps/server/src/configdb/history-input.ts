import { z } from 'zod';
import { AppError } from '@vigil/core';
import type { TimeRangeQuery } from './config-db.ts';

/**
 * Input rules shared by the stores of things that happen over time (incidents, deployments):
 * timestamps, application ids, range queries and the opaque JSON columns.
 */

/** Rows a range query returns unless it asks for another number. */
export const DEFAULT_LIST_LIMIT = 200;
/** The most rows one range query returns; a UI pages or narrows the range beyond that. */
export const MAX_LIST_LIMIT = 1000;

// Postgres refuses NUL in TEXT while SQLite stores it; refusing control characters up front
// makes both backends answer the same `bad_request` instead of one of them an internal error.
const NO_CONTROL_CHARACTERS = /^\P{Cc}*$/u;

/** A string of 1 to `maxChars` characters without control characters, named `field` in errors. */
export function boundedText(field: string, maxChars: number): z.ZodString {
  return z
    .string({ error: `${field} must be a string` })
    .min(1, { error: `${field} must not be empty` })
    .max(maxChars, { error: `${field} must be at most ${maxChars} characters` })
    .regex(NO_CONTROL_CHARACTERS, { error: `${field} must not contain control characters` });
}

/** A point in time as whole Unix milliseconds, named `field` in errors. */
export function unixMs(field: string): z.ZodNumber {
  return z
    .number({ error: `${field} must be a number of Unix milliseconds` })
    .int({ error: `${field} must be a whole number of Unix milliseconds` })
    .nonnegative({ error: `${field} must not be negative` });
}

/** An application id as the audit package builds them, e.g. `/k8s/shop/api`. */
export const appIdSchema = boundedText('app id', 512);

const timeRangeQuery = z
  .object(
    {
      fromMs: unixMs('fromMs'),
      toMs: unixMs('toMs'),
      appId: appIdSchema.optional(),
      limit: z
        .number({ error: 'limit must be a number' })
        .int({ error: 'limit must be a whole number' })
        .min(1, { error: 'limit must be at least 1' })
        .max(MAX_LIST_LIMIT, { error: `limit must be at most ${MAX_LIST_LIMIT}` })
        .default(DEFAULT_LIST_LIMIT),
    },
    { error: 'query must be an object' },
  )
  .refine((q) => q.fromMs <= q.toMs, { error: 'fromMs must not be after toMs' });

/** A checked {@link TimeRangeQuery}, with the default limit filled in. */
export type CheckedTimeRangeQuery = z.output<typeof timeRangeQuery>;

export const timeRangeQuerySchema: z.ZodType<CheckedTimeRangeQuery, TimeRangeQuery> = timeRangeQuery;

/**
 * A value as stored in a JSON TEXT column: refused with a message naming `field` when it is not
 * JSON (undefined, a function, a cycle, a BigInt) or longer than `maxBytes` as UTF-8.
 */
export function jsonColumn(field: string, value: unknown, maxBytes: number): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (err) {
    throw new AppError('bad_request', `${field} must be JSON-serialisable`, { cause: err });
  }
  if (json === undefined) throw new AppError('bad_request', `${field} must be JSON-serialisable`);
  if (Buffer.byteLength(json) > maxBytes) {
    throw new AppError('bad_request', `${field} must be at most ${formatBytes(maxBytes)} as JSON`);
  }
  return json;
}

function formatBytes(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}
