/**
 * Deployments read off the instances: a rollout is a new image coming up while instances of the
 * previous one run. It starts when the first instance of the new image is up and finishes when the
 * last instance of the old image is gone; if old ones still run at the end of the window it is in
 * progress, and "stuck" past the threshold.
 *
 * ```
 *  image A  ████████████████░░░░░░░░   (old pods)
 *  image B              ████████████   (new pods)
 *                       ^ start   ^ finish (last A point + one step)
 * ```
 *
 * A summary compares the 30 minutes before the start with the 30 minutes after the finish
 * (errors, latency, CPU, memory, restarts), once those 30 minutes have passed.
 */
import {
  counterIncrease,
  histogramQuantile,
  indexAt,
  mergeL7Stats,
  requestTotals,
  seriesStats,
  sumSeries,
  timeAt,
  type Application,
  type L7Stats,
  type TimeGrid,
} from '@vigil/model';

export const SUMMARY_WINDOW_MS = 30 * 60_000;

export interface DeploymentSummary {
  readonly before: DeploymentFigures;
  readonly after: DeploymentFigures;
}

export interface DeploymentFigures {
  /** Failed share of inbound requests. */
  readonly errorRate: number;
  /** p95 of inbound requests, seconds. */
  readonly latencyP95Seconds: number;
  readonly cpuCores: number;
  readonly memoryBytes: number;
  readonly restarts: number;
}

export interface Deployment {
  readonly id: string;
  readonly applicationId: string;
  readonly image: string;
  readonly previousImage: string;
  readonly startedAtMs: number;
  /** Undefined while in progress. */
  readonly finishedAtMs?: number;
  readonly durationMs: number;
  readonly state: 'in_progress' | 'done';
  /** Present once 30 minutes have passed since the finish. */
  readonly summary?: DeploymentSummary;
}

interface ImageSpan {
  readonly image: string;
  readonly firstIndex: number;
  readonly lastIndex: number;
}

/**
 * Instances grouped into generations: runs of one image in order of their instances' first
 * point. A rollback to an earlier image starts a new generation (its pods are new), so it reads
 * as a deployment of its own.
 */
function imageSpans(app: Application): ImageSpan[] {
  const instances: ImageSpan[] = [];
  for (const i of app.instances) {
    const image = i.images[i.images.length - 1] ?? '';
    let first = -1;
    let last = -1;
    for (let k = 0; k < i.up.values.length; k++) {
      if (Number.isNaN(i.up.values[k]!)) continue;
      if (first < 0) first = k;
      last = k;
    }
    if (image !== '' && first >= 0) instances.push({ image, firstIndex: first, lastIndex: last });
  }
  instances.sort((a, b) => a.firstIndex - b.firstIndex || (a.image < b.image ? -1 : 1));
  const generations: Array<{ image: string; firstIndex: number; lastIndex: number }> = [];
  for (const i of instances) {
    const g = generations[generations.length - 1];
    if (g && g.image === i.image) g.lastIndex = Math.max(g.lastIndex, i.lastIndex);
    else generations.push({ ...i });
  }
  return generations;
}

export function detectDeployments(app: Application, grid: TimeGrid): Deployment[] {
  const spans = imageSpans(app);
  const out: Deployment[] = [];
  const end = grid.points - 1;
  for (let k = 1; k < spans.length; k++) {
    const prev = spans[k - 1]!;
    const next = spans[k]!;
    // A new image present from the first point was already there: not a rollout we saw start.
    if (next.firstIndex === 0) continue;
    const startedAtMs = timeAt(grid, next.firstIndex);
    const inProgress = prev.lastIndex >= end;
    const finishedAtMs = inProgress ? undefined : timeAt(grid, Math.max(prev.lastIndex + 1, next.firstIndex));
    const lastMs = timeAt(grid, end);
    const summary =
      finishedAtMs !== undefined && finishedAtMs + SUMMARY_WINDOW_MS <= lastMs
        ? {
            before: figures(app, grid, startedAtMs - SUMMARY_WINDOW_MS, startedAtMs),
            after: figures(app, grid, finishedAtMs, finishedAtMs + SUMMARY_WINDOW_MS),
          }
        : undefined;
    out.push({
      id: `${app.id}@${startedAtMs}`,
      applicationId: app.id,
      image: next.image,
      previousImage: prev.image,
      startedAtMs,
      ...(finishedAtMs !== undefined ? { finishedAtMs } : {}),
      durationMs: (finishedAtMs ?? lastMs) - startedAtMs,
      state: inProgress ? 'in_progress' : 'done',
      ...(summary ? { summary } : {}),
    });
  }
  return out;
}

function figures(app: Application, grid: TimeGrid, fromMs: number, toMs: number): DeploymentFigures {
  const from = Math.max(0, indexAt(grid, fromMs));
  const to = indexAt(grid, toMs) + 1;
  const inbound = app.instances.flatMap((i) => [...i.inbound.values()]) as L7Stats[];
  const stats = mergeL7Stats(grid, inbound);
  const { total, failed } = requestTotals(grid, stats);
  const t = seriesStats(total, from, to).sum;
  return {
    errorRate: t > 0 ? seriesStats(failed, from, to).sum / t : NaN,
    latencyP95Seconds: seriesStats(histogramQuantile(grid, stats.histogram, 0.95), from, to).mean,
    cpuCores: seriesStats(
      sumSeries(
        grid,
        app.instances.map((i) => i.cpuUsageCores),
      ),
      from,
      to,
    ).mean,
    memoryBytes: seriesStats(
      sumSeries(
        grid,
        app.instances.map((i) => i.memoryRssBytes),
      ),
      from,
      to,
    ).mean,
    restarts: app.instances.reduce((n, i) => n + counterIncrease(i.restarts, from, to), 0),
  };
}
