/**
 * Synthetic spans: traces of 5-40 spans crossing services (a server span per service visit, a
 * few database calls inside it, client → server pairs to downstream services), ~10 span
 * attributes with realistic cardinalities, and errors that follow the timeline's bursts and
 * propagate to the callers, as a failing dependency does.
 */
import type { AttributeMap, SpanEventRecord, SpanKindName, SpanRecord } from '@vigil/protocols';
import { hex, int, pick, rng, type Random } from './random.ts';
import { Timeline, type TimelineOptions } from './timeline.ts';

/** 2023-11-14T22:13:20Z, the historical default start of generated data. */
export const DEFAULT_START_NS = 1_700_000_000_000_000_000n;

export const SERVICES = ['frontend', 'checkout', 'cart', 'payment', 'catalog', 'shipping', 'email', 'auth'];
const ROUTES = [
  '/api/cart',
  '/api/checkout',
  '/api/products/:id',
  '/api/orders',
  '/health',
  '/api/users/:id',
];
const TABLES = ['orders', 'carts', 'products', 'users', 'payments'];
const FAILURES: ReadonlyArray<[string, string]> = [
  ['Error', 'upstream connect error or disconnect/reset before headers'],
  ['TimeoutError', 'context deadline exceeded'],
  ['ConnectionRefusedError', 'connect ECONNREFUSED 10.0.3.17:5432'],
  ['Error', 'Internal Server Error'],
];

/** Resource attributes of one service instance, as an SDK on Kubernetes reports them. */
export function resourceFor(service: string, instance: number): AttributeMap {
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
  failure: [string, string] | undefined;
}

/** One trace as a call tree; `failRate(service)` is the chance that a service visit fails. */
function traceTree(r: Random, maxSpans: number, failRate: (service: string) => number): SpanDraft[] {
  const drafts: SpanDraft[] = [];
  const visit = (
    service: string,
    parent: number,
    offsetNs: number,
    durationNs: number,
    depth: number,
  ): boolean => {
    if (drafts.length >= maxSpans) return false;
    const route = pick(r, ROUTES);
    const method = r() < 0.8 ? 'GET' : 'POST';
    const server: SpanDraft = {
      service,
      kind: 'Server',
      name: `${method} ${route}`,
      parent,
      offsetNs,
      durationNs,
      failure: r() < failRate(service) ? pick(r, FAILURES) : undefined,
      attributes: {
        'http.method': method,
        'http.route': route,
        'http.target': route.replace(':id', String(int(r, 5000))),
        'http.status_code': '200',
        'http.scheme': 'http',
        'net.host.name': service,
        'user_agent.original': 'Mozilla/5.0 (X11; Linux x86_64)',
        'http.user_id': String(int(r, 20000)),
        'http.request_content_length': String(int(r, 4000)),
        'request.id': hex(r, 16),
      },
    };
    const serverIndex = drafts.push(server) - 1;
    const queries = 1 + int(r, 4);
    for (let q = 0; q < queries && drafts.length < maxSpans; q++) {
      const table = pick(r, TABLES);
      drafts.push({
        service,
        kind: 'Client',
        name: `SELECT shop.${table}`,
        parent: serverIndex,
        offsetNs: offsetNs + (q + 1) * 200_000,
        durationNs: 100_000 + int(r, 5_000_000),
        failure: undefined,
        attributes: {
          'db.system': 'postgresql',
          'db.name': 'shop',
          'db.operation': 'SELECT',
          'db.sql.table': table,
          'db.statement': `SELECT * FROM ${table} WHERE id = $1`,
          'net.peer.name': 'postgres',
          'net.peer.port': '5432',
          'thread.id': String(int(r, 16)),
          'code.function': 'query',
          'code.namespace': 'pg',
        },
      });
    }
    const calls = depth >= 3 ? 0 : depth === 0 ? 2 + int(r, 2) : int(r, 3);
    for (let c = 0; c < calls && drafts.length < maxSpans; c++) {
      const callee = SERVICES[1 + int(r, SERVICES.length - 1)]!;
      const callOffset = offsetNs + 1_000_000 * (c + 1);
      const callDuration = Math.floor(durationNs / (calls + 1));
      const client: SpanDraft = {
        service,
        kind: 'Client',
        name: `${method} ${callee}`,
        parent: serverIndex,
        offsetNs: callOffset,
        durationNs: callDuration,
        failure: undefined,
        attributes: {
          'http.method': method,
          'http.url': `http://${callee}:8080${route}`,
          'net.peer.name': callee,
          'http.status_code': '200',
        },
      };
      const clientIndex = drafts.push(client) - 1;
      if (visit(callee, clientIndex, callOffset + 100_000, callDuration - 200_000, depth + 1)) {
        client.failure = ['Error', `${callee} responded 500`];
        client.attributes['http.status_code'] = '500';
        // Most callers give up and fail too; some have a fallback.
        if (!server.failure && r() < 0.7) server.failure = ['Error', `call to ${callee} failed`];
      }
    }
    if (server.failure) server.attributes['http.status_code'] = '500';
    return server.failure !== undefined;
  };
  visit(SERVICES[0]!, -1, 0, 5_000_000 + int(r, 500_000_000), 0);
  return drafts;
}

