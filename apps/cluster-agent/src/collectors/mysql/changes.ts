/**
 * Change tracking for one MySQL/MariaDB target: global variables every round (they are read for
 * the metrics anyway), the schema every `intervalMs` (default 60 s, Coroot's cadence; the
 * information_schema queries open every table's definition, too much for every 15 s round).
 *
 * Variables that move by themselves (GTID positions advance with every transaction on a server
 * with a binary log) are left out; Coroot's agent compares the writable ones only.
 */
import type { DatabaseChange } from '../../changes/database-change.ts';
import { SchemaTracker } from '../../changes/schema-tracker.ts';
import { SettingsTracker } from '../../changes/settings-tracker.ts';
import type { Run } from './queries.ts';
import { readServerSchema } from './schema-queries.ts';

export const DEFAULT_SCHEMA_INTERVAL_MS = 60_000;

const VOLATILE_VARIABLES = /^gtid_(binlog_pos|binlog_state|current_pos|slave_pos|executed|purged)$/;

export class MysqlChanges {
  readonly #settings = new SettingsTracker();
  readonly #schema = new SchemaTracker();
  #lastSchemaMs: number | undefined;

  constructor(private readonly intervalMs: number) {}

  /** This round's `SHOW GLOBAL VARIABLES`; the variables changed since the previous round. */
  variables(variables: ReadonlyMap<string, string>, timeMs: number): DatabaseChange[] {
    const kept = new Map<string, string>();
    for (const [name, value] of variables) if (!VOLATILE_VARIABLES.test(name)) kept.set(name, value);
    return this.#settings.update(kept, timeMs);
  }

  /** Reads the schema when the interval has passed; the schema changes since the previous read. */
  async schema(run: Run, timeMs: number): Promise<DatabaseChange[]> {
    const nowMs = performance.now();
    if (this.#lastSchemaMs !== undefined && nowMs - this.#lastSchemaMs < this.intervalMs) return [];
    this.#lastSchemaMs = nowMs;
    const { databases, schemas } = await readServerSchema(run);
    const out = this.#schema.databases(databases, timeMs);
    for (const [db, schema] of schemas) out.push(...this.#schema.snapshot(db, schema, timeMs));
    return out;
  }
}
