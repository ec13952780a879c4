import { describe, expect, it } from 'vitest';
import type { MetricFamily } from '@vigil/agent-kit';
import type { ConnectionKey, LiveConnection, TcpRound } from '../ebpf/tcp-rounds.ts';
import { TcpTracker } from './tcp-tracker.ts';

const get = (families: MetricFamily[], name: string, destination: string, container?: string) =>
  families
    .find((f) => f.name === name)
    ?.samples.find(
      (s) =>
        s.labels.destination === destination &&
        (container === undefined || s.labels.container_id === container),
    )?.value;

const key = (pid: number, destination: string): ConnectionKey => ({
  pid,
  cgroupId: '0',
  destination,
  comm: 'app',
});
const live = (sock: string, pid: number, destination: string, sent: number, received = 0, retransmits = 0) =>
  ({
    sock,
    key: key(pid, destination),
    source: `127.0.0.1:${40000 + Number(sock.slice(1))}`,
    sent,
    received,
    retransmits,
  }) satisfies LiveConnection;
const round = (r: Partial<TcpRound>): TcpRound => ({
  connects: [],
  failures: [],
  closed: [],
  live: [],
  unfollowed: 0,
  aggregateFull: false,
  l7: [],
  messages: [],
  l7RegisterMisses: 0,
  ...r,
});

const PG = '127.0.0.1:5432';

describe('TcpTracker with eBPF rounds', () => {
  const containers: Record<number, string> = { 1: '/docker/api', 2: '/host/worker' };
  const labelsOf = (id: string) => ({ container_id: id, app_id: `app:${id}` });

  it('adds kernel counts per container and destination, with Coroot labels', () => {
    const t = new TcpTracker((pid) => containers[pid]!);
    t.applyRound(
      round({
        connects: [
          { key: key(1, PG), count: 2, seconds: 0.004 },
          { key: key(2, PG), count: 1, seconds: 0.001 },
        ],
        failures: [{ key: key(1, '127.0.0.1:1'), count: 3, seconds: 0 }],
      }),
    );
    t.applyRound(round({ connects: [{ key: key(1, PG), count: 1, seconds: 0.002 }] }));
    const f = t.families(labelsOf);
    expect(get(f, 'container_net_tcp_successful_connects_total', PG, '/docker/api')).toBe(3);
    expect(get(f, 'container_net_tcp_connection_time_seconds_total', PG, '/docker/api')).toBeCloseTo(
      0.006,
      9,
    );
    expect(get(f, 'container_net_tcp_successful_connects_total', PG, '/host/worker')).toBe(1);
    expect(get(f, 'container_net_tcp_failed_connects_total', '127.0.0.1:1')).toBe(3);
    const sample = f.find((x) => x.name === 'container_net_tcp_successful_connects_total')!.samples[0]!;
    expect(sample.labels).toEqual({
      container_id: '/docker/api',
      app_id: 'app:/docker/api',
      destination: PG,
      actual_destination: PG,
    });
    // The failed-connect family carries destination only (Coroot's labels).
    expect(
      f.find((x) => x.name === 'container_net_tcp_failed_connects_total')!.samples[0]!.labels,
    ).not.toHaveProperty('actual_destination');
  });

  it('counts live connections as active and their bytes once, across rounds and after they close', () => {
    const t = new TcpTracker((pid) => containers[pid]!);
    t.applyRound(round({ live: [live('s1', 1, PG, 100, 5), live('s2', 1, PG, 10)] }));
    expect(get(t.families(labelsOf), 'container_net_tcp_active_connections', PG)).toBe(2);
    expect(t.containerOfConnection('127.0.0.1:40001', PG)).toBe('/docker/api');
    t.applyRound(round({ live: [live('s1', 1, PG, 150, 7), live('s2', 1, PG, 10, 0, 1)] }));
    let f = t.families(labelsOf);
    expect(get(f, 'container_net_tcp_bytes_sent_total', PG)).toBe(160);
    expect(get(f, 'container_net_tcp_bytes_received_total', PG)).toBe(7);
    expect(get(f, 'container_net_tcp_retransmits_total', PG)).toBe(1);
    // s1 closes with 170 sent in all (20 more than seen), and in the same interval s3 opens and
    // closes with 30 sent: their final totals arrive summed.
    t.applyRound(
      round({
        live: [live('s2', 1, PG, 10, 0, 1)],
        closed: [{ key: key(1, PG), count: 2, sent: 200, received: 7, retransmits: 0 }],
      }),
    );
    f = t.families(labelsOf);
    expect(get(f, 'container_net_tcp_bytes_sent_total', PG)).toBe(210);
    expect(get(f, 'container_net_tcp_bytes_received_total', PG)).toBe(7);
    expect(get(f, 'container_net_tcp_active_connections', PG)).toBe(1);
    expect(t.containerOfConnection('127.0.0.1:40001', PG)).toBeUndefined();
    expect(t.liveSockets).toBe(1);
  });

  it('waits for final totals reported a round after the connection left the live set', () => {
    const t = new TcpTracker((pid) => containers[pid]!);
    t.applyRound(round({ live: [live('s1', 1, PG, 100)] }));
    // s1 closed just before the live set was read, after the interval maps were retired; a
    // short-lived s2 closed earlier with 5 bytes.
    t.applyRound(round({ closed: [{ key: key(1, PG), count: 1, sent: 5, received: 0, retransmits: 0 }] }));
    expect(get(t.families(labelsOf), 'container_net_tcp_bytes_sent_total', PG)).toBe(100);
    t.applyRound(round({ closed: [{ key: key(1, PG), count: 1, sent: 120, received: 0, retransmits: 0 }] }));
    expect(get(t.families(labelsOf), 'container_net_tcp_bytes_sent_total', PG)).toBe(125);
  });

  it('treats a socket address reused by a new connection as a new socket', () => {
    const t = new TcpTracker((pid) => containers[pid]!);
    t.applyRound(round({ live: [live('s1', 1, PG, 100)] }));
    t.applyRound(
      round({
        live: [{ ...live('s1', 1, PG, 4), source: '127.0.0.1:50000' }],
        closed: [{ key: key(1, PG), count: 1, sent: 100, received: 0, retransmits: 0 }],
      }),
    );
    const f = t.families(labelsOf);
    expect(get(f, 'container_net_tcp_bytes_sent_total', PG)).toBe(104);
    expect(get(f, 'container_net_tcp_active_connections', PG)).toBe(1);
  });

  it('stops counting sockets as active after bpftrace restarts, keeping their bytes', () => {
    const t = new TcpTracker(() => '/host/x');
    t.applyRound(round({ live: [live('s1', 1, '10.0.0.1:80', 5)] }));
    t.forgetLiveSockets();
    t.applyRound(
      round({ closed: [{ key: key(1, '10.0.0.1:80'), count: 1, sent: 7, received: 0, retransmits: 0 }] }),
    );
    const f = t.families(labelsOf);
    expect(get(f, 'container_net_tcp_active_connections', '10.0.0.1:80')).toBe(0);
    expect(get(f, 'container_net_tcp_bytes_sent_total', '10.0.0.1:80')).toBe(12);
  });

  it('forgets destinations idle for an hour with nothing open', () => {
    let now = 0;
    const t = new TcpTracker(
      () => '/host/x',
      () => now,
    );
    t.applyRound(round({ connects: [{ key: key(1, '10.0.0.1:80'), count: 1, seconds: 0 }] }));
    t.applyRound(round({ live: [live('s2', 1, '10.0.0.2:80', 0)] }));
    now = 3_600_001;
    const f = t.families(labelsOf);
    expect(get(f, 'container_net_tcp_successful_connects_total', '10.0.0.1:80')).toBeUndefined();
    expect(get(f, 'container_net_tcp_active_connections', '10.0.0.2:80')).toBe(1);
  });
});

