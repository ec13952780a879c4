import { describe, expect, it } from 'vitest';
import { TcpRoundReader } from './tcp-rounds.ts';

/**
 * Map dumps as bpftrace 0.17 printed them (`-f json`) for tcp-program.ts on this machine (the byte
 * counters start at 1: 4 is 3 bytes).
 */
const dumps = [
  '{"type": "map", "data": {"@agg0": {"1,1652,1,::ffff:127.0.0.1,5432,bash": 1, "1,1653,1,::ffff:127.0.0.1,5432,bash": 2, "3,1654,1,::ffff:127.0.0.1,1,bash": 1, "2,1653,1,::ffff:127.0.0.1,5432,bash": 62272, "2,1652,1,::ffff:127.0.0.1,5432,bash": 64315, "3,1655,1,::1,5432,a,b": 3, "7,1652,1,::ffff:127.0.0.1,5432,bash": 0, "6,1652,1,::ffff:127.0.0.1,5432,bash": 0, "4,1652,1,::ffff:127.0.0.1,5432,bash": 1, "5,1652,1,::ffff:127.0.0.1,5432,bash": 3}}}',
  '{"type": "map", "data": {"@info": {"-131385083800768": [1652,1,53490,5432,"::ffff:127.0.0.1","::ffff:127.0.0.1","bash"], "-131383264292032": [1653,1963,44046,443,"2001:db8::2","2001:db8::1","node"]}}}',
  '{"type": "map", "data": {"@tx": {"-131385083800768": 4, "-131383264292032": 8}}}',
  '{"type": "map", "data": {"@rx": {"-131385083800768": 12}}}',
  '{"type": "map", "data": {"@full": 2}}',
].map((l) => JSON.parse(l) as { data: Record<string, unknown> });

describe('TcpRoundReader', () => {
  it('reads one round of map dumps: counts, closed totals, live connections', () => {
    const reader = new TcpRoundReader();
    for (const d of dumps) for (const [name, entries] of Object.entries(d.data)) reader.add(name, entries);
    const round = reader.finish();
    const bash = (pid: number, destination = '127.0.0.1:5432') => ({
      pid,
      cgroupId: '1',
      destination,
      comm: 'bash',
    });
    expect(round.connects).toEqual([
      { key: bash(1652), count: 1, seconds: 64315e-9 },
      { key: bash(1653), count: 2, seconds: 62272e-9 },
    ]);
    // comm is last in the key and may hold commas; IPv6 destinations in brackets.
    expect(round.failures.map((f) => [f.key.destination, f.key.comm, f.count])).toEqual([
      ['127.0.0.1:1', 'bash', 1],
      ['[::1]:5432', 'a,b', 3],
    ]);
    expect(round.closed).toEqual([{ key: bash(1652), count: 1, sent: 3, received: 0, retransmits: 0 }]);
    expect(round.live).toEqual([
      {
        sock: '-131385083800768',
        key: bash(1652),
        source: '127.0.0.1:53490',
        sent: 3,
        received: 11,
        retransmits: 0,
      },
      {
        sock: '-131383264292032',
        key: { pid: 1653, cgroupId: '1963', destination: '[2001:db8::1]:443', comm: 'node' },
        source: '[2001:db8::2]:44046',
        sent: 7,
        received: 0,
        retransmits: 0,
      },
    ]);
    expect(round.unfollowed).toBe(2);
  });

  it("reads the portable program's live connections from the keys of @live (bpftrace-aotrt output)", () => {
    // As bpftrace-aotrt 0.17 printed them on this machine (a socket is a pointer there).
    const reader = new TcpRoundReader();
    reader.add('@live', {
      '0xffff888102d7c0c0,8419,1,47360,5432,::ffff:127.0.0.1,::ffff:127.0.0.1,node': 1,
      '0xffff888102d7c100,8420,1963,44046,443,2001:db8::2,2001:db8::1,a,b': 1,
    });
    reader.add('@tx', { '0xffff888102d7c0c0': 2 });
    reader.add('@rx', { '0xffff888102d7c0c0': 1, '0xffff888102d7c100': 41 });
    reader.add('@rt', { '0xffff888102d7c100': 3 });
    expect(reader.finish().live).toEqual([
      {
        sock: '0xffff888102d7c0c0',
        key: { pid: 8419, cgroupId: '1', destination: '127.0.0.1:5432', comm: 'node' },
        source: '127.0.0.1:47360',
        sent: 1,
        received: 0,
        retransmits: 0,
      },
      {
        sock: '0xffff888102d7c100',
        // comm is last and may hold commas
        key: { pid: 8420, cgroupId: '1963', destination: '[2001:db8::1]:443', comm: 'a,b' },
        source: '[2001:db8::2]:44046',
        sent: 0,
        received: 40,
        retransmits: 3,
      },
    ]);
  });

  it('says when the interval map held as many entries as the map size (counts may be missing)', () => {
    const entries = (n: number) =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [`1,${i},1,::ffff:10.0.0.1,80,x`, 1]));
    const reader = new TcpRoundReader(4);
    reader.add('@agg1', entries(3));
    expect(reader.finish().aggregateFull).toBe(false);
    reader.add('@agg0', entries(4));
    expect(reader.finish().aggregateFull).toBe(true);
    // Without a size (the default), never.
    const unbounded = new TcpRoundReader();
    unbounded.add('@agg0', entries(4));
    expect(unbounded.finish().aggregateFull).toBe(false);
  });

  it('starts each round empty: maps bpftrace did not print (empty ones) count nothing', () => {
    const reader = new TcpRoundReader();
    reader.add('@agg0', { '1,1,1,::ffff:10.0.0.1,80,x': 5 });
    reader.finish();
    const next = reader.finish();
    expect(next.connects).toEqual([]);
    expect(next.live).toEqual([]);
    reader.add('@agg1', { '1,1,1,::ffff:10.0.0.1,80,x': 5 });
    reader.reset();
    expect(reader.finish().connects).toEqual([]);
  });
});
