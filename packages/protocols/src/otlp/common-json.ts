/**
 * OTLP/JSON decoding of the shared messages (AnyValue, KeyValue, Resource, InstrumentationScope),
 * producing the same strings as common-protobuf.ts for the same values.
 */
import type { FieldPath } from '../field-path.ts';
import type { JsonMember } from './any-value-format.ts';
import {
  formatDouble,
  jsonArray,
  jsonDouble,
  jsonObject,
  jsonString,
  setAttribute,
} from './any-value-format.ts';
import { MAX_ANY_VALUE_DEPTH } from './common-protobuf.ts';
import {
  asArray,
  asInt64Decimal,
  asObject,
  asString,
  field,
  jsonFail,
  type JsonObject,
} from './json-fields.ts';
import type { AttributeMap } from './records.ts';

/** Reads an AnyValue and flattens it like pcommon `AsString` (see any-value-format.ts). */
export function anyValueString(value: unknown, path: FieldPath, leaf: string): string {
  return anyValue(value, false, 0, path, leaf) ?? '';
}

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** Top level: the AsString form; nested: a JSON fragment, undefined when Go's encoder would fail. */
function anyValue(
  value: unknown,
  nested: boolean,
  depth: number,
  path: FieldPath,
  leaf: string,
): string | undefined {
  const empty = nested ? 'null' : '';
  const obj = asObject(value, path, leaf);
  if (obj === undefined) return empty;
  if (depth > MAX_ANY_VALUE_DEPTH)
    jsonFail(path, `AnyValue nested deeper than ${MAX_ANY_VALUE_DEPTH} levels`, leaf);
  let v: unknown;
  if ((v = field(obj, 'stringValue', 'string_value')) !== undefined) {
    const s = asString(v, path, joinLeaf(leaf, 'stringValue'));
    return nested ? jsonString(s) : s;
  }
  if ((v = field(obj, 'boolValue', 'bool_value')) !== undefined) {
    if (typeof v !== 'boolean')
      jsonFail(path, `expected true or false, got ${typeof v}`, joinLeaf(leaf, 'boolValue'));
    return v ? 'true' : 'false';
  }
  if ((v = field(obj, 'intValue', 'int_value')) !== undefined) {
    return asInt64Decimal(v, path, joinLeaf(leaf, 'intValue'));
  }
  if ((v = field(obj, 'doubleValue', 'double_value')) !== undefined) {
    const d = toDouble(v, path, joinLeaf(leaf, 'doubleValue'));
    return nested ? jsonDouble(d) : formatDouble(d);
  }
  if ((v = field(obj, 'bytesValue', 'bytes_value')) !== undefined) {
    const text = asString(v, path, joinLeaf(leaf, 'bytesValue'));
    if (!BASE64.test(text)) jsonFail(path, 'expected base64', joinLeaf(leaf, 'bytesValue'));
    // Re-encode so URL-safe or unpadded input is stored as standard base64, like the exporter.
    const base64 = Buffer.from(text, 'base64').toString('base64');
    return nested ? `"${base64}"` : base64;
  }
  if ((v = field(obj, 'arrayValue', 'array_value')) !== undefined) {
    return arrayValue(v, depth + 1, path, joinLeaf(leaf, 'arrayValue'));
  }
  if ((v = field(obj, 'kvlistValue', 'kvlist_value')) !== undefined) {
    return keyValueList(v, depth + 1, path, joinLeaf(leaf, 'kvlistValue'));
  }
  return empty;
}

function joinLeaf(leaf: string, name: string): string {
  return leaf === '' ? name : `${leaf}.${name}`;
}

/** A double: a JSON number, or a string holding a number, "NaN", "Infinity" or "-Infinity". */
function toDouble(value: unknown, path: FieldPath, leaf: string): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    if (value === 'NaN') return NaN;
    if (value === 'Infinity') return Infinity;
    if (value === '-Infinity') return -Infinity;
    if (NUMBER.test(value)) return Number(value);
  }
  return jsonFail(path, `expected a number, got ${typeof value}`, leaf);
}

function arrayValue(value: unknown, depth: number, path: FieldPath, leaf: string): string | undefined {
  const values = asArray(
    field(asObject(value, path, leaf) ?? {}, 'values', 'values'),
    path,
    `${leaf}.values`,
  );
  const items: (string | undefined)[] = [];
  for (let i = 0; i < values.length; i++) {
    path.push(`${leaf}.values`, i);
    items.push(anyValue(values[i], true, depth, path, ''));
    path.pop();
  }
  return jsonArray(items);
}

function keyValueList(value: unknown, depth: number, path: FieldPath, leaf: string): string | undefined {
  const values = asArray(
    field(asObject(value, path, leaf) ?? {}, 'values', 'values'),
    path,
    `${leaf}.values`,
  );
  const members: JsonMember[] = [];
  for (let i = 0; i < values.length; i++) {
    path.push(`${leaf}.values`, i);
    const kv = asObject(values[i], path, '') ?? {};
    const key = asString(field(kv, 'key', 'key'), path, 'key');
    members.push({ key, value: anyValue(field(kv, 'value', 'value'), true, depth, path, 'value') });
    path.pop();
  }
  return jsonObject(members);
}

/** Reads a repeated KeyValue field into `into` (a later duplicate key overwrites an earlier one). */
export function readAttributesJson(
  value: unknown,
  into: AttributeMap,
  path: FieldPath,
  leaf: string,
): AttributeMap {
  const list = asArray(value, path, leaf);
  for (let i = 0; i < list.length; i++) {
    path.push(leaf, i);
    const kv = asObject(list[i], path, '') ?? jsonFail(path, 'expected a KeyValue object, got null');
    const key = asString(field(kv, 'key', 'key'), path, 'key');
    setAttribute(into, key, anyValueString(field(kv, 'value', 'value'), path, 'value'));
    path.pop();
  }
  return into;
}

/** The resource's attributes (a fresh map, shared by every record of the resource). */
export function readResourceJson(container: JsonObject, path: FieldPath): AttributeMap {
  const resource = asObject(field(container, 'resource', 'resource'), path, 'resource');
  if (resource === undefined) return {};
  path.push('resource');
  const attributes = readAttributesJson(field(resource, 'attributes', 'attributes'), {}, path, 'attributes');
  path.pop();
  return attributes;
}

/** An InstrumentationScope's name, version and attributes. */
export interface ScopeJson {
  name: string;
  version: string;
  attributes: AttributeMap;
}

/** Reads the `scope` field of a ScopeSpans/ScopeLogs object. */
export function readScopeJson(container: JsonObject, path: FieldPath): ScopeJson {
  const scope = asObject(field(container, 'scope', 'scope'), path, 'scope');
  if (scope === undefined) return { name: '', version: '', attributes: {} };
  path.push('scope');
  const result = {
    name: asString(field(scope, 'name', 'name'), path, 'name'),
    version: asString(field(scope, 'version', 'version'), path, 'version'),
    attributes: readAttributesJson(field(scope, 'attributes', 'attributes'), {}, path, 'attributes'),
  };
  path.pop();
  return result;
}
