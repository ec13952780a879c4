/**
 * The queries the model needs from day one, over the metric names Coroot's node agent and
 * cluster agent emit (docs: shared reference/coroot-compat.md). Mostly the series per container
 * or per node, unaggregated, like Coroot's own cache: the model aggregates in memory.
 * Counters that the model reads as "did it change" (restarts, OOM kills, log messages) are cached
 * raw with `% 1e7`, which drops `__name__` and keeps the value exact below ten million.
 */
import { MODEL_QUERIES } from '@vigil/model';
import { QueryRegistry, type QueryDefinition } from './query-registry.ts';

/** The model's queries (packages/model/src/queries.ts): what the cache keeps fresh by default. */
export const DEFAULT_CACHE_QUERIES: readonly QueryDefinition[] = MODEL_QUERIES;

/** A registry holding the default queries; more may be registered on it. */
export function defaultQueryRegistry(): QueryRegistry {
  return new QueryRegistry(DEFAULT_CACHE_QUERIES);
}
