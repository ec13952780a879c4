/**
 * Keeps the last schema snapshot of each database of one server and turns new snapshots into
 * changes. The first snapshot of a database is its baseline (no changes); so is the first list of
 * databases. A database that was not read this time (over the collector's limit, or its read
 * failed) keeps its previous snapshot, so a failed read never looks like every table dropped.
 *
 *   databases(['a','b'])  baseline          databases(['a','c'])  → database c created, b dropped
 *   snapshot('a', s1)     baseline of a     snapshot('a', s2)     → diff(s1, s2)
 */
import type { DatabaseChange } from './database-change.ts';
import { diffDatabaseSchema } from './schema-diff.ts';
import type { DatabaseSchema } from './schema-snapshot.ts';

function databaseChange(database: string, action: 'added' | 'removed', timeMs: number): DatabaseChange {
  return {
    timeMs,
    kind: 'schema',
    action,
    object: `database ${database}`,
    objectName: database,
    database,
    summary: `database ${database} ${action === 'added' ? 'created' : 'dropped'}`,
  };
}

export class SchemaTracker {
  #databases: ReadonlySet<string> | undefined;
  readonly #snapshots = new Map<string, DatabaseSchema>();

  /** The databases that exist now; databases created or dropped since the previous list. */
  databases(names: Iterable<string>, timeMs: number): DatabaseChange[] {
    const now = new Set(names);
    const before = this.#databases;
    this.#databases = now;
    for (const name of this.#snapshots.keys()) if (!now.has(name)) this.#snapshots.delete(name);
    if (before === undefined) return [];
    const out: DatabaseChange[] = [];
    for (const name of now) if (!before.has(name)) out.push(databaseChange(name, 'added', timeMs));
    for (const name of before) if (!now.has(name)) out.push(databaseChange(name, 'removed', timeMs));
    return out;
  }

  /** A fresh snapshot of `database`; the changes since its previous one (none the first time). */
  snapshot(database: string, schema: DatabaseSchema, timeMs: number): DatabaseChange[] {
    const before = this.#snapshots.get(database);
    this.#snapshots.set(database, schema);
    return before === undefined ? [] : diffDatabaseSchema(database, before, schema, timeMs);
  }
}
