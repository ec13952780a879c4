import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  SimpleLogRecordProcessor,
  type ReadableLogRecord,
  type LogRecordExporter,
} from '@opentelemetry/sdk-logs';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';

/**
 * Builds realistic telemetry with the real OpenTelemetry JS SDK: a small trace (server span,
 * a child client span with an error and an event) per call, and log records tied to it.
 */
export function makeSpans(
  serviceName: string,
  traces: number,
  attrs: Record<string, string | number | boolean> = {},
): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName, 'deployment.environment': 'test' }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer('vigil-tests', '1.2.3');
  for (let i = 0; i < traces; i++) {
    const root = tracer.startSpan('GET /checkout', {
      kind: SpanKind.SERVER,
      attributes: { 'http.method': 'GET', 'http.status_code': 200, i, ...attrs },
    });
    const ctx = trace.setSpan(context.active(), root);
    const child = tracer.startSpan(
      'SELECT orders',
      { kind: SpanKind.CLIENT, attributes: { 'db.system': 'postgresql', retry: true } },
      ctx,
    );
    child.addEvent('exception', { 'exception.message': 'connection reset by peer' });
    child.setStatus({ code: SpanStatusCode.ERROR, message: 'connection reset' });
    child.end();
    root.end();
  }
  return memory.getFinishedSpans();
}

export function makeLogs(
  serviceName: string,
  count: number,
  body: (i: number) => string = (i) => `order ${i} processed`,
): ReadableLogRecord[] {
  const memory = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    processors: [new SimpleLogRecordProcessor({ exporter: memory })],
  });
  const logger = provider.getLogger('vigil-tests', '1.0.0');
  for (let i = 0; i < count; i++) {
    logger.emit({
      body: body(i),
      severityNumber: i % 2 === 0 ? SeverityNumber.INFO : SeverityNumber.ERROR,
      severityText: i % 2 === 0 ? 'INFO' : 'ERROR',
      attributes: { 'order.id': `o-${i}`, attempt: i },
    });
  }
  return memory.getFinishedLogRecords();
}

function exportWith<T>(
  exporter: { export(items: T[], cb: (r: ExportResult) => void): void },
  items: T[],
): Promise<void> {
  return new Promise((resolve, reject) => {
    exporter.export(items, (result) => {
      if (result.code === ExportResultCode.SUCCESS) resolve();
      else reject(result.error ?? new Error('export failed'));
    });
  });
}

export const exportSpans = (exporter: SpanExporter, spans: ReadableSpan[]): Promise<void> =>
  exportWith(exporter, spans);
export const exportLogs = (exporter: LogRecordExporter, logs: ReadableLogRecord[]): Promise<void> =>
  exportWith(exporter, logs);
