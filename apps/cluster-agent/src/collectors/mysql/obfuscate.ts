/**
 * MySQL query text as it may appear in a label: literals replaced by `?`, so that the same
 * statement with different values is one series and no value leaves the database.
 *
 * Not the Postgres obfuscator: MySQL strings take backslash escapes and may be double-quoted
 * (without ANSI_QUOTES), identifiers are back-quoted, and `#` starts a comment. Digest texts from
 * performance_schema are already normalized (`?` for literals, `...` for long IN lists), so for
 * them this mostly collapses whitespace and cuts the length.
 */
import { QUERY_LABEL_MAX_CHARS } from '../postgres/obfuscate.ts';

export { QUERY_LABEL_MAX_CHARS };

// One pass left to right, so that a quote inside a comment or a digit inside a back-quoted
// identifier is never mistaken for a literal. Unterminated strings and comments run to the end
// (processlist and digest texts can be cut anywhere).
const TOKENS = new RegExp(
  [
    String.raw`(?:--(?=\s|$)|#)[^\n]*`, // line comment
    String.raw`/\*[\s\S]*?(?:\*/|$)`, // block comment (also /*! … */ hints)
    String.raw`\x60(?:[^\x60]|\x60\x60)*\x60?`, // back-quoted identifier: kept
    String.raw`\b[xXbB]'[^']*'?`, // X'ff', B'0101'
    String.raw`'(?:[^'\\]|\\[\s\S]|'')*'?`, // single-quoted string
    String.raw`"(?:[^"\\]|\\[\s\S]|"")*"?`, // double-quoted string
    String.raw`\b0[xX][0-9a-fA-F]+\b|\b0[bB][01]+\b`, // 0xff, 0b01
    String.raw`(?:\b\d+(?:\.\d*)?|\B\.\d+)(?:[eE][+-]?\d+)?\b`, // decimal number
  ].join('|'),
  'g',
);

/**
 * Replaces string and number literals with `?`, drops comments, collapses `IN (?, ?, …)` to
 * `IN (?)`, collapses whitespace and cuts the result at `maxChars` characters.
 */
export function obfuscateMysqlQuery(text: string, maxChars = QUERY_LABEL_MAX_CHARS): string {
  const replaced = text.replace(TOKENS, (token) => {
    if (token.startsWith('--') || token.startsWith('#') || token.startsWith('/*')) return ' ';
    if (token.startsWith('`')) return token;
    return '?';
  });
  const collapsed = replaced
    .replace(/\bIN\s*\(\s*(?:\?|\.\.\.)(?:\s*,\s*(?:\?|\.\.\.))*\s*\)/gi, 'IN (?)')
    .replace(/\s+/g, ' ')
    .trim();
  return collapsed.length > maxChars ? collapsed.slice(0, maxChars) : collapsed;
}
