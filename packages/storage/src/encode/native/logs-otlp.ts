/**
 * OTLP/protobuf ExportLogsServiceRequest → one chunk of `otel_logs` column streams, without
 * building a LogRecord, an attribute object or a string per field: string fields are copied from
 * the request body as bytes, ids are hex-encoded straight into their column, and the resource
 * and scope values of a ScopeLogs are encoded once for all its records.
 *
 * The result is byte for byte what `logChunkFromRecords(decodeLogsProtobuf(body))` gives (tested
 * in logs-otlp.test.ts), with one intended difference: attribute keys keep their order on the
 * wire, where a JS object would move integer-like keys ("1", "42") to the front.
 *
 * Errors: this decoder only needs to notice that a body is bad. Whatever it throws, the body is
 * decoded again by `decodeLogsProtobuf`, whose DecodeError (with the field path) is what the
 * client gets; should that decoder accept the body after all, its records are used.
 */
import {
  decodeLogsProtobuf,
  LOG_ATTRIBUTES,
  LOG_BODY,
  LOG_EVENT_NAME,
  LOG_FLAGS,
  LOG_OBSERVED_TIME,
  LOG_SEVERITY_NUMBER,
  LOG_SEVERITY_TEXT,
  LOG_SPAN_ID,
  LOG_TIME,
  LOG_TRACE_ID,
  ProtoReader,
  readResource,
  readScope,
  REQUEST_RESOURCE_LOGS,
  RESOURCE_LOGS_RESOURCE,
  RESOURCE_LOGS_SCHEMA_URL,
  RESOURCE_LOGS_SCOPE_LOGS,
  SCOPE_LOGS_LOG_RECORDS,
  SCOPE_LOGS_SCHEMA_URL,
  SCOPE_LOGS_SCOPE,
  type AttributeMap,
  type ScopeFields,
} from '@vigil/protocols';
import { compactChunk, type NativeChunk } from './chunk.ts';
import { encodedMap, encodedString, MapColumn, type EncodedMap } from './columns.ts';
import { logChunkFromRecords } from './logs.ts';
import {
  AttributeColumn,
  decodeWithRescue,
  rereadAttributes,
  resetColumns,
  writeOptionalId,
  writeAnyValue,
  writeTime,
} from './otlp-values.ts';
import { NativeWriter } from './writer.ts';

/** Resource and scope values of one ScopeLogs, encoded once. */
interface Shared {
  serviceName: Buffer;
  resourceSchemaUrl: Buffer;
  resourceAttributes: EncodedMap;
  scopeSchemaUrl: Buffer;
  scopeName: Buffer;
  scopeVersion: Buffer;
  scopeAttributes: EncodedMap;
}

/** First size of each column writer; they grow to the largest request and are reused. */
const BYTES = 64 * 1024;

/** The column streams being filled, in LOG_COLUMNS order. */
class LogColumns {
  rows = 0;
  readonly timestamp = new NativeWriter(BYTES);
  readonly traceId = new NativeWriter(BYTES);
  readonly spanId = new NativeWriter(BYTES);
  readonly traceFlags = new NativeWriter(BYTES);
  readonly severityText = new NativeWriter(BYTES);
  readonly severityNumber = new NativeWriter(BYTES);
  readonly serviceName = new NativeWriter(BYTES);
  readonly body = new NativeWriter(BYTES);
  readonly resourceSchemaUrl = new NativeWriter(BYTES);
  readonly resourceAttributes = new MapColumn(BYTES);
  readonly scopeSchemaUrl = new NativeWriter(BYTES);
  readonly scopeName = new NativeWriter(BYTES);
  readonly scopeVersion = new NativeWriter(BYTES);
  readonly scopeAttributes = new MapColumn(BYTES);
  readonly attributes = new AttributeColumn(BYTES);
  readonly eventName = new NativeWriter(BYTES);

  /** Empties every column for the next request. */
  reset(): void {
    this.rows = 0;
    resetColumns(this);
  }

