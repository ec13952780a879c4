/**
 * Answered DNS queries (ebpf/dns-program.ts `D` lines) → Coroot's DNS families, per container:
 *
 * - `container_dns_requests_total{domain, request_type, status}`: status `ok` (NOERROR),
 *   `nxdomain`, `servfail`, or `error` (any other response code);
 * - `container_dns_requests_duration_seconds_total`: a histogram of the answer time (Prometheus'
 *   default buckets), per container only.
 *
 * Domains are bounded per container ({@link MAX_DOMAINS_PER_CONTAINER}; later ones count under
 * `domain="other"`), and series with nothing new for an hour are forgotten.
 */
import type { MetricFamily, Sample } from '@vigil/agent-kit';
import type { DnsEvent } from '../ebpf/l7-events.ts';
import { L7_BUCKETS } from '../ebpf/l7-program.ts';

type ContainerOf = (pid: number, comm: string, cgroupId?: string) => string;

export const MAX_DOMAINS_PER_CONTAINER = 1000;
const FORGET_AFTER_MS = 3_600_000;

const TYPES: Readonly<Record<number, string>> = {
  1: 'A',
  2: 'NS',
  5: 'CNAME',
  6: 'SOA',
  12: 'PTR',
  15: 'MX',
  16: 'TXT',
  28: 'AAAA',
  33: 'SRV',
  64: 'SVCB',
  65: 'HTTPS',
  255: 'ANY',
};

export function dnsStatus(rcode: number): string {
  return rcode === 0 ? 'ok' : rcode === 3 ? 'nxdomain' : rcode === 2 ? 'servfail' : 'error';
}

/** The question's name and type from its wire form (labels, then type and class); cut names end in `…`. */
export function decodeQuestion(question: Buffer): { domain: string; type: string } {
  const labels: string[] = [];
  let i = 0;
  while (i < question.length) {
    const n = question[i]!;
    if (n === 0) {
      const type = i + 2 < question.length ? question.readUInt16BE(i + 1) : -1;
      return { domain: labels.join('.') || '.', type: TYPES[type] ?? (type < 0 ? 'unknown' : `TYPE${type}`) };
    }
    if (n > 63) break;
    labels.push(question.subarray(i + 1, Math.min(question.length, i + 1 + n)).toString('latin1'));
    i += n + 1;
  }
  return { domain: `${labels.join('.')}…`, type: 'unknown' };
}

interface ContainerDns {
  readonly requests: Map<string, { domain: string; type: string; status: string; count: number }>;
  readonly domains: Set<string>;
  /** Answers per latency bucket (not cumulative), last one +Inf. */
  readonly buckets: number[];
  seconds: number;
  touchedMs: number;
}

export class DnsTracker {
  private readonly containers = new Map<string, ContainerDns>();
  private events = 0;

  constructor(
    private readonly containerOf: ContainerOf,
    private readonly now: () => number = Date.now,
  ) {}

  /** Answers seen since the start. */
  get answers(): number {
    return this.events;
  }

  add(event: DnsEvent): void {
    this.events++;
    const id = this.containerOf(event.pid, event.comm, event.cgroupId);
    let c = this.containers.get(id);
    if (c === undefined) {
      c = {
        requests: new Map(),
        domains: new Set(),
        buckets: new Array<number>(L7_BUCKETS.length + 1).fill(0),
        seconds: 0,
        touchedMs: 0,
      };
      this.containers.set(id, c);
    }
    c.touchedMs = this.now();
    const q = decodeQuestion(event.question);
    let domain = q.domain;
    if (!c.domains.has(domain)) {
      if (c.domains.size < MAX_DOMAINS_PER_CONTAINER) c.domains.add(domain);
      else domain = 'other';
    }
    const status = dnsStatus(event.rcode);
    const key = `${domain}\u0000${q.type}\u0000${status}`;
    const r = c.requests.get(key);
    if (r === undefined) c.requests.set(key, { domain, type: q.type, status, count: 1 });
    else r.count++;
    const seconds = event.durationNs / 1e9;
    let bucket = L7_BUCKETS.findIndex((le) => seconds <= le);
    if (bucket < 0) bucket = L7_BUCKETS.length;
    c.buckets[bucket]!++;
    c.seconds += seconds;
  }

  families(labelsOf: (container: string) => Readonly<Record<string, string>>): MetricFamily[] {
    const cutoff = this.now() - FORGET_AFTER_MS;
    const counts: Sample[] = [];
    const histogram: Sample[] = [];
    for (const [id, c] of this.containers) {
      if (c.touchedMs < cutoff) {
        this.containers.delete(id);
        continue;
      }
      const labels = labelsOf(id);
      for (const r of c.requests.values()) {
        counts.push({
          labels: { ...labels, domain: r.domain, request_type: r.type, status: r.status },
          value: r.count,
        });
      }
      let cumulative = 0;
      L7_BUCKETS.forEach((le, i) => {
        cumulative += c.buckets[i]!;
        histogram.push({ labels: { ...labels, le: String(le) }, value: cumulative, suffix: '_bucket' });
      });
      cumulative += c.buckets[L7_BUCKETS.length]!;
      histogram.push({ labels: { ...labels, le: '+Inf' }, value: cumulative, suffix: '_bucket' });
      histogram.push({ labels, value: c.seconds, suffix: '_sum' });
      histogram.push({ labels, value: cumulative, suffix: '_count' });
    }
    return [
      {
        name: 'container_dns_requests_total',
        type: 'counter',
        help: 'Outbound DNS requests answered, by domain, request type and status (eBPF)',
        samples: counts,
      },
      {
        name: 'container_dns_requests_duration_seconds_total',
        type: 'histogram',
        help: 'Time from a DNS query to its answer (eBPF)',
        samples: histogram,
      },
    ];
  }
}
