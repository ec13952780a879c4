/**
 * SLOs set on Kubernetes workloads, with Coroot's annotations so manifests written for Coroot
 * keep working:
 *
 * ```yaml
 * metadata:
 *   annotations:
 *     coroot.com/slo-availability-objective: 99.9%
 *     coroot.com/slo-latency-objective: 99%     # "0%" turns the latency SLO off
 *     coroot.com/slo-latency-threshold: 100ms
 * ```
 *
 * Annotations only set objectives and the threshold; the SLI stays whatever the base config says
 * (the inbound L7 metrics by default), as in Coroot.
 */
import { z } from 'zod';
import { annotationLabel, type Application } from '@vigil/model';
import { DEFAULT_SLO_CONFIG, sloFieldSchemas, type SloConfig } from './slo-config.ts';

export const SLO_ANNOTATIONS = {
  availabilityObjective: 'coroot.com/slo-availability-objective',
  latencyObjective: 'coroot.com/slo-latency-objective',
  latencyThreshold: 'coroot.com/slo-latency-threshold',
} as const;

const KNOWN = new Set<string>(Object.values(SLO_ANNOTATIONS));
const PREFIX = 'coroot.com/slo-';

/** The config the annotations describe, and what was wrong with them. */
export interface AnnotatedSloConfig {
  readonly config: SloConfig;
  /**
   * One line per annotation that could not be used, naming it and saying what was expected, e.g.
   * `coroot.com/slo-latency-threshold: "100" has no unit; write e.g. "100ms" or "0.5s"`. A bad
   * annotation is ignored (the base value stays) rather than turning the SLO off.
   */
  readonly errors: readonly string[];
}

// "99.9%", "99.9 %" or "99.9": Coroot trims the % sign, so a bare number is accepted too.
const percentText = z
  .string()
  .trim()
  .regex(/^\d+(?:\.\d+)?\s*%?$/, { error: 'is not a percentage; write e.g. "99.9%"' })
  .transform((v) => Number.parseFloat(v));

const durationText = z
  .string()
  .trim()
  .regex(/^\d+(?:\.\d+)?\s*(?:ms|s|m)$/, {
    error: 'is not a duration; write a number with a unit (ms, s or m), e.g. "100ms" or "0.5s"',
  })
  .transform((v) => {
    const unit = /(ms|s|m)$/.exec(v)![1]!;
    return Number.parseFloat(v) * (unit === 'ms' ? 1 : unit === 's' ? 1000 : 60_000);
  });

/**
 * Applies `coroot.com/slo-*` annotations to `base` (the project's or application's stored config,
 * the defaults when there is none). Unknown `coroot.com/slo-*` keys are reported, since a typo
 * there would otherwise leave the user believing an objective is set.
 */
export function sloConfigFromAnnotations(
  annotations: Readonly<Record<string, string>>,
  base: SloConfig = DEFAULT_SLO_CONFIG,
): AnnotatedSloConfig {
  const errors: string[] = [];
  let { availability, latency } = base;

  const availabilityRaw = annotations[SLO_ANNOTATIONS.availabilityObjective];
  if (availabilityRaw !== undefined) {
    const p = parsePercent(SLO_ANNOTATIONS.availabilityObjective, availabilityRaw, errors);
    if (p === 0) availability = null;
    else if (p !== undefined)
      availability = {
        objectivePercent: p,
        sli: availability?.sli ?? DEFAULT_SLO_CONFIG.availability!.sli,
      };
  }

  const latencyRaw = annotations[SLO_ANNOTATIONS.latencyObjective];
  const thresholdRaw = annotations[SLO_ANNOTATIONS.latencyThreshold];
  const p =
    latencyRaw === undefined ? undefined : parsePercent(SLO_ANNOTATIONS.latencyObjective, latencyRaw, errors);
  const thresholdMs =
    thresholdRaw === undefined
      ? undefined
      : parseThreshold(SLO_ANNOTATIONS.latencyThreshold, thresholdRaw, errors);
  if (p === 0) {
    latency = null;
    if (thresholdRaw !== undefined)
      errors.push(`${SLO_ANNOTATIONS.latencyThreshold}: ignored, the latency objective is 0% (SLO off)`);
  } else if (p !== undefined || thresholdMs !== undefined) {
    // A threshold alone switches the latency SLO on with the default objective: whoever wrote it
    // wants latency watched.
    const current = latency ?? DEFAULT_SLO_CONFIG.latency!;
    latency = {
      objectivePercent: p ?? current.objectivePercent,
      thresholdMs: thresholdMs ?? current.thresholdMs,
      sli: current.sli,
    };
  }

  for (const key of Object.keys(annotations).sort()) {
    if (key.startsWith(PREFIX) && !KNOWN.has(key))
      errors.push(`${key}: unknown SLO annotation; known are ${[...KNOWN].join(', ')}`);
  }
  return { config: { availability, latency }, errors };
}

