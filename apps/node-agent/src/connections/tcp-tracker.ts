/**
 * Turns what the kernel reports about TCP connections into Coroot's connection family, per
 * container and destination:
 *
 * | metric | from |
 * |---|---|
 * | `container_net_tcp_successful_connects_total` {destination, actual_destination} | connects |
 * | `container_net_tcp_connection_time_seconds_total` {destination, actual_destination} | their durations |
 * | `container_net_tcp_failed_connects_total` {destination} | failed connects |
 * | `container_net_tcp_active_connections` {destination, actual_destination} | connected, not yet closed |
 * | `container_net_tcp_retransmits_total` {destination, actual_destination} | per-socket kernel counts |
 * | `container_net_tcp_bytes_{sent,received}_total` {destination, actual_destination} | per-socket kernel sums |
 *
 * Two sources feed it. With eBPF, one {@link TcpRound} per interval (`applyRound`): counts
 * aggregated in the kernel, the live connections with their totals so far, and the final
 * totals of those that closed. Without eBPF, procfs polling reports each change as a
 * {@link ConnectionEvent} (`handle`).
 *
 * A live connection's totals are followed from round to round and only their growth is added.
 * When it closes, its final totals arrive summed with the other connections of its container
 * and destination that closed in the same interval, including what was already added while it
 * lived: that part is remembered as a credit when the connection leaves the live set and taken
 * off the closed sum (which may come one round later). So no byte is counted twice.
 *
 * `actual_destination` is the address after NAT, from the connection-tracking table
 * (conntrack.ts): when a (container, destination) gets a new live connection, and at most once a
 * minute per pair, its live connections are looked up there; a DNATed one (a Kubernetes Service,
 * a published port) names the real endpoint. Without NAT (or without the table) it equals
 * `destination`. The connect counts of a pair come summed from the kernel without their ports,
 * so a pair has one actual destination: when a Service spreads one container's connections over
 * several endpoints, the series carries the one seen last. Destinations of containers with no
 * live connection and nothing new for an hour are forgotten.
 */
import type { MetricFamily, Sample } from '@vigil/agent-kit';
import type { ConnectionKey, TcpRound } from '../ebpf/tcp-rounds.ts';
import type { NatQuery } from './conntrack.ts';

/** A change procfs polling saw. */
export type ConnectionEvent =
  | {
      readonly kind: 'connect';
      readonly pid: number;
      readonly sock: string;
      readonly durationNs: number;
      readonly source: string;
      readonly destination: string;
      readonly comm: string;
    }
  | { readonly kind: 'failed'; readonly pid: number; readonly destination: string; readonly comm: string }
  | { readonly kind: 'close'; readonly sock: string };

interface DestinationStats {
  readonly container: string;
  readonly destination: string;
  successful: number;
  connectSeconds: number;
  failed: number;
  active: number;
  retransmits: number;
  sent: number;
  received: number;
  touchedMs: number;
  /** What live connections that have since closed already added, not yet met by their final totals. */
  creditSent: number;
  creditReceived: number;
  creditRetransmits: number;
  /** Where NAT sent its connections, when it did (see the header). */
  actual: string | undefined;
  /** When its connections were last looked up in the NAT table (ms; 0: never). */
  natCheckedMs: number;
}

interface LiveSocket {
  readonly stats: DestinationStats;
  /** `source|destination`, the key of {@link TcpTracker.containerOfConnection}. */
  readonly endpoints: string;
  sent: number;
  received: number;
  retransmits: number;
  /** The last round that listed it. */
  round: number;
}

/**
 * Which container a process belongs to (its container id, `/docker/…`, `/host/…`); `cgroupId`
 * (v2) names it when the process is already gone.
 */
export type ContainerOfPid = (pid: number, comm: string, cgroupId?: string) => string;

const FORGET_AFTER_MS = 3_600_000;
/** A (container, destination) pair's connections are looked up in the NAT table at most this often. */
const NAT_RECHECK_MS = 60_000;

/** Actual destinations by `source|destination` (conntrack.ts `resolveNat`). */
export type ResolveNat = (queries: readonly NatQuery[]) => ReadonlyMap<string, string>;

export class TcpTracker {
  private readonly byKey = new Map<string, DestinationStats>();
  private readonly sockets = new Map<string, LiveSocket>();
  private readonly byEndpoints = new Map<string, string>();
  private rounds = 0;

  constructor(
    private readonly containerOf: ContainerOfPid,
    private readonly now: () => number = Date.now,
    /** Where `actual_destination` comes from; without it, it equals `destination`. */
    private readonly resolveNat?: ResolveNat,
  ) {}

