/**
 * Query text as it may appear in a label: literals and parameters replaced by `?`, so that the
 * same statement with different values is one series and no value (a password, an e-mail) leaves
 * the database.
 */

/** Longest query text put in a label, in characters, after obfuscation. */
export const QUERY_LABEL_MAX_CHARS = 512;

// One pass over the tokens that matter, left to right, so that a quote inside a comment or a
// digit inside a quoted identifier is never mistaken for a literal. Unterminated strings and
// comments run to the end (pg_stat_activity cuts long queries at track_activity_query_size).
const TOKENS = new RegExp(
  [
    String.raw`--[^\n]*`, // line comment
    String.raw`/\*[\s\S]*?(?:\*/|$)`, // block comment
    String.raw`"(?:[^"]|"")*"?`, // quoted identifier: kept
    String.raw`\b[eE]'(?:[^'\\]|\\[\s\S]|'')*'?`, // E'...' string with backslash escapes
    String.raw`'(?:[^']|'')*'?`, // standard string (also the body of B'..', X'..', N'..')
    String.raw`\$([A-Za-z_][A-Za-z0-9_]*)?\$[\s\S]*?(?:\$\1\$|$)`, // dollar-quoted string
    String.raw`\$\d+`, // positional parameter
    String.raw`\b0[xX][0-9a-fA-F_]+\b`, // hexadecimal integer (PG 16)
    String.raw`(?:\b\d[\d_]*(?:\.\d*)?|\B\.\d+)(?:[eE][+-]?\d+)?\b`, // decimal number
  ].join('|'),
  'g',
);

/**
 * Replaces string, number and dollar-quoted literals and `$n` parameters with `?`, drops
 * comments, collapses `IN (?, ?, …)` to `IN (?)`, collapses whitespace and cuts the result at
 * `maxChars` characters.
 */
export function obfuscateQuery(text: string, maxChars = QUERY_LABEL_MAX_CHARS): string {
  const replaced = text.replace(TOKENS, (token) => {
    if (token.startsWith('--') || token.startsWith('/*')) return ' ';
    if (token.startsWith('"')) return token;
    return '?';
  });
  const collapsed = replaced
    // B'0101' and X'ff' leave their prefix letter in front of the `?`.
    .replace(/\b[bBxXnNuU]&?\?/g, '?')
    .replace(/\bIN\s*\(\s*\?(?:\s*,\s*\?)*\s*\)/gi, 'IN (?)')
    .replace(/\s+/g, ' ')
    .trim();
  return collapsed.length > maxChars ? collapsed.slice(0, maxChars) : collapsed;
}
