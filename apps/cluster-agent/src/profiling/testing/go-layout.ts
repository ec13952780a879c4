/**
 * Node profiles (from @datadog/pprof) mapped into the sample-type layout Go's `net/http/pprof`
 * serves, for the fixture process. A Node profiler cannot produce Go's exact profiles, so:
 *
 * - cpu: Node's time profile is wall time per stack (`sample/count`, `wall/nanoseconds`); it is
 *   served as Go's `samples/count`, `cpu/nanoseconds`. The stacks and values are the profiler's.
 * - heap: Node's sampling heap profile is what is live now (`objects/count`, `space/bytes`); it is
 *   served as Go's `inuse_objects`/`inuse_space`, and Go's cumulative `alloc_objects`/`alloc_space`
 *   are made up as the running sum, per stack, of every in-use value served so far, so they only
 *   grow, as Go's do.
 * - goroutine, mutex, block have no Node equivalent: their stacks are real (taken from a heap
 *   profile of the process) but their values are made up: one goroutine per stack; mutex and
 *   block contentions grow by 1 per stack and their delay by 1000 ns × (stack index + 1) on every
 *   request, so a delta between two scrapes is known exactly.
 */
import { encodePprof, type PprofFrame } from '@vigil/protocols';
import type { Profile } from 'pprof-format';

/** A stack, root first, with its values. */
export interface FrameStack {
  readonly key: string;
  readonly frames: readonly PprofFrame[];
  readonly values: readonly number[];
}

const num = (n: number | bigint): number => Number(n);

/** The samples of a pprof-format profile as stacks (root first), merged by frames. */
export function stacksOf(p: Profile): FrameStack[] {
  const s = p.stringTable.strings;
  const fns = new Map(p.function.map((f) => [num(f.id), f]));
  const locs = new Map(p.location.map((l) => [num(l.id), l]));
  const merged = new Map<string, { frames: PprofFrame[]; values: number[] }>();
  for (const sample of p.sample) {
    const frames: PprofFrame[] = [];
    for (const id of [...sample.locationId].reverse()) {
      for (const line of [...(locs.get(num(id))?.line ?? [])].reverse()) {
        const f = fns.get(num(line.functionId));
        if (f === undefined) continue;
        frames.push({
          functionName: s[num(f.name)] ?? '?',
          fileName: s[num(f.filename)] ?? '',
          line: num(line.line),
        });
      }
    }
    const key = JSON.stringify(frames);
    const values = sample.value.map(num);
    const seen = merged.get(key);
    if (seen === undefined) merged.set(key, { frames, values });
    else values.forEach((v, i) => (seen.values[i] = (seen.values[i] ?? 0) + v));
  }
  return [...merged].map(([key, v]) => ({ key, ...v }));
}

/** Node's time profile as Go's CPU profile (gzipped). */
export function goCpuProfile(p: Profile): Buffer {
  return encodePprof({
    sampleTypes: [
      { type: 'samples', unit: 'count' },
      { type: 'cpu', unit: 'nanoseconds' },
    ],
    samples: stacksOf(p).map((st) => ({ stack: st.frames, values: st.values })),
    timeNanos: BigInt(p.timeNanos),
    durationNanos: BigInt(p.durationNanos),
    periodType: { type: 'cpu', unit: 'nanoseconds' },
    period: num(p.period),
  });
}

/** Keeps the made-up cumulative counters between requests (see the module comment). */
export class GoLayout {
  readonly #alloc = new Map<string, { frames: readonly PprofFrame[]; objects: number; bytes: number }>();
  #fixedStacks: readonly FrameStack[] = [];
  #contentionRequests = { mutex: 0, block: 0 };

  /** Stacks for goroutine/mutex/block, taken once from a real profile. */
  useStacks(stacks: readonly FrameStack[]): void {
    this.#fixedStacks = stacks;
  }

  get stackCount(): number {
    return this.#fixedStacks.length;
  }

  /** Node's heap profile as Go's four-column heap profile (gzipped). */
  heap(p: Profile): Buffer {
    const inuse = new Map(stacksOf(p).map((st) => [st.key, st]));
    for (const st of inuse.values()) {
      const a = this.#alloc.get(st.key) ?? { frames: st.frames, objects: 0, bytes: 0 };
      a.objects += st.values[0] ?? 0;
      a.bytes += st.values[1] ?? 0;
      this.#alloc.set(st.key, a);
    }
    return encodePprof({
      sampleTypes: [
        { type: 'alloc_objects', unit: 'count' },
        { type: 'alloc_space', unit: 'bytes' },
        { type: 'inuse_objects', unit: 'count' },
        { type: 'inuse_space', unit: 'bytes' },
      ],
      samples: [...this.#alloc].map(([key, a]) => {
        const now = inuse.get(key)?.values ?? [0, 0];
        return { stack: a.frames, values: [a.objects, a.bytes, now[0] ?? 0, now[1] ?? 0] };
      }),
      timeNanos: BigInt(Date.now()) * 1_000_000n,
      periodType: { type: 'space', unit: 'bytes' },
    });
  }

  goroutine(): Buffer {
    return encodePprof({
      sampleTypes: [{ type: 'goroutine', unit: 'count' }],
      samples: this.#fixedStacks.map((st) => ({ stack: st.frames, values: [1] })),
      timeNanos: BigInt(Date.now()) * 1_000_000n,
    });
  }

  /** `mutex` or `block`: contentions/count and delay/nanoseconds, growing per request. */
  contention(kind: 'mutex' | 'block'): Buffer {
    const n = ++this.#contentionRequests[kind];
    return encodePprof({
      sampleTypes: [
        { type: 'contentions', unit: 'count' },
        { type: 'delay', unit: 'nanoseconds' },
      ],
      samples: this.#fixedStacks.map((st, i) => ({ stack: st.frames, values: [n, n * 1000 * (i + 1)] })),
      timeNanos: BigInt(Date.now()) * 1_000_000n,
      periodType: { type: 'contentions', unit: 'count' },
      period: 1,
    });
  }
}
