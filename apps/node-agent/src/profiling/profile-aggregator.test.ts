import { decodePprof } from '@vigil/protocols';
import { describe, expect, it } from 'vitest';
import { ProfileAggregator } from './profile-aggregator.ts';
import { decodeProfileSegment, encodeProfileSegment } from '@vigil/agent-kit';
import { Symbolizer } from './symbolizer.ts';

// Kernel-only stacks, named by bpftrace, of pids that do not exist (so the names given in the
// round are used, not /proc's).
const WORKER =
  '99999901,,\n\tffffffff816a40c8 damon_update_region_access_rate+8\n\tffffffff81389be8 kthread+248\n';
const SCHED = '99999902,,\n\tffffffff821f96a0 __cond_resched+0\n\tffffffff81389be8 kthread+248\n';

describe('ProfileAggregator', () => {
  it('adds rounds into one pprof per container, frames root first, values in CPU nanoseconds', async () => {
    let nowNs = 1_000_000_000_000n;
    const aggregator = new ProfileAggregator({
      symbolizer: new Symbolizer(),
      hz: 100,
      containerOf: (pid, comm) => `/host/${comm}-${pid === 99999901 ? 'a' : 'b'}`,
      nowNs: () => nowNs,
    });
    await aggregator.addRound({ [WORKER]: 3, [SCHED]: 1 }, { 99999901: 'kdamond', 99999902: 'kworker' });
    await aggregator.addRound({ [WORKER]: 2 }, { 99999901: 'kdamond' });
    nowNs += 60_000_000_000n;
    const profiles = aggregator.take();
    expect(profiles.map((p) => [p.containerId, p.samples, p.stacks])).toEqual([
      ['/host/kdamond-a', 5, 1],
      ['/host/kworker-b', 1, 1],
    ]);
    const decoded = decodePprof(profiles[0]!.pprof, { maxDecompressedBytes: 1 << 20 });
    expect(decoded.types).toEqual(['ebpf:cpu:nanoseconds']);
    expect(decoded.timeNanos).toBe(1_000_000_000_000n);
    expect(decoded.durationNanos).toBe(60_000_000_000n);
    expect(decoded.stacks).toEqual([
      { frames: ['kthread', 'damon_update_region_access_rate'], values: [5 * 10_000_000], labels: {} },
    ]);
    expect(aggregator.take()).toEqual([]);
  });

  it('keeps totals right past its bound on distinct stacks', async () => {
    const aggregator = new ProfileAggregator({
      symbolizer: new Symbolizer(),
      hz: 100,
      containerOf: () => 'c',
      maxStacks: 1,
    });
    await aggregator.addRound({ [WORKER]: 3, [SCHED]: 2 }, {});
    const [profile] = aggregator.take();
    const decoded = decodePprof(profile!.pprof, { maxDecompressedBytes: 1 << 20 });
    expect(decoded.stacks.map((s) => [s.frames, s.values[0]])).toEqual([
      [['kthread', 'damon_update_region_access_rate'], 30_000_000],
      [['[truncated]'], 20_000_000],
    ]);
    expect(aggregator.truncatedSamples).toBe(2);
  });
});

describe('profile spool segments', () => {
  it('carry the query string in front of the pprof body', () => {
    const body = Buffer.from([0x1f, 0x8b, 1, 2, 3]);
    const parts = decodeProfileSegment(encodeProfileSegment('service.name=%2Fhost%2Fx&host.name=h', body));
    expect(parts?.query).toBe('service.name=%2Fhost%2Fx&host.name=h');
    expect(Buffer.from(parts!.pprof)).toEqual(body);
    expect(decodeProfileSegment(Buffer.from([0, 0, 1, 0, 1]))).toBeUndefined();
  });
});