  /** The rows read so far as a chunk of their own (copied out of the reused writers). */
  chunk(): NativeChunk {
    return compactChunk({
      rows: this.rows,
      columns: [
        [this.timestamp.finish()],
        [this.traceId.finish()],
        [this.spanId.finish()],
        [this.traceFlags.finish()],
        [this.severityText.finish()],
        [this.severityNumber.finish()],
        [this.serviceName.finish()],
        [this.body.finish()],
        [this.resourceSchemaUrl.finish()],
        this.resourceAttributes.streams(),
        [this.scopeSchemaUrl.finish()],
        [this.scopeName.finish()],
        [this.scopeVersion.finish()],
        this.scopeAttributes.streams(),
        this.attributes.streams(),
        [this.eventName.finish()],
      ],
    });
  }
}

let scratch: LogColumns | undefined;

/**
 * Decodes an OTLP/protobuf ExportLogsServiceRequest body into one chunk of `otel_logs` columns.
 *
 * @throws DecodeError (code 'bad_request') exactly when `decodeLogsProtobuf` does, with its message.
 */
export function decodeLogsChunk(body: Uint8Array, onRescued?: () => void): NativeChunk {
  return decodeWithRescue(body, readLogsChunk, (b) => logChunkFromRecords(decodeLogsProtobuf(b)), onRescued);
}

/** The direct decode alone: throws on a bad body with an unspecified error. Exported for tests. */
export function readLogsChunk(body: Uint8Array): NativeChunk {
  const r = new ProtoReader(body);
  // Decoding is synchronous, so one set of writers serves every request: after the first few
  // requests nothing is allocated but the chunk's own exactly sized copy (compactChunk).
  const columns = (scratch ??= new LogColumns());
  columns.reset();
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === REQUEST_RESOURCE_LOGS) readResourceLogs(r, columns);
    else r.skip(tag);
  }
  return columns.chunk();
}

function readResourceLogs(r: ProtoReader, columns: LogColumns): void {
  const outer = r.enter();
  const start = r.pos;
  // First pass for the fields every record needs (they may follow scope_logs on the wire).
  const resourceAttributes: AttributeMap = {};
  let schemaUrl = '';
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === RESOURCE_LOGS_RESOURCE) readResource(r, resourceAttributes);
    else if (tag === RESOURCE_LOGS_SCHEMA_URL) schemaUrl = r.string();
    else r.skip(tag);
  }
  const serviceName = encodedString(resourceAttributes['service.name'] ?? '');
  const resourceSchemaUrl = encodedString(schemaUrl);
  const encodedAttributes = encodedMap(resourceAttributes);
  r.pos = start;
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === RESOURCE_LOGS_SCOPE_LOGS) {
      readScopeLogs(r, columns, serviceName, resourceSchemaUrl, encodedAttributes);
    } else r.skip(tag);
  }
  r.leave(outer);
}

function readScopeLogs(
  r: ProtoReader,
  columns: LogColumns,
  serviceName: Buffer,
  resourceSchemaUrl: Buffer,
  resourceAttributes: EncodedMap,
): void {
  const outer = r.enter();
  const start = r.pos;
  const scope: ScopeFields = { name: '', version: '', attributes: {} };
  let schemaUrl = '';
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === SCOPE_LOGS_SCOPE) readScope(r, scope);
    else if (tag === SCOPE_LOGS_SCHEMA_URL) schemaUrl = r.string();
    else r.skip(tag);
  }
  const shared: Shared = {
    serviceName,
    resourceSchemaUrl,
    resourceAttributes,
    scopeSchemaUrl: encodedString(schemaUrl),
    scopeName: encodedString(scope.name),
    scopeVersion: encodedString(scope.version),
    scopeAttributes: encodedMap(scope.attributes),
  };
  r.pos = start;
  const before = columns.rows;
  while (r.pos < r.limit) {
    const tag = r.tag();
    if (tag === SCOPE_LOGS_LOG_RECORDS) readLogRecord(r, columns);
    else r.skip(tag);
  }
  r.leave(outer);
  // Resource and scope columns: the same bytes for every record of this ScopeLogs.
  const rows = columns.rows - before;
  columns.serviceName.repeat(shared.serviceName, rows);
  columns.resourceSchemaUrl.repeat(shared.resourceSchemaUrl, rows);
  columns.resourceAttributes.repeat(shared.resourceAttributes, rows);
  columns.scopeSchemaUrl.repeat(shared.scopeSchemaUrl, rows);
  columns.scopeName.repeat(shared.scopeName, rows);
  columns.scopeVersion.repeat(shared.scopeVersion, rows);
  columns.scopeAttributes.repeat(shared.scopeAttributes, rows);
}

