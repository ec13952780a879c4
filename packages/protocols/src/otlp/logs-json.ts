/**
 * Decoder for OTLP/JSON log exports (ExportLogsServiceRequest in the proto3 JSON mapping with hex
 * ids), producing the same {@link LogRecord}s as the protobuf decoder for the same records.
 */
import { FieldPath } from '../field-path.ts';
import { anyValueString, readAttributesJson, readResourceJson, readScopeJson } from './common-json.ts';
import { SEVERITY_NUMBER_VALUES } from './enums.ts';
import {
  asArray,
  asEnum,
  asHexId,
  asString,
  asUint32,
  asUint64,
  field,
  parseJsonObject,
  requireObject,
} from './json-fields.ts';
import type { LogRecord } from './records.ts';

/**
 * Decodes an OTLP/JSON ExportLogsServiceRequest (same conventions as {@link decodeTracesJson}).
 *
 * @throws DecodeError (code 'bad_request') when the text is not JSON, a field has the wrong type,
 *   or an id is neither empty nor valid hex of the right length.
 */
export function decodeLogsJson(text: string): LogRecord[] {
  const path = new FieldPath();
  const root = parseJsonObject(text, path);
  const out: LogRecord[] = [];
  const resourceLogs = asArray(field(root, 'resourceLogs', 'resource_logs'), path, 'resourceLogs');
  for (let i = 0; i < resourceLogs.length; i++) {
    path.push('resourceLogs', i);
    const rl = requireObject(resourceLogs[i], path);
    const resourceAttributes = readResourceJson(rl, path);
    const serviceName = resourceAttributes['service.name'] ?? '';
    const resourceSchemaUrl = asString(field(rl, 'schemaUrl', 'schema_url'), path, 'schemaUrl');
    const scopeLogs = asArray(field(rl, 'scopeLogs', 'scope_logs'), path, 'scopeLogs');
    for (let j = 0; j < scopeLogs.length; j++) {
      path.push('scopeLogs', j);
      const sl = requireObject(scopeLogs[j], path);
      const scope = readScopeJson(sl, path);
      const scopeSchemaUrl = asString(field(sl, 'schemaUrl', 'schema_url'), path, 'schemaUrl');
      const logRecords = asArray(field(sl, 'logRecords', 'log_records'), path, 'logRecords');
      for (let k = 0; k < logRecords.length; k++) {
        path.push('logRecords', k);
        const log = requireObject(logRecords[k], path);
        const timeUnixNano = asUint64(field(log, 'timeUnixNano', 'time_unix_nano'), path, 'timeUnixNano');
        out.push({
          // Falls back to the observed time, as in decodeLogsProtobuf.
          timeUnixNano:
            timeUnixNano !== 0n
              ? timeUnixNano
              : asUint64(
                  field(log, 'observedTimeUnixNano', 'observed_time_unix_nano'),
                  path,
                  'observedTimeUnixNano',
                ),
          traceId: asHexId(field(log, 'traceId', 'trace_id'), 16, 'empty', path, 'traceId'),
          spanId: asHexId(field(log, 'spanId', 'span_id'), 8, 'empty', path, 'spanId'),
          traceFlags: asUint32(field(log, 'flags', 'flags'), path, 'flags') & 0xff,
          severityText: asString(field(log, 'severityText', 'severity_text'), path, 'severityText'),
          severityNumber: asEnum(
            field(log, 'severityNumber', 'severity_number'),
            SEVERITY_NUMBER_VALUES,
            path,
            'severityNumber',
          ),
          serviceName,
          body: anyValueString(field(log, 'body', 'body'), path, 'body'),
          resourceSchemaUrl,
          resourceAttributes,
          scopeSchemaUrl,
          scopeName: scope.name,
          scopeVersion: scope.version,
          scopeAttributes: scope.attributes,
          attributes: readAttributesJson(field(log, 'attributes', 'attributes'), {}, path, 'attributes'),
          eventName: asString(field(log, 'eventName', 'event_name'), path, 'eventName'),
        });
        path.pop();
      }
      path.pop();
    }
    path.pop();
  }
  return out;
}

/** An element of a repeated message field; null is not a message. */
