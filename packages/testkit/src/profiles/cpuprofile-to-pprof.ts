/**
 * V8's `.cpuprofile` (written by `node --cpu-prof`, Chrome DevTools, the inspector's
 * `Profiler.stop`) → pprof, so a real Node.js profile can be sent to `/v1/profiles` or
 * `/ingest?format=pprof`.
 *
 * V8 keeps a call tree: `nodes[]` with a call frame and children, `samples[i]` = the node on CPU
 * at tick i, `timeDeltas[i]` = µs since the previous tick. A tick's CPU time is the time until
 * the next tick (the last one: until `endTime`). A node's stack is its path from `(root)`
 * (left out); `(idle)` ticks are not CPU time and are dropped.
 *
 *   sample types: cpu:nanoseconds, samples:count     frames: "fn file:///x.js:12" (1-based line)
 */
import { encodePprof, type PprofFrame, type PprofSampleInput } from '@vigil/protocols';

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** The parts of a `.cpuprofile` the converter reads. */
export interface CpuProfile {
  nodes: CpuProfileNode[];
  /** µs on V8's monotonic clock, not the epoch. */
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Throws unless `value` has the shape of a `.cpuprofile`. */
export function assertCpuProfile(value: unknown): asserts value is CpuProfile {
  const v = value as Partial<CpuProfile> | null;
  if (
    typeof v !== 'object' ||
    v === null ||
    !Array.isArray(v.nodes) ||
    !Array.isArray(v.samples) ||
    !Array.isArray(v.timeDeltas) ||
    typeof v.startTime !== 'number' ||
    typeof v.endTime !== 'number' ||
    v.samples.length !== v.timeDeltas.length
  ) {
    throw new Error(
      'not a V8 .cpuprofile: expected nodes, samples, timeDeltas (as many as samples), startTime, endTime',
    );
  }
}

function frameOf(node: CpuProfileNode): PprofFrame {
  const { functionName, url, lineNumber } = node.callFrame;
  return {
    functionName: functionName === '' ? '(anonymous)' : functionName,
    fileName: url,
    line: url === '' || lineNumber < 0 ? 0 : lineNumber + 1,
  };
}

/**
 * The profile as gzip pprof. `startUnixNano` is when profiling started on the wall clock (V8's
 * clock is not the epoch, so the caller says).
 */
export function cpuProfileToPprof(profile: unknown, startUnixNano: bigint): Buffer {
  assertCpuProfile(profile);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const stacks = new Map<number, PprofFrame[] | null>();
  const stackOf = (id: number): PprofFrame[] | null => {
    let stack = stacks.get(id);
    if (stack !== undefined) return stack;
    const frames: PprofFrame[] = [];
    let idle = false;
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const node = byId.get(at);
      if (node === undefined) throw new Error(`.cpuprofile sample refers to unknown node ${at}`);
      const name = node.callFrame.functionName;
      if (name === '(idle)') idle = true;
      if (name !== '(root)') frames.push(frameOf(node));
    }
    stack = idle ? null : frames.reverse();
    stacks.set(id, stack);
    return stack;
  };

  // Tick times in µs, then each tick's share: until the next tick, the last one until endTime.
  const times: number[] = [];
  let t = profile.startTime;
  for (const d of profile.timeDeltas) times.push((t += d));
  const perNode = new Map<number, { ns: number; count: number }>();
  profile.samples.forEach((id, i) => {
    const next = i + 1 < times.length ? (times[i + 1] as number) : profile.endTime;
    const ns = Math.max(0, Math.round((next - (times[i] as number)) * 1000));
    const acc = perNode.get(id) ?? { ns: 0, count: 0 };
    acc.ns += ns;
    acc.count += 1;
    perNode.set(id, acc);
  });

  const samples: PprofSampleInput[] = [];
  for (const [id, acc] of perNode) {
    const stack = stackOf(id);
    if (stack === null || stack.length === 0) continue;
    samples.push({ stack, values: [acc.ns, acc.count] });
  }
  const durationUs = Math.max(0, profile.endTime - profile.startTime);
  return encodePprof({
    sampleTypes: [
      { type: 'cpu', unit: 'nanoseconds' },
      { type: 'samples', unit: 'count' },
    ],
    samples,
    timeNanos: startUnixNano,
    durationNanos: BigInt(Math.round(durationUs * 1000)),
    periodType: { type: 'cpu', unit: 'nanoseconds' },
    period: profile.samples.length > 0 ? Math.round((durationUs * 1000) / profile.samples.length) : 0,
  });
}