/**
 * A stream of `total` spans spread over the timeline, for loads larger than memory:
 * `next(n)` returns the following n spans (a trace may continue in the next call).
 */
export class SyntheticSpanSource {
  readonly #r: Random;
  readonly #total: number;
  readonly #timeline: Timeline;
  readonly #resources = new Map<string, AttributeMap>();
  #produced = 0;
  #pending: SpanRecord[] = [];

  constructor(total: number, seed = 1, startNs = DEFAULT_START_NS, options: TimelineOptions = {}) {
    this.#r = rng(seed);
    this.#total = total;
    this.#timeline = new Timeline(startNs, total, options);
  }

  /** Up to `n` more spans, oldest traces first; `[]` once all were returned. */
  next(n: number): SpanRecord[] {
    const out: SpanRecord[] = [];
    while (out.length < n && (this.#pending.length > 0 || this.#produced < this.#total)) {
      if (this.#pending.length === 0) this.#pending = this.#trace();
      const take = this.#pending.splice(0, n - out.length);
      for (const s of take) out.push(s);
    }
    return out;
  }

  #trace(): SpanRecord[] {
    const r = this.#r;
    const offsetNs = this.#timeline.offsetNs(this.#produced);
    const startNs = this.#timeline.startNs + BigInt(Math.floor(offsetNs));
    const drafts = traceTree(r, Math.min(40, this.#total - this.#produced), (service) =>
      this.#timeline.errorRate(service, offsetNs),
    );
    this.#produced += drafts.length;
    const traceId = hex(r, 32);
    const ids = drafts.map(() => hex(r, 16));
    return drafts.map((d, i) => {
      const instance = int(r, 3);
      const key = `${d.service}/${instance}`;
      let resource = this.#resources.get(key);
      if (!resource) this.#resources.set(key, (resource = resourceFor(d.service, instance)));
      const start = startNs + BigInt(d.offsetNs);
      const events: SpanEventRecord[] = d.failure
        ? [
            {
              timeUnixNano: start + 500_000n,
              name: 'exception',
              attributes: { 'exception.type': d.failure[0], 'exception.message': d.failure[1] },
            },
          ]
        : [];
      return {
        traceId,
        spanId: ids[i]!,
        parentSpanId: d.parent < 0 ? '' : ids[d.parent]!,
        traceState: '',
        name: d.name,
        kind: d.kind,
        startTimeUnixNano: start,
        durationNs: Math.max(0, d.durationNs),
        statusCode: d.failure ? 'Error' : 'Unset',
        statusMessage: d.failure ? d.failure[1] : '',
        serviceName: d.service,
        resourceAttributes: resource,
        scopeName: d.attributes['db.system']
          ? '@opentelemetry/instrumentation-pg'
          : '@opentelemetry/instrumentation-http',
        scopeVersion: '0.41.0',
        attributes: d.attributes,
        events,
        links: [],
      };
    });
  }
}
