import { formatExposition } from '@vigil/agent-kit';
import { describe, expect, it } from 'vitest';
import { TcpRoundReader } from '../ebpf/tcp-rounds.ts';
import { L7Tracker } from './l7-tracker.ts';

/** An interval map dump as bpftrace printed it for Redis traffic (python3, pid 31112) and HTTP. */
const DUMP = {
  '13100,31112,1,127.0.0.1,6379,python3': 3,
  '13102,31112,1,127.0.0.1,6379,python3': 1,
  '13150,31112,1,127.0.0.1,6379,python3': 20_000_000,
  '13200,31112,1,127.0.0.1,6379,python3': 1,
  '13250,31112,1,127.0.0.1,6379,python3': 132296,
  '11211,24707,1,::1,8080,node': 2,
  '11250,24707,1,::1,8080,node': 40_000_000_000,
  '1,31112,1,::ffff:127.0.0.1,6379,python3': 1,
  // Inbound: redis-server (pid 2232) answered one command on its listening address.
  '23100,2232,1,127.0.0.1,6379,redis-server': 1,
  '23150,2232,1,127.0.0.1,6379,redis-server': 29273,
};

describe('L7 counts from the kernel', () => {
  it('are read from the interval map next to the TCP counts', () => {
    const reader = new TcpRoundReader();
    reader.add('@agg1', DUMP);
    const round = reader.finish();
    expect(round.connects).toHaveLength(1);
    const redisOk = round.l7.find((c) => c.protocol === 3 && c.status === 1)!;
    expect(redisOk.key).toEqual({
      pid: 31112,
      cgroupId: '1',
      destination: '127.0.0.1:6379',
      comm: 'python3',
    });
    expect(redisOk.buckets.slice(0, 3)).toEqual([3, 0, 1]);
    expect(redisOk.seconds).toBeCloseTo(0.02, 9);
    const http = round.l7.find((c) => c.protocol === 1)!;
    expect(http.status).toBe(2);
    expect(http.buckets[11]).toBe(2);
    expect(http.key.destination).toBe('[::1]:8080');
  });

  it('carry where NAT sent the connections as actual_destination, when the TCP tracker knows it', () => {
    const reader = new TcpRoundReader();
    const tracker = new L7Tracker(
      (pid) => (pid === 31112 ? '/host/python3' : '/host/node'),
      Date.now,
      (container, destination) =>
        container === '/host/node' && destination === '[::1]:8080' ? '10.1.0.7:8080' : undefined,
    );
    reader.add('@agg0', DUMP);
    tracker.apply(reader.finish().l7);
    const families = tracker.families((id) => ({ container_id: id }));
    const pairs = (name: string) =>
      families
        .find((f) => f.name === name)!
        .samples.map((x) => `${x.labels.destination} → ${x.labels.actual_destination}`);
    expect(new Set(pairs('container_http_requests_total'))).toEqual(new Set(['[::1]:8080 → 10.1.0.7:8080']));
    expect(new Set(pairs('container_redis_queries_total'))).toEqual(
      new Set(['127.0.0.1:6379 → 127.0.0.1:6379']),
    );
  });

  it('become Coroot counters by status and cumulative histograms, summed across intervals', () => {
    const reader = new TcpRoundReader();
    const tracker = new L7Tracker((pid) => (pid === 31112 ? '/host/python3' : '/host/node'));
    reader.add('@agg0', DUMP);
    tracker.apply(reader.finish().l7);
    reader.add('@agg1', { '13100,31112,1,127.0.0.1,6379,python3': 2 });
    tracker.apply(reader.finish().l7);
    const families = tracker.families((id) => ({ container_id: id }));
    const redis = families.find((f) => f.name === 'container_redis_queries_total')!;
    const byStatus = Object.fromEntries(redis.samples.map((s) => [s.labels.status, s.value]));
    expect(byStatus).toEqual({ ok: 6, failed: 1 });
    expect(redis.samples[0]!.labels).toMatchObject({
      container_id: '/host/python3',
      destination: '127.0.0.1:6379',
      actual_destination: '127.0.0.1:6379',
    });
    const text = formatExposition(families);
    expect(text).toContain('# TYPE container_redis_queries_duration_seconds_total histogram');
    const line = (le: string) =>
      `container_redis_queries_duration_seconds_total_bucket{container_id="/host/python3",destination="127.0.0.1:6379",actual_destination="127.0.0.1:6379",le="${le}"}`;
    expect(text).toContain(`${line('0.005')} 6`);
    expect(text).toContain(`${line('0.025')} 7`);
    expect(text).toContain(`${line('+Inf')} 7`);
    expect(text).toMatch(/container_redis_queries_duration_seconds_total_count\{[^}]*\} 7\n/);
    expect(text).toMatch(/container_redis_queries_duration_seconds_total_sum\{[^}]*\} 0\.020132296\n/);
    const inbound = families.find((f) => f.name === 'container_redis_inbound_queries_total')!;
    expect(inbound.samples).toEqual([{ labels: { container_id: '/host/node', status: 'ok' }, value: 1 }]);
    expect(text).toContain(
      'container_http_requests_total{container_id="/host/node",destination="[::1]:8080",actual_destination="[::1]:8080",status="2xx"} 2',
    );
  });
});