  /** One eBPF round: what happened in the interval, and what is open now. */
  applyRound(round: TcpRound): void {
    const n = ++this.rounds;
    for (const c of round.connects) {
      const stats = this.statsOf(c.key);
      stats.successful += c.count;
      stats.connectSeconds += c.seconds;
    }
    for (const f of round.failures) this.statsOf(f.key).failed += f.count;
    const nat: { stats: DestinationStats; query: NatQuery }[] = [];
    const nowMs = this.now();
    for (const l of round.live) {
      let socket = this.sockets.get(l.sock);
      // The same kernel address may be a new socket by now: its endpoints tell.
      if (socket !== undefined && socket.endpoints !== `${l.source}|${l.key.destination}`) {
        this.leave(l.sock, socket);
        socket = undefined;
      }
      if (socket === undefined) {
        socket = this.follow(l.sock, this.statsOf(l.key), l.source);
        const s = socket.stats;
        if (this.resolveNat !== undefined && nowMs - s.natCheckedMs >= NAT_RECHECK_MS)
          nat.push({ stats: s, query: { pid: l.key.pid, source: l.source, destination: l.key.destination } });
      }
      socket.round = n;
      this.grow(socket, l.sent, l.received, l.retransmits);
    }
    for (const [sock, socket] of this.sockets) if (socket.round !== n) this.leave(sock, socket);
    if (nat.length > 0) this.lookUpNat(nat, nowMs);
    for (const c of round.closed) {
      const s = this.statsOf(c.key);
      [s.sent, s.creditSent] = settle(s.sent, s.creditSent, c.sent);
      [s.received, s.creditReceived] = settle(s.received, s.creditReceived, c.received);
      [s.retransmits, s.creditRetransmits] = settle(s.retransmits, s.creditRetransmits, c.retransmits);
    }
  }

  /** One change seen by procfs polling. */
  handle(event: ConnectionEvent): void {
    switch (event.kind) {
      case 'connect': {
        const stats = this.stats(this.containerOf(event.pid, event.comm), event.destination);
        stats.successful++;
        stats.connectSeconds += event.durationNs / 1e9;
        this.follow(event.sock, stats, event.source);
        break;
      }
      case 'failed':
        this.stats(this.containerOf(event.pid, event.comm), event.destination).failed++;
        break;
      case 'close': {
        const socket = this.sockets.get(event.sock);
        // Polling sees no bytes: nothing to credit against totals that never come.
        if (socket !== undefined) this.leave(event.sock, socket);
        break;
      }
      default:
        break;
    }
  }

  /**
   * bpftrace restarted with empty maps: the sockets it tracked will never report their close,
   * so they are no longer counted as active (their bytes so far stay counted).
   */
  forgetLiveSockets(): void {
    for (const socket of this.sockets.values()) socket.stats.active--;
    this.sockets.clear();
    this.byEndpoints.clear();
    // Their final totals will not come either.
    for (const s of this.byKey.values()) s.creditSent = s.creditReceived = s.creditRetransmits = 0;
  }

  /** The container of a live connection by its local and peer `ip:port`, if it is followed. */
  containerOfConnection(local: string, peer: string): string | undefined {
    return this.byEndpoints.get(`${local}|${peer}`);
  }

  /** Where NAT sent `container`'s connections to `destination`, when it did and is known. */
  actualDestination(container: string, destination: string): string | undefined {
    return this.byKey.get(`${container}\u0000${destination}`)?.actual;
  }

  /** Live sockets being followed (for the agent's own metrics). */
  get liveSockets(): number {
    return this.sockets.size;
  }

