/**
 * Synthetic log records: each service writes its own message templates plus a few shared ones
 * (health checks, pool stats, unhandled errors), with severities that belong to the template,
 * busier services logging more, a third of the lines inside a trace, and during an error burst
 * the failing service's lines turning into errors about its lost dependency.
 */
import type { AttributeMap, LogRecord } from '@vigil/protocols';
import { hex, int, pick, rng, type Random } from './random.ts';
import { resourceFor, SERVICES, DEFAULT_START_NS } from './spans.ts';
import { Timeline, type TimelineOptions } from './timeline.ts';

type Severity = readonly [text: string, number: number];
const INFO: Severity = ['INFO', 9];
const DEBUG: Severity = ['DEBUG', 5];
const WARN: Severity = ['WARN', 13];
const ERROR: Severity = ['ERROR', 17];
const SEVERITY_SHARES: ReadonlyArray<[Severity, number]> = [
  [INFO, 0.65],
  [DEBUG, 0.2],
  [WARN, 0.1],
  [ERROR, 0.05],
];

type Template = (r: Random) => string;
const ip = (r: Random): string => `10.0.${int(r, 255)}.${int(r, 255)}`;
const usd = (r: Random): string => (r() * 500).toFixed(2);

/** Templates every service writes, one list per severity. */
const SHARED: ReadonlyArray<[Severity, Template]> = [
  [INFO, (r) => `GET /health 200 ${int(r, 3)}ms`],
  [DEBUG, (r) => `connection pool stats active=${int(r, 50)} idle=${int(r, 20)} waiting=${int(r, 5)}`],
  [
    WARN,
    (r) =>
      `retrying request to postgres attempt=${int(r, 3) + 1} after ${int(r, 1000)}ms: connection reset by peer`,
  ],
  [
    ERROR,
    (r) =>
      `unhandled error in request ${hex(r, 16)}: TypeError: Cannot read properties of undefined (reading '${pick(r, ['id', 'items', 'total', 'user'])}')`,
  ],
];

/** What each service says about its own work. */
const OWN: Readonly<Record<string, ReadonlyArray<[Severity, Template]>>> = {
  frontend: [
    [INFO, (r) => `GET /api/products/${int(r, 5000)} 200 ${int(r, 300)}ms`],
    [INFO, (r) => `POST /api/cart 201 ${int(r, 200)}ms user=${int(r, 2e4)}`],
    [DEBUG, (r) => `rendered page /product/${int(r, 5000)} in ${int(r, 80)}ms`],
    [WARN, (r) => `slow upstream checkout: ${1000 + int(r, 3000)}ms for request ${hex(r, 16)}`],
  ],
  checkout: [
    [INFO, (r) => `order ${int(r, 1e6)} placed by user ${int(r, 2e4)} total=${usd(r)} USD`],
    [INFO, (r) => `checkout session ${hex(r, 12)} started for cart ${int(r, 2e4)}`],
    [WARN, (r) => `order ${int(r, 1e6)} held for fraud review: score=${(r() * 100).toFixed(1)}`],
  ],
  cart: [
    [DEBUG, (r) => `cache miss for key cart:${int(r, 2e4)}, loading from database`],
    [INFO, (r) => `cart ${int(r, 2e4)} updated: ${1 + int(r, 10)} items`],
  ],
  payment: [
    [
      INFO,
      (r) =>
        `payment authorized for order ${int(r, 1e6)} amount=${usd(r)} USD via ${pick(r, ['visa', 'mastercard', 'paypal'])}`,
    ],
    [WARN, (r) => `payment declined for order ${int(r, 1e6)}: insufficient funds (code 51)`],
  ],
  catalog: [
    [DEBUG, (r) => `product ${int(r, 5000)} served from cache (age ${int(r, 600)}s)`],
    [WARN, (r) => `slow query took ${int(r, 5000)}ms: SELECT * FROM products WHERE category_id = ?`],
  ],
  shipping: [
    [
      INFO,
      (r) =>
        `shipment ${hex(r, 10)} created for order ${int(r, 1e6)} carrier=${pick(r, ['ups', 'dhl', 'fedex'])}`,
    ],
    [
      WARN,
      (r) =>
        `retrying request to shipping-api attempt=${int(r, 3) + 1} after ${int(r, 1000)}ms: connection reset by peer`,
    ],
  ],
  email: [
    [INFO, (r) => `sent order confirmation to user ${int(r, 2e4)} (message id <${hex(r, 16)}@mail.shop>)`],
    [DEBUG, (r) => `template order-confirmation rendered in ${int(r, 20)}ms`],
  ],
  auth: [
    [INFO, (r) => `user ${int(r, 2e4)} logged in from ${ip(r)}`],
    [WARN, (r) => `failed login for user ${int(r, 2e4)} from ${ip(r)}: bad password`],
    [DEBUG, (r) => `token refreshed for session ${hex(r, 12)}`],
  ],
};

