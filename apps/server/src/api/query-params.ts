import { z } from 'zod';
import { AppError, parseDurationMs } from '@vigil/core';
import type { LogSearchQuery, TraceSearchQuery } from '@vigil/spec';

export type RawQuery = Record<string, string | string[] | undefined>;

const HOUR_MS = 3_600_000;
const MAX_LIMIT = 1000;

const intMs = z.coerce.number().int().nonnegative();
const hexId = (len: number) =>
  z
    .string()
    .regex(new RegExp(`^[0-9a-fA-F]{${len}}$`), `must be ${len} hex characters`)
    .transform((s) => s.toLowerCase());

const common = {
  from: intMs.optional(),
  to: intMs.optional(),
  service: z.string().min(1).max(256).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).optional(),
  project: z.string().min(1).max(64).optional(),
};

const traceSchema = z.object({
  ...common,
  spanName: z.string().min(1).max(1024).optional(),
  minDurationMs: z.coerce.number().nonnegative().optional(),
  maxDurationMs: z.coerce.number().nonnegative().optional(),
  status: z.enum(['ok', 'error']).optional(),
});

const logSchema = z.object({
  ...common,
  severity: z.string().min(1).max(32).optional(),
  search: z.string().min(1).max(1024).optional(),
  traceId: hexId(32).optional(),
  step: z.string().optional(),
});

/** Splits `attr.<key>=<value>` parameters from the rest; repeated plain parameters are refused. */
function splitAttributes(raw: RawQuery): {
  plain: Record<string, string>;
  attributes: Record<string, string>;
} {
  const plain: Record<string, string> = {};
  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) throw new AppError('bad_request', `parameter "${key}" is given more than once`);
    if (key.startsWith('attr.')) {
      const name = key.slice(5);
      if (name === '') throw new AppError('bad_request', 'attribute filters look like attr.<key>=<value>');
      attributes[name] = value;
    } else {
      plain[key] = value;
    }
  }
  return { plain, attributes };
}

function parseWith<T extends z.ZodType>(schema: T, plain: Record<string, string>): z.infer<T> {
  const result = schema.safeParse(plain);
  if (!result.success) {
    const msg = result.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; ');
    throw new AppError('bad_request', `invalid query: ${msg}`);
  }
  return result.data;
}

function timeRange(
  from: number | undefined,
  to: number | undefined,
  nowMs: number,
  defaultSpanMs = HOUR_MS,
): { fromMs: number; toMs: number } {
  const toMs = to ?? nowMs;
  const fromMs = from ?? toMs - defaultSpanMs;
  if (fromMs >= toMs)
    throw new AppError('bad_request', `invalid query: from (${fromMs}) must be before to (${toMs})`);
  return { fromMs, toMs };
}

export interface ParsedTraceQuery extends TraceSearchQuery {
  project: string | undefined;
}

export function parseTraceQuery(raw: RawQuery, nowMs = Date.now()): ParsedTraceQuery {
  const { plain, attributes } = splitAttributes(raw);
  const q = parseWith(traceSchema.strict(), plain);
  if (q.minDurationMs !== undefined && q.maxDurationMs !== undefined && q.minDurationMs > q.maxDurationMs) {
    throw new AppError('bad_request', 'invalid query: minDurationMs is larger than maxDurationMs');
  }
  const { project, from, to, limit, ...rest } = q;
  const filters = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
  return { ...filters, ...timeRange(from, to, nowMs), attributes, limit: limit ?? 100, project };
}

export interface ParsedLogQuery extends LogSearchQuery {
  project: string | undefined;
  stepMs: number | undefined;
}

export function parseLogQuery(raw: RawQuery, nowMs = Date.now()): ParsedLogQuery {
  const { plain, attributes } = splitAttributes(raw);
  const q = parseWith(logSchema.strict(), plain);
  const { project, from, to, limit, step, ...rest } = q;
  let stepMs: number | undefined;
  if (step !== undefined) {
    stepMs = /^\d+$/.test(step) ? Number(step) : parseDurationMs(step);
    if (stepMs < 1000) throw new AppError('bad_request', 'invalid query: step must be at least 1s');
  }
  const filters = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
  return { ...filters, ...timeRange(from, to, nowMs), attributes, limit: limit ?? 100, project, stepMs };
}

/** About 120 buckets over the range, rounded up to a whole second. */
export function defaultStepMs(fromMs: number, toMs: number): number {
  return Math.max(1000, Math.ceil((toMs - fromMs) / 120 / 1000) * 1000);
}

const servicesSchema = z.object({ from: common.from, to: common.to, project: common.project });

/** `/api/v1/services` looks back a day by default: a service list over one hour misses quiet ones. */
export function parseServicesQuery(
  raw: RawQuery,
  nowMs = Date.now(),
): { fromMs: number; toMs: number; project: string | undefined } {
  const q = parseWith(servicesSchema.strict(), splitAttributes(raw).plain);
  return { ...timeRange(q.from, q.to, nowMs, 24 * HOUR_MS), project: q.project };
}
