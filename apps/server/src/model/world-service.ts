/**
 * Worlds for the API: the model of a project over a time range, built from its metrics cache on
 * a grid of at most {@link MAX_POINTS} points whose step is a multiple of the cache's step (the
 * cache answers only on its own grid). A few recent worlds are kept for {@link TTL_MS}: one page of
 * the UI asks for the overview, the map and an application over the same range at once.
 */
import { AppError } from '@vigil/core';
import { buildWorld, gridFor, type CategoryRules, type TimeGrid, type World } from '@vigil/model';
import type { MetricsCaches } from '../metrics-cache/metrics-caches.ts';
import { CacheModelSource } from './cache-model-source.ts';

export const MAX_POINTS = 360;
const TTL_MS = 30_000;
const KEEP = 16;
/** The longest range a world may cover (the cache keeps no more by default anyway). */
const MAX_RANGE_MS = 31 * 86_400_000;

export interface WorldServiceDeps {
  readonly caches: MetricsCaches;
  readonly categories: (project: string) => Promise<CategoryRules | undefined>;
  readonly clock?: () => number;
}

export class WorldService {
  readonly #recent = new Map<string, { atMs: number; world: Promise<World> }>();
  readonly #clock: () => number;

  constructor(private readonly deps: WorldServiceDeps) {
    this.#clock = deps.clock ?? Date.now;
  }

  /** The grid a range is built on: step a multiple of the cache step, at most MAX_POINTS points. */
  async gridFor(project: string, fromMs: number, toMs: number): Promise<TimeGrid> {
    if (!(toMs > fromMs)) throw new AppError('bad_request', '`to` must be after `from` (Unix milliseconds)');
    if (toMs - fromMs > MAX_RANGE_MS) throw new AppError('bad_request', 'the range may span at most 31 days');
    const cacheStep = (await this.deps.caches.existing(project)).stepMs;
    const step = cacheStep * Math.max(1, Math.ceil((toMs - fromMs) / cacheStep / MAX_POINTS));
    return gridFor(fromMs, toMs, step);
  }

  async world(project: string, fromMs: number, toMs: number, signal?: AbortSignal): Promise<World> {
    const grid = await this.gridFor(project, fromMs, toMs);
    const key = `${project}|${grid.fromMs}|${grid.stepMs}|${grid.points}`;
    const now = this.#clock();
    const hit = this.#recent.get(key);
    if (hit && now - hit.atMs < TTL_MS) return hit.world;
    const cache = await this.deps.caches.existing(project);
    const categories = await this.deps.categories(project);
    const world = buildWorld(new CacheModelSource(cache), grid, {
      ...(categories ? { categories } : {}),
      ...(signal ? { signal } : {}),
    });
    this.#recent.set(key, { atMs: now, world });
    world.catch(() => this.#recent.delete(key));
    for (const [k, v] of this.#recent)
      if (this.#recent.size > KEEP || now - v.atMs >= TTL_MS) this.#recent.delete(k);
    return world;
  }
}
