/**
 * Candidate causes for a symptom of one application: its own signals and, transitively, those
 * of the applications it calls (breadth first, at most `maxDepth` hops, each application once).
 *
 * ```
 *  depth 0                 depth 1                     depth 2
 *  frontend ──edge──────►  api ──edge────────────────► postgres
 *  own: CPU, memory,       own: CPU, memory, OOM, …    own: …, volumes, logs
 *  logs, deployments       node: CPU, disk I/O         node: CPU, disk I/O
 * ```
 *
 * An edge's candidates belong to its destination (api's latency as frontend sees it is a
 * signal about api), at the destination's depth.
 */
import { seriesFromPoints, timeAt, type Application, type NodeInfo, type World } from '@vigil/model';
import { edgeCandidates } from './edge-signals.ts';
import { nodeCandidates, ownCandidates } from './own-signals.ts';
import type { CauseCandidate, RcaDeployment } from './types.ts';

export interface CandidateOptions {
  /** Upstream hops to follow; default 3. */
  readonly maxDepth?: number;
  /** Rollouts of any application; those of the analysed ones inside the grid become candidates. */
  readonly deployments?: readonly RcaDeployment[];
}

export const DEFAULT_MAX_DEPTH = 3;

/**
 * Hops from `applicationId` to every application reachable over upstream connections, up to
 * `maxDepth`; the shortest path wins, so cycles end where they close.
 */
export function upstreamDepths(
  world: World,
  applicationId: string,
  maxDepth = DEFAULT_MAX_DEPTH,
): Map<string, number> {
  const apps = new Map(world.applications.map((a) => [a.id, a]));
  const depths = new Map<string, number>();
  if (!apps.has(applicationId)) return depths;
  depths.set(applicationId, 0);
  let frontier = [applicationId];
  for (let depth = 1; depth <= maxDepth && frontier.length > 0; depth++) {
    const next: string[] = [];
    for (const id of frontier) {
      for (const c of apps.get(id)?.upstreams ?? []) {
        if (depths.has(c.toApp)) continue;
        depths.set(c.toApp, depth);
        next.push(c.toApp);
      }
    }
    frontier = next;
  }
  return depths;
}

/**
 * A rollout as a step series: 1 while the version it brought runs (from its first grid point
 * until the application's next rollout), 0 otherwise, so that the generic scoring sees "a new
 * version is running" like any other signal — and a rollback ends it.
 */
function deploymentCandidate(
  world: World,
  app: Application,
  depth: number,
  event: RcaDeployment,
  untilMs = Infinity,
): CauseCandidate {
  const times: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < world.grid.points; i++) {
    times.push(timeAt(world.grid, i));
    values.push(timeAt(world.grid, i) >= event.atMs && timeAt(world.grid, i) < untilMs ? 1 : 0);
  }
  return {
    id: `deployment:${app.id}:${event.atMs}`,
    kind: 'deployment',
    applicationId: app.id,
    applicationName: app.name,
    depth,
    title: `deployment (${event.description})`,
    unit: 'deployed',
    series: seriesFromPoints(world.grid, times, values),
    direction: 'up',
  };
}

/**
 * Every candidate cause for a symptom of `applicationId`, in a stable order (traversal order,
 * then the order of the world's arrays). Empty when the application is unknown.
 */
export function collectCandidates(
  world: World,
  applicationId: string,
  options: CandidateOptions = {},
): CauseCandidate[] {
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const depths = upstreamDepths(world, applicationId, maxDepth);
  const apps = new Map(world.applications.map((a) => [a.id, a]));
  const nodes = new Map<string, NodeInfo>(world.nodes.map((n) => [n.name, n]));
  const seenNodes = new Set<string>();
  const gridEndMs = timeAt(world.grid, world.grid.points - 1);
  const out: CauseCandidate[] = [];

  for (const [id, depth] of depths) {
    const app = apps.get(id);
    if (app === undefined) continue;
    out.push(...ownCandidates(world.grid, app, depth));
    out.push(...nodeCandidates(app, depth, nodes, seenNodes));
    const rollouts = new Set<number>();
    const own = (options.deployments ?? [])
      .filter((d) => d.applicationId === id)
      .sort((a, b) => a.atMs - b.atMs);
    for (const event of own) {
      if (event.atMs < world.grid.fromMs || event.atMs > gridEndMs) continue;
      // The same rollout reported twice (two ReplicaSets at once) is one candidate.
      if (rollouts.has(event.atMs)) continue;
      rollouts.add(event.atMs);
      const next = own.find((d) => d.atMs > event.atMs);
      out.push(deploymentCandidate(world, app, depth, event, next?.atMs));
    }
    // Edges out of the last hop would lead past maxDepth; edges back to the analysed
    // application describe its own symptom as its callers see it, not a cause.
    if (depth >= maxDepth) continue;
    out.push(
      ...edgeCandidates(world.grid, app, (toId) => {
        const toDepth = depths.get(toId);
        if (toDepth === undefined || toDepth === 0) return null;
        return { id: toId, name: apps.get(toId)?.name ?? toId, depth: toDepth };
      }),
    );
  }
  return out;
}