describe('TcpTracker with a NAT table', () => {
  const labelsOf = (id: string) => ({ container_id: id });
  const actualOf = (f: MetricFamily[], name: string) =>
    f.find((x) => x.name === name)?.samples.map((s) => [s.labels.destination, s.labels.actual_destination]);

  it('labels a pair with where NAT sent its new live connections, looking each pair up at most once a minute', () => {
    let now = 1_000_000;
    const asked: string[] = [];
    // 10.96.0.1:443 is a Service: its connections go to a pod.
    let pod = '10.1.0.7:8443';
    const t = new TcpTracker(
      () => '/k8s/ns/api',
      () => now,
      (queries) => {
        asked.push(...queries.map((q) => `${q.pid} ${q.source}`));
        return new Map(
          queries
            .filter((q) => q.destination === '10.96.0.1:443')
            .map((q) => [`${q.source}|${q.destination}`, pod]),
        );
      },
    );
    t.applyRound(
      round({
        connects: [{ key: key(1, '10.96.0.1:443'), count: 1, seconds: 0 }],
        live: [live('s1', 1, '10.96.0.1:443', 10), live('s2', 1, PG, 5)],
      }),
    );
    expect(asked).toEqual(['1 127.0.0.1:40001', '1 127.0.0.1:40002']);
    let f = t.families(labelsOf);
    expect(actualOf(f, 'container_net_tcp_successful_connects_total')).toEqual([
      ['10.96.0.1:443', '10.1.0.7:8443'],
      [PG, PG],
    ]);
    // A socket already followed is not looked up again, nor a pair checked less than a minute ago.
    now += 30_000;
    t.applyRound(round({ live: [live('s1', 1, '10.96.0.1:443', 20), live('s3', 1, '10.96.0.1:443', 1)] }));
    expect(asked).toHaveLength(2);
    // A minute on, a new connection is; the Service now answers from another pod.
    now += 31_000;
    pod = '10.1.0.9:8443';
    t.applyRound(round({ live: [live('s1', 1, '10.96.0.1:443', 20), live('s4', 1, '10.96.0.1:443', 1)] }));
    expect(asked).toHaveLength(3);
    f = t.families(labelsOf);
    expect(actualOf(f, 'container_net_tcp_active_connections')).toEqual([
      ['10.96.0.1:443', '10.1.0.9:8443'],
      [PG, PG],
    ]);
  });
});

describe('TcpTracker with procfs events', () => {
  it('counts connects, failures and active connections', () => {
    const t = new TcpTracker(() => '/host/app');
    const connect = (sock: string) =>
      ({ kind: 'connect', pid: 1, sock, durationNs: 0, source: '', destination: PG, comm: 'app' }) as const;
    t.handle(connect('inode:1'));
    t.handle(connect('inode:2'));
    t.handle({ kind: 'failed', pid: 1, destination: '127.0.0.1:1', comm: 'app' });
    t.handle({ kind: 'close', sock: 'inode:1' });
    t.handle({ kind: 'close', sock: 'inode:9' });
    const f = t.families((id) => ({ container_id: id }));
    expect(get(f, 'container_net_tcp_successful_connects_total', PG)).toBe(2);
    expect(get(f, 'container_net_tcp_active_connections', PG)).toBe(1);
    expect(get(f, 'container_net_tcp_failed_connects_total', '127.0.0.1:1')).toBe(1);
  });
});
