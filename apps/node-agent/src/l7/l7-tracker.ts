/**
 * Requests counted in the kernel (ebpf/l7-program.ts) → Coroot's L7 families. Outbound (requests a
 * container sent), per container and destination:
 *
 * | protocol  | counter {destination, actual_destination, status}  | histogram {destination, actual_destination} |
 * |-----------|----------------------------------------------------|---------------------------------------------|
 * | HTTP/1.x  | `container_http_requests_total` (status 1xx-5xx)    | `container_http_requests_duration_seconds_total` |
 * | Postgres  | `container_postgres_queries_total` (ok, failed)     | `container_postgres_queries_duration_seconds_total` |
 * | MySQL     | `container_mysql_queries_total`                     | `container_mysql_queries_duration_seconds_total` |
 * | Redis     | `container_redis_queries_total`                     | `container_redis_queries_duration_seconds_total` |
 * | Memcached | `container_memcached_queries_total`                 | `container_memcached_queries_duration_seconds_total` |
 *
 * Inbound (requests a container answered: what SLOs are made of), per container only, with
 * `_inbound_` in the name: `container_http_inbound_requests_total{status}`,
 * `container_http_inbound_requests_duration_seconds_total`, `container_postgres_inbound_queries_total`, …
 *
 * Brokers (messages, not requests): `container_nats_messages_total` and
 * `container_rabbitmq_messages_total`, `{destination, actual_destination, method}` with method
 * `produce` or `consume`.
 *
 * Histograms use Prometheus' default buckets (`L7_BUCKETS`), cumulative as `le` buckets are, with
 * `_sum` in seconds and `_count`. Destinations with nothing new for an hour are forgotten.
 */
import type { MetricFamily, Sample } from '@vigil/agent-kit';
import { L7_BUCKETS, L7_PROTOCOLS, type L7Protocol } from '../ebpf/l7-program.ts';
import { MESSAGE_BROKERS, MESSAGE_METHODS } from '../ebpf/messaging-program.ts';
import type { ConnectionKey, L7Counts, MessageCounts } from '../ebpf/tcp-rounds.ts';

type ContainerOf = (pid: number, comm: string, cgroupId?: string) => string;

interface Series {
  readonly inbound: boolean;
  readonly container: string;
  readonly destination: string;
  readonly protocol: L7Protocol;
  readonly status: string;
  /** Requests per bucket (not cumulative), last one +Inf. */
  readonly buckets: number[];
  seconds: number;
  touchedMs: number;
}

const FORGET_AFTER_MS = 3_600_000;

function statusLabel(protocol: L7Protocol, status: number): string {
  if (protocol === 'http') return status >= 1 && status <= 5 ? `${status}xx` : 'unknown';
  return status === 1 ? 'ok' : status === 2 ? 'failed' : 'unknown';
}

export class L7Tracker {
  private readonly series = new Map<string, Series>();
  private readonly messages = new Map<
    string,
    {
      container: string;
      destination: string;
      broker: string;
      method: string;
      count: number;
      touchedMs: number;
    }
  >();

  /** One interval's message counts from the kernel. */
  applyMessages(counts: readonly MessageCounts[]): void {
    for (const c of counts) {
      const broker = MESSAGE_BROKERS[c.broker as keyof typeof MESSAGE_BROKERS];
      const method = MESSAGE_METHODS[c.method as keyof typeof MESSAGE_METHODS];
      if (broker === undefined || method === undefined) continue;
      const container = this.containerOf(c.key.pid, c.key.comm, c.key.cgroupId);
      const id = `${container}\u0000${c.key.destination}\u0000${broker}\u0000${method}`;
      let m = this.messages.get(id);
      if (m === undefined) {
        m = { container, destination: c.key.destination, broker, method, count: 0, touchedMs: 0 };
        this.messages.set(id, m);
      }
      m.count += c.count;
      m.touchedMs = this.now();
    }
  }

  private messageFamilies(labelsOf: (container: string) => Readonly<Record<string, string>>): MetricFamily[] {
    const cutoff = this.now() - FORGET_AFTER_MS;
    const byBroker = new Map<string, Sample[]>();
    for (const [id, m] of this.messages) {
      if (m.touchedMs < cutoff) {
        this.messages.delete(id);
        continue;
      }
      push(byBroker, m.broker, {
        labels: {
          ...labelsOf(m.container),
          destination: m.destination,
          actual_destination: this.actualOf(m.container, m.destination) ?? m.destination,
          method: m.method,
        },
        value: m.count,
      });
    }
    return Object.values(MESSAGE_BROKERS).map((broker) => ({
      name: `container_${broker}_messages_total`,
      type: 'counter' as const,
      help: `Messages the container published to (produce) or received from (consume) ${broker === 'nats' ? 'NATS' : 'RabbitMQ'} (eBPF)`,
      samples: byBroker.get(broker) ?? [],
    }));
  }

  constructor(
    private readonly containerOf: ContainerOf,
    private readonly now: () => number = Date.now,
    /** Where NAT sent a container's connections to a destination (TcpTracker.actualDestination). */
    private readonly actualOf: (container: string, destination: string) => string | undefined = () =>
      undefined,
  ) {}

