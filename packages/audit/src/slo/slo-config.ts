/**
 * What an application promises: an availability objective (share of requests that succeed) and
 * a latency objective (share of requests faster than a threshold), each measured either from the
 * application's own inbound L7 metrics (the default) or from custom PromQL the user wrote. This
 * file holds the types, the defaults of the inspections table and the zod schema for the JSON the
 * API accepts; Kubernetes annotations are read in slo-annotations.ts.
 */
import { z } from 'zod';
import { AppError } from '@vigil/core';

/** Where the availability SLI comes from. */
export type AvailabilitySliSource =
  /** `Instance.inbound`, summed over instances and protocols; failed = HTTP 5xx, DB `failed`. */
  | { readonly kind: 'inbound' }
  /**
   * Two PromQL expressions returning requests per second; evaluated elsewhere (the query engine)
   * and handed to sloSignals as series. Only the text is carried here.
   */
  | { readonly kind: 'promql'; readonly successQuery: string; readonly totalQuery: string };

/** Where the latency SLI comes from. */
export type LatencySliSource =
  /** The histograms of `Instance.inbound`, summed over instances and protocols. */
  | { readonly kind: 'inbound' }
  /** A PromQL expression returning cumulative buckets per second by `le` (seconds). */
  | { readonly kind: 'histogram'; readonly histogramQuery: string };

export interface AvailabilityObjective {
  /** Share of requests that must succeed, percent, in (0, 100). */
  readonly objectivePercent: number;
  readonly sli: AvailabilitySliSource;
}

export interface LatencyObjective {
  /** Share of requests that must be faster than `thresholdMs`, percent, in (0, 100). */
  readonly objectivePercent: number;
  readonly thresholdMs: number;
  readonly sli: LatencySliSource;
}

/** An application's SLOs; `null` turns one off (Coroot's "objective 0%"). */
export interface SloConfig {
  readonly availability: AvailabilityObjective | null;
  readonly latency: LatencyObjective | null;
}

export const DEFAULT_AVAILABILITY_OBJECTIVE_PERCENT = 99;
export const DEFAULT_LATENCY_OBJECTIVE_PERCENT = 99;
export const DEFAULT_LATENCY_THRESHOLD_MS = 500;

/** The inspections table's defaults: 99% of requests succeed, 99% are faster than 500 ms. */
export const DEFAULT_SLO_CONFIG: SloConfig = {
  availability: { objectivePercent: DEFAULT_AVAILABILITY_OBJECTIVE_PERCENT, sli: { kind: 'inbound' } },
  latency: {
    objectivePercent: DEFAULT_LATENCY_OBJECTIVE_PERCENT,
    thresholdMs: DEFAULT_LATENCY_THRESHOLD_MS,
    sli: { kind: 'inbound' },
  },
};

/** Error budget: the share of requests allowed to be bad, `1 − objective`. */
export function errorBudget(objectivePercent: number): number {
  return 1 - objectivePercent / 100;
}

// 100% is refused, not clamped: it leaves no error budget, so every burn rate would be infinite
// and a single failed request would open a critical incident.
const objectivePercent = z
  .number({ error: 'objective must be a number of percent' })
  .gt(0, { error: 'objective must be above 0% (use null to turn the SLO off)' })
  .lt(100, { error: 'objective must be below 100%: 100% leaves no error budget' });

// An hour is far beyond any histogram bucket the agents send; it catches seconds typed as ms.
const thresholdMs = z
  .number({ error: 'latency threshold must be a number of milliseconds' })
  .gt(0, { error: 'latency threshold must be positive' })
  .max(3_600_000, { error: 'latency threshold must be at most 1 hour' });

// Queries are sent to the query engine as they are; the bound keeps a config row small.
const query = (what: string): z.ZodString =>
  z
    .string({ error: `${what} must be a string` })
    .trim()
    .min(1, { error: `${what} must not be empty` })
    .max(10_000, { error: `${what} must be at most 10,000 characters` });

const availabilitySli = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('inbound') }),
    z.object({
      kind: z.literal('promql'),
      successQuery: query('success query'),
      totalQuery: query('total query'),
    }),
  ],
  { error: "availability SLI kind must be 'inbound' or 'promql'" },
);

const latencySli = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('inbound') }),
    z.object({ kind: z.literal('histogram'), histogramQuery: query('histogram query') }),
  ],
  { error: "latency SLI kind must be 'inbound' or 'histogram'" },
);

/** The JSON an API client sends; omitted fields take the defaults. */
export const sloConfigSchema = z.strictObject({
  availability: z
    .strictObject({
      objectivePercent: objectivePercent.default(DEFAULT_AVAILABILITY_OBJECTIVE_PERCENT),
      sli: availabilitySli.default({ kind: 'inbound' }),
    })
    .nullable()
    .default(DEFAULT_SLO_CONFIG.availability),
  latency: z
    .strictObject({
      objectivePercent: objectivePercent.default(DEFAULT_LATENCY_OBJECTIVE_PERCENT),
      thresholdMs: thresholdMs.default(DEFAULT_LATENCY_THRESHOLD_MS),
      sli: latencySli.default({ kind: 'inbound' }),
    })
    .nullable()
    .default(DEFAULT_SLO_CONFIG.latency),
});

/**
 * Validates an SLO configuration from the API or the config DB. Throws an exposed `bad_request`
 * AppError whose message names each offending field, e.g.
 * `latency.objectivePercent: objective must be below 100%: 100% leaves no error budget`.
 */
export function parseSloConfig(input: unknown): SloConfig {
  const parsed = sloConfigSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const message = parsed.error.issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
  throw new AppError('bad_request', `invalid SLO configuration: ${message}`, { cause: parsed.error });
}

/** The field rules, shared with the annotation parser so both say the same thing. */
export const sloFieldSchemas = { objectivePercent, thresholdMs } as const;
