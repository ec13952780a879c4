import { describe, expect, it } from 'vitest';
import { AppError } from '@vigil/core';
import { DEFAULT_SLO_CONFIG, errorBudget, parseSloConfig, type SloConfig } from './slo-config.ts';
import type { Application } from '@vigil/model';
import { effectiveSloConfig, sloAnnotationsOf, sloConfigFromAnnotations } from './slo-annotations.ts';

const A = 'coroot.com/slo-availability-objective';
const L = 'coroot.com/slo-latency-objective';
const T = 'coroot.com/slo-latency-threshold';

describe('parseSloConfig', () => {
  it('fills every omitted field with the inspections defaults (99%, 99% under 500 ms, inbound SLIs)', () => {
    expect(parseSloConfig({})).toEqual(DEFAULT_SLO_CONFIG);
    expect(parseSloConfig({ latency: { thresholdMs: 250 } }).latency).toEqual({
      objectivePercent: 99,
      thresholdMs: 250,
      sli: { kind: 'inbound' },
    });
  });

  it('carries custom PromQL and histogram queries as text', () => {
    const config = parseSloConfig({
      availability: {
        objectivePercent: 99.5,
        sli: { kind: 'promql', successQuery: 'sum(rate(ok[1m]))', totalQuery: 'sum(rate(all[1m]))' },
      },
      latency: { sli: { kind: 'histogram', histogramQuery: 'sum by (le) (rate(h_bucket[1m]))' } },
    });
    expect(config.availability?.sli).toEqual({
      kind: 'promql',
      successQuery: 'sum(rate(ok[1m]))',
      totalQuery: 'sum(rate(all[1m]))',
    });
    expect(config.latency?.sli).toEqual({
      kind: 'histogram',
      histogramQuery: 'sum by (le) (rate(h_bucket[1m]))',
    });
  });

  it('turns an objective off with null', () => {
    expect(parseSloConfig({ availability: null }).availability).toBeNull();
  });

  it.each([
    [
      { latency: { objectivePercent: 100 } },
      'latency.objectivePercent: objective must be below 100%: 100% leaves no error budget',
    ],
    [
      { availability: { objectivePercent: 0 } },
      'availability.objectivePercent: objective must be above 0% (use null to turn the SLO off)',
    ],
    [{ latency: { thresholdMs: -1 } }, 'latency.thresholdMs: latency threshold must be positive'],
    [
      { availability: { sli: { kind: 'promql', successQuery: ' ', totalQuery: 'x' } } },
      'availability.sli.successQuery: success query must not be empty',
    ],
    [
      { latency: { sli: { kind: 'promql' } } },
      "latency.sli.kind: latency SLI kind must be 'inbound' or 'histogram'",
    ],
    [{ availability: { objective: 99 } }, 'availability: Unrecognized key: "objective"'],
  ])('rejects %j naming the field', (input, message) => {
    let thrown: unknown;
    try {
      parseSloConfig(input);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect((thrown as AppError).code).toBe('bad_request');
    expect((thrown as AppError).expose).toBe(true);
    expect((thrown as AppError).message).toBe(`invalid SLO configuration: ${message}`);
  });

  it('computes the error budget as 1 − objective', () => {
    expect(errorBudget(99)).toBeCloseTo(0.01, 12);
    expect(errorBudget(99.9)).toBeCloseTo(0.001, 12);
  });
});

describe('sloConfigFromAnnotations', () => {
  const withLatency = (objectivePercent: number, thresholdMs: number): SloConfig => ({
    availability: DEFAULT_SLO_CONFIG.availability,
    latency: { objectivePercent, thresholdMs, sli: { kind: 'inbound' } },
  });

  it.each<[string, Record<string, string>, SloConfig]>([
    ['no annotations keep the base', { app: 'x' }, DEFAULT_SLO_CONFIG],
    [
      'Coroot’s example',
      { [A]: '99.9%', [L]: '99.9%', [T]: '100ms' },
      {
        availability: { objectivePercent: 99.9, sli: { kind: 'inbound' } },
        latency: { objectivePercent: 99.9, thresholdMs: 100, sli: { kind: 'inbound' } },
      },
    ],
    [
      'a bare number and spaces',
      { [A]: ' 99.5 % ' },
      { ...DEFAULT_SLO_CONFIG, availability: { objectivePercent: 99.5, sli: { kind: 'inbound' } } },
    ],
    ['0% turns the latency SLO off', { [L]: '0%' }, { ...DEFAULT_SLO_CONFIG, latency: null }],
    ['0% turns the availability SLO off', { [A]: '0' }, { ...DEFAULT_SLO_CONFIG, availability: null }],
    ['a threshold in seconds', { [T]: '0.5s' }, withLatency(99, 500)],
    ['a threshold in minutes', { [T]: '1m' }, withLatency(99, 60_000)],
  ])('%s', (_name, annotations, expected) => {
    expect(sloConfigFromAnnotations(annotations)).toEqual({ config: expected, errors: [] });
  });

  it('switches a latency SLO turned off in the base back on when a threshold is annotated', () => {
    const { config } = sloConfigFromAnnotations({ [T]: '250ms' }, { ...DEFAULT_SLO_CONFIG, latency: null });
    expect(config.latency).toEqual({ objectivePercent: 99, thresholdMs: 250, sli: { kind: 'inbound' } });
  });

  it.each<[Record<string, string>, string]>([
    [{ [A]: 'high' }, `${A}: "high" is not a percentage; write e.g. "99.9%"`],
    [{ [A]: '100%' }, `${A}: "100%": objective must be below 100%: 100% leaves no error budget`],
    [{ [L]: '0.999' }, `${L}: "0.999" looks like a ratio; write the objective in percent, e.g. "99.9%"`],
    [{ [L]: '-5%' }, `${L}: "-5%" is not a percentage; write e.g. "99.9%"`],
    [{ [T]: '100' }, `${T}: "100" has no unit; write e.g. "100ms" or "0.5s"`],
    [
      { [T]: 'fast' },
      `${T}: "fast" is not a duration; write a number with a unit (ms, s or m), e.g. "100ms" or "0.5s"`,
    ],
    [{ [T]: '0ms' }, `${T}: "0ms": latency threshold must be positive`],
    [
      { [T]: '2h' },
      `${T}: "2h" is not a duration; write a number with a unit (ms, s or m), e.g. "100ms" or "0.5s"`,
    ],
    [{ [L]: '0%', [T]: '100ms' }, `${T}: ignored, the latency objective is 0% (SLO off)`],
    [
      { 'coroot.com/slo-latency-objectve': '99%' },
      `coroot.com/slo-latency-objectve: unknown SLO annotation; known are ${A}, ${L}, ${T}`,
    ],
  ])('reports %j clearly', (annotations, error) => {
    expect(sloConfigFromAnnotations(annotations).errors).toEqual([error]);
  });

  it('keeps the base value for a bad annotation instead of turning the SLO off', () => {
    const { config, errors } = sloConfigFromAnnotations({ [A]: '99,9%', [L]: '95%', [T]: '100' });
    expect(errors).toHaveLength(2);
    expect(config.availability).toEqual(DEFAULT_SLO_CONFIG.availability);
    expect(config.latency).toEqual({ objectivePercent: 95, thresholdMs: 500, sli: { kind: 'inbound' } });
  });
});

describe('effectiveSloConfig', () => {
  const app = (annotations?: Record<string, string>) =>
    ({ id: '/k8s/shop/api', ...(annotations ? { annotations } : {}) }) as unknown as Application;
  const saved: SloConfig = {
    availability: { objectivePercent: 95, sli: DEFAULT_SLO_CONFIG.availability!.sli },
    latency: null,
  };

  it('is the saved config (or the defaults) when the workload has no SLO annotations', () => {
    expect(effectiveSloConfig(app(), saved)).toEqual({ config: saved, errors: [] });
    expect(effectiveSloConfig(app({ annotation_team: 'shop' }), undefined)).toEqual({
      config: DEFAULT_SLO_CONFIG,
      errors: [],
    });
  });

  it('puts the exported coroot.com/slo-* annotations on top of the saved config', () => {
    const r = effectiveSloConfig(
      app({
        annotation_coroot_com_slo_latency_threshold: '250ms',
        annotation_coroot_com_slo_availability_objective: '99.5%',
        annotation_coroot_com_slo_latency_treshold: '1s',
      }),
      saved,
    );
    expect(r.config.availability?.objectivePercent).toBe(99.5);
    expect(r.config.latency).toMatchObject({
      thresholdMs: 250,
      objectivePercent: DEFAULT_SLO_CONFIG.latency!.objectivePercent,
    });
    // A misspelt key is named as it was most likely written.
    expect(r.errors).toEqual([
      expect.stringMatching(/^coroot\.com\/slo-latency-treshold: unknown SLO annotation/),
    ]);
    expect(sloAnnotationsOf({ annotation_coroot_com_slo_latency_objective: '0%', other: 'x' })).toEqual({
      'coroot.com/slo-latency-objective': '0%',
    });
  });
});
