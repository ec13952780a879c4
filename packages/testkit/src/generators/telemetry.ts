/**
 * Deterministic, realistic-looking telemetry for benchmarks and load tests: a few services with
 * a dozen operations each, traces of 5-40 spans crossing services, ~10 span attributes with
 * realistic cardinalities, and log lines from templates with variable parts. Same seed, same data.
 */
import type { AttributeMap, LogRecord, SpanKindName, SpanRecord } from '@vigil/protocols';

/** mulberry32: tiny, fast, good enough for test data. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SERVICES = ['frontend', 'checkout', 'cart', 'payment', 'catalog', 'shipping', 'email', 'auth'];
const ROUTES = [
  '/api/cart',
  '/api/checkout',
  '/api/products/:id',
  '/api/orders',
  '/health',
  '/api/users/:id',
];
const TABLES = ['orders', 'carts', 'products', 'users', 'payments'];
const LOG_TEMPLATES = [
  (r: () => number, n: (k: number) => number) => `GET /api/products/${n(5000)} 200 ${n(300)}ms`,
  (r: () => number, n: (k: number) => number) =>
    `order ${n(1e6)} placed by user ${n(2e4)} total=${(r() * 500).toFixed(2)} USD`,
  (_r: () => number, n: (k: number) => number) => `cache miss for key cart:${n(2e4)}, loading from database`,
  (_r: () => number, n: (k: number) => number) =>
    `connection pool stats active=${n(50)} idle=${n(20)} waiting=${n(5)}`,
  (_r: () => number, n: (k: number) => number) =>
    `payment declined for order ${n(1e6)}: insufficient funds (code 51)`,
  (_r: () => number, n: (k: number) => number) =>
    `retrying request to shipping-api attempt=${n(3) + 1} after ${n(1000)}ms: connection reset by peer`,
  (_r: () => number, n: (k: number) => number) => `user ${n(2e4)} logged in from 10.0.${n(255)}.${n(255)}`,
  (_r: () => number, n: (k: number) => number) =>
    `slow query took ${n(5000)}ms: SELECT * FROM orders WHERE user_id = ?`,
];
const SEVERITIES: Array<[string, number, number]> = [
  ['INFO', 9, 0.7],
  ['DEBUG', 5, 0.15],
  ['WARN', 13, 0.1],
  ['ERROR', 17, 0.05],
];

function hex(r: () => number, length: number): string {
  let out = '';
  while (out.length < length)
    out += Math.floor(r() * 0x100000000)
      .toString(16)
      .padStart(8, '0');
  return out.slice(0, length);
}

function resourceFor(service: string, instance: number): AttributeMap {
  return {
    'service.name': service,
    'service.version': '1.4.2',
    'host.name': `node-${instance}`,
    'k8s.namespace.name': 'shop',
    'k8s.pod.name': `${service}-7d9f8b-${instance}`,
    'telemetry.sdk.language': 'nodejs',
    'telemetry.sdk.name': 'opentelemetry',
  };
}

interface SpanDraft {
  service: string;
  kind: SpanKindName;
  name: string;
  attributes: AttributeMap;
  parent: number;
  offsetNs: number;
  durationNs: number;
  error: boolean;
}

/**
 * One trace as a call tree: a server span per service visit, a few database client spans inside
 * it, and client → server pairs to downstream services (so a service has several spans per trace,
 * as in real systems).
 */
function traceTree(r: () => number, n: (k: number) => number, maxSpans: number): SpanDraft[] {
  const drafts: SpanDraft[] = [];
  const visit = (
    service: string,
    parent: number,
    offsetNs: number,
    durationNs: number,
    depth: number,
  ): void => {
    if (drafts.length >= maxSpans) return;
    const route = ROUTES[n(ROUTES.length)]!;
    const method = r() < 0.8 ? 'GET' : 'POST';
    const error = r() < 0.03;
    const server = drafts.length;
    drafts.push({
      service,
      kind: 'Server',
      name: `${method} ${route}`,
      parent,
      offsetNs,
      durationNs,
      error,
      attributes: {
        'http.method': method,
        'http.route': route,
        'http.target': route.replace(':id', String(n(5000))),
        'http.status_code': error ? '500' : '200',
        'http.scheme': 'http',
        'net.host.name': service,
        'user_agent.original': 'Mozilla/5.0 (X11; Linux x86_64)',
        'http.user_id': String(n(20000)),
        'http.request_content_length': String(n(4000)),
        'request.id': hex(r, 16),
      },
    });
    const queries = 1 + n(4);
    for (let q = 0; q < queries && drafts.length < maxSpans; q++) {
      const table = TABLES[n(TABLES.length)]!;
      drafts.push({
        service,
        kind: 'Client',
        name: `SELECT shop.${table}`,
        parent: server,
        offsetNs: offsetNs + (q + 1) * 200_000,
        durationNs: 100_000 + n(5_000_000),
        error: false,
        attributes: {
          'db.system': 'postgresql',
          'db.name': 'shop',
          'db.operation': 'SELECT',
          'db.sql.table': table,
          'db.statement': `SELECT * FROM ${table} WHERE id = $1`,
          'net.peer.name': 'postgres',
          'net.peer.port': '5432',
          'thread.id': String(n(16)),
          'code.function': 'query',
          'code.namespace': 'pg',
        },
      });
    }
    if (depth >= 3) return;
    const calls = depth === 0 ? 2 + n(2) : n(3);
    for (let c = 0; c < calls && drafts.length < maxSpans; c++) {
      const callee = SERVICES[1 + n(SERVICES.length - 1)]!;
      const client = drafts.length;
      const callOffset = offsetNs + 1_000_000 * (c + 1);
      const callDuration = Math.floor(durationNs / (calls + 1));
      drafts.push({
        service,
        kind: 'Client',
        name: `${method} ${callee}`,
        parent: server,
        offsetNs: callOffset,
        durationNs: callDuration,
        error: false,
        attributes: {
          'http.method': method,
          'http.url': `http://${callee}:8080${route}`,
          'net.peer.name': callee,
          'http.status_code': '200',
        },
      });
      visit(callee, client, callOffset + 100_000, callDuration - 200_000, depth + 1);
    }
  };
  visit(SERVICES[0]!, -1, 0, 5_000_000 + n(500_000_000), 0);
  return drafts;
}

