import { describe, expect, it } from 'vitest';
import { annotationLabel, workloadAnnotations } from './workload-annotations.ts';

const series = (labels: Record<string, string>, lastMs: number) => ({
  labels,
  timestampsMs: [lastMs - 15_000, lastMs],
  values: [1, 1],
});

describe('workload annotations', () => {
  it('names labels as kube-state-metrics does', () => {
    expect(annotationLabel('coroot.com/slo-latency-threshold')).toBe(
      'annotation_coroot_com_slo_latency_threshold',
    );
  });

  it("keys annotations by the workload's application id and keeps the newest set when they changed", () => {
    const read = {
      complete: true,
      series: [
        series({ namespace: 'shop', deployment: 'api', annotation_a: 'old' }, 60_000),
        series({ namespace: 'shop', deployment: 'api', annotation_a: 'new', annotation_b: '' }, 120_000),
        series({ namespace: 'db', statefulset: 'pg', annotation_c: 'x', other: 'y' }, 60_000),
        series({ deployment: 'no-namespace', annotation_d: 'x' }, 60_000),
      ],
    };
    expect(Object.fromEntries(workloadAnnotations(read))).toEqual({
      '/k8s/shop/api': { annotation_a: 'new' },
      '/k8s/db/pg': { annotation_c: 'x' },
    });
    expect(workloadAnnotations(undefined).size).toBe(0);
  });
});