  families(labelsOf: (container: string) => Readonly<Record<string, string>>): MetricFamily[] {
    const cutoff = this.now() - FORGET_AFTER_MS;
    const successful: Sample[] = [];
    const time: Sample[] = [];
    const failed: Sample[] = [];
    const active: Sample[] = [];
    const retransmits: Sample[] = [];
    const sent: Sample[] = [];
    const received: Sample[] = [];
    for (const [key, s] of this.byKey) {
      if (s.active === 0 && s.touchedMs < cutoff) {
        this.byKey.delete(key);
        continue;
      }
      const base = labelsOf(s.container);
      if (s.failed > 0) failed.push({ labels: { ...base, destination: s.destination }, value: s.failed });
      if (s.successful === 0 && s.active === 0 && s.sent === 0 && s.received === 0) continue;
      const labels = { ...base, destination: s.destination, actual_destination: s.actual ?? s.destination };
      successful.push({ labels, value: s.successful });
      time.push({ labels, value: s.connectSeconds });
      active.push({ labels, value: s.active });
      retransmits.push({ labels, value: s.retransmits });
      sent.push({ labels, value: s.sent });
      received.push({ labels, value: s.received });
    }
    return [
      family('container_net_tcp_successful_connects_total', 'counter', 'Successful TCP connects', successful),
      family(
        'container_net_tcp_connection_time_seconds_total',
        'counter',
        'Time spent on TCP connects',
        time,
      ),
      family('container_net_tcp_failed_connects_total', 'counter', 'Failed TCP connects', failed),
      family('container_net_tcp_active_connections', 'gauge', 'Open outbound TCP connections', active),
      family('container_net_tcp_retransmits_total', 'counter', 'TCP segments retransmitted', retransmits),
      family('container_net_tcp_bytes_sent_total', 'counter', 'Bytes sent over TCP connections', sent),
      family(
        'container_net_tcp_bytes_received_total',
        'counter',
        'Bytes received over TCP connections',
        received,
      ),
    ];
  }

  /** The pairs' new connections in the NAT table: a DNATed one names the pair's actual destination. */
  private lookUpNat(nat: readonly { stats: DestinationStats; query: NatQuery }[], nowMs: number): void {
    const found = this.resolveNat!(nat.map((x) => x.query));
    const checked = new Set<DestinationStats>();
    for (const { stats, query } of nat) {
      if (!checked.has(stats)) {
        checked.add(stats);
        stats.natCheckedMs = nowMs;
        stats.actual = undefined;
      }
      stats.actual = found.get(`${query.source}|${query.destination}`) ?? stats.actual;
    }
  }

  private statsOf(key: ConnectionKey): DestinationStats {
    return this.stats(this.containerOf(key.pid, key.comm, key.cgroupId), key.destination);
  }

  private follow(sock: string, stats: DestinationStats, source: string): LiveSocket {
    const endpoints = `${source}|${stats.destination}`;
    const socket: LiveSocket = { stats, endpoints, sent: 0, received: 0, retransmits: 0, round: this.rounds };
    stats.active++;
    this.sockets.set(sock, socket);
    this.byEndpoints.set(endpoints, stats.container);
    return socket;
  }

  /** A live socket closed: what it added so far is credited against its final totals. */
  private leave(sock: string, socket: LiveSocket): void {
    const s = socket.stats;
    s.active--;
    s.touchedMs = this.now();
    s.creditSent += socket.sent;
    s.creditReceived += socket.received;
    s.creditRetransmits += socket.retransmits;
    this.sockets.delete(sock);
    if (this.byEndpoints.get(socket.endpoints) === s.container) this.byEndpoints.delete(socket.endpoints);
  }

  private stats(container: string, destination: string): DestinationStats {
    const key = `${container}\u0000${destination}`;
    let stats = this.byKey.get(key);
    if (stats === undefined) {
      stats = {
        container,
        destination,
        successful: 0,
        connectSeconds: 0,
        failed: 0,
        active: 0,
        retransmits: 0,
        sent: 0,
        received: 0,
        touchedMs: 0,
        creditSent: 0,
        creditReceived: 0,
        creditRetransmits: 0,
        actual: undefined,
        natCheckedMs: 0,
      };
      this.byKey.set(key, stats);
    }
    stats.touchedMs = this.now();
    return stats;
  }

  private grow(socket: LiveSocket, sent: number, received: number, retransmits: number): void {
    if (sent > socket.sent) socket.stats.sent += sent - socket.sent;
    if (received > socket.received) socket.stats.received += received - socket.received;
    if (retransmits > socket.retransmits) socket.stats.retransmits += retransmits - socket.retransmits;
    socket.sent = Math.max(socket.sent, sent);
    socket.received = Math.max(socket.received, received);
    socket.retransmits = Math.max(socket.retransmits, retransmits);
  }
}

/**
 * Adds closed connections' final totals to a counter, less the credit of what they added while
 * live; a credit larger than the totals (their close is reported a round later) carries over.
 */
function settle(counter: number, credit: number, finalTotals: number): [number, number] {
  return finalTotals >= credit ? [counter + finalTotals - credit, 0] : [counter, credit - finalTotals];
}

function family(name: string, type: 'counter' | 'gauge', help: string, samples: Sample[]): MetricFamily {
  return { name, type, help, samples };
}
