import { decodePprof, encodePprof, type PprofProfileInput } from '@vigil/protocols';
import { Label } from 'pprof-format';
import { describe, expect, it } from 'vitest';
import { toCorootProfiles, type Baseline } from './coroot-profiles.ts';
import type { GoProfileKind } from './go-profiles.ts';
import { decodePprofBody, mergeByStack } from './merged-profile.ts';

const MAIN = { functionName: 'main.main', fileName: 'main.go', line: 10 };
const WORK = { functionName: 'main.work', fileName: 'work.go', line: 20 };
const LOCK = { functionName: 'sync.(*Mutex).Lock', fileName: 'sync/mutex.go', line: 90 };

/** Go's sample types per profile, as net/http/pprof serves them. */
const GO_LAYOUT: Record<GoProfileKind, Array<[string, string]>> = {
  profile: [
    ['samples', 'count'],
    ['cpu', 'nanoseconds'],
  ],
  heap: [
    ['alloc_objects', 'count'],
    ['alloc_space', 'bytes'],
    ['inuse_objects', 'count'],
    ['inuse_space', 'bytes'],
  ],
  goroutine: [['goroutine', 'count']],
  mutex: [
    ['contentions', 'count'],
    ['delay', 'nanoseconds'],
  ],
  block: [
    ['contentions', 'count'],
    ['delay', 'nanoseconds'],
  ],
};

function goProfile(
  kind: GoProfileKind,
  samples: PprofProfileInput['samples'],
  extra: Partial<PprofProfileInput> = {},
) {
  return encodePprof({
    sampleTypes: GO_LAYOUT[kind].map(([type, unit]) => ({ type, unit })),
    samples,
    ...extra,
  });
}

/** One scrape through the conversion, each result read back with the server's own decoder. */
function convert(
  kind: GoProfileKind,
  body: Uint8Array,
  baselines: Map<string, Baseline>,
  receivedMs = 2_000,
) {
  const merged = mergeByStack(decodePprofBody(body));
  return toCorootProfiles(merged, { kind, baselines, requestedMs: receivedMs - 1_000, receivedMs }).map(
    (o) => ({
      types: o.types,
      server: decodePprof(o.profile.encode(), { maxDecompressedBytes: 1 << 24 }),
    }),
  );
}

const valuesByLeaf = (server: ReturnType<typeof decodePprof>): Record<string, number[]> =>
  Object.fromEntries(server.stacks.map((s) => [s.frames.at(-1)!, s.values]));