function parsePercent(key: string, raw: string, errors: string[]): number | undefined {
  const text = percentText.safeParse(raw);
  if (!text.success) {
    errors.push(`${key}: ${JSON.stringify(raw)} ${text.error.issues[0]!.message}`);
    return undefined;
  }
  if (text.data === 0) return 0;
  // A ratio written without % ("0.999") is almost certainly meant as 99.9%, and taken literally
  // it would be an objective nobody wants; refuse it rather than guess.
  if (text.data < 1 && !raw.includes('%')) {
    errors.push(
      `${key}: ${JSON.stringify(raw)} looks like a ratio; write the objective in percent, e.g. "99.9%"`,
    );
    return undefined;
  }
  const checked = sloFieldSchemas.objectivePercent.safeParse(text.data);
  if (!checked.success) {
    errors.push(`${key}: ${JSON.stringify(raw)}: ${checked.error.issues[0]!.message}`);
    return undefined;
  }
  return checked.data;
}

function parseThreshold(key: string, raw: string, errors: string[]): number | undefined {
  const text = durationText.safeParse(raw);
  if (!text.success) {
    const hint = /^\s*\d+(?:\.\d+)?\s*$/.test(raw) ? 'has no unit; write e.g. "100ms" or "0.5s"' : undefined;
    errors.push(`${key}: ${JSON.stringify(raw)} ${hint ?? text.error.issues[0]!.message}`);
    return undefined;
  }
  const checked = sloFieldSchemas.thresholdMs.safeParse(text.data);
  if (!checked.success) {
    errors.push(`${key}: ${JSON.stringify(raw)}: ${checked.error.issues[0]!.message}`);
    return undefined;
  }
  return checked.data;
}

/**
 * The `coroot.com/slo-*` annotations among a workload's exported ones (kube-state-metrics label
 * names, `annotation_coroot_com_slo_…`). An exported label no known key maps to is given back as
 * the key it most likely was (underscores read as dashes), so its error names something the
 * user wrote.
 */
export function sloAnnotationsOf(exported: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  const labelOf = new Map([...KNOWN].map((k) => [annotationLabel(k), k]));
  const prefix = annotationLabel(PREFIX);
  for (const [label, value] of Object.entries(exported)) {
    const key = labelOf.get(label);
    if (key !== undefined) out[key] = value;
    else if (label.startsWith(prefix))
      out[`${PREFIX}${label.slice(prefix.length).replaceAll('_', '-')}`] = value;
  }
  return out;
}

/**
 * The SLO configuration an application is judged by: the one saved for it (the defaults when
 * none), with its workload's `coroot.com/slo-*` annotations on top, as in Coroot.
 */
export function effectiveSloConfig(app: Application, saved: SloConfig | undefined): AnnotatedSloConfig {
  const base = saved ?? DEFAULT_SLO_CONFIG;
  if (!app.annotations) return { config: base, errors: [] };
  const annotations = sloAnnotationsOf(app.annotations);
  if (Object.keys(annotations).length === 0) return { config: base, errors: [] };
  return sloConfigFromAnnotations(annotations, base);
}
