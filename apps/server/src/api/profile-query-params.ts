/**
 * Query parameters of the profile API, validated with zod:
 *
 *   /api/v1/profiles/types?service=&from=&to=                       (default: the last 24 h)
 *   /api/v1/profiles/flamegraph?service=&type=&from=&to=[&baseFrom=&baseTo=]  (default: 1 h)
 *
 * Times are Unix milliseconds; `baseFrom` and `baseTo` come together or not at all.
 */
import { z } from 'zod';
import { AppError } from '@vigil/core';

type RawQuery = Record<string, string | string[] | undefined>;

const HOUR_MS = 3_600_000;
const intMs = z.coerce.number().int().nonnegative();

const typesSchema = z
  .object({
    service: z.string().min(1).max(256),
    from: intMs.optional(),
    to: intMs.optional(),
    project: z.string().min(1).max(64).optional(),
  })
  .strict();

const flameGraphSchema = typesSchema
  .extend({
    type: z.string().min(1).max(256),
    baseFrom: intMs.optional(),
    baseTo: intMs.optional(),
  })
  .strict();

function parseWith<T extends z.ZodType>(schema: T, raw: RawQuery): z.infer<T> {
  for (const [key, value] of Object.entries(raw)) {
    if (Array.isArray(value)) throw new AppError('bad_request', `parameter "${key}" is given more than once`);
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    const msg = result.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; ');
    throw new AppError('bad_request', `invalid query: ${msg}`);
  }
  return result.data;
}

function window(
  from: number | undefined,
  to: number | undefined,
  nowMs: number,
  defaultSpanMs: number,
  names = ['from', 'to'],
): { fromMs: number; toMs: number } {
  const toMs = to ?? nowMs;
  const fromMs = from ?? toMs - defaultSpanMs;
  if (fromMs >= toMs) {
    throw new AppError(
      'bad_request',
      `invalid query: ${names[0]} (${fromMs}) must be before ${names[1]} (${toMs})`,
    );
  }
  return { fromMs, toMs };
}

export interface ProfileTypesQuery {
  service: string;
  fromMs: number;
  toMs: number;
  project: string | undefined;
}

export function parseProfileTypesQuery(raw: RawQuery, nowMs = Date.now()): ProfileTypesQuery {
  const q = parseWith(typesSchema, raw);
  return { service: q.service, ...window(q.from, q.to, nowMs, 24 * HOUR_MS), project: q.project };
}

export interface FlameGraphParams {
  service: string;
  type: string;
  fromMs: number;
  toMs: number;
  base: { fromMs: number; toMs: number } | undefined;
  project: string | undefined;
}

export function parseFlameGraphQuery(raw: RawQuery, nowMs = Date.now()): FlameGraphParams {
  const q = parseWith(flameGraphSchema, raw);
  if ((q.baseFrom === undefined) !== (q.baseTo === undefined)) {
    throw new AppError(
      'bad_request',
      'invalid query: baseFrom and baseTo go together (the diff base window)',
    );
  }
  const base =
    q.baseFrom !== undefined && q.baseTo !== undefined
      ? window(q.baseFrom, q.baseTo, nowMs, 0, ['baseFrom', 'baseTo'])
      : undefined;
  return {
    service: q.service,
    type: q.type,
    ...window(q.from, q.to, nowMs, HOUR_MS),
    base,
    project: q.project,
  };
}
