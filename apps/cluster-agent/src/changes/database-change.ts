/**
 * A change a collector noticed in its database between two rounds: a table, column or index that
 * appeared, went away or changed, a database created or dropped, or a setting that took a new
 * value. Collectors return them with their round (`Collection.changes`); the agent sends them as
 * OTLP logs with `service.name=DatabaseChanges` (changes/to-log-record.ts).
 */
export interface DatabaseChange {
  /** When the agent noticed it (ms since the epoch). */
  readonly timeMs: number;
  readonly kind: 'schema' | 'setting';
  /**
   * Coroot's `db_change.type` has only `changed`; ours say which. Optional so that older
   * producers still type-check; absent means `changed`.
   */
  readonly action?: 'added' | 'removed' | 'changed';
  /** What changed: `table public.orders`, `index public.orders_pkey`, `setting work_mem`. */
  readonly object: string;
  /**
   * The object's bare name as Coroot's `db_change.object` has it: the table (also for a change of
   * one of its columns or indexes), the database, or the setting. Absent: the last word of `object`.
   */
  readonly objectName?: string;
  /** The database (Postgres) or schema (MySQL) it happened in; absent for server settings. */
  readonly database?: string;
  /** The Postgres schema of the table; absent on MySQL and for settings. */
  readonly schema?: string;
  /** One line for people: `column public.orders.note added (text)`, `work_mem: 4MB → 64MB`. */
  readonly summary: string;
  readonly before?: string;
  readonly after?: string;
  /** More to filter by (`db_change.column`, `db_change.index`). */
  readonly attributes?: Readonly<Record<string, string>>;
}