  /** One interval's counts from the kernel. */
  apply(counts: readonly L7Counts[]): void {
    for (const c of counts) {
      const protocol = L7_PROTOCOLS[c.protocol as keyof typeof L7_PROTOCOLS];
      if (protocol === undefined) continue;
      const s = this.seriesOf(c.inbound, c.key, protocol, statusLabel(protocol, c.status));
      for (let i = 0; i < c.buckets.length && i < s.buckets.length; i++) s.buckets[i]! += c.buckets[i]!;
      s.seconds += c.seconds;
    }
  }

  families(labelsOf: (container: string) => Readonly<Record<string, string>>): MetricFamily[] {
    const cutoff = this.now() - FORGET_AFTER_MS;
    const counters = new Map<string, Sample[]>();
    const histograms = new Map<string, Sample[]>();
    // Histogram series are per destination (inbound: per container), summed over statuses.
    const byDestination = new Map<
      string,
      { labels: Record<string, string>; family: string; buckets: number[]; seconds: number }
    >();
    for (const [id, s] of this.series) {
      if (s.touchedMs < cutoff) {
        this.series.delete(id);
        continue;
      }
      const base: Record<string, string> = s.inbound
        ? { ...labelsOf(s.container) }
        : {
            ...labelsOf(s.container),
            destination: s.destination,
            actual_destination: this.actualOf(s.container, s.destination) ?? s.destination,
          };
      const family = familyName(s.protocol, s.inbound);
      const total = s.buckets.reduce((a, b) => a + b, 0);
      push(counters, family, { labels: { ...base, status: s.status }, value: total });
      const dkey = `${family}|${s.container}|${s.inbound ? '' : s.destination}`;
      let d = byDestination.get(dkey);
      if (d === undefined) {
        d = { labels: base, family, buckets: new Array<number>(s.buckets.length).fill(0), seconds: 0 };
        byDestination.set(dkey, d);
      }
      for (let i = 0; i < s.buckets.length; i++) d.buckets[i]! += s.buckets[i]!;
      d.seconds += s.seconds;
    }
    for (const d of byDestination.values()) {
      let cumulative = 0;
      L7_BUCKETS.forEach((le, i) => {
        cumulative += d.buckets[i]!;
        push(histograms, d.family, {
          labels: { ...d.labels, le: String(le) },
          value: cumulative,
          suffix: '_bucket',
        });
      });
      cumulative += d.buckets[L7_BUCKETS.length]!;
      push(histograms, d.family, {
        labels: { ...d.labels, le: '+Inf' },
        value: cumulative,
        suffix: '_bucket',
      });
      push(histograms, d.family, { labels: d.labels, value: d.seconds, suffix: '_sum' });
      push(histograms, d.family, { labels: d.labels, value: cumulative, suffix: '_count' });
    }
    const out: MetricFamily[] = this.messageFamilies(labelsOf);
    for (const protocol of Object.values(L7_PROTOCOLS)) {
      const what = protocol === 'http' ? 'requests' : 'queries';
      for (const inbound of [false, true]) {
        const family = familyName(protocol, inbound);
        const side = inbound ? `${protocol} ${what} answered` : `outbound ${protocol} ${what}`;
        out.push({
          name: `${family}_total`,
          type: 'counter',
          help: `${side[0]!.toUpperCase()}${side.slice(1)}, by status (eBPF)`,
          samples: counters.get(family) ?? [],
        });
        out.push({
          name: `${family}_duration_seconds_total`,
          type: 'histogram',
          help: inbound
            ? `Latency of ${side}: request read to first byte of the answer written (eBPF)`
            : `Latency of ${side}: request written to first byte of the answer read (eBPF)`,
          samples: histograms.get(family) ?? [],
        });
      }
    }
    return out;
  }

  private seriesOf(inbound: boolean, key: ConnectionKey, protocol: L7Protocol, status: string): Series {
    const container = this.containerOf(key.pid, key.comm, key.cgroupId);
    // Inbound series are per container: the listening address is not a label.
    const destination = inbound ? '' : key.destination;
    const id = `${inbound ? 'in' : 'out'}\u0000${container}\u0000${destination}\u0000${protocol}\u0000${status}`;
    let s = this.series.get(id);
    if (s === undefined) {
      s = {
        inbound,
        container,
        destination,
        protocol,
        status,
        buckets: new Array<number>(L7_BUCKETS.length + 1).fill(0),
        seconds: 0,
        touchedMs: 0,
      };
      this.series.set(id, s);
    }
    s.touchedMs = this.now();
    return s;
  }
}

/** `container_http_requests`, `container_http_inbound_requests`, `container_redis_queries`, … */
function familyName(protocol: L7Protocol, inbound: boolean): string {
  const what = protocol === 'http' ? 'requests' : 'queries';
  return `container_${protocol}_${inbound ? 'inbound_' : ''}${what}`;
}

function push(into: Map<string, Sample[]>, family: string, sample: Sample): void {
  let list = into.get(family);
  if (list === undefined) {
    list = [];
    into.set(family, list);
  }
  list.push(sample);
}
