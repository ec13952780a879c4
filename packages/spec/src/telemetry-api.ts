/**
 * Shapes of Vigil's JSON query API for traces, logs and services. Shared by the server, the
 * storage layer (which returns these shapes) and the web UI.
 *
 * Conventions: `from`/`to` are Unix milliseconds; nanosecond timestamps are decimal strings
 * (they exceed 2^53); durations in nanoseconds are numbers (a span shorter than 104 days fits);
 * span kind and status code are the strings the OTel Collector's ClickHouse exporter stores.
 */
import type { SpanKindName, StatusCodeName } from '@vigil/protocols';

export type Attributes = Record<string, string>;

export interface TraceSearchQuery {
  fromMs: number;
  toMs: number;
  service?: string;
  spanName?: string;
  minDurationMs?: number;
  maxDurationMs?: number;
  status?: 'ok' | 'error';
  /** Span or resource attribute equality filters. */
  attributes: Attributes;
  limit: number;
}

export interface TraceSummary {
  traceId: string;
  rootServiceName: string;
  rootSpanName: string;
  startTimeUnixNano: string;
  durationNs: number;
  spanCount: number;
  hasError: boolean;
}

export interface SpanEventView {
  timeUnixNano: string;
  name: string;
  attributes: Attributes;
}

export interface SpanView {
  spanId: string;
  parentSpanId: string;
  serviceName: string;
  name: string;
  kind: SpanKindName;
  startTimeUnixNano: string;
  durationNs: number;
  statusCode: StatusCodeName;
  statusMessage: string;
  attributes: Attributes;
  resourceAttributes: Attributes;
  events: SpanEventView[];
}

export interface TraceView {
  traceId: string;
  spans: SpanView[];
}

export interface LogSearchQuery {
  fromMs: number;
  toMs: number;
  service?: string;
  /** Severity text, case-insensitive (e.g. `error`); matches SeverityText or the number range. */
  severity?: string;
  /** Whole tokens, case-insensitive; every token must appear. */
  search?: string;
  traceId?: string;
  attributes: Attributes;
  limit: number;
}

export interface LogView {
  timestampUnixNano: string;
  serviceName: string;
  severityText: string;
  severityNumber: number;
  body: string;
  traceId: string;
  spanId: string;
  attributes: Attributes;
  resourceAttributes: Attributes;
}

export interface LogHistogramBucket {
  /** Bucket start, Unix milliseconds. */
  timeMs: number;
  /** Count per severity text (normalised lower case; '' shown as `unknown`). */
  counts: Record<string, number>;
}

export interface LogHistogram {
  stepMs: number;
  buckets: LogHistogramBucket[];
}

export interface ServiceSeen {
  name: string;
  /** Unix milliseconds of the newest span or log record. */
  lastSeenMs: number;
  signals: Array<'traces' | 'logs'>;
}

/** One pattern of `GET /api/v1/logs/patterns`: log records whose bodies share a shape. */
export interface LogPattern {
  /** 16 hex digits naming the pattern (packages/logs patternHash; stable for one scan). */
  hash: string;
  /** The pattern's text, `<*>` where its messages differ. */
  pattern: string;
  /** Records of the pattern among those scanned. */
  count: number;
  /** One message of the pattern (the newest scanned). */
  sample: string;
  /** The pattern's most frequent severity (normalised lower case, `unknown` when absent). */
  severity: string;
  /** Counts per `stepMs` bucket from the response's `fromMs`, oldest first. */
  trend: number[];
}

/** `GET /api/v1/logs/patterns`: the matching records grouped by pattern, most frequent first. */
export interface LogPatternsResponse {
  /** Start of the first trend bucket, Unix milliseconds. */
  fromMs: number;
  stepMs: number;
  patterns: LogPattern[];
  /**
   * True when more records matched than were read: the scan reads newest first and stops after
   * `scanned` records, so counts cover only the newest part of the range.
   */
  sampled: boolean;
  /** Records read and clustered. */
  scanned: number;
}
