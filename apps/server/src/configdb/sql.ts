/**
 * The only way SQL reaches the config DB drivers: a tagged template whose `${}` slots become
 * bound parameters, so no value is ever spliced into SQL text. Each driver renders the
 * placeholders of its dialect (`?` for SQLite, `$1…$n` for Postgres).
 */
import { AppError } from '@vigil/core';

/** A value that can be bound to a placeholder in both dialects. */
export type SqlValue = string | number | null;

/** SQL text split around its parameters, as produced by the {@link sql} tag. */
export interface SqlQuery {
  readonly strings: readonly string[];
  readonly values: readonly SqlValue[];
}

/** Builds a parameterised query: `sql\`SELECT * FROM users WHERE id = ${id}\``. */
export function sql(strings: TemplateStringsArray, ...values: SqlValue[]): SqlQuery {
  return { strings: [...strings], values };
}

/** Renders the query with one placeholder per value, e.g. `?` or `$1`. */
export function renderSql(query: SqlQuery, placeholder: (index: number) => string): string {
  let text = query.strings[0] ?? '';
  for (let i = 1; i < query.strings.length; i++) {
    text += placeholder(i) + (query.strings[i] ?? '');
  }
  return text;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The single escape hatch for identifiers (the Postgres schema name, which cannot be a bound
 * parameter). Only plain lower-case names are accepted, so the quoting never has to deal with
 * embedded quotes, and a name Postgres would fold or truncate is refused instead.
 */
export function quoteIdent(name: string): string {
  if (!IDENTIFIER.test(name)) {
    throw new AppError(
      'bad_request',
      `invalid SQL identifier ${JSON.stringify(name)}: use [a-z_][a-z0-9_]*, at most 63 characters`,
    );
  }
  return `"${name}"`;
}
