/**
 * Protobuf decoding of the messages in opentelemetry/proto/common/v1/common.proto and
 * resource/v1/resource.proto that traces and logs share: AnyValue, KeyValue, Resource and
 * InstrumentationScope. Each function is called right after its field's tag has been read.
 */
import type { ProtoReader } from '../protobuf/reader.ts';

import type { AttributeMap } from './records.ts';
import type { JsonMember } from './any-value-format.ts';
import { bytesToHex, isZeroBytes } from './hex.ts';
import {
  formatDouble,
  jsonArray,
  jsonDouble,
  jsonObject,
  jsonString,
  setAttribute,
} from './any-value-format.ts';
import {
  ANY_STRING,
  ANY_BOOL,
  ANY_INT,
  ANY_DOUBLE,
  ANY_ARRAY,
  ANY_KVLIST,
  ANY_BYTES,
  LIST_VALUES,
  KV_KEY,
  KV_VALUE,
  RESOURCE_ATTRIBUTES,
  SCOPE_NAME,
  SCOPE_VERSION,
  SCOPE_ATTRIBUTES,
} from './wire-tags.ts';

/** ArrayValue.values and KeyValueList.values. */

/** Arrays and maps nested deeper than this are rejected, so a hostile body cannot blow the stack. */
export const MAX_ANY_VALUE_DEPTH = 64;

/** Reads an AnyValue and flattens it to a string like pcommon `AsString` (see any-value-format.ts). */
export function readAnyValueString(r: ProtoReader): string {
  return readAnyValue(r, false, 0) ?? '';
}

/** Top level: the AsString form; nested: a JSON fragment, undefined when Go's encoder would fail. */
function readAnyValue(r: ProtoReader, nested: boolean, depth: number): string | undefined {
  if (depth > MAX_ANY_VALUE_DEPTH) r.fail(`AnyValue nested deeper than ${MAX_ANY_VALUE_DEPTH} levels`);
  const outer = r.enter();
  let out: string | undefined = nested ? 'null' : '';
  while (r.pos < r.limit) {
    const tag = r.tag();
    switch (tag) {
      case ANY_STRING: {
        const s = r.string();
        out = nested ? jsonString(s) : s;
        break;
      }
      case ANY_BOOL:
        out = r.bool() ? 'true' : 'false';
        break;
      case ANY_INT:
        out = r.int64Decimal();
        break;
      case ANY_DOUBLE: {
        const d = r.double();
        out = nested ? jsonDouble(d) : formatDouble(d);
        break;
      }
      case ANY_BYTES: {
        const start = r.lengthDelimited();
        const base64 = r.buf.toString('base64', start, r.pos);
        out = nested ? `"${base64}"` : base64;
        break;
      }
      case ANY_ARRAY:
        r.path.push('arrayValue');
        out = readArrayValue(r, depth + 1);
        r.path.pop();
        break;
      case ANY_KVLIST:
        r.path.push('kvlistValue');
        out = readKeyValueList(r, depth + 1);
        r.path.pop();
        break;
      default:
        r.skip(tag);
    }
  }
  r.leave(outer);
  return out;
}

function readArrayValue(r: ProtoReader, depth: number): string | undefined {
  const outer = r.enter();
  const items: (string | undefined)[] = [];
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === LIST_VALUES) {
      r.path.push('values', items.length);
      items.push(readAnyValue(r, true, depth));
      r.path.pop();
    } else {
      r.skip(tag);
    }
  }
  r.leave(outer);
  return jsonArray(items);
}

function readKeyValueList(r: ProtoReader, depth: number): string | undefined {
  const outer = r.enter();
  const members: JsonMember[] = [];
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === LIST_VALUES) {
      r.path.push('values', members.length);
      members.push(readNestedKeyValue(r, depth));
      r.path.pop();
    } else {
      r.skip(tag);
    }
  }
  r.leave(outer);
  return jsonObject(members);
}

function readNestedKeyValue(r: ProtoReader, depth: number): JsonMember {
  const outer = r.enter();
  let key = '';
  let value: string | undefined = 'null';
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === KV_KEY) key = r.string();
    else if (tag === KV_VALUE) {
      r.path.push('value');
      value = readAnyValue(r, true, depth);
      r.path.pop();
    } else r.skip(tag);
  }
  r.leave(outer);
  return { key, value };
}

/** Reads one KeyValue (an attribute) into `into`; a later duplicate key overwrites an earlier one. */
export function readAttribute(r: ProtoReader, into: AttributeMap): void {
  const outer = r.enter();
  let key = '';
  let value = '';
  // The value may precede the key on the wire, so assign only once both are read.
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === KV_KEY) key = r.string();
    else if (tag === KV_VALUE) {
      r.path.push('value');
      value = readAnyValueString(r);
      r.path.pop();
    } else r.skip(tag);
  }
  r.leave(outer);
  setAttribute(into, key, value);
}

/**
 * Reads a Resource's attributes into `into`. Repeated occurrences of the resource field merge,
 * as protobuf specifies for embedded messages, because callers pass the same map each time.
 */
export function readResource(r: ProtoReader, into: AttributeMap): void {
  r.path.push('resource');
  const outer = r.enter();
  let index = 0;
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === RESOURCE_ATTRIBUTES) {
      r.path.push('attributes', index++);
      readAttribute(r, into);
      r.path.pop();
    } else {
      r.skip(tag);
    }
  }
  r.leave(outer);
  r.path.pop();
}

/** The fields of an InstrumentationScope that records carry. */
export interface ScopeFields {
  name: string;
  version: string;
  attributes: AttributeMap;
}

/** Reads an InstrumentationScope, merging into `scope` (see {@link readResource} on merging). */
export function readScope(r: ProtoReader, scope: ScopeFields): void {
  r.path.push('scope');
  const outer = r.enter();
  let index = 0;
  while (r.pos < r.limit) {
    const tag = r.tag();
    switch (tag) {
      case SCOPE_NAME:
        scope.name = r.string();
        break;
      case SCOPE_VERSION:
        scope.version = r.string();
        break;
      case SCOPE_ATTRIBUTES:
        r.path.push('attributes', index++);
        readAttribute(r, scope.attributes);
        r.path.pop();
        break;
      default:
        r.skip(tag);
    }
  }
  r.leave(outer);
  r.path.pop();
}

/**
 * Reads a trace or span id (a bytes field) as lowercase hex. An empty field gives ''. Any other
 * length than `byteLength` is an error. An all-zero id is an error when `zero` is 'reject' (span
 * and trace ids of a span) and becomes '' when it is 'empty', as the exporter's
 * `TraceIDToHexOrEmptyString` does for parents, links and logs.
 */
export function readId(r: ProtoReader, byteLength: number, field: string, zero: 'reject' | 'empty'): string {
  const start = r.lengthDelimited();
  const end = r.pos;
  const length = end - start;
  if (length === 0) return '';
  if (length !== byteLength) r.fail(`${field} must be ${byteLength} bytes, got ${length}`, field, start);
  if (isZeroBytes(r.buf, start, end)) {
    if (zero === 'reject') r.fail(`${field} must not be all zeros`, field, start);
    return '';
  }
  return bytesToHex(r.buf, start, end);
}
