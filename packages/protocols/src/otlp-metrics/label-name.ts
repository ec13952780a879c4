/**
 * OTLP attribute key → Prometheus label name (`[a-zA-Z_][a-zA-Z0-9_]*`), as Prometheus's OTLP
 * receiver does it (otlptranslator `LabelNamer`). Two behaviours are switchable there and here;
 * the defaults are Prometheus's shipped defaults (config.DefaultOTLPConfig), kept "for backwards
 * compatibility" by Prometheus and therefore what existing dashboards expect:
 *
 * | key             | defaults (preserve runs, key-prefix `_x`) | spec mode (collapse runs)      |
 * |-----------------|-------------------------------------------|--------------------------------|
 * | `http.method`   | `http_method`                             | `http_method`                  |
 * | `a..b`, `a__b`  | `a__b`                                    | `a_b`                          |
 * | `2xx`           | `key_2xx`                                 | `key_2xx`                      |
 * | `_private`      | `key_private`                             | `_private`                     |
 * | `__meta__`      | `__meta__` (reserved form kept)           | `__meta__` (inside sanitised)  |
 * | `__x`           | `__x`                                     | `_x`                           |
 * | `''`, `...`     | invalid                                   | invalid                        |
 *
 * Characters are judged per code point (Go ranges over runes), so an emoji is one `_`.
 */

/** Label name rules (Prometheus `otlp.label_name_*` settings). */
export interface LabelNameRules {
  /** Keep runs of `_` (Prometheus default true); false collapses them as the OTel spec says. */
  readonly preserveMultipleUnderscores: boolean;
  /** Prefix `key` to names starting with a single `_` (Prometheus default true). */
  readonly underscoreSanitization: boolean;
}

/** A label name, or undefined when the key cannot become one (empty, or only underscores). */
export function sanitizeLabelName(key: string, rules: LabelNameRules): string | undefined {
  if (key === '') return undefined;
  let name: string;
  if (rules.preserveMultipleUnderscores) {
    name = replaceInvalid(key, false);
  } else {
    // `__reserved__` keeps its wrapper; only the inside is sanitised.
    const reserved = key.length >= 4 && key.startsWith('__') && key.endsWith('__');
    name = reserved ? `__${replaceInvalid(key.slice(2, -2), true)}__` : replaceInvalid(key, true);
  }
  const first = name.charCodeAt(0);
  if (first >= 0x30 && first <= 0x39) name = `key_${name}`;
  else if (rules.underscoreSanitization && first === 0x5f && name.charCodeAt(1) !== 0x5f) name = `key${name}`;
  return isOnlyUnderscores(name) ? undefined : name;
}

/** Why {@link sanitizeLabelName} refused `key`, for rejection messages. */
export function labelNameProblem(key: string): string {
  return key === ''
    ? 'an attribute has an empty key, which cannot become a label name'
    : `attribute key ${JSON.stringify(key)} becomes a label name of only underscores`;
}

const isLabelChar = (c: number): boolean =>
  (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39);

/** Every character outside `[a-zA-Z0-9]` → `_` (so `_` stays `_`); `collapse` merges runs. */
function replaceInvalid(text: string, collapse: boolean): string {
  let clean = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!isLabelChar(c) && (c !== 0x5f || (collapse && text.charCodeAt(i + 1) === 0x5f))) {
      clean = false;
      break;
    }
  }
  if (clean) return text;
  let out = '';
  let underscore = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isLabelChar(c)) {
      out += text[i];
      underscore = false;
      continue;
    }
    // A surrogate pair is one code point: one `_`, like Go's rune loop.
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    if (!collapse || !underscore) out += '_';
    underscore = true;
  }
  return out;
}

function isOnlyUnderscores(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) !== 0x5f) return false;
  return true;
}