describe('toCorootProfiles', () => {
  const cases: Array<{ kind: GoProfileKind; first: string[][]; second: string[][] }> = [
    { kind: 'profile', first: [['go:profile_cpu:nanoseconds']], second: [['go:profile_cpu:nanoseconds']] },
    {
      kind: 'heap',
      first: [['go:heap_inuse_objects:count', 'go:heap_inuse_space:bytes']],
      second: [
        ['go:heap_inuse_objects:count', 'go:heap_inuse_space:bytes'],
        ['go:heap_alloc_objects:count', 'go:heap_alloc_space:bytes'],
      ],
    },
    {
      kind: 'goroutine',
      first: [['go:goroutine_goroutine:count']],
      second: [['go:goroutine_goroutine:count']],
    },
    { kind: 'mutex', first: [], second: [['go:mutex_contentions:count', 'go:mutex_delay:nanoseconds']] },
    { kind: 'block', first: [], second: [['go:block_contentions:count', 'go:block_delay:nanoseconds']] },
  ];
  it.each(cases)('names the $kind profile as Coroot does, and the server reads the names as sent', (c) => {
    const baselines = new Map<string, Baseline>();
    const width = GO_LAYOUT[c.kind].length;
    const first = convert(
      c.kind,
      goProfile(c.kind, [{ stack: [MAIN, WORK], values: Array(width).fill(5) }]),
      baselines,
    );
    const second = convert(
      c.kind,
      goProfile(c.kind, [{ stack: [MAIN, WORK], values: Array(width).fill(9) }]),
      baselines,
      3_000,
    );
    expect(first.map((o) => o.types)).toEqual(c.first);
    expect(second.map((o) => o.types)).toEqual(c.second);
    for (const o of [...first, ...second]) expect(o.server.types).toEqual(o.types);
  });

  it('sends heap in-use values as they are and allocations as the increase since the last scrape', () => {
    const baselines = new Map<string, Baseline>();
    convert(
      'heap',
      goProfile('heap', [{ stack: [MAIN, WORK], values: [10, 1000, 4, 400] }]),
      baselines,
      2_000,
    );
    const [inuse, alloc] = convert(
      'heap',
      goProfile('heap', [
        { stack: [MAIN, WORK], values: [15, 1500, 3, 300] },
        { stack: [MAIN, LOCK], values: [2, 64, 0, 0] },
      ]),
      baselines,
      5_000,
    );
    expect(valuesByLeaf(inuse!.server)).toEqual({ 'main.work work.go:20': [3, 300] });
    expect(valuesByLeaf(alloc!.server)).toEqual({
      'main.work work.go:20': [5, 500],
      'sync.(*Mutex).Lock sync/mutex.go:90': [2, 64],
    });
    // The increase covers the time since the previous scrape; in-use is a point in time.
    expect(alloc!.server.timeNanos).toBe(2_000_000_000n);
    expect(alloc!.server.durationNanos).toBe(3_000_000_000n);
    expect(inuse!.server.timeNanos).toBe(5_000_000_000n);
  });

  it('matches stacks across scrapes by their frames, whatever ids the profiles gave them', () => {
    const baselines = new Map<string, Baseline>();
    const a = { stack: [MAIN, WORK], values: [1, 100] };
    const b = { stack: [MAIN, LOCK], values: [7, 700] };
    convert('mutex', goProfile('mutex', [a, b]), baselines);
    // Listed the other way round, so every location and function id is swapped.
    const [delta] = convert(
      'mutex',
      goProfile('mutex', [
        { ...b, values: [8, 750] },
        { ...a, values: [4, 400] },
      ]),
      baselines,
    );
    expect(valuesByLeaf(delta!.server)).toEqual({
      'main.work work.go:20': [3, 300],
      'sync.(*Mutex).Lock sync/mutex.go:90': [1, 50],
    });
  });

  it('takes values that went down as a restart and sends what the new process counted', () => {
    const baselines = new Map<string, Baseline>();
    convert('block', goProfile('block', [{ stack: [MAIN, LOCK], values: [50, 5000] }]), baselines);
    const [restarted] = convert(
      'block',
      goProfile('block', [{ stack: [MAIN, LOCK], values: [2, 20] }]),
      baselines,
    );
    expect(valuesByLeaf(restarted!.server)).toEqual({ 'sync.(*Mutex).Lock sync/mutex.go:90': [2, 20] });
    const [after] = convert(
      'block',
      goProfile('block', [{ stack: [MAIN, LOCK], values: [3, 25] }]),
      baselines,
    );
    expect(valuesByLeaf(after!.server)).toEqual({ 'sync.(*Mutex).Lock sync/mutex.go:90': [1, 5] });
  });

  it('sends nothing for a cumulative profile without increase, nor for one without samples', () => {
    const baselines = new Map<string, Baseline>();
    const same = goProfile('mutex', [{ stack: [MAIN, LOCK], values: [5, 500] }]);
    convert('mutex', same, baselines);
    expect(convert('mutex', same, baselines)).toEqual([]);
    expect(convert('goroutine', goProfile('goroutine', []), new Map())).toEqual([]);
  });

  it('keeps the CPU profile window Go reports and leaves out its samples count', () => {
    const body = goProfile('profile', [{ stack: [MAIN, WORK], values: [3, 30_000_000] }], {
      durationNanos: 10_000_000_000n,
      periodType: { type: 'cpu', unit: 'nanoseconds' },
      period: 10_000_000,
    });
    const [cpu] = convert('profile', body, new Map(), 12_000);
    expect(valuesByLeaf(cpu!.server)).toEqual({ 'main.work work.go:20': [30_000_000] });
    expect(cpu!.server.timeNanos).toBe(11_000_000_000n);
    expect(cpu!.server.durationNanos).toBe(10_000_000_000n);
  });

  it('merges samples of one stack that differ only by numeric labels and keeps string labels apart', () => {
    const src = decodePprofBody(
      goProfile('heap', [
        { stack: [MAIN, WORK], values: [1, 64, 1, 64] },
        { stack: [MAIN, WORK], values: [1, 128, 1, 128] },
        { stack: [MAIN, WORK], values: [1, 32, 1, 32] },
      ]),
    );
    const strings = src.stringTable;
    const [s64, s128, sLabelled] = src.sample;
    s64!.label = [new Label({ key: strings.dedup('bytes'), num: 64 })];
    s128!.label = [new Label({ key: strings.dedup('bytes'), num: 128 })];
    sLabelled!.label = [new Label({ key: strings.dedup('handler'), str: strings.dedup('/api') })];
    const [inuse] = convert('heap', src.encode(), new Map());
    const rows = inuse!.server.stacks.map((s) => ({ labels: s.labels, values: s.values }));
    expect(rows).toEqual(
      expect.arrayContaining([
        { labels: {}, values: [2, 192] },
        { labels: { handler: '/api' }, values: [1, 32] },
      ]),
    );
    expect(rows).toHaveLength(2);
  });
});
