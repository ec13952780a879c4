/**
 * The shop's request traffic as its instrumented services would send it, through the real
 * OpenTelemetry JS SDK (tracer and logger providers, batch processors, OTLP/HTTP protobuf
 * exporters) to a test server, plus a CPU profile of the api as the eBPF profiler posts it to
 * `/v1/profiles`. The UI's end-to-end test seeds it beside the scenario kit's metrics.
 *
 *   frontend  GET /cart ──▶ api GET /cart ─┬─▶ redis GET session
 *                                           └─▶ postgres SELECT cart_items
 *   frontend  POST /checkout ──▶ api POST /checkout ──▶ postgres INSERT orders  (⚠ deadlock)
 */
import {
  SpanKind,
  SpanStatusCode,
  ROOT_CONTEXT,
  trace,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { SeverityNumber, type Logger } from '@opentelemetry/api-logs';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { encodePprof, type PprofFrame } from '@vigil/protocols';
import { TEST_API_KEY, type TestServer } from './test-server.ts';

/** What was sent, for the test to look for in the UI. */
export interface ShopTelemetry {
  /** Services that sent traces and logs. */
  readonly services: readonly string[];
  /** Trace ids of the `GET /cart` requests (no error). */
  readonly cartTraceIds: readonly string[];
  /** Trace ids of the `POST /checkout` requests, whose `INSERT orders` failed. */
  readonly checkoutTraceIds: readonly string[];
  /** The error message logged by the api for each failed checkout (one per checkout trace). */
  readonly checkoutErrorLog: (orderId: string) => string;
  /** Order ids of the failed checkouts, in the order of `checkoutTraceIds`. */
  readonly failedOrderIds: readonly string[];
  /** Log records sent, per service. */
  readonly logCounts: Readonly<Record<string, number>>;
  /** Log records sent, per severity text (`INFO`, `WARN`, `ERROR`). */
  readonly severityCounts: Readonly<Record<string, number>>;
  /** The profiled service and its profile type, as the profiles API names it. */
  readonly profile: { readonly service: string; readonly type: string; readonly hottest: string };
}

const CART_REQUESTS = 9;
const CHECKOUTS = 3;
const headers = { 'X-API-Key': TEST_API_KEY };

interface Service {
  readonly tracer: Tracer;
  readonly logger: Logger;
  shutdown(): Promise<void>;
}

/** One instrumented process: its resource, a tracer and a logger exporting over OTLP/HTTP. */
function instrument(server: TestServer, name: string, pod: string): Service {
  const resource = resourceFromAttributes({
    'service.name': name,
    'service.namespace': 'shop',
    'k8s.namespace.name': 'shop',
    'k8s.pod.name': pod,
    'deployment.environment': 'production',
  });
  const tracing = new BasicTracerProvider({
    resource,
    spanProcessors: [
      new BatchSpanProcessor(new OTLPTraceExporter({ url: `${server.otlpHttp}/v1/traces`, headers })),
    ],
  });
  const logging = new LoggerProvider({
    resource,
    processors: [
      new BatchLogRecordProcessor({
        exporter: new OTLPLogExporter({ url: `${server.otlpHttp}/v1/logs`, headers }),
      }),
    ],
  });
  return {
    tracer: tracing.getTracer(`${name}-instrumentation`, '1.4.0'),
    logger: logging.getLogger(`${name}-logger`, '1.4.0'),
    // shutdown() flushes what the batch processors still hold.
    shutdown: async () => {
      await Promise.all([tracing.shutdown(), logging.shutdown()]);
    },
  };
}

/** Starts a span at `startMs` under `parent` (none for a root) lasting `durationMs`; returns it ended. */
function timedSpan(
  tracer: Tracer,
  name: string,
  kind: SpanKind,
  parent: Context,
  startMs: number,
  durationMs: number,
  attributes: Record<string, string | number>,
  fail?: { message: string; exception: string },
): { span: Span; ctx: Context } {
  const span = tracer.startSpan(name, { kind, attributes, startTime: startMs }, parent);
  if (fail) {
    span.addEvent(
      'exception',
      { 'exception.type': 'PostgresError', 'exception.message': fail.exception },
      startMs + durationMs - 1,
    );
    span.setStatus({ code: SpanStatusCode.ERROR, message: fail.message });
  }
  span.end(startMs + durationMs);
  return { span, ctx: trace.setSpan(ROOT_CONTEXT, span) };
}

const idOf = (span: Span): string => span.spanContext().traceId;

/**
 * Sends the shop's traffic of the last `windowMs` before `endMs`: browsing the cart, failing
 * checkouts with the api's error logs inside their traces, a warm-up log without a trace, and
 * the api's CPU profile. Waits until the server has stored all of it.
 */
export async function sendShopTelemetry(
  server: TestServer,
  endMs: number,
  windowMs = 30 * 60_000,
): Promise<ShopTelemetry> {
  const frontend = instrument(server, 'frontend', 'frontend-6f7c9d-x8k2p');
  const api = instrument(server, 'api', 'api-7d9f8b6c4-x2kqp');
  const postgres = instrument(server, 'postgres', 'postgres-0');
  const logCounts: Record<string, number> = { frontend: 0, api: 0, postgres: 0 };
  const severityCounts: Record<string, number> = {};
  const log = (
    svc: Service,
    name: string,
    atMs: number,
    severity: SeverityNumber,
    body: string,
    attributes: Record<string, string | number>,
    ctx?: Context,
  ) => {
    svc.logger.emit({
      timestamp: atMs,
      severityNumber: severity,
      severityText: SeverityNumber[severity],
      body,
      attributes,
      context: ctx,
    });
    logCounts[name] = (logCounts[name] ?? 0) + 1;
    severityCounts[SeverityNumber[severity]] = (severityCounts[SeverityNumber[severity]] ?? 0) + 1;
  };

  const startMs = endMs - windowMs;
  const stepMs = windowMs / (CART_REQUESTS + CHECKOUTS + 1);
  log(api, 'api', startMs, SeverityNumber.INFO, 'cache warmed: 1200 products loaded', {
    'cache.entries': 1200,
  });

  const cartTraceIds: string[] = [];
  for (let i = 0; i < CART_REQUESTS; i++) {
    const t0 = startMs + (i + 1) * stepMs;
    const session = `s-${1000 + i}`;
    const root = timedSpan(frontend.tracer, 'GET /cart', SpanKind.SERVER, ROOT_CONTEXT, t0, 48 + i, {
      'http.request.method': 'GET',
      'http.route': '/cart',
      'http.response.status_code': 200,
    });
    const call = timedSpan(frontend.tracer, 'GET api /cart', SpanKind.CLIENT, root.ctx, t0 + 2, 40 + i, {
      'http.request.method': 'GET',
      'server.address': 'api.shop.svc',
    });
    const handler = timedSpan(api.tracer, 'GET /cart', SpanKind.SERVER, call.ctx, t0 + 4, 36 + i, {
      'http.route': '/cart',
      'session.id': session,
    });
    timedSpan(api.tracer, 'redis GET session', SpanKind.CLIENT, handler.ctx, t0 + 5, 2, {
      'db.system': 'redis',
      'db.operation': 'GET',
    });
    const query = timedSpan(
      postgres.tracer,
      'SELECT cart_items',
      SpanKind.CLIENT,
      handler.ctx,
      t0 + 8,
      25 + i,
      {
        'db.system': 'postgresql',
        'db.statement': 'SELECT * FROM cart_items WHERE session_id = $1',
      },
    );
    log(
      api,
      'api',
      t0 + 35,
      SeverityNumber.INFO,
      `cart loaded for session ${session}`,
      { 'session.id': session, items: i + 1 },
      query.ctx,
    );
    if (i % 3 === 2)
      log(
        frontend,
        'frontend',
        t0 + 47,
        SeverityNumber.WARN,
        `slow upstream api: ${40 + i} ms for /cart`,
        { upstream: 'api' },
        root.ctx,
      );
    cartTraceIds.push(idOf(root.span));
  }

  const checkoutTraceIds: string[] = [];
  const failedOrderIds: string[] = [];
  const checkoutErrorLog = (orderId: string) => `checkout failed for order ${orderId}: deadlock detected`;
  for (let i = 0; i < CHECKOUTS; i++) {
    const t0 = startMs + (CART_REQUESTS + 1 + i) * stepMs - stepMs / 2;
    const orderId = `o-${7000 + i}`;
    const root = timedSpan(frontend.tracer, 'POST /checkout', SpanKind.SERVER, ROOT_CONTEXT, t0, 230, {
      'http.request.method': 'POST',
      'http.route': '/checkout',
      'http.response.status_code': 500,
    });
    const handler = timedSpan(api.tracer, 'POST /checkout', SpanKind.SERVER, root.ctx, t0 + 5, 220, {
      'http.route': '/checkout',
      'order.id': orderId,
    });
    timedSpan(
      postgres.tracer,
      'INSERT orders',
      SpanKind.CLIENT,
      handler.ctx,
      t0 + 10,
      200,
      {
        'db.system': 'postgresql',
        'db.statement': 'INSERT INTO orders VALUES ($1, $2)',
        'order.id': orderId,
      },
      { message: 'deadlock detected', exception: 'deadlock detected while inserting into orders' },
    );
    log(
      api,
      'api',
      t0 + 215,
      SeverityNumber.ERROR,
      checkoutErrorLog(orderId),
      { 'order.id': orderId, attempt: 1 },
      handler.ctx,
    );
    checkoutTraceIds.push(idOf(root.span));
    failedOrderIds.push(orderId);
  }
  await Promise.all([frontend.shutdown(), api.shutdown(), postgres.shutdown()]);

  const profile = await sendApiProfile(server, endMs);
  await server.server.forceFlush();
  return {
    services: ['api', 'frontend', 'postgres'],
    cartTraceIds,
    checkoutTraceIds,
    checkoutErrorLog,
    failedOrderIds,
    logCounts,
    severityCounts,
    profile,
  };
}

/** A minute of the api's CPU as the eBPF profiler sends it: checksums dominate, JSON and GC follow. */
async function sendApiProfile(server: TestServer, endMs: number): Promise<ShopTelemetry['profile']> {
  const fn = (functionName: string, line: number): PprofFrame => ({
    functionName,
    fileName: '/src/shop/api/main.go',
    line,
  });
  const serve = [fn('main.main', 12), fn('net/http.(*conn).serve', 2039), fn('main.handleCheckout', 88)];
  const ms = (n: number) => n * 1_000_000;
  const body = encodePprof(
    {
      sampleTypes: [{ type: 'ebpf:cpu:nanoseconds', unit: 'nanoseconds' }],
      timeNanos: BigInt(endMs - 120_000) * 1_000_000n,
      durationNanos: 60_000_000_000n,
      samples: [
        {
          stack: [...serve, fn('main.computeChecksum', 140), fn('crypto/sha256.block', 18)],
          values: [ms(600)],
        },
        { stack: [...serve, fn('main.computeChecksum', 140)], values: [ms(100)] },
        { stack: [...serve, fn('encoding/json.Marshal', 158)], values: [ms(180)] },
        { stack: [fn('main.main', 12), fn('runtime.gcBgMarkWorker', 1295)], values: [ms(120)] },
      ],
    },
    { gzip: true },
  );
  const query = new URLSearchParams({
    'service.name': 'api',
    'container.id': '/k8s/shop/api-7d9f8b6c4-x2kqp/api',
    'host.name': 'node-b',
  });
  const res = await fetch(`${server.api}/v1/profiles?${query}`, {
    method: 'POST',
    // A gzip pprof as the body, no Content-Encoding: what Coroot's eBPF profiler sends.
    headers: { ...headers, 'Content-Type': 'application/octet-stream' },
    body,
  });
  if (res.status !== 200) throw new Error(`profile upload: ${res.status} ${await res.text()}`);
  return {
    service: 'api',
    type: 'ebpf:cpu:nanoseconds',
    hottest: 'main.computeChecksum /src/shop/api/main.go:140',
  };
}
