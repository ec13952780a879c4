/**
 * Text pieces of ClickHouse's TabSeparated format, built by hand for the insert hot path.
 *
 * Two escaping contexts exist, and ClickHouse reads each in a single pass (verified on chDB):
 * - a top-level String field: `\` `\t` `\n` `\r` `\0` become backslash escapes;
 * - a string inside an Array or Map literal is read as a quoted SQL string: the same escapes
 *   plus `'` → `\'`, wrapped in single quotes. There is no second TSV layer on top.
 */

const FIELD_SPECIAL = /[\\\t\n\r\0]/;
const FIELD_SPECIAL_G = /[\\\t\n\r\0]/g;
const QUOTED_SPECIAL = /[\\\t\n\r\0']/;
const QUOTED_SPECIAL_G = /[\\\t\n\r\0']/g;

const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
  '\0': '\\0',
  "'": "\\'",
};
const escapeChar = (c: string): string => ESCAPES[c] ?? c;

/** A String column value. Most values need no escaping, so test before replacing. */
export function tsvField(value: string): string {
  return FIELD_SPECIAL.test(value) ? value.replace(FIELD_SPECIAL_G, escapeChar) : value;
}

/** A string inside an Array/Map literal: `'…'` with quote and control escapes. */
export function tsvQuoted(value: string): string {
  return QUOTED_SPECIAL.test(value) ? `'${value.replace(QUOTED_SPECIAL_G, escapeChar)}'` : `'${value}'`;
}

/** `Map(String, String)` literal: `{'k':'v','k2':'v2'}`. */
export function tsvMap(map: Readonly<Record<string, string>>): string {
  let out = '{';
  let first = true;
  for (const key in map) {
    out += (first ? '' : ',') + tsvQuoted(key) + ':' + tsvQuoted(map[key] as string);
    first = false;
  }
  return out + '}';
}

/** `Array(String)` literal from already-quoted elements. */
export function tsvArray(quotedItems: readonly string[]): string {
  return '[' + quotedItems.join(',') + ']';
}

/**
 * Cache for maps shared by many records (resource and scope attributes): the decoder hands the
 * same object to every record of a resource, so each distinct object is encoded once per batch.
 */
export class MapEncodingCache {
  readonly #cache = new Map<object, string>();
  constructor(private readonly encode: (map: Readonly<Record<string, string>>) => string) {}

  get(map: Readonly<Record<string, string>>): string {
    let encoded = this.#cache.get(map);
    if (encoded === undefined) {
      encoded = this.encode(map);
      this.#cache.set(map, encoded);
    }
    return encoded;
  }
}
