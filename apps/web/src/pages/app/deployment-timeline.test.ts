import { describe, expect, test } from 'vitest';
import type { DeploymentView } from '../../api/types.ts';
import { MIN_WIDTH_PERCENT, gridEndMs, summaryText, timelineMarks } from './deployment-timeline.ts';

const MINUTE = 60_000;
// One hour: 61 points a minute apart.
const grid = { fromMs: 0, stepMs: MINUTE, points: 61 };

function deployment(
  startMin: number,
  endMin: number | undefined,
  over: Partial<DeploymentView> = {},
): DeploymentView {
  return {
    id: `api@${startMin}`,
    applicationId: '/k8s/shop/api',
    image: 'shop/api:1.5.0',
    previousImage: 'shop/api:1.4.0',
    startedAtMs: startMin * MINUTE,
    ...(endMin !== undefined ? { finishedAtMs: endMin * MINUTE } : {}),
    durationMs: ((endMin ?? 60) - startMin) * MINUTE,
    state: endMin === undefined ? 'in_progress' : 'done',
    ...over,
  };
}

describe('timelineMarks', () => {
  test('places rollouts on the range, oldest first; one in progress runs to the end', () => {
    expect(gridEndMs(grid)).toBe(60 * MINUTE);
    const marks = timelineMarks([deployment(45, undefined), deployment(15, 21)], grid);
    expect(marks.map((m) => [m.leftPercent, m.widthPercent])).toEqual([
      [25, 10],
      [75, 25],
    ]);
  });

  test('gives an instant rollout a visible width, and clamps one that started before the range', () => {
    const marks = timelineMarks([deployment(30, 30), deployment(-10, 6)], grid);
    expect(marks.map((m) => [m.leftPercent, m.widthPercent])).toEqual([
      [0, 10],
      [50, MIN_WIDTH_PERCENT],
    ]);
  });
});

describe('summaryText', () => {
  const before = {
    errorRate: 0.001,
    latencyP95Seconds: 0.04,
    cpuCores: 0.5,
    memoryBytes: 2 ** 30,
    restarts: 0,
  };

  test('reads each figure before → after, leaving out those with no data on either side', () => {
    const d = deployment(10, 15, {
      summary: {
        before: { ...before, restarts: null },
        after: { ...before, errorRate: 0.05, restarts: null },
      },
    });
    expect(summaryText(d)).toBe(
      'errors 0.1% → 5%, p95 40 ms → 40 ms, CPU 0.5 cores → 0.5 cores, memory 1 GiB → 1 GiB',
    );
  });

  test('is undefined until 30 minutes after the rollout have passed', () => {
    expect(summaryText(deployment(10, 15))).toBeUndefined();
  });
});
