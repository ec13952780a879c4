/**
 * OTLP enums: wire numbers to the names records carry, and the proto enum value names that
 * OTLP/JSON senders may use instead of numbers.
 */
import type { SpanKindName, StatusCodeName } from './records.ts';

const SPAN_KIND_NAMES: readonly SpanKindName[] = [
  'Unspecified',
  'Internal',
  'Server',
  'Client',
  'Producer',
  'Consumer',
];
const STATUS_CODE_NAMES: readonly StatusCodeName[] = ['Unset', 'Ok', 'Error'];

/**
 * Span.SpanKind number to name. Proto3 enums are open, so an unknown number is legal on the wire;
 * it is stored as 'Unspecified' because nothing else can be said about it.
 */
export function spanKindName(kind: number): SpanKindName {
  return SPAN_KIND_NAMES[kind] ?? 'Unspecified';
}

/** Status.StatusCode number to name; unknown numbers are stored as 'Unset' (see {@link spanKindName}). */
export function statusCodeName(code: number): StatusCodeName {
  return STATUS_CODE_NAMES[code] ?? 'Unset';
}

/** `SPAN_KIND_SERVER` → 2, as defined in trace.proto. */
export const SPAN_KIND_VALUES: ReadonlyMap<string, number> = new Map(
  ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'].map((n, i) => [
    `SPAN_KIND_${n}`,
    i,
  ]),
);

/** `STATUS_CODE_ERROR` → 2, as defined in trace.proto. */
export const STATUS_CODE_VALUES: ReadonlyMap<string, number> = new Map(
  ['UNSET', 'OK', 'ERROR'].map((n, i) => [`STATUS_CODE_${n}`, i]),
);

/** `SEVERITY_NUMBER_INFO2` → 10, as defined in logs.proto (four numbers per level from TRACE=1). */
export const SEVERITY_NUMBER_VALUES: ReadonlyMap<string, number> = new Map([
  ['SEVERITY_NUMBER_UNSPECIFIED', 0],
  ...['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].flatMap((level, l) =>
    [1, 2, 3, 4].map((k): [string, number] => [`SEVERITY_NUMBER_${level}${k === 1 ? '' : k}`, l * 4 + k]),
  ),
]);
