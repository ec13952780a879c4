/**
 * The deployments of the range on a horizontal timeline, and what each changed. A rollout is a
 * span from its first new instance to the last old one gone (open-ended while in progress):
 *
 * ```
 *   range  |---------------------------------------------|
 *                  [==]  1.4.0            [=====>  1.5.0 (in progress)
 * ```
 */
import type { DeploymentFigures, DeploymentView, TimeGrid } from '../../api/types.ts';
import { formatValue } from '../../components/charts/format-unit.ts';

/** A rollout of a few seconds still gets a mark wide enough to see and hover. */
export const MIN_WIDTH_PERCENT = 0.6;

export interface TimelineMark {
  readonly deployment: DeploymentView;
  /** Offset and width within the range, in percent of its length. */
  readonly leftPercent: number;
  readonly widthPercent: number;
}

/** The grid's last point: the end of the range the server evaluated. */
export function gridEndMs(grid: TimeGrid): number {
  return grid.fromMs + Math.max(0, grid.points - 1) * grid.stepMs;
}

const clamp = (x: number) => Math.min(100, Math.max(0, x));

/** Each deployment's place on the range, oldest first. */
export function timelineMarks(deployments: readonly DeploymentView[], grid: TimeGrid): TimelineMark[] {
  const fromMs = grid.fromMs;
  const spanMs = Math.max(1, gridEndMs(grid) - fromMs);
  return [...deployments]
    .sort((a, b) => a.startedAtMs - b.startedAtMs)
    .map((d) => {
      const left = clamp(((d.startedAtMs - fromMs) / spanMs) * 100);
      const right = clamp((((d.finishedAtMs ?? gridEndMs(grid)) - fromMs) / spanMs) * 100);
      const widthPercent = Math.min(100 - left, Math.max(MIN_WIDTH_PERCENT, right - left));
      return { deployment: d, leftPercent: left, widthPercent };
    });
}

type Figure = keyof DeploymentFigures;
const FIGURES: ReadonlyArray<{ key: Figure; label: string; format: (v: number | null) => string }> = [
  { key: 'errorRate', label: 'errors', format: (v) => formatValue(v === null ? null : v * 100, '%') },
  { key: 'latencyP95Seconds', label: 'p95', format: (v) => formatValue(v, 's') },
  { key: 'cpuCores', label: 'CPU', format: (v) => formatValue(v, 'cores') },
  { key: 'memoryBytes', label: 'memory', format: (v) => formatValue(v, 'bytes') },
  { key: 'restarts', label: 'restarts', format: (v) => formatValue(v, 'count') },
];

/**
 * What the rollout changed, 30 minutes before against 30 after: `errors 0% → 5%, p95 40 ms →
 * 61 ms, …` (figures without data on both sides are left out). Undefined until those 30
 * minutes have passed.
 */
export function summaryText(d: DeploymentView): string | undefined {
  if (!d.summary) return undefined;
  const { before, after } = d.summary;
  const parts = FIGURES.filter(({ key }) => before[key] !== null || after[key] !== null).map(
    ({ key, label, format }) => `${label} ${format(before[key])} → ${format(after[key])}`,
  );
  return parts.length > 0 ? parts.join(', ') : undefined;
}
