/**
 * Turns TCP events (from eBPF, tcp-events.ts) into Coroot's connection family, per container
 * and destination:
 *
 * | metric | from |
 * |---|---|
 * | `container_net_tcp_successful_connects_total` {destination, actual_destination} | `connect` events |
 * | `container_net_tcp_connection_time_seconds_total` {destination, actual_destination} | their durations |
 * | `container_net_tcp_failed_connects_total` {destination} | `failed` events |
 * | `container_net_tcp_active_connections` {destination, actual_destination} | connected, not yet closed |
 * | `container_net_tcp_retransmits_total` {destination, actual_destination} | per-socket kernel counts |
 * | `container_net_tcp_bytes_{sent,received}_total` {destination, actual_destination} | per-socket kernel sums |
 *
 * `actual_destination` is the address after NAT; the agent has no conntrack lookup (it would
 * need kprobes), so it equals `destination`. Per-socket totals arrive twice: periodically while
 * the socket lives (map dumps) and once more, final, when it closes; only the growth since the
 * last reading is added, so a total is never counted twice. Destinations of containers with no
 * live connection and no new event for an hour are forgotten.
 */
import type { MetricFamily, Sample } from '@vigil/agent-kit';
import type { TcpEvent } from '../ebpf/tcp-events.ts';

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
}

interface LiveSocket {
  readonly stats: DestinationStats;
  /** `source|destination`, the key of {@link TcpTracker.containerOfConnection}. */
  readonly endpoints: string;
  sent: number;
  received: number;
  retransmits: number;
}

/**
 * Which container a process belongs to (its container id, `/docker/…`, `/host/…`); `cgroupId`
 * (v2) names it when the process is already gone.
 */
export type ContainerOfPid = (pid: number, comm: string, cgroupId?: string) => string;

const FORGET_AFTER_MS = 3_600_000;

export class TcpTracker {
  private readonly byKey = new Map<string, DestinationStats>();
  private readonly sockets = new Map<string, LiveSocket>();
  private readonly byEndpoints = new Map<string, string>();

  constructor(
    private readonly containerOf: ContainerOfPid,
    private readonly now: () => number = Date.now,
  ) {}

  handle(event: TcpEvent): void {
    switch (event.kind) {
      case 'connect': {
        const stats = this.stats(this.containerOf(event.pid, event.comm, event.cgroupId), event.destination);
        stats.successful++;
        stats.connectSeconds += event.durationNs / 1e9;
        stats.active++;
        const endpoints = `${event.source}|${event.destination}`;
        this.sockets.set(event.sock, { stats, endpoints, sent: 0, received: 0, retransmits: 0 });
        this.byEndpoints.set(endpoints, stats.container);
        break;
      }
      case 'failed': {
        const stats = this.stats(this.containerOf(event.pid, event.comm, event.cgroupId), event.destination);
        stats.failed++;
        break;
      }
      case 'close': {
        const socket = this.sockets.get(event.sock);
        if (socket === undefined) return;
        this.grow(socket, event.sent, event.received, event.retransmits);
        socket.stats.active--;
        socket.stats.touchedMs = this.now();
        this.sockets.delete(event.sock);
        this.byEndpoints.delete(socket.endpoints);
        break;
      }
      default:
        break;
    }
  }

  /** A dump of the per-socket `@tx`, `@rx` or `@rt` map. */
  handleMap(name: string, entries: Readonly<Record<string, number>>): void {
    for (const [sock, value] of Object.entries(entries)) {
      const socket = this.sockets.get(sock);
      if (socket === undefined) continue;
      if (name === '@tx') this.grow(socket, value, socket.received, socket.retransmits);
      else if (name === '@rx') this.grow(socket, socket.sent, value, socket.retransmits);
      else if (name === '@rt') this.grow(socket, socket.sent, socket.received, value);
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
  }

  /** The container of a live connection by its local and peer `ip:port`, if it is followed. */
  containerOfConnection(local: string, peer: string): string | undefined {
    return this.byEndpoints.get(`${local}|${peer}`);
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
      if (s.successful === 0) continue;
      const labels = { ...base, destination: s.destination, actual_destination: s.destination };
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

function family(name: string, type: 'counter' | 'gauge', help: string, samples: Sample[]): MetricFamily {
  return { name, type, help, samples };
}
