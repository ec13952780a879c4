/**
 * Prometheus regular expressions are Go RE2, fully anchored (`^(?:re)$`). JavaScript's syntax
 * covers what label matchers use in practice; this translates the differences that show up:
 * leading flag groups (`(?i)`, `(?s)`), named groups `(?P<name>...)`, and `\A`/`\z`.
 * Constructs JavaScript does not know (e.g. `[[:alpha:]]`, mid-pattern flags) throw a SyntaxError.
 */
export function compileAnchoredRegex(source: string): RegExp {
  let body = source;
  let flags = '';
  const flagGroup = /^\(\?([ims]+)\)/.exec(body);
  if (flagGroup !== null) {
    for (const f of flagGroup[1]!) if (f !== 'm' && !flags.includes(f)) flags += f;
    body = body.slice(flagGroup[0].length);
  }
  body = body
    .replace(/\(\?P</g, '(?<')
    .replace(/\\A/g, '^')
    .replace(/\\z/g, '$');
  return new RegExp(`^(?:${body})$`, flags);
}

/** Go's model.LabelNameRE: what label_replace, label_join and count_values accept as a name. */
export const LABEL_NAME_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * Expands a replacement template the way Go's regexp.Expand does: `$1`, `${1}`, `$name`,
 * `${name}` and `$$`. A name is the longest run of letters, digits and underscores, so `$1x`
 * means the group named `1x` (empty), not group 1 followed by "x". Unknown groups expand to "".
 */
export function expandTemplate(template: string, match: RegExpExecArray): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const c = template[i]!;
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    const next = template[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
      continue;
    }
    let name: string | undefined;
    let end = i + 1;
    if (next === '{') {
      const close = template.indexOf('}', i + 2);
      const candidate = close < 0 ? '' : template.slice(i + 2, close);
      if (close >= 0 && /^\w+$/.test(candidate)) {
        name = candidate;
        end = close + 1;
      }
    } else {
      const m = /^\w+/.exec(template.slice(i + 1));
      if (m !== null) {
        name = m[0];
        end = i + 1 + name.length;
      }
    }
    if (name === undefined) {
      // Go copies a malformed reference literally.
      out += '$';
      i++;
      continue;
    }
    out += groupValue(match, name);
    i = end;
  }
  return out;
}

function groupValue(match: RegExpExecArray, name: string): string {
  if (/^\d+$/.test(name)) {
    const index = Number(name);
    return index < match.length ? (match[index] ?? '') : '';
  }
  return match.groups?.[name] ?? '';
}
