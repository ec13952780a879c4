/**
 * Prometheus label matchers as conditions on `metrics_series` rows.
 *
 *   name="v"    MetricName = v                      (name = __name__)
 *   l="v"       Labels['l'] = v
 *   l!="v"      Labels['l'] != v
 *   l=~"re"     match(Labels['l'], '^(?s:re)$')
 *   l!~"re"     NOT match(Labels['l'], '^(?s:re)$')
 *
 * Empty values: a missing map key reads as '', and series rows never store empty values, so
 * `l=""` matches exactly the series without l, `l!=""` those with it, and `l=~"a|"` both "a"
 * and "no l" — Prometheus's semantics, with no special case.
 *
 * Regexes: Prometheus compiles `^(?s:re)$` (fully anchored, `.` matching newlines) with Go's
 * RE2-syntax engine; ClickHouse's `match` is RE2 itself (UTF-8, so `.` is one code point as in
 * Go). A pattern whose `)` would close the wrapping group early (`a)|(b`) is refused here, as
 * Go refuses it when compiling `re` on its own first; other syntax errors come back from
 * ClickHouse and are reported as bad_request by {@link invalidRegexError}.
 */
import { AppError } from '@vigil/core';
import type { LabelMatcher } from '@vigil/protocols';
import { sql, type Sql } from '../sql.ts';
import { METRIC_NAME_LABEL } from './series-id.ts';

const REGEX_ERROR_CODE = '427'; // CANNOT_COMPILE_REGEXP

/** The column or map element a matcher reads. */
function labelColumn(name: string): Sql {
  return name === METRIC_NAME_LABEL ? sql`MetricName` : sql`Labels[${name}]`;
}

/**
 * `re` anchored the way Prometheus anchors it. Throws bad_request when a `)` outside a character
 * class or `\Q…\E` quote would close the wrapping group. An unterminated `\Q` quotes up to the
 * end in RE2, so `\E` is added to keep the closing `)$` outside the quote.
 */
export function anchoredRegex(re: string): string {
  let depth = 0;
  let inClass = false;
  let inQuote = false;
  for (let i = 0; i < re.length; i++) {
    const c = re[i];
    if (inQuote) {
      if (c === '\\' && re[i + 1] === 'E') {
        inQuote = false;
        i++;
      }
      continue;
    }
    if (c === '\\') {
      if (re[i + 1] === 'Q') inQuote = true;
      i++;
      continue;
    }
    if (inClass) {
      if (c === '[' && re[i + 1] === ':') {
        // A POSIX class ([:alpha:]) inside a bracket expression has its own ']'.
        const end = re.indexOf(':]', i + 2);
        if (end >= 0) i = end + 1;
      } else if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      // A ']' first in the class (after an optional '^') is a literal.
      if (re[i + 1] === '^') i++;
      if (re[i + 1] === ']') i++;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth < 0) {
      throw new AppError('bad_request', `invalid regular expression ${JSON.stringify(re)}: unexpected )`);
    }
  }
  return `^(?s:${re}${inQuote ? '\\E' : ''})$`;
}

/** One matcher as a condition; undefined when it matches every series (`=~".*"`). */
export function matcherCondition(m: LabelMatcher): Sql | undefined {
  const column = labelColumn(m.name);
  switch (m.op) {
    case '=':
      return sql`${column} = ${m.value}`;
    case '!=':
      return sql`${column} != ${m.value}`;
    case '=~':
      if (m.value === '.*') return undefined;
      return sql`match(${column}, ${anchoredRegex(m.value)})`;
    case '!~':
      if (m.value === '.*') return sql`0`;
      return sql`NOT match(${column}, ${anchoredRegex(m.value)})`;
    default:
      throw new AppError('bad_request', `unknown label matcher operator ${JSON.stringify(m.op)}`);
  }
}

/** All matchers ANDed (an empty list matches every series). */
export function matchersCondition(matchers: readonly LabelMatcher[]): Sql {
  const conditions: Sql[] = [];
  for (const m of matchers) {
    const condition = matcherCondition(m);
    if (condition) conditions.push(condition);
  }
  return sql.and(conditions);
}

/** Any of several matcher sets (the `match[]` of /api/v1/series). */
export function anyMatchersCondition(sets: readonly (readonly LabelMatcher[])[]): Sql {
  if (sets.length === 0) return sql`0`;
  return sql`(${sql.join(
    sets.map((set) => matchersCondition(set)),
    sql`) OR (`,
  )})`;
}

/**
 * A ClickHouse regex compilation failure as bad_request (the pattern came from the user);
 * undefined for any other error.
 */
export function invalidRegexError(err: unknown): AppError | undefined {
  const cause = err instanceof AppError ? err.cause : err;
  const code = (cause as { code?: unknown } | undefined)?.code;
  if (code !== REGEX_ERROR_CODE) return undefined;
  const detail = /cannot compile re2: (.*?)(?:\. Look at|$)/s.exec(String((cause as Error).message))?.[1];
  return new AppError('bad_request', `invalid regular expression in a label matcher: ${detail ?? 'syntax'}`, {
    cause: err,
  });
}
