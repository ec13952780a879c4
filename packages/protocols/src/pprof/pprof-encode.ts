/**
 * Encodes stacks as a pprof `Profile` with `pprof-format`: for tests, benchmarks and agents that
 * build profiles from their own samples (eBPF stacks, a V8 `.cpuprofile`). Functions and
 * locations are shared between samples, as pprof intends; each frame is one location with one
 * line, so {@link decodePprof} gives back exactly the frames given here.
 */
import zlib from 'node:zlib';
import {
  Function as PprofFunction,
  Line,
  Location,
  Profile,
  Sample,
  StringTable,
  ValueType,
} from 'pprof-format';

/** A frame: a bare function name, or a function with its file and line. */
export type PprofFrame = string | { functionName: string; fileName?: string; line?: number };

export interface PprofSampleInput {
  /** Frames from the root to the leaf. */
  stack: readonly PprofFrame[];
  /** One value per sample type. */
  values: readonly number[];
  labels?: Readonly<Record<string, string>>;
}

export interface PprofProfileInput {
  /** Sample types, e.g. `[{ type: 'cpu', unit: 'nanoseconds' }]`. */
  sampleTypes: ReadonlyArray<{ type: string; unit: string }>;
  samples: readonly PprofSampleInput[];
  timeNanos?: bigint;
  durationNanos?: bigint;
  periodType?: { type: string; unit: string };
  period?: number;
}

/** Encodes a profile; gzip-compressed unless `gzip` is false (pprof files usually are). */
export function encodePprof(input: PprofProfileInput, options: { gzip?: boolean } = {}): Buffer {
  const strings = new StringTable();
  const functions = new Map<string, PprofFunction>();
  const locations = new Map<string, Location>();

  const locationId = (frame: PprofFrame): number => {
    const f = typeof frame === 'string' ? { functionName: frame } : frame;
    const fileName = f.fileName ?? '';
    const line = f.line ?? 0;
    const fnKey = `${f.functionName}\u0000${fileName}`;
    let fn = functions.get(fnKey);
    if (fn === undefined) {
      fn = new PprofFunction({
        id: functions.size + 1,
        name: strings.dedup(f.functionName),
        systemName: strings.dedup(f.functionName),
        filename: strings.dedup(fileName),
      });
      functions.set(fnKey, fn);
    }
    const locKey = `${fnKey}\u0000${line}`;
    let loc = locations.get(locKey);
    if (loc === undefined) {
      loc = new Location({ id: locations.size + 1, line: [new Line({ functionId: fn.id, line })] });
      locations.set(locKey, loc);
    }
    return Number(loc.id);
  };

  const sampleTypes = input.sampleTypes.map(
    (t) => new ValueType({ type: strings.dedup(t.type), unit: strings.dedup(t.unit) }),
  );
  const samples = input.samples.map((s) => {
    // pprof lists a sample's locations leaf first.
    const ids = s.stack.map(locationId).reverse();
    const label = Object.entries(s.labels ?? {}).map(([k, v]) => ({
      key: strings.dedup(k),
      str: strings.dedup(v),
    }));
    return new Sample({ locationId: ids, value: [...s.values], label });
  });
  const profile = new Profile({
    sampleType: sampleTypes,
    sample: samples,
    location: [...locations.values()],
    function: [...functions.values()],
    stringTable: strings,
    timeNanos: input.timeNanos ?? 0n,
    durationNanos: input.durationNanos ?? 0n,
    ...(input.periodType
      ? {
          periodType: new ValueType({
            type: strings.dedup(input.periodType.type),
            unit: strings.dedup(input.periodType.unit),
          }),
        }
      : {}),
    period: input.period ?? 0,
  });
  const bytes = profile.encode();
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return options.gzip === false ? buffer : zlib.gzipSync(buffer);
}
