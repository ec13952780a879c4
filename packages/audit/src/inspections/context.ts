/** What every inspection gets: the application, the world around it, and its thresholds. */
import type { Application, NodeInfo, World } from '@vigil/model';
import type { Thresholds } from './thresholds.ts';

export interface InspectionContext {
  readonly world: World;
  readonly app: Application;
  readonly thresholds: Thresholds;
}

/** The nodes the application's instances ran on. */
export function nodesOf(ctx: InspectionContext): NodeInfo[] {
  const names = new Set(ctx.app.instances.map((i) => i.node));
  return ctx.world.nodes.filter((n) => names.has(n.name));
}

const appIndex = new WeakMap<World, Map<string, Application>>();

/** The world's application with this id (indexed once per world: every app's Net report asks). */
export function applicationById(world: World, id: string): Application | undefined {
  let index = appIndex.get(world);
  if (!index) appIndex.set(world, (index = new Map(world.applications.map((a) => [a.id, a]))));
  return index.get(id);
}
