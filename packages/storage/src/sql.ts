/**
 * The only way Vigil builds SQL. A tagged template turns every interpolated value into a
 * ClickHouse query parameter (`{p0:String}`), so user text never becomes SQL text:
 *
 *   sql`SELECT count() FROM ${sql.identifier(db, 'otel_logs')} WHERE ServiceName = ${service}`
 *     → query  `SELECT count() FROM vigil.otel_logs WHERE ServiceName = {p0:String}`
 *       params { p0: service }
 *
 * Fragments nest (`sql` inside `sql`, `sql.join`), and parameter names are assigned when the
 * whole statement is compiled, so fragments can be built independently and combined freely.
 * `sql.identifier` is the single escape hatch that puts text into SQL; it accepts only plain
 * identifiers (`^[A-Za-z_][A-Za-z0-9_]*$`), which need no quoting.
 */
import { AppError } from '@vigil/core';

/** A value that can be bound as a parameter; its ClickHouse type is inferred. */
export type SqlValue = string | number | bigint | boolean | Date | readonly SqlValue[];

/** What {@link sql.param} accepts: inferable values plus maps (`Map(K, V)`, arrays of maps). */
export type ParamValue = SqlValue | { readonly [key: string]: ParamValue } | readonly ParamValue[];

const IDENTIFIER_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
// Types are written by us (never by users), but the check keeps a typo from becoming injection.
const TYPE_RE = /^[A-Za-z][A-Za-z0-9_]*(\([A-Za-z0-9_, ()]*\))?$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** A composable piece of SQL: literal text chunks with values (or nested pieces) between them. */
export class Sql {
  /** @internal */
  readonly strings: readonly string[];
  /** @internal */
  readonly values: readonly SqlPart[];

  constructor(strings: readonly string[], values: readonly SqlPart[]) {
    this.strings = strings;
    this.values = values;
  }
}

/** A validated identifier, rendered verbatim. Create with {@link sql.identifier}. */
class Identifier {
  constructor(readonly text: string) {}
}

/** A parameter with an explicitly chosen ClickHouse type. Create with {@link sql.param}. */
class TypedParam {
  constructor(
    readonly value: unknown,
    readonly type: string,
  ) {}
}

type SqlPart = SqlValue | Sql | Identifier | TypedParam;

/** A statement ready for `@clickhouse/client`: query text plus `query_params`. */
export interface CompiledSql {
  query: string;
  params: Record<string, unknown>;
}

function invalid(message: string): AppError {
  return new AppError('bad_request', message);
}

/** Infers the ClickHouse parameter type of a JS value and converts it to what the client sends. */
function bindValue(value: SqlValue): { type: string; value: unknown } {
  switch (typeof value) {
    case 'string':
      return { type: 'String', value };
    case 'boolean':
      return { type: 'Bool', value };
    case 'number':
      if (!Number.isFinite(value)) throw invalid(`cannot bind non-finite number ${value}`);
      return { type: Number.isInteger(value) ? 'Int64' : 'Float64', value };
    case 'bigint':
      if (value >= INT64_MIN && value <= INT64_MAX) return { type: 'Int64', value };
      if (value > INT64_MAX && value <= UINT64_MAX) return { type: 'UInt64', value };
      throw invalid(`bigint ${value} does not fit Int64 or UInt64`);
    default:
      break;
  }
  if (value instanceof Date) {
    const ms = value.getTime();
    if (!Number.isFinite(ms)) throw invalid('cannot bind an invalid Date');
    // The client would send whole seconds for a Date; 'seconds.millis' keeps the milliseconds
    // and parses as DateTime64(3) on both chDB and the HTTP interface, independent of time zone.
    return { type: 'DateTime64(3)', value: (ms / 1000).toFixed(3) };
  }
  if (Array.isArray(value)) return bindArray(value as readonly SqlValue[]);
  throw invalid(`cannot bind a value of type ${typeof value}`);
}

function bindArray(items: readonly SqlValue[]): { type: string; value: unknown } {
  // An empty array carries no element type; String is the common case (IN lists of names).
  if (items.length === 0) return { type: 'Array(String)', value: [] };
  const bound = items.map(bindValue);
  let elementType = bound[0]!.type;
  for (const item of bound) {
    if (item.type === elementType) continue;
    // Widen numeric mixes the way ClickHouse would: any float makes Float64, any huge bigint UInt64.
    const pair = new Set([item.type, elementType]);
    if (pair.has('Float64') && (pair.has('Int64') || pair.size === 1)) elementType = 'Float64';
    else if (pair.has('UInt64') && pair.has('Int64')) elementType = 'UInt64';
    else throw invalid(`array mixes ${elementType} and ${item.type}`);
  }
  return { type: `Array(${elementType})`, value: bound.map((b) => b.value) };
}

/**
 * Builds a SQL fragment. Interpolate values (bound as parameters), other fragments, or
 * {@link sql.identifier} results.
 */
export function sql(strings: TemplateStringsArray, ...values: SqlPart[]): Sql {
  return new Sql([...strings], values);
}

/**
 * A validated identifier (table, column, database). Several parts are joined with dots:
 * `sql.identifier(db, 'otel_logs')` → `db.otel_logs`. The one way text enters SQL unbound.
 */
sql.identifier = function identifier(...parts: string[]): Identifier {
  if (parts.length === 0) throw invalid('identifier needs at least one part');
  for (const part of parts) {
    if (!IDENTIFIER_RE.test(part)) throw invalid(`invalid identifier ${JSON.stringify(part)}`);
  }
  return new Identifier(parts.join('.'));
};

/** Binds a value with an explicit ClickHouse type, e.g. `sql.param(n, 'UInt8')`, `sql.param(obj, 'Map(String, String)')`. */
sql.param = function param(value: ParamValue, type: string): TypedParam {
  if (!TYPE_RE.test(type)) throw invalid(`invalid parameter type ${JSON.stringify(type)}`);
  return new TypedParam(value instanceof Date ? bindValue(value).value : value, type);
};

/** Joins fragments or values with a separator fragment (default `, `). */
sql.join = function join(parts: readonly SqlPart[], separator: Sql = sql`, `): Sql {
  if (parts.length === 0) return sql.empty;
  const strings: string[] = [''];
  const values: SqlPart[] = [];
  parts.forEach((part, i) => {
    if (i > 0) {
      values.push(separator);
      strings.push('');
    }
    values.push(part);
    strings.push('');
  });
  return new Sql(strings, values);
};

/** Combines conditions with AND; an empty list yields `1` (true) so callers need no special case. */
sql.and = function and(conditions: readonly Sql[]): Sql {
  if (conditions.length === 0) return sql`1`;
  return sql`(${sql.join(conditions, sql`) AND (`)})`;
};

/** The empty fragment. */
sql.empty = new Sql([''], []);

/** Renders a fragment into query text and parameters named p0, p1, … in order of appearance. */
export function compile(fragment: Sql): CompiledSql {
  const params: Record<string, unknown> = {};
  let counter = 0;
  const render = (node: Sql): string => {
    let text = node.strings[0] ?? '';
    node.values.forEach((part, i) => {
      text += renderPart(part) + (node.strings[i + 1] ?? '');
    });
    return text;
  };
  const renderPart = (part: SqlPart): string => {
    if (part instanceof Sql) return render(part);
    if (part instanceof Identifier) return part.text;
    const name = `p${counter++}`;
    if (part instanceof TypedParam) {
      params[name] = part.value;
      return `{${name}:${part.type}}`;
    }
    const bound = bindValue(part);
    params[name] = bound.value;
    return `{${name}:${bound.type}}`;
  };
  return { query: render(fragment), params };
}
