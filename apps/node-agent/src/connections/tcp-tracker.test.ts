import { describe, expect, it } from 'vitest';
import type { MetricFamily } from '@vigil/agent-kit';
import { TcpTracker } from './tcp-tracker.ts';

const get = (families: MetricFamily[], name: string, destination: string): number | undefined =>
  families.find((f) => f.name === name)?.samples.find((s) => s.labels.destination === destination)?.value;

const connect = (pid: number, sock: string, destination: string) =>
  ({
    kind: 'connect',
    pid,
    sock,
    durationNs: 2e6,
    source: '127.0.0.1:40000',
    destination,
    cgroupId: '0',
    comm: 'app',
  }) as const;

describe('TcpTracker', () => {
  const containers: Record<number, string> = { 1: '/docker/api', 2: '/host/worker' };
  const labelsOf = (id: string) => ({ container_id: id, app_id: `app:${id}` });

  it('counts connects per container and destination, and adds per-socket totals once', () => {
    const t = new TcpTracker((pid) => containers[pid]!);
    t.handle(connect(1, 's1', '127.0.0.1:5432'));
    t.handle(connect(1, 's2', '127.0.0.1:5432'));
    t.handle(connect(2, 's3', '127.0.0.1:5432'));
    t.handle({
      kind: 'failed',
      pid: 1,
      sock: 's4',
      durationNs: 1e5,
      destination: '127.0.0.1:1',
      cgroupId: '0',
      comm: 'app',
    });
    t.handleMap('@tx', { s1: 100, s2: 10 });
    t.handleMap('@tx', { s1: 150 }); // grew by 50
    t.handleMap('@rx', { s1: 7 });
    t.handleMap('@rt', { s2: 1 });
    t.handle({ kind: 'close', sock: 's1', sent: 150, received: 9, retransmits: 0 }); // 2 more received
    t.handle({ kind: 'close', sock: 'unknown', sent: 1e9, received: 1e9, retransmits: 9 });
    const f = t.families(labelsOf);
    const api = f
      .flatMap((x) => x.samples.map((s) => ({ name: x.name, ...s })))
      .filter((s) => s.labels.container_id === '/docker/api');
    const value = (name: string, dest = '127.0.0.1:5432') =>
      api.find((s) => s.name === name && s.labels.destination === dest)?.value;
    expect(value('container_net_tcp_successful_connects_total')).toBe(2);
    expect(value('container_net_tcp_connection_time_seconds_total')).toBeCloseTo(0.004, 9);
    expect(value('container_net_tcp_active_connections')).toBe(1);
    expect(value('container_net_tcp_bytes_sent_total')).toBe(160);
    expect(value('container_net_tcp_bytes_received_total')).toBe(9);
    expect(value('container_net_tcp_retransmits_total')).toBe(1);
    expect(value('container_net_tcp_failed_connects_total', '127.0.0.1:1')).toBe(1);
    const sample = api.find((s) => s.name === 'container_net_tcp_successful_connects_total')!;
    expect(sample.labels).toEqual({
      container_id: '/docker/api',
      app_id: 'app:/docker/api',
      destination: '127.0.0.1:5432',
      actual_destination: '127.0.0.1:5432',
    });
    // The failed-connect family carries destination only (Coroot's labels).
    expect(
      f.find((x) => x.name === 'container_net_tcp_failed_connects_total')!.samples[0]!.labels,
    ).not.toHaveProperty('actual_destination');
    expect(t.liveSockets).toBe(2);
  });

  it('stops counting sockets as active after bpftrace restarts, keeping their bytes', () => {
    const t = new TcpTracker(() => '/host/x');
    t.handle(connect(1, 's1', '10.0.0.1:80'));
    t.handleMap('@tx', { s1: 5 });
    t.forgetLiveSockets();
    t.handle({ kind: 'close', sock: 's1', sent: 50, received: 0, retransmits: 0 });
    const f = t.families(labelsOf);
    expect(get(f, 'container_net_tcp_active_connections', '10.0.0.1:80')).toBe(0);
    expect(get(f, 'container_net_tcp_bytes_sent_total', '10.0.0.1:80')).toBe(5);
  });

  it('forgets destinations idle for an hour with nothing open', () => {
    let now = 0;
    const t = new TcpTracker(
      () => '/host/x',
      () => now,
    );
    t.handle(connect(1, 's1', '10.0.0.1:80'));
    t.handle({ kind: 'close', sock: 's1', sent: 0, received: 0, retransmits: 0 });
    t.handle(connect(1, 's2', '10.0.0.2:80'));
    now = 3_600_001;
    const f = t.families(labelsOf);
    expect(get(f, 'container_net_tcp_successful_connects_total', '10.0.0.1:80')).toBeUndefined();
    expect(get(f, 'container_net_tcp_successful_connects_total', '10.0.0.2:80')).toBe(1);
  });
});
