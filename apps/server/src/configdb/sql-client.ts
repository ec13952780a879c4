import { AppError } from '@vigil/core';
import type { SqlQuery } from './sql.ts';

/** A result row as the driver returns it; columns are read through the helpers in `rows.ts`. */
export type Row = Readonly<Record<string, unknown>>;

/** Which SQL dialect a client speaks; migrations may differ per dialect. */
export type Dialect = 'sqlite' | 'postgres';

/**
 * What a driver error means to the config DB. Drivers classify their own errors (SQLite result
 * codes, Postgres SQLSTATEs) so that the shared code never inspects driver-specific fields.
 */
export type DbErrorKind = 'unique' | 'foreign_key' | 'unavailable' | 'other';

/** Runs statements on one connection or pool. Implemented once per dialect. */
export interface SqlExecutor {
  /** Runs a statement that returns rows. */
  query(query: SqlQuery): Promise<Row[]>;
  /** Runs a statement that changes rows; resolves to the number of rows affected. */
  execute(query: SqlQuery): Promise<number>;
  /** Runs a trusted multi-statement script without parameters (migrations only). */
  exec(script: string): Promise<void>;
}

/** A dialect's connection: an executor plus what the shared code needs to know about it. */
export interface SqlClient extends SqlExecutor {
  readonly dialect: Dialect;
  classifyError(err: unknown): DbErrorKind;
  close(): Promise<void>;
}

/** Messages for constraint failures, worded for the operation that hit them. */
export interface ConstraintMessages {
  /** Shown as a `conflict` when a unique key or primary key is violated. */
  unique?: string;
  /** Shown as a `not_found` when a referenced row (project, user) does not exist. */
  foreignKey?: string;
}

/**
 * The shared code's view of the database: the driver's executor with every failure turned into
 * an AppError. This is the one place where driver errors are interpreted, so both dialects
 * report a duplicate username as the same `conflict` with the same message.
 */
export class Db {
  constructor(
    private readonly client: SqlClient,
    /** Current time in Unix milliseconds; injectable so tests can expire sessions without sleeping. */
    readonly now: () => number,
  ) {}

  get dialect(): Dialect {
    return this.client.dialect;
  }

  async query(query: SqlQuery, messages: ConstraintMessages = {}): Promise<Row[]> {
    try {
      return await this.client.query(query);
    } catch (err) {
      throw this.translate(err, messages);
    }
  }

  async execute(query: SqlQuery, messages: ConstraintMessages = {}): Promise<number> {
    try {
      return await this.client.execute(query);
    } catch (err) {
      throw this.translate(err, messages);
    }
  }

  /** Resolves to the first row, or undefined when the query returned none. */
  async first(query: SqlQuery): Promise<Row | undefined> {
    const rows = await this.query(query);
    return rows[0];
  }

  close(): Promise<void> {
    return this.client.close();
  }

  private translate(err: unknown, messages: ConstraintMessages): AppError {
    if (err instanceof AppError) return err;
    const kind = this.client.classifyError(err);
    if (kind === 'unique' && messages.unique !== undefined) {
      return new AppError('conflict', messages.unique, { cause: err });
    }
    if (kind === 'foreign_key' && messages.foreignKey !== undefined) {
      return new AppError('not_found', messages.foreignKey, { cause: err });
    }
    if (kind === 'unavailable') {
      return new AppError('unavailable', 'config DB is unavailable', { cause: err });
    }
    // A constraint we did not expect here is a bug in this module, not a client mistake.
    return new AppError('internal', `config DB ${this.client.dialect} query failed`, { cause: err });
  }
}
