/**
 * The named PromQL queries the metrics cache keeps fresh. The model reads them back by id, so an
 * id is a contract; the text behind it may change, and then the cache starts over for that query
 * (its storage key includes a hash of the text, see {@link RegisteredQuery.key}).
 *
 * `$RANGE` in a query's text stands for the window of its range functions and is replaced by
 * {@link rangeWindowMs} of the cache step, so `rate(x[$RANGE])` always has enough samples
 * whatever the agents' scrape interval is.
 */
import { createHash } from 'node:crypto';
import { AppError } from '@vigil/core';
import { expandQuery } from '@vigil/model';
import { parse } from '@vigil/promql';

export { expandQuery, rangeWindowMs } from '@vigil/model';

export interface QueryDefinition {
  /** Stable name the model asks for, e.g. `container_cpu_usage`: `[a-z][a-z0-9_]*`. */
  readonly id: string;
  /** PromQL; may use `$RANGE` as the window of range functions. */
  readonly query: string;
  readonly description: string;
}

/** A registered query plus the key its cached data is stored under. */
export interface RegisteredQuery extends QueryDefinition {
  /** `<id>_<first 8 hex of sha1(query)>`: a changed text is a new key, so old data is never mixed in. */
  readonly key: string;
}

const ID_RE = /^[a-z][a-z0-9_]*$/;

export class QueryRegistry {
  readonly #byId = new Map<string, RegisteredQuery>();

  /** Validates every definition (id syntax, unique ids, PromQL that parses): a bad registry fails start-up. */
  constructor(definitions: readonly QueryDefinition[]) {
    for (const d of definitions) this.register(d);
  }

  /** Adds a query (the model registers its own this way); throws on a duplicate id or bad PromQL. */
  register(definition: QueryDefinition): RegisteredQuery {
    const { id, query } = definition;
    if (!ID_RE.test(id)) throw new AppError('internal', `cache query id "${id}" must match ${ID_RE}`);
    if (this.#byId.has(id)) throw new AppError('internal', `cache query id "${id}" is registered twice`);
    try {
      parse(expandQuery(query, 15_000));
    } catch (err) {
      throw new AppError('internal', `cache query "${id}" does not parse: ${(err as Error).message}`, {
        cause: err,
      });
    }
    const hash = createHash('sha1').update(query).digest('hex').slice(0, 8);
    const entry: RegisteredQuery = { ...definition, key: `${id}_${hash}` };
    this.#byId.set(id, entry);
    return entry;
  }

  get(id: string): RegisteredQuery {
    const entry = this.#byId.get(id);
    if (!entry) throw new AppError('not_found', `no cached query "${id}"`);
    return entry;
  }

  has(id: string): boolean {
    return this.#byId.has(id);
  }

  /** In registration order. */
  all(): RegisteredQuery[] {
    return [...this.#byId.values()];
  }

  get size(): number {
    return this.#byId.size;
  }
}