/** `count` spans in traces of ~5-40 spans, starting at `startNs` and spread over ~1 hour. */
export function syntheticSpans(count: number, seed = 1, startNs = 1_700_000_000_000_000_000n): SpanRecord[] {
  const r = rng(seed);
  const n = (k: number): number => Math.floor(r() * k);
  const resources = new Map<string, AttributeMap>();
  const spans: SpanRecord[] = [];
  const stepNs = BigInt(Math.max(1, Math.floor(3.6e12 / Math.max(1, count))));
  let clock = startNs;
  while (spans.length < count) {
    const traceId = hex(r, 32);
    const drafts = traceTree(r, n, Math.min(40, count - spans.length));
    const ids = drafts.map(() => hex(r, 16));
    drafts.forEach((d, i) => {
      const instance = n(3);
      const key = `${d.service}/${instance}`;
      let resource = resources.get(key);
      if (!resource) resources.set(key, (resource = resourceFor(d.service, instance)));
      const start = clock + BigInt(d.offsetNs);
      spans.push({
        traceId,
        spanId: ids[i]!,
        parentSpanId: d.parent < 0 ? '' : ids[d.parent]!,
        traceState: '',
        name: d.name,
        kind: d.kind,
        startTimeUnixNano: start,
        durationNs: Math.max(0, d.durationNs),
        statusCode: d.error ? 'Error' : 'Unset',
        statusMessage: d.error ? 'Internal Server Error' : '',
        serviceName: d.service,
        resourceAttributes: resource,
        scopeName:
          d.kind === 'Client' && d.attributes['db.system']
            ? '@opentelemetry/instrumentation-pg'
            : '@opentelemetry/instrumentation-http',
        scopeVersion: '0.41.0',
        attributes: d.attributes,
        events: d.error
          ? [
              {
                timeUnixNano: start + 500_000n,
                name: 'exception',
                attributes: { 'exception.type': 'Error', 'exception.message': 'upstream failed' },
              },
            ]
          : [],
        links: [],
      });
    });
    clock += stepNs * BigInt(drafts.length);
  }
  return spans;
}

/** `count` log records from ~8 services over ~1 hour, a third of them inside a trace. */
export function syntheticLogs(count: number, seed = 1, startNs = 1_700_000_000_000_000_000n): LogRecord[] {
  const r = rng(seed);
  const n = (k: number): number => Math.floor(r() * k);
  const resources = new Map<string, AttributeMap>();
  const scope: AttributeMap = {};
  const stepNs = BigInt(Math.max(1, Math.floor(3.6e12 / Math.max(1, count))));
  const logs: LogRecord[] = [];
  for (let i = 0; i < count; i++) {
    const service = SERVICES[n(SERVICES.length)]!;
    const instance = n(3);
    const key = `${service}/${instance}`;
    let resource = resources.get(key);
    if (!resource) resources.set(key, (resource = resourceFor(service, instance)));
    let pick = r();
    let severity = SEVERITIES[0]!;
    for (const s of SEVERITIES) {
      if (pick < s[2]) {
        severity = s;
        break;
      }
      pick -= s[2];
    }
    const inTrace = r() < 0.33;
    logs.push({
      timeUnixNano: startNs + BigInt(i) * stepNs + BigInt(n(1000)),
      traceId: inTrace ? hex(r, 32) : '',
      spanId: inTrace ? hex(r, 16) : '',
      traceFlags: inTrace ? 1 : 0,
      severityText: severity[0],
      severityNumber: severity[1],
      serviceName: service,
      body: LOG_TEMPLATES[n(LOG_TEMPLATES.length)]!(r, n),
      resourceSchemaUrl: '',
      resourceAttributes: resource,
      scopeSchemaUrl: '',
      scopeName: 'app',
      scopeVersion: '',
      scopeAttributes: scope,
      attributes: {
        'log.file.name': `${service}.log`,
        'log.iostream': r() < 0.9 ? 'stdout' : 'stderr',
        'thread.name': `worker-${n(8)}`,
      },
      eventName: '',
    });
  }
  return logs;
}