function readLogRecord(r: ProtoReader, c: LogColumns): void {
  const outer = r.enter();
  const recordStart = r.pos;
  const recordEnd = r.limit;
  let timeAt = -1;
  let observedAt = -1;
  let severityNumber = 0;
  let severityTextStart = 0;
  let severityTextEnd = 0;
  let bodyAt = -1;
  let flags = 0;
  let traceIdStart = 0;
  let traceIdEnd = 0;
  let spanIdStart = 0;
  let spanIdEnd = 0;
  let eventNameStart = 0;
  let eventNameEnd = 0;
  c.attributes.begin();
  while (r.pos < r.limit) {
    const tag = r.tag();
    switch (tag) {
      case LOG_TIME:
        timeAt = r.fixed64Offset();
        break;
      case LOG_OBSERVED_TIME:
        observedAt = r.fixed64Offset();
        break;
      case LOG_SEVERITY_NUMBER:
        severityNumber = r.int32();
        break;
      case LOG_SEVERITY_TEXT:
        severityTextStart = r.lengthDelimited();
        severityTextEnd = r.pos;
        break;
      case LOG_BODY:
        bodyAt = r.pos;
        r.lengthDelimited();
        break;
      case LOG_ATTRIBUTES:
        c.attributes.add(r);
        break;
      case LOG_FLAGS:
        flags = r.fixed32();
        break;
      case LOG_TRACE_ID:
        traceIdStart = r.lengthDelimited();
        traceIdEnd = r.pos;
        if (traceIdEnd !== traceIdStart && traceIdEnd - traceIdStart !== 16) r.fail('bad traceId');
        break;
      case LOG_SPAN_ID:
        spanIdStart = r.lengthDelimited();
        spanIdEnd = r.pos;
        if (spanIdEnd !== spanIdStart && spanIdEnd - spanIdStart !== 8) r.fail('bad spanId');
        break;
      case LOG_EVENT_NAME:
        eventNameStart = r.lengthDelimited();
        eventNameEnd = r.pos;
        break;
      default:
        r.skip(tag);
    }
  }
  c.attributes.end((into) => rereadAttributes(r, recordStart, recordEnd, LOG_ATTRIBUTES, into));
  writeAnyValue(r, bodyAt, c.body);
  r.leave(outer);

  const buf = r.buf;
  // time_unix_nano, or the observed time when it is 0 (absent); both 0 stays 0 here and gets the
  // receive time from the ingestor. Values past Int64 clamp to its maximum, as on the record path.
  const zeroTime = timeAt < 0 || (buf.readUInt32LE(timeAt) === 0 && buf.readUInt32LE(timeAt + 4) === 0);
  writeTime(c.timestamp, buf, zeroTime ? observedAt : timeAt);
  // Empty and all-zero ids are '' (the exporter's rule for log ids).
  writeOptionalId(c.traceId, buf, traceIdStart, traceIdEnd);
  writeOptionalId(c.spanId, buf, spanIdStart, spanIdEnd);
  // The low byte of flags is the W3C trace flags; the rest is reserved.
  c.traceFlags.uint8(flags & 0xff);
  c.severityText.utf8(buf, severityTextStart, severityTextEnd);
  c.severityNumber.uint8(severityNumber >= 0 && severityNumber <= 255 ? severityNumber : 0);
  c.eventName.utf8(buf, eventNameStart, eventNameEnd);
  c.rows++;
}