/** Lines a service writes while its dependency is down. */
const BURST: readonly Template[] = [
  (r) =>
    `upstream ${pick(r, ['postgres', 'redis', 'provider-api'])} unavailable: dial tcp ${ip(r)}:5432: connect: connection refused`,
  (r) => `circuit breaker open for provider-api: failing fast (${int(r, 50)} failures in last 10s)`,
  (r) => `request ${hex(r, 16)} failed after ${5000 + int(r, 5000)}ms: context deadline exceeded`,
];

/** About one line in 100k: what a search for a rare event finds. */
const RARE: Template = (r) =>
  `panic recovered: runtime error: index out of range [${int(r, 10)}] with length ${int(r, 10)}`;
const RARE_SHARE = 1e-5;

/** Relative log volume per service (the edge and the cart talk most). */
const VOLUME: Readonly<Record<string, number>> = { frontend: 3, cart: 2, catalog: 2, auth: 1.5, email: 0.5 };

/** Per service and severity, the templates it may use (its own, else the shared one). */
function templatesBySeverity(service: string): Map<Severity, Template[]> {
  const out = new Map<Severity, Template[]>();
  for (const [severity] of SEVERITY_SHARES) {
    const own = (OWN[service] ?? []).filter(([s]) => s === severity).map(([, t]) => t);
    const shared = SHARED.filter(([s]) => s === severity).map(([, t]) => t);
    out.set(severity, [...own, ...shared]);
  }
  return out;
}

/** A stream of `total` log records over the timeline; `next(n)` returns the following n. */
export class SyntheticLogSource {
  readonly #r: Random;
  readonly #total: number;
  readonly #timeline: Timeline;
  readonly #resources = new Map<string, AttributeMap>();
  readonly #templates = new Map(SERVICES.map((s) => [s, templatesBySeverity(s)]));
  readonly #serviceWeights: number[];
  readonly #scope: AttributeMap = {};
  #produced = 0;

  constructor(total: number, seed = 1, startNs = DEFAULT_START_NS, options: TimelineOptions = {}) {
    this.#r = rng(seed);
    this.#total = total;
    this.#timeline = new Timeline(startNs, total, options);
    const weights = SERVICES.map((s) => VOLUME[s] ?? 1);
    const sum = weights.reduce((a, b) => a + b, 0);
    let acc = 0;
    this.#serviceWeights = weights.map((w) => (acc += w / sum));
  }

  /** Up to `n` more records, in time order; `[]` once all were returned. */
  next(n: number): LogRecord[] {
    const out: LogRecord[] = [];
    const end = Math.min(this.#total, this.#produced + n);
    for (; this.#produced < end; this.#produced++) out.push(this.#record(this.#produced));
    return out;
  }

  #record(index: number): LogRecord {
    const r = this.#r;
    const offsetNs = this.#timeline.offsetNs(index);
    const pickService = r();
    let s = 0;
    while (s < SERVICES.length - 1 && pickService >= this.#serviceWeights[s]!) s++;
    const service = SERVICES[s]!;
    const instance = int(r, 3);
    const key = `${service}/${instance}`;
    let resource = this.#resources.get(key);
    if (!resource) this.#resources.set(key, (resource = resourceFor(service, instance)));

    let severity: Severity;
    let body: string;
    const burst = this.#timeline.burstAt(service, offsetNs);
    if (burst && r() < burst.errorRate) {
      severity = ERROR;
      body = pick(r, BURST)(r);
    } else if (r() < RARE_SHARE) {
      severity = ERROR;
      body = RARE(r);
    } else {
      let share = r();
      severity = INFO;
      for (const [sev, p] of SEVERITY_SHARES) {
        if (share < p) {
          severity = sev;
          break;
        }
        share -= p;
      }
      body = pick(r, this.#templates.get(service)!.get(severity)!)(r);
    }
    const inTrace = r() < 0.33;
    return {
      timeUnixNano: this.#timeline.startNs + BigInt(Math.floor(offsetNs)) + BigInt(int(r, 1000)),
      traceId: inTrace ? hex(r, 32) : '',
      spanId: inTrace ? hex(r, 16) : '',
      traceFlags: inTrace ? 1 : 0,
      severityText: severity[0],
      severityNumber: severity[1],
      serviceName: service,
      body,
      resourceSchemaUrl: '',
      resourceAttributes: resource,
      scopeSchemaUrl: '',
      scopeName: 'app',
      scopeVersion: '',
      scopeAttributes: this.#scope,
      attributes: {
        'log.file.name': `${service}.log`,
        'log.iostream': severity === ERROR || r() < 0.05 ? 'stderr' : 'stdout',
        'thread.name': `worker-${int(r, 8)}`,
      },
      eventName: '',
    };
  }
}
